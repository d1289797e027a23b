// SPDX-License-Identifier: MIT
/// What `np pursue` writes: the per-iteration console lines, run.json (schema below, snake_case, fields only
/// ever added), iterations.csv, loss.csv, weights.csv and the PNG plots, and the demo's evaluation and verdict.
module NeuronPursuit.Cli.PursueOutput

open System
open System.Globalization
open System.IO
open System.Text
open System.Text.Json
open System.Text.Json.Serialization
open ScottPlot
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Pursuit
open NeuronPursuit.Cli.Inputs
open NeuronPursuit.Cli.PursueConfig

let private culture = CultureInfo.InvariantCulture
let private g4 (x: float) = x.ToString("G4", culture)
let private widthsText (w: int seq) = "(" + String.Join(",", w) + ")"

/// The demo's success criteria (digest `neuron-pursuit.md` §6 item 3) and the measured numbers.
type Verdict =
    { Widths: bool
      Sequence: bool
      CubeMse: bool
      IrrelevantWeights: bool
      Success: bool }

/// The demo's evaluation on the cube.
type Evaluation =
    { /// MSE (1/2²⁰)Σ(H − f)² on all 2²⁰ vertices.
      CubeMse: float
      CubeMaxError: float
      /// max |W₁[:, 4:]|, the weights on x5..x20.
      MaxIrrelevantWeight: float
      /// Neurons with ‖in‖·‖out‖ > 1e-2, per hidden layer.
      EffectiveNeurons: int list
      Verdict: Verdict }

/// Evaluates a hypercube result: cube error, irrelevant weights, verdict.
let evaluate (result: PursuitResult) =
    let net, w = result.Network, result.Weights
    let cube = HypercubeEvaluation.OnAllVertices(net, ReadOnlySpan w)
    let irrelevant = NetworkStatistics.MaxInputWeight(net, ReadOnlySpan w, HypercubeExample.RelevantInputs)
    let widths = List.ofSeq net.HiddenWidths = [ 4; 2 ]
    let sequence = List.ofSeq result.LayerSequence = [ 1; 2; 1; 1 ]
    let mse = cube.MeanSquaredError < 1e-6
    let sparse = irrelevant < 1e-3
    { CubeMse = cube.MeanSquaredError
      CubeMaxError = cube.MaxAbsoluteError
      MaxIrrelevantWeight = irrelevant
      EffectiveNeurons = List.ofArray (NetworkStatistics.EffectiveNeurons(net, ReadOnlySpan w))
      Verdict = { Widths = widths; Sequence = sequence; CubeMse = mse; IrrelevantWeights = sparse; Success = widths && sequence && mse && sparse } }

/// One line per iteration on the console.
let iterationLine (it: PursuitIteration) =
    let m = it.Minimisation
    let values = String.Join(" ", it.LayerValues |> Seq.mapi (fun l v -> if it.Index = 1 then $"N(u*) {g4 v}" else $"L{l + 1} {g4 v}"))
    let chosen = if it.ChosenLayers.Count = 0 then "initial net" else "add to L" + String.Join(",L", it.ChosenLayers)
    $"iteration {it.Index}: widths {widthsText it.Widths}  values {values}  {chosen}  epochs {m.Epochs}  loss {g4 m.LossBefore} -> {g4 m.LossAfter} ({RunRecord.snakeCase (string m.Reason)})  search {it.SearchSeconds:F2} s, minimise {it.MinimiseSeconds:F2} s"

/// A neuron added, in run.json.
type AddedRecord = { Layer: int; Index: int; Incoming: float list; Outgoing: float list; Value: float; KktResidual: float }

/// One iteration in run.json.
type IterationRecord =
    { Index: int
      WidthsBefore: int list
      Widths: int list
      /// Best candidate value N_l (1/n) per hidden layer; iteration 1: N(u*) of the initial net.
      LayerValues: float list
      ChosenLayers: int list
      Added: AddedRecord list
      /// Iteration 1: δ₀·u*; else null.
      InitialWeights: float list option
      Epochs: int64
      EpochOffset: int64
      LossBefore: float
      LossAfter: float
      /// converged | loss_floor | epoch_cap | diverged.
      StopReason: string
      SearchSeconds: float
      MinimiseSeconds: float }

