// SPDX-License-Identifier: MIT
/// What `np pursue` writes: the per-iteration console lines, run.json (kind "pursue"), iterations.csv, loss.csv,
/// weights.csv and the PNG plots.
module NeuronPursuit.Cli.PursueOutput

open System
open System.IO
open System.Text
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Pursuit
open NeuronPursuit.Checks
open NeuronPursuit.Cli.Inputs
open NeuronPursuit.Cli.PursueConfig

let private g4 = Format.g4
let private r = Format.roundTrip
let private widthsText (w: int seq) = "(" + String.Join(",", w) + ")"

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
      /// converged | loss_floor | epoch_cap | diverged | interrupted.
      StopReason: string
      SearchSeconds: float
      MinimiseSeconds: float
      /// λ_max of ∇²ℒ at the start of the minimisation (iteration 1, and any that diverged), else null.
      Sharpness: float option
      /// 2/λ_max: GD with η at or above it is unstable at the start of the minimisation; null when not estimated.
      StabilityLimit: float option }

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
      MinimiseSeconds = it.MinimiseSeconds
      Sharpness = it.Minimisation.Sharpness |> Option.ofNullable |> Option.map (fun e -> e.Value)
      StabilityLimit = it.Minimisation.Sharpness |> Option.ofNullable |> Option.map (fun e -> e.StabilityLimit) }

/// `settings` of a pursue run: the depth and every option under its flag's name, defaults included.
type PursueSettings =
    { Depth: int; Mode: string; Options: Map<string, obj | null>; NcfNormalisation: string; ConfigFile: string option }

/// The options by their flag names (without dashes, '_' for '-').
let optionsRecord (config: PursueConfig) =
    let o = config.Options
    [ "delta0", box o.InitialScale; "delta", box o.NeuronScale; "eta", box o.LearningRate; "initial_sign", box o.InitialSign
      "restarts", box o.Restarts; "ascent_steps", box o.Ascent.MaxSteps; "kkt_tol", box o.Ascent.KktTolerance
      "decrease_factor", box o.DecreaseFactor; "stop_window", box o.StopWindow; "relative_change", box o.RelativeChange
      "loss_floor", box o.LossFloor; "max_epochs", box o.MaxEpochs; "loss_tol", box o.LossTolerance; "value_tol", box o.ValueTolerance
      "max_iterations", box o.MaxIterations; "max_neurons", box o.MaxNeurons; "neurons_per_iteration", box o.NeuronsPerIteration
      "directions", box (RunRecord.snakeCase (string o.Directions)); "minimiser", box (if o.Minimiser = MinimiserKind.GradientDescent then "gd" else "flow")
      "flow_method", box o.FlowMethod; "seed", box o.Seed; "threads", box o.Parallelism
      "baseline_epochs", box config.BaselineEpochs; "wide_epochs", box config.WideEpochs ]
    |> Map.ofList

/// `result` of a pursue run.
type PursueResultRecord =
    { /// loss_tolerance | no_candidate | max_iterations | neuron_budget | diverged | all_neurons_inactive | interrupted.
      StopReason: string
      /// For diverged and all_neurons_inactive runs: the likely cause and the remedy, in one line; else null.
      Diagnosis: string option
      Iterations: int
      FinalWidths: int list
      /// The final network, e.g. "ff d=20 widths=4,2 relu".
      Network: string
      Parameters: int
      LayerSequence: int list
      /// ℒ = (1/(2n))Σ(H − y)².
      FinalLoss: float
      /// (1/n)Σ(H − y)² = 2ℒ.
      TrainMse: float
      TotalEpochs: int64
      WallTimeSeconds: float
      SearchSeconds: float
      MinimiseSeconds: float
      /// The demo's evaluation (--example hypercube), else null.
      Evaluation: NpDemo.Evaluation option
      /// The np-demo check's verdict (--example hypercube), else null.
      Verdict: string option
      /// The per-iteration log.
      IterationLog: IterationRecord list }

/// Where the minimisation of an iteration starts, in words.
let private startOf (it: PursuitIteration) =
    if it.Index = 1 then "the initial network" else $"the start of iteration {it.Index}"

/// The one-line warning when η is not below the stability limit 2/λ_max at the start of a minimisation, else None.
let stabilityWarning (eta: float) (it: PursuitIteration) =
    match Option.ofNullable it.Minimisation.Sharpness with
    | Some s when eta >= s.StabilityLimit ->
        Some $"η = {g4 eta} is not below 2/λ_max ≈ {g4 s.StabilityLimit} at {startOf it} (λ_max ≈ {g4 s.Value} of the loss Hessian): gradient descent is unstable there; --eta below {g4 s.StabilityLimit} is."
    | _ -> None

