// SPDX-License-Identifier: MIT
/// `np pursue`: Neuron Pursuit (arXiv 2509.12154) on CSV data or on the authors' hypercube demo: one run, a range of
/// data seeds in parallel, or the ablation report. The demo's verdict is the np-demo check's (proofs-checks).
module NeuronPursuit.Cli.PursueCommand

open System
open System.Diagnostics
open System.Globalization
open System.IO
open System.Text
open System.Threading.Tasks
open Argu
open NeuronPursuit
open NeuronPursuit.Core.Pursuit
open NeuronPursuit.Core.Problems
open NeuronPursuit.Checks
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.PursueConfig
open NeuronPursuit.Cli.PursueOutput

let private culture = CultureInfo.InvariantCulture
let private g4 = Format.g4

/// The progress line fed by the minimisations' reports.
type private PursueProgress(line: ProgressLine.ProgressLine) =
    interface IProgress<PursuitProgress> with
        member _.Report p =
            line.Show $"""iteration {p.Iteration}, widths ({String.Join(",", p.Widths)}), epoch {p.Epoch}, loss {g4 p.Loss}"""

/// One run: console log per iteration, files, and for the demo its evaluation and verdict.
let private single argv (config: PursueConfig) (out: TextWriter) (err: TextWriter) =
    let o = config.Options
    let p = config.Problem
    let seedText = match config.DataSeed with Some s -> $", data seed {s}" | None -> ""
    out.WriteLine($"data: {p.DataSource} (n = {p.Data.Count}, d = {p.Data.InputDimension}{seedText})")
    match config.ValidationSource with
    | Some source -> out.WriteLine($"validation: {source}: {config.Training.Count} training, {config.Validation.Value.Count} validation samples; patience {o.Patience}")
    | None -> ()
    if config.Preprocessing.Standardised || config.Preprocessing.Bias then
        out.WriteLine($"preprocessing: {config.Preprocessing.Describe()}")
    if not (config.Loss :? NeuronPursuit.Core.Objectives.SquareLoss) then out.WriteLine($"loss: {config.Loss.Specification}")
    let ones = String.Join(",", List.replicate (config.Depth - 1) 1)
    out.WriteLine($"network: bias-free feed-forward, depth {config.Depth}, {p.Network.Activation.Specification}, from widths ({ones})")
    out.WriteLine($"NP: δ0 = {g4 o.InitialScale}, δ = {g4 o.NeuronScale}, η = {g4 o.LearningRate}, {o.Restarts} restarts × ≤ {o.Ascent.MaxSteps} ascent steps, seed {o.Seed}, {o.Parallelism} threads")
    out.Flush()
    let line = ProgressLine.forConsole err "pursue"
    let clock = Stopwatch.StartNew()
    let report: IProgress<PursuitProgress> | null =
        match line with
        | Some l -> PursueProgress l
        | None -> null
    let onIteration it =
        line |> Option.iter (fun l -> l.Clear())
        out.WriteLine(iterationLine it)
        out.Flush()
    let result =
        try Pursuit.learn onIteration report o (config.Depth - 1) p.Network.Activation config.Training config.Validation
        finally line |> Option.iter (fun l -> l.Clear())
    let wall = clock.Elapsed.TotalSeconds
    let model = Pursuit.model config.Preprocessing config.Loss config.InputNames config.LabelName result
    let metrics = learningMetrics config model
    let files = writeRunFiles config.OutDir result config @ writeModel config.OutDir model
    let widths = String.Join(",", result.Network.HiddenWidths)
    let title = $"Neuron Pursuit on {p.DataSource}: widths ({widths})"
    let evaluation = if config.IsDemo then Some(NpDemo.evaluate result) else None
    let plots =
        [ tryPlot err config.OutDir "loss.png" (fun path -> plotLoss path title result)
          if config.IsDemo then
              tryPlot err config.OutDir "cube.png" (fun path -> plotCube path title result.Network result.Weights) ]
        |> List.choose id
    let allFiles = [ "run.json" ] @ files @ plots
    RunRecord.write (Path.Combine(config.OutDir, "run.json")) (runRecord argv config p result wall evaluation (Some metrics) allFiles)
    out.WriteLine($"stopped: {RunRecord.snakeCase (string result.StopReason)} after {result.Iterations.Count} iterations, {result.TotalEpochs} epochs")
    match evaluation with
    | Some e -> for l in NpDemo.lines result e do out.WriteLine l
    | None ->
        out.WriteLine($"""final widths: ({widths}), layer sequence: {String.Join(", ", result.LayerSequence)}{pruneText result}""")
        if config.Validation.IsSome then out.WriteLine($"returned: the iterate of iteration {result.ReturnedIteration} (smallest validation loss)")
        for line in metricLines metrics do out.WriteLine line
    out.WriteLine($"time: {wall:F2} s (candidate search {result.SearchSeconds:F2} s, minimisation {result.MinimiseSeconds:F2} s)")
    out.WriteLine($"""output: {Path.GetFullPath config.OutDir} ({String.Join(", ", allFiles)})""")
    0

