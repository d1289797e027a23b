#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
// Real data side by side (docs/pursuit.md): for each data set of data/ and five seeded 80/20 splits, Neuron Pursuit
// with validation (20 % of the training part, the best-validation iterate, patience 3; standardised inputs and a
// bias input) at depth 2 and 3, the depth chosen by the validation loss (model selection without the test data),
// gradient descent on a fixed width 16 (one hidden layer, as scikit-learn's MLPs) in this engine from a small and from a He initialisation with
// early stopping on the same validation part, and scikit-learn's linear models and MLPs (baselines.py, Debian's
// python3-sklearn) on the same splits. Reports test R² (regression) or accuracy (classification), hidden neurons and
// wall time; writes bench/real-data/RESULTS.md and results.csv.
// Run from the repository root after `dotnet fsi build.fsx pack` (the surface as a package from artifacts/):
//   dotnet fsi bench/real-data/run.fsx [SPLITS]
#r "nuget: NeuronPursuit.FSharp, 0.1.0"

open System
open System.Diagnostics
open System.IO
open System.Text
open System.Text.Json
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Core.Pursuit

let root = Path.GetFullPath(Path.Combine(__SOURCE_DIRECTORY__, "..", ".."))

let splits =
    match fsi.CommandLineArgs |> Array.skip 1 with
    | [| k |] -> int k
    | _ -> 5

let python =
    if File.Exists "/usr/bin/python3" then
        "/usr/bin/python3"
    else
        "python3"

/// The data sets: file, task.
let sets =
    [ "quakes.csv", "regression"
      "airquality.csv", "regression"
      "breast-cancer.csv", "classification" ]

type Row =
    { Data: string
      Split: int
      Method: string
      Score: float
      Hidden: int
      Seconds: float
      Linear: bool }

/// Test score of predictions on the label scale (regression: R²) or of scores H (classification: accuracy).
let score (model: PursuitModel) (test: DataSet<float>) =
    let m = snd (Pursuit.evaluate model test)
    if model.IsClassifier then m.Accuracy else m.R2

/// Neuron Pursuit with validation on the preprocessed training part, with `hidden` hidden layers; also returns the
/// returned network's validation loss (for choosing the depth without the test data).
let pursuit
    (hidden: int)
    (loss: ILoss)
    (names: string list)
    (label: string)
    (fit: DataSet<float>)
    (validation: DataSet<float>)
    (test: DataSet<float>)
    =
    let clock = Stopwatch.StartNew()
    let pre = Pursuit.preprocessing true true loss fit

    let options =
        PursuitOptions(Loss = loss, Patience = 3, MaxIterations = 16, MaxNeurons = 16, Parallelism = 2)

    let valid = pre.Apply validation

    let r =
        Pursuit.learn ignore null options hidden Activation.relu (pre.Apply fit) (Some valid)

    let model = Pursuit.model pre loss names label r

    let validationLoss =
        TrainingLoss.Create(loss, r.Network, valid).Value(ReadOnlySpan r.Weights)

    (score model test, Seq.sum r.Network.HiddenWidths, clock.Elapsed.TotalSeconds), validationLoss

/// GD on a fixed width 16 (one hidden layer) from w₀, early stopping: chunks of 500 epochs, the best validation loss kept, patience 10 chunks.
let gd
    (loss: ILoss)
    (names: string list)
    (label: string)
    (init: FeedForwardNetwork -> float[])
    (fit: DataSet<float>)
    (validation: DataSet<float>)
    (test: DataSet<float>)
    =
    let clock = Stopwatch.StartNew()
    let pre = Pursuit.preprocessing true true loss fit
    let train, valid = pre.Apply fit, pre.Apply validation
    let net = FeedForwardNetwork(pre.ModelDimension, [| 16 |], Activation.relu)
    let w = init net
    let options = PursuitOptions(Loss = loss)

    let validationLoss (w: float[]) =
        TrainingLoss.Create(loss, net, valid).Value(ReadOnlySpan w)

    let mutable best, bestW, since, chunks = validationLoss w, Array.copy w, 0, 0

    while since < 10 && chunks < 200 do
        let m = Pursuit.descend 500 options net train w
        chunks <- chunks + 1
        let v = validationLoss w

        if Double.IsFinite v && v < best then
            best <- v
            bestW <- Array.copy w
            since <- 0
        else
            since <- since + 1

        if m.Reason = InnerStopReason.Diverged then
            since <- 10

    let model = PursuitModel(net, bestW, pre, loss, List.toArray names, label)
    score model test, 16, clock.Elapsed.TotalSeconds

