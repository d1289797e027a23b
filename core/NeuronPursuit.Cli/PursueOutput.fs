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

    let values =
        String.Join(
            " ",
            it.LayerValues
            |> Seq.mapi (fun l v -> if it.Index = 1 then $"N(u*) {g4 v}" else $"L{l + 1} {g4 v}")
        )

    let chosen =
        if it.ChosenLayers.Count = 0 then
            "initial net"
        else
            "add to L" + String.Join(",L", it.ChosenLayers)

    let clarke =
        if it.LayerClarke.Count = 0 then
            ""
        else
            "  Clarke " + String.Join(" ", it.LayerClarke |> Seq.map g4)

    let validation =
        if Double.IsNaN it.ValidationLoss then
            ""
        else
            $"  validation {g4 it.ValidationLoss}"

    let tried =
        if it.Alternatives.Count > 1 then
            "  tried "
            + String.Join(" ", it.Alternatives |> Seq.map (fun a -> $"L{a.Layer}:{g4 a.Loss}"))
        else
            ""

    $"iteration {it.Index}: widths {widthsText it.Widths}  values {values}{clarke}  {chosen}{tried}  epochs {m.Epochs}  loss {g4 m.LossBefore} -> {g4 m.LossAfter} ({RunRecord.snakeCase (string m.Reason)}){validation}  search {it.SearchSeconds:F2} s, minimise {it.MinimiseSeconds:F2} s"

/// A neuron added, in run.json (clarke: the Clarke-stationarity measure of its direction).
type AddedRecord =
    { Layer: int
      Index: int
      Incoming: float list
      Outgoing: float list
      Value: float
      KktResidual: float
      Clarke: float }

/// A candidate the lookahead tried, in run.json.
type LookaheadRecord =
    { Layer: int
      Value: float
      Clarke: float
      Loss: float
      Epochs: int64 }

/// One iteration in run.json.
type IterationRecord =
    {
        Index: int
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
        /// converged | loss_floor | epoch_cap | diverged | early_stopped | interrupted.
        StopReason: string
        SearchSeconds: float
        MinimiseSeconds: float
        /// The Clarke-stationarity measure of each layer's best candidate (iteration 1: of u*).
        LayerClarke: float list
        /// The training loss after the minimisation (= loss_after).
        TrainLoss: float
        /// The validation loss after the minimisation, or null without validation data.
        ValidationLoss: float option
        /// The candidates the lookahead tried (one without lookahead).
        Alternatives: LookaheadRecord list
        /// λ_max of ∇²ℒ at the start of the minimisation (iteration 1, and any that diverged), else null.
        Sharpness: float option
        /// 2/λ_max: GD with η at or above it is unstable at the start of the minimisation; null when not estimated.
        StabilityLimit: float option
    }

let iterationRecord (it: PursuitIteration) : IterationRecord =
    { Index = it.Index
      WidthsBefore = List.ofSeq it.WidthsBefore
      Widths = List.ofSeq it.Widths
      LayerValues = List.ofSeq it.LayerValues
      ChosenLayers = List.ofSeq it.ChosenLayers
      Added =
        [ for a in it.Added ->
              { Layer = a.Layer
                Index = a.Index
                Incoming = List.ofArray a.Incoming
                Outgoing = List.ofArray a.Outgoing
                Value = a.Value
                KktResidual = a.KktResidual
                Clarke = a.Clarke } ]
      InitialWeights = it.InitialWeights |> Option.ofObj |> Option.map List.ofArray
      Epochs = it.Minimisation.Epochs
      EpochOffset = it.EpochOffset
      LossBefore = it.Minimisation.LossBefore
      LossAfter = it.Minimisation.LossAfter
      StopReason = RunRecord.snakeCase (string it.Minimisation.Reason)
      SearchSeconds = it.SearchSeconds
      MinimiseSeconds = it.MinimiseSeconds
      LayerClarke = List.ofSeq it.LayerClarke
      TrainLoss = it.TrainLoss
      ValidationLoss =
        (if Double.IsNaN it.ValidationLoss then
             None
         else
             Some it.ValidationLoss)
      Alternatives =
        [ for a in it.Alternatives ->
              { Layer = a.Layer
                Value = a.Value
                Clarke = a.Clarke
                Loss = a.Loss
                Epochs = a.Epochs } ]
      Sharpness = it.Minimisation.Sharpness |> Option.ofNullable |> Option.map (fun e -> e.Value)
      StabilityLimit =
        it.Minimisation.Sharpness
        |> Option.ofNullable
        |> Option.map (fun e -> e.StabilityLimit) }

