// SPDX-License-Identifier: MIT
/// `np flow`: integrates the gradient flow dw/dt = −∇ℒ(w) (Kumar & Haupt, TMLR 2024, eq. 3) from an
/// initialisation and writes run.json, series.csv, weights.csv, loss.png and norms.png to --out.
module NeuronPursuit.Cli.FlowCommand

open System
open System.Diagnostics
open System.Globalization
open System.IO
open Argu
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.FlowConfig
open NeuronPursuit.Cli.Inputs
open NeuronPursuit.Cli.RunRecord

/// How an integration ended, in double, and how to save its final weights in its own precision.
type private Outcome =
    { Solution: FlowSolution<float>
      FinalLoss: float
      WallTimeSeconds: float
      WriteWeights: string -> unit }

/// Checks w(0) against the configuration, and returns the integration of the flow of f from it in the
/// scalar type of f, to be run with the given observers and progress sink.
let private integrate<'T
    when 'T: struct
    and 'T: (new: unit -> 'T)
    and 'T :> ValueType
    and 'T :> Numerics.INumber<'T>
    and 'T :> Numerics.IRootFunctions<'T>
    and 'T :> Numerics.IExponentialFunctions<'T>
    and 'T :> Numerics.ILogarithmicFunctions<'T>>
    (config: FlowConfig) (f: Fn<'T>) (w0: 'T[]) =
    match config.EscapeNorm with
    | Some radius when Vec.norm w0 >= radius ->
        raise (UsageError $"--escape-norm: R = {invariant radius} does not exceed ‖w(0)‖ = {invariant (Vec.norm w0)}, so ‖w‖ cannot rise through it.")
    | _ -> ()
    let events = config.EscapeNorm |> Option.map Flow.escapeAt |> Option.toArray
    // The Hessian–vector product gives the Jacobian −∇²ℒ that stiff methods (lie2, rodas4, auto) need; explicit methods never call it.
    let hessian = f.Hessian |> Option.map (fun h -> h.Value) |> Option.toObj
    fun (observers: IFlowObserver[]) (progress: IProgress<float> | null) ->
        let clock = Stopwatch.StartNew()
        let s =
            FlowSolver.Solve<'T>(GradientFlowSystem<'T>(f.Objective, hessian), config.Method, Scalar.FromDouble<'T> 0.0, ReadOnlySpan w0,
                                 Scalar.FromDouble<'T> config.TEnd, config.IntegrationOptions, events, observers, progress)
        let wall = clock.Elapsed.TotalSeconds
        { Solution = FlowSolution<float>(s.Status, s.Message, Scalar.ToDouble s.FinalTime, Weights.toDouble s.FinalState, s.Statistics, s.Events)
          FinalLoss = Scalar.ToDouble(value f s.FinalState)
          WallTimeSeconds = wall
          WriteWeights = fun path -> WeightsFile.Write<'T>(path, ReadOnlySpan s.FinalState, [| config.Network.Specification |]) }

/// Loads w(0) in the run's precision; returns ‖w(0)‖ and the integration, ready to run.
let private prepare (config: FlowConfig) =
    let net = config.Network
    let w0 () =
        match config.Init with
        | Gaussian(delta, seed) -> Weights.gaussian seed delta net
        | FromFile path -> Weights.read net path
    match config.Precision with
    | Precision.Double ->
        let w = w0 ()
        Vec.norm w, integrate config (lossWith config.Loss net config.Data) w
    | Precision.DoubleDouble ->
        // A weights file is read in double-double, so that a double-double run resumes without rounding.
        let w =
            match config.Init with
            | FromFile path -> WeightsFile.Read<DoubleDouble>(path, Nullable net.ParameterCount)
            | Gaussian _ -> Weights.toDoubleDouble (w0 ())
        Vec.norm w, integrate config (lossWith config.Loss net (Data.toDoubleDouble config.Data)) w

/// Writes loss.png and norms.png from the recorded columns; returns the names of the files written.
/// A plot that fails (e.g. no native graphics library) is reported on err and skipped: the run's
/// numbers matter more than its pictures.
let private plot (config: FlowConfig) (recorder: QuantityRecorder) (err: TextWriter) =
    let times = recorder.Column "t"
    let series names = names |> List.map (fun n -> { Plots.Name = n; Plots.Times = times; Plots.Values = recorder.Column n })
    let columns = recorder.Quantities |> Seq.map (fun q -> q.Name) |> List.ofSeq
    let normColumns = columns |> List.filter (fun c -> c <> "loss" && c <> "ncf_direction")
    let title = $"gradient flow of {config.Network.Specification}"
    [ if List.contains "loss" columns then "loss.png", "loss", series [ "loss" ]
      if not normColumns.IsEmpty then "norms.png", "norm", series normColumns ]
    |> List.filter (fun (file, yLabel, curves) ->
        try
            Plots.save (Path.Combine(config.OutDir, file)) title yLabel config.Times.Logarithmic curves
        with e ->
            err.WriteLine($"np: warning: {file} not written: {oneLine e}")
            false)
    |> List.map (fun (file, _, _) -> file)

let private record argv (config: FlowConfig) (outcome: Outcome) initialNorm (columns: string list) files : RunRecord =
    let net = config.Network
    let s = outcome.Solution
    { Command = List.ofArray argv
      Versions = { Np = Versions.np; Core = Versions.core; Dotnet = Versions.dotnet; GitRevision = Versions.gitRevision () }
      CreatedUtc = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture)
      Data = { Source = config.DataSource; Samples = config.Data.Count; InputDimension = config.Data.InputDimension }
      Network =
        { Kind = config.NetworkKind
          Specification = net.Specification
          Activation = config.ActivationSpec
          HiddenWidths = List.ofSeq net.HiddenWidths
          Parameters = net.ParameterCount
          Degree = Option.ofNullable net.Degree }
      Loss = config.LossName
      Init =
        match config.Init with
        | Gaussian(delta, seed) -> { Kind = "gaussian"; Scale = Some delta; Seed = Some seed; File = None; Norm = initialNorm }
        | FromFile path -> { Kind = "file"; Scale = None; Seed = None; File = Some path; Norm = initialNorm }
      Integration =
        { Method = config.Method.Name
          Order = config.Method.Order
          EmbeddedOrder = Option.ofNullable config.Method.EmbeddedOrder
          TEnd = config.TEnd
          Step = config.Step
          StepRole = config.Step |> Option.map (fun _ -> if config.FixedStep then "fixed" else "initial")
          Rtol = config.RelativeTolerance
          Atol = config.AbsoluteTolerance
          MaxSteps = config.MaxSteps
          Precision = config.Precision.Name
          EscapeNorm = config.EscapeNorm
          LogTimeScale = config.LogTimeScale }
      Observation = { Observe = config.Observe; Columns = columns; Times = config.Times.Spec; Count = config.Times.Times.Length }
      Result =
        { Status = snakeCase (string s.Status)
          Message = s.Message
          FinalTime = s.FinalTime
          FinalLoss = outcome.FinalLoss
          FinalNorm = Vec.norm s.FinalState
          WallTimeSeconds = outcome.WallTimeSeconds
          Statistics = { Evaluations = s.Statistics.Evaluations; AcceptedSteps = s.Statistics.AcceptedSteps; RejectedSteps = s.Statistics.RejectedSteps }
          Events = [ for e in s.Events -> { Name = e.Name; Time = e.Time; Rising = e.Rising; Norm = Vec.norm e.State } ] }
      Files = files }

