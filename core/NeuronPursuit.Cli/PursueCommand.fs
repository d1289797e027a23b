// SPDX-License-Identifier: MIT
/// `np pursue`: Neuron Pursuit (arXiv 2509.12154) on CSV data or on the authors' hypercube demo: one run, a range of
/// data seeds in parallel, or the ablation report. The demo's verdict is the np-demo check's (proofs-checks).
module NeuronPursuit.Cli.PursueCommand

open System
open System.Diagnostics
open System.Globalization
open System.IO
open System.Text
open System.Threading
open System.Threading.Tasks
open NeuronPursuit
open NeuronPursuit.Core.Pursuit
open NeuronPursuit.Core.Problems
open NeuronPursuit.Checks
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.CommandLine
open NeuronPursuit.Cli.PursueConfig
open NeuronPursuit.Cli.PursueOutput

let private culture = CultureInfo.InvariantCulture
let private g4 = Format.g4

/// The progress line fed by the minimisations' reports.
type private PursueProgress(line: ProgressLine.ProgressLine) =
    interface IProgress<PursuitProgress> with
        member _.Report p =
            line.Show $"""iteration {p.Iteration}, widths ({String.Join(",", p.Widths)}), epoch {p.Epoch}, loss {g4 p.Loss}"""

/// report.html of one run: the stop reason (and the demo's verdict), the configuration, the iterations, the figures.
let private htmlReport
    (argv: string[])
    (config: PursueConfig)
    (result: PursuitResult)
    (evaluation: NpDemo.Evaluation option)
    (dir: string)
    (wall: float)
    (files: string list)
    =
    let p = config.Problem
    let o = config.Options
    let stop = RunRecord.snakeCase (string result.StopReason)

    let kind =
        match result.StopReason with
        | PursuitStopReason.Diverged
        | PursuitStopReason.AllNeuronsInactive -> Bad
        | PursuitStopReason.Interrupted -> Neutral
        | _ -> Good

    let widths = "(" + String.Join(",", result.Network.HiddenWidths) + ")"

    Report.create $"np pursue: Neuron Pursuit on {p.DataSource}" [
        yield ReportBlock.Status(stop, kind, $"after {result.Iterations.Count} iterations, {result.TotalEpochs} epochs, {wall:F2} s")
        match diagnosis o.LearningRate result with
        | Some d -> yield Paragraph d
        | None -> ()
        match evaluation with
        | Some e ->
            let v = NpDemo.judge result e

            yield
                ReportBlock.Status(
                    v.Label,
                    Report.verdictKind v,
                    (if v.Reason = "" then
                         "the demo's headline numbers are reproduced"
                     else
                         v.Reason)
                )

            yield
                Pairs [
                    for l in NpDemo.lines result e ->
                        match l.IndexOf ':' with
                        | -1 -> l, ""
                        | k -> l.Substring(0, k), l.Substring(k + 1).Trim()
                ]
        | None -> ()
        yield Heading(2, "Result")
        yield
            Pairs [
                "final widths", widths
                "layer sequence", String.Join(", ", result.LayerSequence)
                "final loss (1/(2n))Σ(H − y)²", g4 result.FinalLoss
                "training MSE", g4 (2.0 * result.FinalLoss)
                "time", $"{wall:F2} s (candidate search {result.SearchSeconds:F2} s, minimisation {result.MinimiseSeconds:F2} s)"
            ]
        yield Heading(2, "Iterations")
        yield
            Rows
                { Columns =
                    [ "iteration"
                      "widths"
                      "layer values"
                      "added to"
                      "epochs"
                      "loss before"
                      "loss after"
                      "inner stop"
                      "2/λ_max" ]
                  Rows =
                    [ for it in result.Iterations ->
                          [ string it.Index
                            "(" + String.Join(",", it.Widths) + ")"
                            String.Join(" ", it.LayerValues |> Seq.map g4)
                            (if it.ChosenLayers.Count = 0 then
                                 "initial net"
                             else
                                 "L" + String.Join(",L", it.ChosenLayers))
                            string it.Minimisation.Epochs
                            g4 it.Minimisation.LossBefore
                            g4 it.Minimisation.LossAfter
                            RunRecord.snakeCase (string it.Minimisation.Reason)
                            (match Option.ofNullable it.Minimisation.Sharpness with
                             | Some s -> g4 s.StabilityLimit
                             | None -> "") ] ] }
        yield Heading(2, "Figures")
        yield! Report.imageFile "training loss against epochs; dashed lines: neurons added (layer)" (Path.Combine(dir, "loss.png"))
        yield! Report.imageFile "learned H and true f on the hypercube" (Path.Combine(dir, "cube.png"))
        yield Heading(2, "Configuration")
        yield
            Pairs [
                "data", $"{p.DataSource} (n = {p.Data.Count}, d = {p.Data.InputDimension})"
                "depth", string config.Depth
                "activation", p.Network.Activation.Specification
            ]
        yield
            Pairs [
                for KeyValue(k, v) in optionsRecord config ->
                    k,
                    (match v with
                     | null -> ""
                     | v -> string v)
            ]
        yield Heading(2, "Files and command")
        yield Paragraph(String.Join(", ", files))
        yield Code("np " + String.Join(" ", argv))
    ]