/// A pruning trial in run.json.
type PruningRecord =
    {
        Pass: int
        Layer: int
        Index: int
        AddedInIteration: int
        LossRemoved: float
        LossRefitted: float
        Epochs: int64
        Success: bool
        Kept: bool
        /// loss_floor (success) | epoch_cap | converged | diverged | outpaced (stopped by the early rejection).
        StopReason: string
        /// kept | succeeded | failed: the epoch budget | failed: converged above the tolerance | failed: diverged |
        /// stopped: cannot beat N epochs (another removal of the pass was refitted in N; the trial had run `epochs`).
        Status: string
    }

/// A pruning trial's status in words (docs/pursuit.md, "Pruning").
let pruningStatus (t: PruningTrial) =
    match t.Reason with
    | _ when t.Kept -> "kept"
    | _ when t.Success -> "succeeded"
    | InnerStopReason.Outpaced -> $"stopped: cannot beat {t.RivalEpochs.GetValueOrDefault()} epochs"
    | InnerStopReason.EpochCap -> "failed: the epoch budget"
    | InnerStopReason.Converged -> "failed: converged above the tolerance"
    | reason -> $"failed: {RunRecord.snakeCase (string reason)}"

/// Prediction metrics in run.json (on the label scale; null where they do not apply).
type MetricsRecord =
    { Samples: int
      Mse: float option
      R2: float option
      Accuracy: float option
      LogLoss: float option }

let private metricsRecord (m: NeuronPursuit.Core.Pursuit.PredictionMetrics) =
    let some x = if Double.IsNaN x then None else Some x

    { Samples = m.Count
      Mse = some m.Mse
      R2 = some m.R2
      Accuracy = some m.Accuracy
      LogLoss = some m.LogLoss }

/// The returned model's metrics on the raw training and validation parts.
type LearningMetrics =
    { Training: NeuronPursuit.Core.Pursuit.PredictionMetrics
      Validation: NeuronPursuit.Core.Pursuit.PredictionMetrics option }

/// The metrics of a model on the configuration's raw training and validation parts.
let learningMetrics (config: PursueConfig) (model: PursuitModel) =
    { Training = snd (Pursuit.evaluate model config.RawTraining)
      Validation = config.RawValidation |> Option.map (fun v -> snd (Pursuit.evaluate model v)) }

/// The console lines of the metrics.
let metricLines (m: LearningMetrics) =
    let describe (name: string) (x: NeuronPursuit.Core.Pursuit.PredictionMetrics) =
        if Double.IsNaN x.Accuracy then
            $"{name}: MSE {g4 x.Mse}, R² {g4 x.R2} (n = {x.Count})"
        else
            $"{name}: accuracy {g4 x.Accuracy}, log-loss {g4 x.LogLoss} (n = {x.Count})"

    [ describe "training" m.Training
      match m.Validation with
      | Some v -> describe "validation" v
      | None -> () ]

/// ", pruned k neuron(s): L1 (added in iteration 2), …" or "".
let pruneText (result: PursuitResult) =
    if result.Removed.Count = 0 then
        ""
    else
        let removed =
            result.Removed
            |> Seq.map (fun struct (l, k) -> $"L{l} (added in iteration {k})")

        $"""; pruned {result.Removed.Count}: {String.Join(", ", removed)}; final sequence {String.Join(", ", result.FinalLayerSequence)}"""

/// model.json and weights.csv of a run (the model for np predict).
let writeModel (dir: string) (model: PursuitModel) =
    Pursuit.save dir model
    [ PursuitModel.WeightsFileName; PursuitModel.FileName ]

/// `settings` of a pursue run: the depth and every option under its flag's name, defaults included.
type PursueSettings =
    { Depth: int
      Mode: string
      Options: Map<string, obj | null>
      NcfNormalisation: string
      ConfigFile: string option }