let iterationRecord (it: PursuitIteration) : IterationRecord =
    { Index = it.Index
      WidthsBefore = List.ofSeq it.WidthsBefore
      Widths = List.ofSeq it.Widths
      LayerValues = List.ofSeq it.LayerValues
      ChosenLayers = List.ofSeq it.ChosenLayers
      Added =
        [ for a in it.Added ->
              { Layer = a.Layer; Index = a.Index; Incoming = List.ofArray a.Incoming; Outgoing = List.ofArray a.Outgoing
                Value = a.Value; KktResidual = a.KktResidual } ]
      InitialWeights = it.InitialWeights |> Option.ofObj |> Option.map List.ofArray
      Epochs = it.Minimisation.Epochs
      EpochOffset = it.EpochOffset
      LossBefore = it.Minimisation.LossBefore
      LossAfter = it.Minimisation.LossAfter
      StopReason = RunRecord.snakeCase (string it.Minimisation.Reason)
      SearchSeconds = it.SearchSeconds
      MinimiseSeconds = it.MinimiseSeconds }

/// Every option with its value (defaults included).
type OptionsRecord =
    { Delta0: float; Delta: float; Eta: float; Loss: string; NcfNormalisation: string; InitialSign: int; Restarts: int
      AscentSteps: int; KktTol: float; DecreaseFactor: float; StopWindow: int; RelativeChange: float; LossFloor: float
      MaxEpochs: int; LossTol: float; ValueTol: float; MaxIterations: int; MaxNeurons: int; NeuronsPerIteration: int
      Directions: string; Minimiser: string; FlowMethod: string; Seed: int64; Threads: int; ConfigFile: string option }

let optionsRecord (config: PursueConfig) =
    let o = config.Options
    { Delta0 = o.InitialScale; Delta = o.NeuronScale; Eta = o.LearningRate; Loss = "(1/(2n)) sum (H - y)^2"
      NcfNormalisation = "1/n"; InitialSign = o.InitialSign; Restarts = o.Restarts; AscentSteps = o.Ascent.MaxSteps
      KktTol = o.Ascent.KktTolerance; DecreaseFactor = o.DecreaseFactor; StopWindow = o.StopWindow
      RelativeChange = o.RelativeChange; LossFloor = o.LossFloor; MaxEpochs = o.MaxEpochs; LossTol = o.LossTolerance
      ValueTol = o.ValueTolerance; MaxIterations = o.MaxIterations; MaxNeurons = o.MaxNeurons
      NeuronsPerIteration = o.NeuronsPerIteration; Directions = RunRecord.snakeCase (string o.Directions)
      Minimiser = (if o.Minimiser = MinimiserKind.GradientDescent then "gd" else "flow"); FlowMethod = o.FlowMethod
      Seed = o.Seed; Threads = o.Parallelism; ConfigFile = config.ConfigFile }

/// The data in run.json.
type PursueDataRecord = { Source: string; Samples: int; InputDimension: int; DataSeed: int64 option }

/// The network in run.json.
type PursueNetworkRecord = { Depth: int; Activation: string; InitialWidths: int list; FinalWidths: int list; Parameters: int; Specification: string }

/// The outcome in run.json.
type PursueResultRecord =
    { /// loss_tolerance | no_candidate | max_iterations | neuron_budget.
      StopReason: string
      Iterations: int
      LayerSequence: int list
      /// ℒ = (1/(2n))Σ(H − y)².
      FinalLoss: float
      /// (1/n)Σ(H − y)² = 2ℒ.
      TrainMse: float
      TotalEpochs: int64
      WallTimeSeconds: float
      SearchSeconds: float
      MinimiseSeconds: float }

/// run.json of `np pursue`.
type PursueRunRecord =
    { Command: string list
      Versions: RunRecord.VersionsRecord
      CreatedUtc: string
      Data: PursueDataRecord
      Network: PursueNetworkRecord
      Options: OptionsRecord
      Result: PursueResultRecord
      /// The demo's evaluation (--example hypercube), else null.
      Evaluation: Evaluation option
      Iterations: IterationRecord list
      Files: string list }