let private summary (out: TextWriter) (config: FlowConfig) (r: RunRecord) =
    let result = r.Result
    let net = config.Network
    out.WriteLine($"status: {result.Status}: {result.Message}")
    out.WriteLine($"data: {config.DataSource} (n = {config.Data.Count}, d = {config.Data.InputDimension})")
    out.WriteLine($"network: {net.Specification} (P = {net.ParameterCount} weights), {config.Loss.Specification} loss, {config.Precision.Name}")
    out.WriteLine($"method: {config.Method.Name}, t-end = {invariant config.TEnd}")
    out.WriteLine($"final time: {invariant result.FinalTime}")
    out.WriteLine($"final loss: {invariant result.FinalLoss}")
    out.WriteLine($"final norm: {invariant result.FinalNorm}")
    out.WriteLine($"steps: {result.Statistics.AcceptedSteps} accepted, {result.Statistics.RejectedSteps} rejected")
    out.WriteLine($"evaluations: {result.Statistics.Evaluations}")
    for e in result.Events do
        out.WriteLine($"event: {e.Name} at t = {invariant e.Time} (‖w‖ = {invariant e.Norm})")
    out.WriteLine($"wall time: {result.WallTimeSeconds:F3} s")
    out.WriteLine($"""output: {Path.GetFullPath config.OutDir} ({String.Join(", ", r.Files)})""")

/// `np flow`: returns 0 when the flow reached t-end or a terminal event, 1 when the integration
/// failed (step limit, step size too small) — its files are written all the same — and raises for bad input.
let run (argv: string[]) (args: ParseResults<FlowArgs>) (out: TextWriter) (err: TextWriter) =
    let config = FlowConfig.ofArgs args
    let initialNorm, integration = prepare config
    FlowConfig.createOutput config.OutDir
    let quantities = Observables.quantities config.Loss config.Network config.Data config.Observe
    let recorder = QuantityRecorder(config.Times.Times, Array.ofList quantities)
    let progress = ProgressLine.forConsole err config.TEnd config.Times.Times
    let observers = [| yield recorder :> IFlowObserver; yield! progress |> Option.map (fun p -> p :> IFlowObserver) |> Option.toArray |]
    let outcome =
        let report: IProgress<float> | null =
            match progress with
            | Some p -> p
            | None -> null
        try integration observers report
        finally progress |> Option.iter (fun p -> (p :> IDisposable).Dispose())

    let path file = Path.Combine(config.OutDir, file)
    do
        use writer = new StreamWriter(path "series.csv")
        recorder.WriteCsv writer
    outcome.WriteWeights(path "weights.csv")
    let plots = plot config recorder err
    let columns = quantities |> List.map (fun q -> q.Name)
    let runRecord = record argv config outcome initialNorm columns ([ "run.json"; "series.csv"; "weights.csv" ] @ plots)
    RunRecord.write (path "run.json") runRecord
    summary out config runRecord

    match outcome.Solution.Status with
    | IntegrationStatus.Completed
    | IntegrationStatus.TerminalEvent -> 0
    | _ ->
        err.WriteLine($"np: the flow stopped before t-end: {outcome.Solution.Message} (results written to {config.OutDir})")
        1