/// The options by their flag names (without dashes, '_' for '-').
let optionsRecord (config: PursueConfig) =
    let o = config.Options

    [ "delta0", box o.InitialScale
      "delta", box o.NeuronScale
      "eta", box o.LearningRate
      "initial_sign", box o.InitialSign
      "restarts", box o.Restarts
      "ascent_steps", box o.Ascent.MaxSteps
      "kkt_tol", box o.Ascent.KktTolerance
      "decrease_factor", box o.DecreaseFactor
      "stop_window", box o.StopWindow
      "relative_change", box o.RelativeChange
      "loss_floor", box o.LossFloor
      "max_epochs", box o.MaxEpochs
      "prune_epochs", box o.PruneEpochs
      "lookahead", box o.Lookahead
      "kinks",
      box (
          if o.Kinks = KinkRule.OneSided then
              "one-sided"
          else
              "linearised"
      )
      "loss_tol", box o.LossTolerance
      "value_tol", box o.ValueTolerance
      "max_iterations", box o.MaxIterations
      "max_neurons", box o.MaxNeurons
      "neurons_per_iteration", box o.NeuronsPerIteration
      "directions", box (RunRecord.snakeCase (string o.Directions))
      "minimiser",
      box (
          if o.Minimiser = MinimiserKind.GradientDescent then
              "gd"
          else
              "flow"
      )
      "flow_method", box o.FlowMethod
      "seed", box o.Seed
      "threads", box o.Parallelism
      "baseline_epochs", box config.BaselineEpochs
      "wide_epochs", box config.WideEpochs ]
    |> Map.ofList

/// `result` of a pursue run.
type PursueResultRecord =
    {
        /// loss_tolerance | no_candidate | max_iterations | neuron_budget | diverged | all_neurons_inactive | interrupted.
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
        IterationLog: IterationRecord list
        /// The iteration whose network is returned (the best validation loss, else the last).
        ReturnedIteration: int
        /// The layers of the added neurons that survived pruning, in order of addition.
        FinalLayerSequence: int list
        /// Every pruning trial (empty when pruning did not run).
        Pruning: PruningRecord list
        /// Epochs of the final refit (of a pruned net, or after an epoch cap), or null.
        RefitEpochs: int64 option
        /// The loss minimised: square-mean or logistic-mean.
        Loss: string
        /// The preprocessing, in words; model.json holds its numbers.
        Preprocessing: string
        /// The validation data ("fraction F of N samples, split seed S" or a file), or null.
        Validation: string option
        /// The returned model's metrics on the raw training part (MSE, R² or accuracy, log-loss).
        TrainMetrics: MetricsRecord option
        /// The same on the validation part, or null.
        ValidationMetrics: MetricsRecord option
    }

/// Where the minimisation of iteration k starts, in words.
let private startOf (k: int) =
    if k = 1 then
        "the initial network"
    else
        $"the start of iteration {k}"

/// The one-line warning when η is not below the stability limit 2/λ_max at the start of a minimisation, else None.
let stabilityWarning (eta: float) (it: PursuitIteration) =
    match Option.ofNullable it.Minimisation.Sharpness with
    | Some s when eta >= s.StabilityLimit ->
        Some
            $"η = {g4 eta} is not below 2/λ_max ≈ {g4 s.StabilityLimit} at {startOf it.Index} (λ_max ≈ {g4 s.Value} of the loss Hessian): gradient descent is unstable there; --eta below {g4 s.StabilityLimit} is."
    | _ -> None