/// One seed's outcome in the seeds report.
type private SeedRow = { Seed: int64; Result: PursuitResult; Evaluation: NpDemo.Evaluation; Seconds: float }

/// The demo for each data seed, `threads` runs at a time (each single-threaded; results do not depend on it).
let private seeds argv (config: PursueConfig) (first: int64) (last: int64) (out: TextWriter) =
    let o = config.Options
    let seedList = [| first..last |]
    let gate = obj ()
    let clock = Stopwatch.StartNew()
    out.WriteLine($"running the hypercube demo for data seeds {first}..{last}, {o.Parallelism} at a time …")
    let rows = Array.zeroCreate<SeedRow> seedList.Length
    Parallel.For(0, seedList.Length, ParallelOptions(MaxDegreeOfParallelism = o.Parallelism), fun k ->
        let seed = seedList.[k]
        let started = Stopwatch.StartNew()
        let seedSpec = ProblemSpec(Example = config.Spec.Example, DataSeed = seed, Samples = config.Spec.Samples, Net = config.Spec.Net,
                                   Widths = config.Spec.Widths, Activation = config.Spec.Activation, Loss = config.Spec.Loss)
        let p = seedSpec.Build()
        let result = Pursuit.run (o.WithParallelism 1) p
        let seconds = started.Elapsed.TotalSeconds
        let e = NpDemo.evaluate result
        let dir = Path.Combine(config.OutDir, $"seed-{seed}")
        Directory.CreateDirectory dir |> ignore
        let files = writeRunFiles dir result config @ writeModel dir (Pursuit.model config.Preprocessing config.Loss config.InputNames config.LabelName result)
        let seedConfig = { config with Spec = seedSpec; Problem = p; DataSeed = Some seed }
        RunRecord.write (Path.Combine(dir, "run.json")) (runRecord argv seedConfig p result seconds (Some e) None ("run.json" :: files))
        rows.[k] <- { Seed = seed; Result = result; Evaluation = e; Seconds = seconds }
        lock gate (fun () ->
            out.WriteLine($"""  seed {seed}: widths ({String.Join(",", result.Network.HiddenWidths)}), layers {String.Join(",", result.LayerSequence)}, pruned {result.Removed.Count}, cube MSE {g4 e.CubeMse}, max irrelevant {g4 e.MaxIrrelevantWeight}, {seconds:F1} s{(if e.Verdict.Success then " - success" else "")}""")
            out.Flush())) |> ignore
    let wall = clock.Elapsed.TotalSeconds
    let neurons (r: SeedRow) = Seq.sum r.Result.Network.HiddenWidths
    let exact (r: SeedRow) = r.Evaluation.Verdict.Success
    let authors (r: SeedRow) = r.Evaluation.Verdict.Success && r.Evaluation.Verdict.AuthorsPath
    let nearly (r: SeedRow) = r.Evaluation.CubeMse < 1e-6 && neurons r <= 7
    let count f = rows |> Array.filter f |> Array.length
    let md = StringBuilder()
    let line (s: string) = md.AppendLine s |> ignore
    line "# Neuron Pursuit on the hypercube demo: data seeds"
    line ""
    line $"n = {config.Problem.Data.Count} training points per seed; NP defaults except as in seed-*/run.json. Exact = widths no wider than the target's (4,2) in every layer, cube MSE < 1e-6 on all 2^20 vertices, max |W1[:, x5..x20]| < 1e-3 (the np-demo check's criterion). Authors' path = exact with widths (4,2), the final neurons added to layers 1,2,1,1. The layer sequence lists the additions; pruned neurons are named."
    line ""
    line "| data seed | widths | layer sequence | pruned | train MSE | cube MSE | max irrelevant weight | epochs | time (s) | exact | authors' path | exact fit, ≤ 1 extra neuron |"
    line "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for r in rows do
        let pruned = String.Join(" ", r.Result.Removed |> Seq.map (fun struct (l, k) -> $"L{l}@{k}"))
        line $"""| {r.Seed} | ({String.Join(",", r.Result.Network.HiddenWidths)}) | {String.Join(",", r.Result.LayerSequence)} | {pruned} | {g4 (2.0 * r.Result.FinalLoss)} | {g4 r.Evaluation.CubeMse} | {g4 r.Evaluation.MaxIrrelevantWeight} | {r.Result.AllEpochs} | {r.Seconds:F1} | {yesNo (exact r)} | {yesNo (authors r)} | {yesNo (nearly r)} |"""
    line ""
    line $"Exact (widths no wider than (4,2), cube MSE < 1e-6, sparse): {count exact} of {rows.Length}."
    line $"Authors' path (exact with widths (4,2) by layers 1,2,1,1): {count authors} of {rows.Length}."
    line $"Exact fits (cube MSE < 1e-6) with at most one extra neuron (≤ 7 hidden neurons): {count nearly} of {rows.Length}."
    line $"Wall time {wall:F1} s for all seeds ({o.Parallelism} at a time)."
    File.WriteAllText(Path.Combine(config.OutDir, "seeds.md"), md.ToString())
    let csv = StringBuilder("data_seed,widths,layer_sequence,train_mse,cube_mse,max_irrelevant_weight,epochs,seconds,exact_4_2,exact_fit_at_most_one_extra,exact,pruned\n")
    let rt (x: float) = x.ToString("R", culture)
    for r in rows do
        csv.AppendLine(String.Join(",", [ string r.Seed; String.Join(";", r.Result.Network.HiddenWidths); String.Join(";", r.Result.LayerSequence)
                                          rt (2.0 * r.Result.FinalLoss); rt r.Evaluation.CubeMse; rt r.Evaluation.MaxIrrelevantWeight
                                          string r.Result.TotalEpochs; rt r.Seconds; string (authors r); string (nearly r); string (exact r)
                                          String.Join(";", r.Result.Removed |> Seq.map (fun struct (l, k) -> $"L{l}@{k}")) ])) |> ignore
    File.WriteAllText(Path.Combine(config.OutDir, "seeds.csv"), csv.ToString())
    out.WriteLine()
    out.Write(md.ToString())
    out.WriteLine($"output: {Path.GetFullPath config.OutDir} (seeds.md, seeds.csv, seed-*/)")
    0

/// `np pursue`: returns 0 after a run (the demo's verdict is reported, not an exit code); raises for bad input.
let run (argv: string[]) (problemArgs: ParseResults<NpArgs>) (args: ParseResults<PursueArgs>) (out: TextWriter) (err: TextWriter) =
    let config = PursueConfig.ofArgs problemArgs args
    OutputFolder.create config.OutDir
    match config.Mode with
    | Single -> single argv config out err
    | SeedRange(first, last) -> seeds argv config first last out
    | Ablations -> PursueAblations.run config out