/// One run: console log per iteration, files, and for the demo its evaluation and verdict. Returns the exit code: 0
/// after a run, 1 when it diverged or its neurons all died, 130 when interrupted.
let private single argv (config: PursueConfig) (dir: string) (out: TextWriter) (err: TextWriter) =
    let o = config.Options
    let p = config.Problem

    let seedText =
        match config.DataSeed with
        | Some s -> $", data seed {s}"
        | None -> ""

    out.WriteLine($"data: {p.DataSource} (n = {p.Data.Count}, d = {p.Data.InputDimension}{seedText})")

    match config.ValidationSource with
    | Some source ->
        out.WriteLine(
            $"validation: {source}: {config.Training.Count} training, {config.Validation.Value.Count} validation samples; patience {o.Patience}"
        )
    | None -> ()

    if config.Preprocessing.Standardised || config.Preprocessing.Bias then
        out.WriteLine($"preprocessing: {config.Preprocessing.Describe()}")

    if not (config.Loss :? NeuronPursuit.Core.Objectives.SquareLoss) then
        out.WriteLine($"loss: {config.Loss.Specification}")

    let ones = String.Join(",", List.replicate (config.Depth - 1) 1)
    out.WriteLine($"network: bias-free feed-forward, depth {config.Depth}, {p.Network.Activation.Specification}, from widths ({ones})")

    out.WriteLine(
        $"NP: δ0 = {g4 o.InitialScale}, δ = {g4 o.NeuronScale}, η = {g4 o.LearningRate}, {o.Restarts} restarts × ≤ {o.Ascent.MaxSteps} ascent steps, seed {o.Seed}, {o.Parallelism} threads"
    )

    out.Flush()
    let line = ProgressLine.forConsole err "pursue"
    let clock = Stopwatch.StartNew()

    let report: IProgress<PursuitProgress> | null =
        match line with
        | Some l -> PursueProgress l
        | None -> null

    let onIteration it =
        line |> Option.iter (fun l -> l.Clear())

        stabilityWarning o.LearningRate it
        |> Option.iter (fun w -> err.WriteLine($"np: warning: {w}"))

        out.WriteLine(iterationLine it)
        out.Flush()

    let result =
        try
            Pursuit.learn onIteration report o (config.Depth - 1) p.Network.Activation config.Training config.Validation
        finally
            line |> Option.iter (fun l -> l.Clear())

    let wall = clock.Elapsed.TotalSeconds

    let model =
        Pursuit.model config.Preprocessing config.Loss config.InputNames config.LabelName result

    let metrics = learningMetrics config model
    // A network blown up in iteration 1 is no model: model.json and weights.csv are written for finite weights only.
    let modelFiles =
        if Array.forall Double.IsFinite result.Weights then
            writeModel dir model
        else
            []

    let files = writeRunFiles dir result config @ modelFiles
    let widths = String.Join(",", result.Network.HiddenWidths)
    let title = $"Neuron Pursuit on {p.DataSource}: widths ({widths})"
    // A blown-up or interrupted network is not evaluated on the cube (its weights may not even be finite).
    let evaluable =
        not (List.contains result.StopReason [ PursuitStopReason.Diverged; PursuitStopReason.Interrupted ])

    let evaluation =
        if config.IsDemo && evaluable then
            Some(NpDemo.evaluate result)
        else
            None

    let plots =
        [ Path.Combine(dir, "loss.png"), lossFigure title result
          if config.IsDemo && evaluable then
              Path.Combine(dir, "cube.png"), cubeFigure title result.Network result.Weights ]
        |> Figures.save err

    let allFiles = [ "run.json" ] @ files @ plots @ [ "report.html" ]
    RunRecord.write (Path.Combine(dir, "run.json")) (runRecord argv config p result wall evaluation (Some metrics) allFiles)
    Report.save (Path.Combine(dir, "report.html")) (htmlReport argv config result evaluation dir wall allFiles)
    let stop = RunRecord.snakeCase (string result.StopReason)
    out.WriteLine($"stopped: {stop} after {result.Iterations.Count} iterations, {result.TotalEpochs} epochs")

    match evaluation with
    | Some e ->
        for l in NpDemo.lines result e do
            out.WriteLine l
    | None ->
        out.WriteLine($"""final widths: ({widths}), layer sequence: {String.Join(", ", result.LayerSequence)}{pruneText result}""")

        if config.Validation.IsSome then
            out.WriteLine($"returned: the iterate of iteration {result.ReturnedIteration} (smallest validation loss)")

        for line in metricLines metrics do
            out.WriteLine line

    out.WriteLine($"time: {wall:F2} s (candidate search {result.SearchSeconds:F2} s, minimisation {result.MinimiseSeconds:F2} s)")
    out.WriteLine($"""output: {Path.GetFullPath config.OutDir} ({String.Join(", ", allFiles)})""")

    match result.StopReason, diagnosis o.LearningRate result with
    | PursuitStopReason.Interrupted, _ ->
        err.WriteLine($"np: interrupted in iteration {result.Iterations.Count} (results so far written to {config.OutDir})")
        130
    | _, Some d ->
        err.WriteLine($"np: {d} (results written to {config.OutDir})")
        1
    | _ -> 0

