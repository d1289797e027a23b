// SPDX-License-Identifier: MIT
/// `np pursue`: Neuron Pursuit (digest `neuron-pursuit.md` §4.2) on CSV data or on the authors' hypercube demo
/// (§5.2), one run, a range of data seeds in parallel, or the ablation report.
module NeuronPursuit.Cli.PursueCommand

open System
open System.Diagnostics
open System.Globalization
open System.IO
open System.Text
open System.Threading.Tasks
open Argu
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Pursuit
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.PursueConfig
open NeuronPursuit.Cli.PursueOutput

let private culture = CultureInfo.InvariantCulture
let private g4 (x: float) = x.ToString("G4", culture)

/// One updating line on a terminal's stderr during minimisations (never in redirected output or a caller's writer).
type private PursueProgressLine(err: TextWriter) =
    let clock = Stopwatch.StartNew()
    let mutable last = -1.0
    let mutable width = 0
    member _.Clear() =
        if width > 0 then
            err.Write("\r" + String(' ', width) + "\r")
            err.Flush()
            width <- 0
    interface IProgress<PursuitProgress> with
        member _.Report p =
            let t = clock.Elapsed.TotalSeconds
            if t >= 2.0 && t - last >= 0.2 then
                last <- t
                let widths = String.Join(",", p.Widths)
                let line = $"np pursue: iteration {p.Iteration}, widths ({widths}), epoch {p.Epoch}, loss {g4 p.Loss}, {t:F1} s"
                err.Write("\r" + line.PadRight width)
                width <- max width line.Length
                err.Flush()

let private writeRunFiles (dir: string) (result: PursuitResult) (config: PursueConfig) =
    let path file = Path.Combine(dir, file)
    WeightsFile.Write<float>(path "weights.csv", ReadOnlySpan result.Weights, [| result.Network.Specification |])
    writeIterationsCsv (path "iterations.csv") result (config.Depth - 1)
    writeLossCsv (path "loss.csv") result
    [ "weights.csv"; "iterations.csv"; "loss.csv" ]

/// One run: console log per iteration, files, and for the demo its evaluation and verdict.
let private single argv (config: PursueConfig) (out: TextWriter) (err: TextWriter) =
    let o = config.Options
    let seedText = match config.DataSeed with Some s -> $", data seed {s}" | None -> ""
    out.WriteLine($"data: {config.DataSource} (n = {config.Data.Count}, d = {config.Data.InputDimension}{seedText})")
    let ones = String.Join(",", List.replicate (config.Depth - 1) 1)
    out.WriteLine($"network: bias-free feed-forward, depth {config.Depth}, {config.ActivationSpec}, from widths ({ones})")
    out.WriteLine($"NP: δ0 = {g4 o.InitialScale}, δ = {g4 o.NeuronScale}, η = {g4 o.LearningRate}, {o.Restarts} restarts × ≤ {o.Ascent.MaxSteps} ascent steps, seed {o.Seed}, {o.Parallelism} threads")
    out.Flush()
    let progress =
        if obj.ReferenceEquals(err, Console.Error) && not Console.IsErrorRedirected then Some(PursueProgressLine err) else None
    let clock = Stopwatch.StartNew()
    let report: IProgress<PursuitProgress> | null =
        match progress with
        | Some p -> p
        | None -> null
    let result =
        try
            NeuronPursuitTrainer.Run(config.Data, config.Depth - 1, config.Activation, o,
                                     (fun it ->
                                         progress |> Option.iter (fun p -> p.Clear())
                                         out.WriteLine(iterationLine it)
                                         out.Flush()),
                                     report)
        finally progress |> Option.iter (fun p -> p.Clear())
    let wall = clock.Elapsed.TotalSeconds
    let files = writeRunFiles config.OutDir result config
    let widths = String.Join(",", result.Network.HiddenWidths)
    let title = $"Neuron Pursuit on {config.DataSource}: widths ({widths})"
    let evaluation = if config.Example.IsSome then Some(evaluate result) else None
    let plots =
        [ tryPlot err config.OutDir "loss.png" (fun p -> plotLoss p title result)
          if config.Example.IsSome then
              tryPlot err config.OutDir "cube.png" (fun p -> plotCube p title result.Network result.Weights) ]
        |> List.choose id
    let allFiles = [ "run.json" ] @ files @ plots
    writeJson (Path.Combine(config.OutDir, "run.json")) (runRecord argv config config.Data config.DataSeed result wall evaluation allFiles)
    out.WriteLine($"stopped: {RunRecord.snakeCase (string result.StopReason)} after {result.Iterations.Count} iterations, {result.TotalEpochs} epochs")
    match evaluation with
    | Some e -> for line in verdictLines result e do out.WriteLine line
    | None ->
        out.WriteLine($"""final widths: ({widths}), layer sequence: {String.Join(", ", result.LayerSequence)}""")
        out.WriteLine($"training MSE: {g4 (2.0 * result.FinalLoss)} (loss (1/(2n))Σ(H-y)^2 = {g4 result.FinalLoss})")
    out.WriteLine($"time: {wall:F2} s (candidate search {result.SearchSeconds:F2} s, minimisation {result.MinimiseSeconds:F2} s)")
    out.WriteLine($"""output: {Path.GetFullPath config.OutDir} ({String.Join(", ", allFiles)})""")
    0