/// For a run that diverged or whose neurons all died: the likely cause and the remedy in one line; else None.
let diagnosis (eta: float) (result: PursuitResult) =
    let last = result.Iterations.[result.Iterations.Count - 1]

    match result.StopReason with
    | PursuitStopReason.Diverged when result.Divergence.HasValue ->
        let struct (iteration: int, m: MinimisationResult) = result.Divergence.Value

        let start = startOf iteration

        let kept =
            if iteration = 1 then
                ""
            else
                $" (the network of iteration {iteration - 1} is kept)"

        let growth =
            $"the loss grew from {g4 m.LossBefore} to {g4 m.LossAfter} in {m.Epochs} epochs of iteration {iteration}{kept}"

        match Option.ofNullable m.Sharpness with
        | Some s when eta >= s.StabilityLimit ->
            Some $"diverged: {growth}; η = {g4 eta} exceeds 2/λ_max ≈ {g4 s.StabilityLimit} at {start}; use --eta below {g4 s.StabilityLimit}."
        | Some s ->
            Some
                $"diverged: {growth} although η = {g4 eta} is below 2/λ_max ≈ {g4 s.StabilityLimit} at {start}: the curvature grew during the descent; use a smaller --eta (or --minimiser flow with an adaptive --flow-method)."
        | None -> Some $"diverged: {growth}; the weights are no longer finite; use a smaller --eta."
    | PursuitStopReason.AllNeuronsInactive ->
        Some
            $"every neuron is inactive on the data after iteration {last.Index}: the output is 0 on all samples, the gradient vanishes and the loss is stuck at (1/(2n))Σy² = {g4 result.FinalLoss}; this is no fit: use a smaller --eta (now {g4 eta}) or another --seed."
    | _ -> None

/// run.json of one pursue run.
let runRecord
    argv
    (config: PursueConfig)
    (problem: Problem)
    (result: PursuitResult)
    wall
    (evaluation: NpDemo.Evaluation option)
    (metrics: LearningMetrics option)
    files
    =
    let spec =
        NeuronPursuit.Core.Problems.ProblemSpec(
            Example = config.Spec.Example,
            Data = config.Spec.Data,
            DataSeed = (config.DataSeed |> Option.toNullable),
            Samples = config.Spec.Samples,
            Net = config.Spec.Net,
            Widths = config.Spec.Widths,
            Activation = config.Spec.Activation,
            Loss = config.Spec.Loss
        )

    RunRecord.create
        "pursue"
        argv
        (Some(RunRecord.problemRecord spec problem None))
        { Depth = config.Depth
          Mode =
            (match config.Mode with
             | Single -> "single"
             | SeedRange _ -> "seeds"
             | Ablations -> "ablations")
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
          IterationLog = [ for it in result.Iterations -> iterationRecord it ]
          ReturnedIteration = result.ReturnedIteration
          FinalLayerSequence = List.ofSeq result.FinalLayerSequence
          Pruning =
            [ for t in result.Pruning ->
                  { Pass = t.Pass
                    Layer = t.Layer
                    Index = t.Index
                    AddedInIteration = t.AddedInIteration
                    LossRemoved = t.LossRemoved
                    LossRefitted = t.LossRefitted
                    Epochs = t.Epochs
                    Success = t.Success
                    Kept = t.Kept
                    StopReason = RunRecord.snakeCase (string t.Reason)
                    Status = pruningStatus t } ]
          RefitEpochs =
            (match result.Refit with
             | null -> None
             | r -> Some r.Epochs)
          Loss = config.Loss.Name
          Preprocessing = config.Preprocessing.Describe()
          Validation = config.ValidationSource
          TrainMetrics = metrics |> Option.map (fun m -> metricsRecord m.Training)
          ValidationMetrics = metrics |> Option.bind (fun m -> m.Validation |> Option.map metricsRecord) }
        files

let private list (xs: float seq) = String.Join(";", xs |> Seq.map r)

/// iterations.csv: one row per iteration; lists inside a field are ';'-separated.
let writeIterationsCsv (path: string) (result: PursuitResult) (hiddenLayers: int) =
    let sb = StringBuilder()
    let valueColumns = [ for l in 1..hiddenLayers -> $"value_l{l}" ]

    sb.AppendLine(
        String.Join(
            ",",
            [ "iteration"; "widths" ]
            @ valueColumns
            @ [ "chosen_layers"
                "epochs"
                "epoch_offset"
                "loss_before"
                "loss_after"
                "stop_reason"
                "search_seconds"
                "minimise_seconds"
                "new_incoming"
                "new_outgoing" ]
            @ [ for l in 1..hiddenLayers -> $"clarke_l{l}" ]
            @ [ "train_loss"; "validation_loss" ]
        )
    )
    |> ignore

    for it in result.Iterations do
        let values =
            if it.Index = 1 then
                List.replicate hiddenLayers ""
            else
                [ for v in it.LayerValues -> r v ]

        let added = it.Added |> Seq.toList

        let fields =
            [ string it.Index; String.Join(";", it.Widths) ]
            @ values
            @ [ String.Join(";", it.ChosenLayers)
                string it.Minimisation.Epochs
                string it.EpochOffset
                r it.Minimisation.LossBefore
                r it.Minimisation.LossAfter
                RunRecord.snakeCase (string it.Minimisation.Reason)
                r it.SearchSeconds
                r it.MinimiseSeconds
                String.Join("|", added |> List.map (fun a -> list a.Incoming))
                String.Join("|", added |> List.map (fun a -> list a.Outgoing)) ]
            @ (if it.Index = 1 || it.LayerClarke.Count <> hiddenLayers then
                   List.replicate hiddenLayers ""
               else
                   [ for c in it.LayerClarke -> r c ])
            @ [ r it.TrainLoss
                (if Double.IsNaN it.ValidationLoss then
                     ""
                 else
                     r it.ValidationLoss) ]

        sb.AppendLine(String.Join(",", fields)) |> ignore

    File.WriteAllText(path, sb.ToString())