let jsonOptions =
    JsonSerializerOptions(WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                          NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)

let versions () : RunRecord.VersionsRecord =
    { Np = Versions.np; Core = Versions.core; Dotnet = Versions.dotnet; GitRevision = Versions.gitRevision () }

let runRecord argv (config: PursueConfig) (data: DataSet<float>) (dataSeed: int64 option) (result: PursuitResult) wall evaluation files =
    { Command = List.ofArray argv
      Versions = versions ()
      CreatedUtc = DateTime.UtcNow.ToString("o", culture)
      Data = { Source = config.DataSource; Samples = data.Count; InputDimension = data.InputDimension; DataSeed = dataSeed }
      Network =
        { Depth = config.Depth; Activation = config.ActivationSpec; InitialWidths = List.replicate (config.Depth - 1) 1
          FinalWidths = List.ofSeq result.Network.HiddenWidths; Parameters = result.Network.ParameterCount
          Specification = result.Network.Specification }
      Options = optionsRecord config
      Result =
        { StopReason = RunRecord.snakeCase (string result.StopReason); Iterations = result.Iterations.Count
          LayerSequence = List.ofSeq result.LayerSequence; FinalLoss = result.FinalLoss; TrainMse = 2.0 * result.FinalLoss
          TotalEpochs = result.TotalEpochs; WallTimeSeconds = wall; SearchSeconds = result.SearchSeconds
          MinimiseSeconds = result.MinimiseSeconds }
      Evaluation = evaluation
      Iterations = [ for it in result.Iterations -> iterationRecord it ]
      Files = files }