/// For a run that diverged or whose neurons all died: the likely cause and the remedy in one line; else None.
let diagnosis (eta: float) (result: PursuitResult) =
    let last = result.Iterations.[result.Iterations.Count - 1]
    let m = last.Minimisation
    match result.StopReason with
    | PursuitStopReason.Diverged ->
        let growth = $"the loss grew from {g4 m.LossBefore} to {g4 m.LossAfter} in {m.Epochs} epochs of iteration {last.Index}"
        match Option.ofNullable m.Sharpness with
        | Some s when eta >= s.StabilityLimit ->
            Some $"diverged: {growth}; η = {g4 eta} exceeds 2/λ_max ≈ {g4 s.StabilityLimit} at {startOf last}; use --eta below {g4 s.StabilityLimit}."
        | Some s ->
            Some $"diverged: {growth} although η = {g4 eta} is below 2/λ_max ≈ {g4 s.StabilityLimit} at {startOf last}: the curvature grew during the descent; use a smaller --eta (or --minimiser flow with an adaptive --flow-method)."
        | None -> Some $"diverged: {growth}; the weights are no longer finite; use a smaller --eta."
    | PursuitStopReason.AllNeuronsInactive ->
        Some $"every neuron is inactive on the data after iteration {last.Index}: the output is 0 on all samples, the gradient vanishes and the loss is stuck at (1/(2n))Σy² = {g4 result.FinalLoss}; this is no fit: use a smaller --eta (now {g4 eta}) or another --seed."
    | _ -> None

/// run.json of one pursue run.
let runRecord argv (config: PursueConfig) (problem: Problem) (result: PursuitResult) wall (evaluation: NpDemo.Evaluation option) files =
    let spec = NeuronPursuit.Core.Problems.ProblemSpec(Example = config.Spec.Example, Data = config.Spec.Data,
                                                       DataSeed = (config.DataSeed |> Option.toNullable), Samples = config.Spec.Samples,
                                                       Net = config.Spec.Net, Widths = config.Spec.Widths, Activation = config.Spec.Activation, Loss = config.Spec.Loss)
    RunRecord.create "pursue" argv (Some(RunRecord.problemRecord spec problem None))
        { Depth = config.Depth
          Mode = (match config.Mode with Single -> "single" | SeedRange _ -> "seeds" | Ablations -> "ablations")
          Options = optionsRecord config
          NcfNormalisation = "1/n"
          ConfigFile = config.ConfigFile }
        { StopReason = RunRecord.snakeCase (string result.StopReason)
          Diagnosis = diagnosis config.Options.LearningRate result
          Iterations = result.Iterations.Count
          FinalWidths = List.ofSeq result.Network.HiddenWidths
          Network = result.Network.Specification
          Parameters = result.Network.ParameterCount
          LayerSequence = List.ofSeq result.LayerSequence
          FinalLoss = result.FinalLoss
          TrainMse = 2.0 * result.FinalLoss
          TotalEpochs = result.TotalEpochs
          WallTimeSeconds = wall
          SearchSeconds = result.SearchSeconds
          MinimiseSeconds = result.MinimiseSeconds
          Evaluation = evaluation
          Verdict = evaluation |> Option.map (fun e -> (NpDemo.judge result e).Label)
          IterationLog = [ for it in result.Iterations -> iterationRecord it ] }
        files

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

/// loss.png: the loss against epochs on a logarithmic axis, a dashed vertical line at each addition labelled with its layer.
let plotLoss (path: string) (title: string) (result: PursuitResult) =
    let epochs, losses, additions = lossSeries result
    Plot.figure title "epoch (full-batch GD step)" "training loss (1/(2n))Σ(H − y)²" [ Plot.line "training loss" epochs losses ]
    |> Plot.logY
    |> Plot.withMarkers [ for epoch, layers in additions -> epoch, "+L" + String.Join(",L", layers) ]
    |> Plot.size 900 500
    |> Plot.save path
    |> ignore

/// Stride of the cube plot's subsample: every 257th vertex (odd, so every coordinate varies): 4081 vertices.
let cubeStride = 257

/// cube.png: learned H and true f at every 257th vertex in lexicographic order.
let plotCube (path: string) (title: string) (net: FeedForwardNetwork) (w: float[]) =
    let struct (index, learned, target) = HypercubeEvaluation.Subsample(net, ReadOnlySpan w, cubeStride)
    let xs = Array.map float index
    Plot.figure title $"vertex index, lexicographic from (1,…,1) (every {cubeStride}th of 2^20: {index.Length} vertices)" "value"
        [ Plot.circles "true f" xs target; Plot.points "learned H" xs learned ]
    |> Plot.linearY
    |> Plot.size 1000 450
    |> Plot.save path
    |> ignore

/// Runs a plot, reporting a failure (e.g. no native graphics library) as a warning; returns the file name if written.
let tryPlot (err: TextWriter) (dir: string) (file: string) (draw: string -> unit) =
    try
        draw (Path.Combine(dir, file))
        Some file
    with e ->
        err.WriteLine($"np: warning: {file} not written: {oneLine e}")
        None

/// weights.csv, iterations.csv and loss.csv of a run.
let writeRunFiles (dir: string) (result: PursuitResult) (config: PursueConfig) =
    let path file = Path.Combine(dir, file)
    WeightsFile.Write<float>(path "weights.csv", ReadOnlySpan result.Weights, [| result.Network.Specification |])
    writeIterationsCsv (path "iterations.csv") result (config.Depth - 1)
    writeLossCsv (path "loss.csv") result
    [ "weights.csv"; "iterations.csv"; "loss.csv" ]

/// yes or NO.
let yesNo b = if b then "yes" else "NO"