/// The loss against global epochs, and the epochs at which neurons were added.
let lossSeries (result: PursuitResult) =
    let epochs, losses =
        [| for it in result.Iterations do
               for k in 0 .. it.Minimisation.LossEpochs.Count - 1 ->
                   float (it.EpochOffset + it.Minimisation.LossEpochs.[k]), it.Minimisation.LossValues.[k] |]
        |> Array.unzip

    let additions =
        [| for it in result.Iterations do
               if it.Index > 1 then
                   yield float it.EpochOffset, it.ChosenLayers |]

    epochs, losses, additions

/// loss.csv: epoch, loss (every 100 epochs and at each iteration's end).
let writeLossCsv (path: string) (result: PursuitResult) =
    let epochs, losses, _ = lossSeries result
    let sb = StringBuilder("epoch,loss\n")

    for k in 0 .. epochs.Length - 1 do
        sb.Append(r epochs.[k]).Append(',').Append(r losses.[k]).Append('\n') |> ignore

    File.WriteAllText(path, sb.ToString())

/// loss.png: the loss against epochs on a logarithmic axis, a dashed vertical line at each addition labelled with its layer.
let lossFigure (title: string) (result: PursuitResult) =
    let epochs, losses, additions = lossSeries result

    let validation =
        [ for it in result.Iterations do
              if not (Double.IsNaN it.ValidationLoss) then
                  yield float (it.EpochOffset + it.Minimisation.Epochs), it.ValidationLoss ]

    let series =
        [ Plot.line "training loss" epochs losses
          if not validation.IsEmpty then
              Plot.points
                  "validation loss (end of iteration)"
                  (validation |> List.map fst |> Array.ofList)
                  (validation |> List.map snd |> Array.ofList) ]

    Plot.figure title "epoch (full-batch GD step)" "loss ℒ = (1/n)Σℓ" series
    |> Plot.logY
    |> Plot.withMarkers [ for epoch, layers in additions -> epoch, "+L" + String.Join(",L", layers) ]
    |> Plot.size 900 500

/// Stride of the cube plot's subsample: every 257th vertex (odd, so every coordinate varies): 4081 vertices.
let cubeStride = 257

/// cube.png: learned H and true f at every 257th vertex in lexicographic order.
let cubeFigure (title: string) (net: FeedForwardNetwork) (w: float[]) =
    let struct (index, learned, target) =
        HypercubeEvaluation.Subsample(net, ReadOnlySpan w, cubeStride)

    let xs = Array.map float index

    Plot.figure title $"vertex index, lexicographic from (1,…,1) (every {cubeStride}th of 2^20: {index.Length} vertices)" "value" [
        Plot.circles "true f" xs target
        Plot.points "learned H" xs learned
    ]
    |> Plot.linearY
    |> Plot.size 1000 450

/// iterations.csv and loss.csv of a run (weights.csv and model.json: `writeModel`).
let writeRunFiles (dir: string) (result: PursuitResult) (config: PursueConfig) =
    let path file = Path.Combine(dir, file)
    writeIterationsCsv (path "iterations.csv") result (config.Depth - 1)
    writeLossCsv (path "loss.csv") result
    [ "iterations.csv"; "loss.csv" ]

/// yes or NO.
let yesNo b = if b then "yes" else "NO"