let writeJson (path: string) (value: 'a) = File.WriteAllText(path, JsonSerializer.Serialize(value, jsonOptions) + "\n")

let private r (x: float) = x.ToString("R", culture)
let private list (xs: float seq) = String.Join(";", xs |> Seq.map r)

/// iterations.csv: one row per iteration; lists inside a field are ';'-separated.
let writeIterationsCsv (path: string) (result: PursuitResult) (hiddenLayers: int) =
    let sb = StringBuilder()
    let valueColumns = [ for l in 1..hiddenLayers -> $"value_l{l}" ]
    sb.AppendLine(String.Join(",", [ "iteration"; "widths" ] @ valueColumns @ [ "chosen_layers"; "epochs"; "epoch_offset"; "loss_before"; "loss_after"; "stop_reason"; "search_seconds"; "minimise_seconds"; "new_incoming"; "new_outgoing" ])) |> ignore
    for it in result.Iterations do
        let values = if it.Index = 1 then List.replicate hiddenLayers "" else [ for v in it.LayerValues -> r v ]
        let added = it.Added |> Seq.toList
        let fields =
            [ string it.Index; String.Join(";", it.Widths) ] @ values
            @ [ String.Join(";", it.ChosenLayers); string it.Minimisation.Epochs; string it.EpochOffset; r it.Minimisation.LossBefore
                r it.Minimisation.LossAfter; RunRecord.snakeCase (string it.Minimisation.Reason); r it.SearchSeconds; r it.MinimiseSeconds
                String.Join("|", added |> List.map (fun a -> list a.Incoming)); String.Join("|", added |> List.map (fun a -> list a.Outgoing)) ]
        sb.AppendLine(String.Join(",", fields)) |> ignore
    File.WriteAllText(path, sb.ToString())

/// The loss against global epochs, and the epochs at which neurons were added.
let lossSeries (result: PursuitResult) =
    let epochs, losses =
        [| for it in result.Iterations do
               for k in 0 .. it.Minimisation.LossEpochs.Count - 1 ->
                   float (it.EpochOffset + it.Minimisation.LossEpochs.[k]), it.Minimisation.LossValues.[k] |]
        |> Array.unzip
    let additions = [| for it in result.Iterations do if it.Index > 1 then yield float it.EpochOffset, it.ChosenLayers |]
    epochs, losses, additions

/// loss.csv: epoch, loss (every 100 epochs and at each iteration's end).
let writeLossCsv (path: string) (result: PursuitResult) =
    let epochs, losses, _ = lossSeries result
    let sb = StringBuilder("epoch,loss\n")
    for k in 0 .. epochs.Length - 1 do sb.Append(r epochs.[k]).Append(',').Append(r losses.[k]).Append('\n') |> ignore
    File.WriteAllText(path, sb.ToString())

/// loss.png: log₁₀ loss against epochs, a dashed vertical line at each addition labelled with its layer.
let plotLoss (path: string) (title: string) (result: PursuitResult) =
    let epochs, losses, additions = lossSeries result
    let keep = Array.zip epochs losses |> Array.filter (fun (_, l) -> l > 0.0 && Double.IsFinite l)
    use plot = new Plot()
    let line = plot.Add.Scatter(Array.map fst keep, Array.map (snd >> Math.Log10) keep)
    line.MarkerSize <- 0.0f
    line.LineWidth <- 1.5f
    line.LegendText <- "training loss (1/(2n))Σ(H − y)²"
    for epoch, layers in additions do
        let v = plot.Add.VerticalLine(epoch)
        v.LinePattern <- LinePattern.Dashed
        v.Color <- Colors.Gray
        v.Text <- "+L" + String.Join(",L", layers)
        v.LabelOppositeAxis <- true
    plot.Title title
    plot.XLabel "epoch (full-batch GD step)"
    plot.YLabel "log10 loss"
    plot.ShowLegend(Edge.Bottom) |> ignore
    plot.SavePng(path, 900, 500) |> ignore

/// Stride of the cube plot's subsample: every 257th vertex (odd, so every coordinate varies): 4081 vertices.
let cubeStride = 257

/// cube.png: learned H and true f at every 257th vertex in lexicographic order.
let plotCube (path: string) (title: string) (net: FeedForwardNetwork) (w: float[]) =
    let struct (index, learned, target) = HypercubeEvaluation.Subsample(net, ReadOnlySpan w, cubeStride)
    let xs = Array.map float index
    use plot = new Plot()
    let t = plot.Add.Scatter(xs, target)
    t.LineWidth <- 0.0f
    t.MarkerSize <- 7.0f
    t.MarkerShape <- MarkerShape.OpenCircle
    t.LegendText <- "true f"
    let l = plot.Add.Scatter(xs, learned)
    l.LineWidth <- 0.0f
    l.MarkerSize <- 3.0f
    l.MarkerShape <- MarkerShape.FilledCircle
    l.LegendText <- "learned H"
    plot.Title title
    plot.XLabel $"vertex index, lexicographic from (1,…,1) (every {cubeStride}th of 2^20: {index.Length} vertices)"
    plot.YLabel "value"
    plot.ShowLegend(Edge.Bottom) |> ignore
    plot.SavePng(path, 1000, 450) |> ignore

/// Runs a plot, reporting a failure (e.g. no native graphics library) as a warning; returns the file name if written.
let tryPlot (err: TextWriter) (dir: string) (file: string) (draw: string -> unit) =
    try
        draw (Path.Combine(dir, file))
        Some file
    with e ->
        err.WriteLine($"np: warning: {file} not written: {oneLine e}")
        None

let yesNo b = if b then "yes" else "NO"

/// The verdict lines of the demo.
let verdictLines (result: PursuitResult) (e: Evaluation) =
    let v = e.Verdict
    [ $"final widths: {widthsText result.Network.HiddenWidths} (target (4,2): {yesNo v.Widths})"
      $"""layer sequence: {String.Join(", ", result.LayerSequence)} (target 1, 2, 1, 1: {yesNo v.Sequence})"""
      $"training MSE: {g4 (2.0 * result.FinalLoss)} (loss (1/(2n))Σ(H-y)^2 = {g4 result.FinalLoss})"
      $"cube MSE on all 2^20 vertices: {g4 e.CubeMse}, max |error| {g4 e.CubeMaxError} (< 1e-6: {yesNo v.CubeMse})"
      $"max |weight| on x5..x20: {g4 e.MaxIrrelevantWeight} (< 1e-3: {yesNo v.IrrelevantWeights})"
      (if v.Success then "verdict: SUCCESS - the demo's headline numbers are reproduced"
       else "verdict: NOT REPRODUCED - see the criteria above") ]