/// One seed's outcome in the seeds report.
type private SeedRow =
    { Seed: int64
      Result: PursuitResult
      Evaluation: NpDemo.Evaluation
      Seconds: float }

/// The demo for each data seed, `threads` runs at a time (each single-threaded; results do not depend on it).
let private seeds argv (config: PursueConfig) (dir: string) (first: int64) (last: int64) (out: TextWriter) (err: TextWriter) =
    let o = config.Options
    let seedList = [| first..last |]
    let gate = obj ()
    let clock = Stopwatch.StartNew()
    out.WriteLine($"running the hypercube demo for data seeds {first}..{last}, {o.Parallelism} at a time …")
    let rows = Array.zeroCreate<SeedRow> seedList.Length

    Parallel.For(
        0,
        seedList.Length,
        ParallelOptions(MaxDegreeOfParallelism = o.Parallelism),
        fun k ->
            // After Ctrl-C no seed starts; the running ones stop at their next epoch and are left out of the report.
            if not o.Cancellation.IsCancellationRequested then
                let seed = seedList.[k]
                let started = Stopwatch.StartNew()

                let seedSpec =
                    ProblemSpec(
                        Example = config.Spec.Example,
                        DataSeed = seed,
                        Samples = config.Spec.Samples,
                        Net = config.Spec.Net,
                        Widths = config.Spec.Widths,
                        Activation = config.Spec.Activation,
                        Loss = config.Spec.Loss
                    )

                let p = seedSpec.Build()
                let result = Pursuit.run (o.WithParallelism 1) p
                let seconds = started.Elapsed.TotalSeconds

                if result.StopReason <> PursuitStopReason.Interrupted then
                    let e = NpDemo.evaluate result
                    let seedDir = Path.Combine(dir, $"seed-{seed}")
                    Directory.CreateDirectory seedDir |> ignore

                    let files =
                        writeRunFiles seedDir result config
                        @ writeModel seedDir (Pursuit.model config.Preprocessing config.Loss config.InputNames config.LabelName result)

                    let seedConfig =
                        { config with
                            Spec = seedSpec
                            Problem = p
                            DataSeed = Some seed }

                    RunRecord.write
                        (Path.Combine(seedDir, "run.json"))
                        (runRecord argv seedConfig p result seconds (Some e) None ("run.json" :: files))

                    rows.[k] <-
                        { Seed = seed
                          Result = result
                          Evaluation = e
                          Seconds = seconds }

                    lock gate (fun () ->
                        out.WriteLine(
                            $"""  seed {seed}: widths ({String.Join(",", result.Network.HiddenWidths)}), layers {String.Join(",", result.LayerSequence)}, pruned {result.Removed.Count}, cube MSE {g4 e.CubeMse}, max irrelevant {g4 e.MaxIrrelevantWeight}, {seconds:F1} s{(if e.Verdict.Success then " - success" else "")}"""
                        )

                        out.Flush())
    )
    |> ignore

    let interrupted = rows |> Array.exists (fun r -> obj.ReferenceEquals(r, null))
    let rows = rows |> Array.filter (fun r -> not (obj.ReferenceEquals(r, null)))
    let wall = clock.Elapsed.TotalSeconds
    let neurons (r: SeedRow) = Seq.sum r.Result.Network.HiddenWidths
    let exact (r: SeedRow) = r.Evaluation.Verdict.Success

    let authors (r: SeedRow) =
        r.Evaluation.Verdict.Success && r.Evaluation.Verdict.AuthorsPath

    let nearly (r: SeedRow) =
        r.Evaluation.CubeMse < 1e-6 && neurons r <= 7

    let count f = rows |> Array.filter f |> Array.length
    let md = StringBuilder()
    let line (s: string) = md.AppendLine s |> ignore
    line "# Neuron Pursuit on the hypercube demo: data seeds"
    line ""

    line
        $"n = {config.Problem.Data.Count} training points per seed; NP defaults except as in seed-*/run.json. Exact = widths no wider than the target's (4,2) in every layer, cube MSE < 1e-6 on all 2^20 vertices, max |W1[:, x5..x20]| < 1e-3 (the np-demo check's criterion). Authors' path = exact with widths (4,2), the final neurons added to layers 1,2,1,1. The layer sequence lists the additions; pruned neurons are named."

    line ""

    line
        "| data seed | widths | layer sequence | pruned | train MSE | cube MSE | max irrelevant weight | epochs | time (s) | exact | authors' path | exact fit, ≤ 1 extra neuron |"

    line "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"

    for r in rows do
        let pruned =
            String.Join(" ", r.Result.Removed |> Seq.map (fun struct (l, k) -> $"L{l}@{k}"))

        line
            $"""| {r.Seed} | ({String.Join(",", r.Result.Network.HiddenWidths)}) | {String.Join(",", r.Result.LayerSequence)} | {pruned} | {g4 (2.0 * r.Result.FinalLoss)} | {g4 r.Evaluation.CubeMse} | {g4 r.Evaluation.MaxIrrelevantWeight} | {r.Result.AllEpochs} | {r.Seconds:F1} | {yesNo (exact r)} | {yesNo (authors r)} | {yesNo (nearly r)} |"""

    line ""
    line $"Exact (widths no wider than (4,2), cube MSE < 1e-6, sparse): {count exact} of {rows.Length}."
    line $"Authors' path (exact with widths (4,2) by layers 1,2,1,1): {count authors} of {rows.Length}."
    line $"Exact fits (cube MSE < 1e-6) with at most one extra neuron (≤ 7 hidden neurons): {count nearly} of {rows.Length}."
    line $"Wall time {wall:F1} s for all seeds ({o.Parallelism} at a time)."

    if interrupted then
        line $"Interrupted (Ctrl-C): {rows.Length} of {seedList.Length} seeds completed."

    File.WriteAllText(Path.Combine(dir, "seeds.md"), md.ToString())

    let csv =
        StringBuilder(
            "data_seed,widths,layer_sequence,train_mse,cube_mse,max_irrelevant_weight,epochs,seconds,exact_4_2,exact_fit_at_most_one_extra,exact,pruned\n"
        )

    let rt (x: float) = x.ToString("R", culture)

    for r in rows do
        csv.AppendLine(
            String.Join(
                ",",
                [ string r.Seed
                  String.Join(";", r.Result.Network.HiddenWidths)
                  String.Join(";", r.Result.LayerSequence)
                  rt (2.0 * r.Result.FinalLoss)
                  rt r.Evaluation.CubeMse
                  rt r.Evaluation.MaxIrrelevantWeight
                  string r.Result.TotalEpochs
                  rt r.Seconds
                  string (authors r)
                  string (nearly r)
                  string (exact r)
                  String.Join(";", r.Result.Removed |> Seq.map (fun struct (l, k) -> $"L{l}@{k}")) ]
            )
        )
        |> ignore

    File.WriteAllText(Path.Combine(dir, "seeds.csv"), csv.ToString())
    out.WriteLine()
    out.Write(md.ToString())
    out.WriteLine($"output: {Path.GetFullPath config.OutDir} (seeds.md, seeds.csv, seed-*/)")

    if interrupted then
        err.WriteLine($"np: interrupted after {rows.Length} of {seedList.Length} seeds (results so far written to {config.OutDir})")
        130
    else
        0

/// `np pursue`: returns 0 after a run (the demo's verdict is reported, not an exit code), 1 when it diverged or its
/// neurons all died, 130 when interrupted (what was computed is written); raises for bad input, before writing anything.
let run (argv: string[]) (args: Parsed) (out: TextWriter) (err: TextWriter) (cancellation: CancellationToken) =
    let config = PursueConfig.ofArgs args

    let config =
        { config with
            Options = config.Options.WithCancellation cancellation }

    use folder = OutputFolder.create config.OutDir (args.Has PursueArgs.overwrite)

    let code =
        match config.Mode with
        | Single -> single argv config folder.Path out err
        | SeedRange(first, last) -> seeds argv config folder.Path first last out err
        | Ablations -> PursueAblations.run config folder.Path out err

    folder.Commit()
    code