let smallInit (seed: int64) (net: FeedForwardNetwork) =
    Vec.gaussian seed 0.02 net.ParameterCount

let heInit (seed: int64) (net: FeedForwardNetwork) =
    let w = Array.zeroCreate<float> net.ParameterCount
    let random = NeuronPursuit.Core.Numerics.SeededRandom seed

    for b in net.Layout.Blocks do
        random.FillGaussian(Span(w, b.Offset, b.Count), sqrt (2.0 / float b.Columns))

    w

let baselines (task: string) (train: DataSet<float>) (test: DataSet<float>) (seed: int) (dataName: string) =
    let dir = Path.Combine(Path.GetTempPath(), $"np-real-data-{Guid.NewGuid():N}")
    Directory.CreateDirectory dir |> ignore

    let trainPath, testPath =
        Path.Combine(dir, "train.csv"), Path.Combine(dir, "test.csv")

    Data.writeCsv trainPath train
    Data.writeCsv testPath test

    let info =
        ProcessStartInfo(python, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)

    for a in
        [ Path.Combine(root, "bench", "real-data", "baselines.py")
          task
          trainPath
          testPath
          string seed ] do
        info.ArgumentList.Add a
    // The machine's OpenBLAS tuning variables are removed for this command only (fair NumPy timings).
    info.Environment.Remove "OPENBLAS_CORETYPE" |> ignore
    info.Environment.Remove "OPENBLAS_L2_SIZE" |> ignore
    use p = Process.Start info
    let output = p.StandardOutput.ReadToEnd()
    let errors = p.StandardError.ReadToEnd()
    p.WaitForExit()
    Directory.Delete(dir, true)

    if p.ExitCode <> 0 then
        failwith $"baselines.py failed: {errors}"

    [ for line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries) ->
          let e = JsonDocument.Parse(line).RootElement

          { Data = dataName
            Split = seed
            Method = "scikit-learn " + e.GetProperty("method").GetString()
            Score = e.GetProperty("score").GetDouble()
            Hidden = e.GetProperty("hidden").GetInt32()
            Seconds = e.GetProperty("seconds").GetDouble()
            Linear = e.GetProperty("linear").GetBoolean() } ]

let rows =
    [ for file, task in sets do
          let table = CsvDataReader.ReadTable(Path.Combine(root, "data", file))
          let raw = table.ToDataSet()
          let names = List.ofSeq table.Names |> List.take (table.Columns - 1)
          let label = table.Names.[table.Columns - 1]

          let loss =
              if task = "classification" then
                  LogisticLoss(LossNormalisation.Mean) :> ILoss
              else
                  Losses.SquareMean

          for seed in 1..splits do
              let struct (train, test) = DataSplit.Split(raw, 0.2, int64 seed)
              let struct (fit, validation) = DataSplit.Split(train, 0.2, int64 (100 + seed))

              let record methodName (s, hidden, seconds) =
                  { Data = file
                    Split = seed
                    Method = methodName
                    Score = s
                    Hidden = hidden
                    Seconds = seconds
                    Linear = false }

              let results =
                  let shallow, shallowLoss = pursuit 1 loss names label fit validation test
                  let deep, deepLoss = pursuit 2 loss names label fit validation test
                  let chosen = if deepLoss < shallowLoss then deep else shallow
                  let (_, _, s1), (_, _, s2) = shallow, deep
                  let selected = let (a, b, _) = chosen in (a, b, s1 + s2)

                  [ record "Neuron Pursuit (validation; depth 2 or 3 by validation loss)" selected
                    record "NP, depth 2 (one hidden layer)" shallow
                    record "NP, depth 3 (two hidden layers)" deep
                    record "GD (16), small init 0.02, early stopping" (gd loss names label (smallInit (int64 seed)) fit validation test)
                    record "GD (16), He init, early stopping" (gd loss names label (heInit (int64 seed)) fit validation test) ]
                  @ baselines task train test seed file

              for r in results do
                  printfn "%s split %d: %-45s %.4f  (%d hidden, %.2f s)" r.Data r.Split r.Method r.Score r.Hidden r.Seconds

              yield! results ]