/// One seed's outcome in the seeds report.
type private SeedRow = { Seed: int64; Result: PursuitResult; Evaluation: Evaluation; Seconds: float }

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
        let data = HypercubeExample.TrainingSet(seed, config.Samples)
        let result = NeuronPursuitTrainer.Run(data, 2, config.Activation, o.WithParallelism 1)
        let seconds = started.Elapsed.TotalSeconds
        let e = evaluate result
        let dir = Path.Combine(config.OutDir, $"seed-{seed}")
        Directory.CreateDirectory dir |> ignore
        let files = writeRunFiles dir result config
        let seedConfig = { config with Data = data; DataSeed = Some seed }
        writeJson (Path.Combine(dir, "run.json")) (runRecord argv seedConfig data (Some seed) result seconds (Some e) ("run.json" :: files))
        rows.[k] <- { Seed = seed; Result = result; Evaluation = e; Seconds = seconds }
        lock gate (fun () ->
            out.WriteLine($"""  seed {seed}: widths ({String.Join(",", result.Network.HiddenWidths)}), layers {String.Join(",", result.LayerSequence)}, cube MSE {g4 e.CubeMse}, max irrelevant {g4 e.MaxIrrelevantWeight}, {seconds:F1} s{(if e.Verdict.Success then " - success" else "")}""")
            out.Flush())) |> ignore
    let wall = clock.Elapsed.TotalSeconds
    let neurons (r: SeedRow) = Seq.sum r.Result.Network.HiddenWidths
    let exact (r: SeedRow) = r.Evaluation.Verdict.Success
    let nearly (r: SeedRow) = r.Evaluation.CubeMse < 1e-6 && neurons r <= 7
    let count f = rows |> Array.filter f |> Array.length
    let md = StringBuilder()
    let line (s: string) = md.AppendLine s |> ignore
    line "# Neuron Pursuit on the hypercube demo: data seeds"
    line ""
    line $"n = {config.Samples} training points per seed; NP defaults except as in seed-*/run.json. Success = widths (4,2), layer sequence 1,2,1,1, cube MSE < 1e-6 on all 2^20 vertices, max |W1[:, x5..x20]| < 1e-3."
    line ""
    line "| data seed | widths | layer sequence | train MSE | cube MSE | max irrelevant weight | epochs | time (s) | exact (4,2) | exact fit, ≤ 1 extra neuron |"
    line "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for r in rows do
        line $"""| {r.Seed} | ({String.Join(",", r.Result.Network.HiddenWidths)}) | {String.Join(",", r.Result.LayerSequence)} | {g4 (2.0 * r.Result.FinalLoss)} | {g4 r.Evaluation.CubeMse} | {g4 r.Evaluation.MaxIrrelevantWeight} | {r.Result.TotalEpochs} | {r.Seconds:F1} | {yesNo (exact r)} | {yesNo (nearly r)} |"""
    line ""
    line $"Exact (4,2) hits (all four criteria): {count exact} of {rows.Length}."
    line $"Exact fits (cube MSE < 1e-6) with at most one extra neuron (≤ 7 hidden neurons): {count nearly} of {rows.Length}."
    line $"Wall time {wall:F1} s for all seeds ({o.Parallelism} at a time)."
    File.WriteAllText(Path.Combine(config.OutDir, "seeds.md"), md.ToString())
    let csv = StringBuilder("data_seed,widths,layer_sequence,train_mse,cube_mse,max_irrelevant_weight,epochs,seconds,exact_4_2,exact_fit_at_most_one_extra\n")
    let rt (x: float) = x.ToString("R", culture)
    for r in rows do
        csv.AppendLine(String.Join(",", [ string r.Seed; String.Join(";", r.Result.Network.HiddenWidths); String.Join(";", r.Result.LayerSequence)
                                          rt (2.0 * r.Result.FinalLoss); rt r.Evaluation.CubeMse; rt r.Evaluation.MaxIrrelevantWeight
                                          string r.Result.TotalEpochs; rt r.Seconds; string (exact r); string (nearly r) ])) |> ignore
    File.WriteAllText(Path.Combine(config.OutDir, "seeds.csv"), csv.ToString())
    out.WriteLine()
    out.Write(md.ToString())
    out.WriteLine($"output: {Path.GetFullPath config.OutDir} (seeds.md, seeds.csv, seed-*/)")
    0

/// `np pursue`: returns 0 after a run (the demo's verdict is reported, not an exit code); raises for bad input.
let run (argv: string[]) (args: ParseResults<PursueArgs>) (out: TextWriter) (err: TextWriter) =
    let config = PursueConfig.ofArgs args
    FlowConfig.createOutput config.OutDir
    match config.Mode with
    | Single -> single argv config out err
    | SeedRange(first, last) -> seeds argv config first last out
    | Ablations -> PursueAblations.run config out