let culture = Globalization.CultureInfo.InvariantCulture
let md = StringBuilder()
let line (s: string) = md.AppendLine s |> ignore
line "# Real data: Neuron Pursuit against GD on fixed widths and scikit-learn"
line ""
let today = DateTime.UtcNow.ToString("yyyy-MM-dd", culture)

line
    $"Produced by `dotnet fsi bench/real-data/run.fsx` ({today}). Data: data/README.md. {splits} seeded 80/20 splits per set (split seed k); within the 80 %%, a further 20 %% (seed 100 + k) is the validation part of NP and of the GD runs (scikit-learn's MLPs hold out 10 %% of their training data for early stopping themselves). Inputs standardised on the training part; NP and GD also get a constant input (bias) and, for regression, standardised labels; ReLU units; NP runs at depth 2 and 3 and the first row takes the one with the smaller validation loss (its time is both runs'); GD and scikit-learn's MLPs have one hidden layer. Score: test R² (regression) or accuracy (classification); mean ± standard deviation over the splits. Times are wall seconds on a shared 2-core machine (noisy)."

line ""

for file, task in sets do
    let byMethod =
        rows |> List.filter (fun r -> r.Data = file) |> List.groupBy (fun r -> r.Method)

    let stats (rs: Row list) =
        let s = rs |> List.map (fun r -> r.Score)
        let mean = List.average s
        mean, sqrt (s |> List.averageBy (fun x -> (x - mean) ** 2.0))

    line $"""## {file} ({task}; test {(if task = "regression" then "R²" else "accuracy")})"""
    line ""
    line "| method | mean score | sd | hidden neurons (mean) | time (s, mean) |"
    line "| --- | --- | --- | --- | --- |"

    for m, rs in byMethod do
        let mean, sd = stats rs

        line (
            String.Format(
                culture,
                "| {0} | {1:F4} | {2:F4} | {3:F1} | {4:F2} |",
                m,
                mean,
                sd,
                rs |> List.averageBy (fun r -> float r.Hidden),
                rs |> List.averageBy (fun r -> r.Seconds)
            )
        )

    let np =
        byMethod
        |> List.find (fun (m, _) -> m.StartsWith "Neuron")
        |> snd
        |> stats
        |> fst

    let bestLinear =
        byMethod
        |> List.filter (fun (_, rs) -> rs.Head.Linear)
        |> List.map (snd >> stats >> fst)
        |> List.max

    let bestMlp =
        byMethod
        |> List.filter (fun (m, _) -> m.Contains "MLP")
        |> List.map (snd >> stats >> fst)
        |> List.max

    let npHidden =
        byMethod
        |> List.find (fun (m, _) -> m.StartsWith "Neuron")
        |> snd
        |> List.map (fun r -> r.Hidden)
        |> List.max

    line ""

    line (
        String.Format(
            culture,
            "NP {0:F4} against the best linear model {1:F4} ({2}) and the best MLP {3:F4} (within 0.02: {4}); NP's largest network {5} hidden neurons (≤ 16: {6}).",
            np,
            bestLinear,
            (if np >= bestLinear then "at least as good" else "WORSE"),
            bestMlp,
            (if np >= bestMlp - 0.02 then "yes" else "NO"),
            npHidden,
            (if npHidden <= 16 then "yes" else "NO")
        )
    )

    line ""

let outDir = Path.Combine(root, "bench", "real-data")
File.WriteAllText(Path.Combine(outDir, "RESULTS.md"), md.ToString())
let csv = StringBuilder("data,split,method,score,hidden,seconds\n")

for r in rows do
    csv.Append(String.Format(culture, "{0},{1},\"{2}\",{3:R},{4},{5:F3}\n", r.Data, r.Split, r.Method, r.Score, r.Hidden, r.Seconds))
    |> ignore

File.WriteAllText(Path.Combine(outDir, "results.csv"), csv.ToString())
printfn "%s" (md.ToString())
