// SPDX-License-Identifier: MIT
/// `np flow`: integrates the gradient flow dw/dt = −∇ℒ(w) (Kumar & Haupt, arXiv 2402.09226) from an initialisation and
/// writes run.json, series.csv, weights.csv, loss.png, norms.png and report.html to --out.
module NeuronPursuit.Cli.FlowCommand

open System
open System.Diagnostics
open System.IO
open System.Threading
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.CommandLine
open NeuronPursuit.Cli.FlowConfig
open NeuronPursuit.Cli.Inputs

/// How an integration ended, in double, and how to save its final weights in its own precision.
type private Outcome =
    { Result: FlowResult<float>
      FinalLoss: float
      WallTimeSeconds: float
      WriteWeights: string -> unit }

/// The progress line fed by the solver's reports and, for runs with few but slow steps, by the observation times.
type private FlowProgress(line: ProgressLine.ProgressLine, tEnd: float, times: float[]) =
    let show (t: float) =
        line.Show $"t = {t:G4} of {tEnd:G4} ({100.0 * t / tEnd:F0}%%)"

    interface IProgress<float> with
        member _.Report fraction = show (fraction * tEnd)

    interface IFlowObserver with
        member _.Times = times
        member _.Observe(t, _) = show t

/// Checks w(0) against the configuration, and returns the integration of the flow of f from it in the scalar type
/// of f, to be run with the given observers and progress sink.
let private integrate (config: FlowConfig) (f: Fn<'T>) (w0: 'T[]) =
    match config.EscapeNorm with
    | Some radius when Vec.norm w0 >= radius ->
        raise (UsageError $"--escape-norm: R = {invariant radius} does not exceed ‖w(0)‖ = {invariant (Vec.norm w0)}, so ‖w‖ cannot rise through it.")
    | _ -> ()

    let events = config.EscapeNorm |> Option.map Flow.escapeAt |> Option.toList

    fun (observers: IFlowObserver list) (progress: IProgress<float> | null) (cancellation: CancellationToken) ->
        let clock = Stopwatch.StartNew()
        let options = config.IntegrationOptions.WithCancellation cancellation

        let s =
            Flow.solveWithProgress progress config.Method options observers events f w0 config.TEnd

        let wall = clock.Elapsed.TotalSeconds

        { Result =
            { Status = s.Status
              Message = s.Message
              FinalTime = s.FinalTime
              Final = Weights.toDouble s.Final
              Events = s.Events
              Statistics = s.Statistics }
          FinalLoss = Scalar.ToDouble(value f s.Final)
          WallTimeSeconds = wall
          WriteWeights = fun path -> WeightsFile.Write<'T>(path, ReadOnlySpan s.Final, [| config.Problem.Network.Specification |]) }

/// The checks at w(0) before anything is integrated: the loss and its gradient there must be finite in double precision
/// (else the data are too large for this network: bad input naming them), and for gradient descent (`euler`) the step is
/// compared with the stability limit 2/λ_max of ∇²ℒ(w(0)). Returns λ_max for `euler`, else None.
let private checkStart (config: FlowConfig) (err: TextWriter) =
    let p = config.Problem
    let f = Problem.loss p
    let w0 = Problem.w0 p
    let remedy = "rescale the data or lower --init-scale."

    Overflow.evaluateFinite p "the loss at w(0)" remedy (fun () -> value f w0)
    |> ignore

    Overflow.evaluateFinite p "the gradient of the loss at w(0)" remedy (fun () -> Vec.norm (grad f w0))
    |> ignore

    match config.Method.Name, config.Step with
    | "euler", Some eta ->
        // The curvature's own overflow (a finite loss with an overflowing Hessian) leaves the step unchecked.
        match
            (try
                Some(LargestHessianEigenvalue.Estimate(p.CreateLossHessian<float>(), ReadOnlySpan w0))
             with :? ArgumentException ->
                 None)
        with
        | Some sharpness when eta >= sharpness.StabilityLimit ->
            err.WriteLine(
                $"np: warning: --step η = {invariant eta} is not below 2/λ_max ≈ {Format.g4 sharpness.StabilityLimit} of the loss at w(0) (λ_max ≈ {Format.g4 sharpness.Value}); gradient descent is unstable there and may diverge."
            )

            Some sharpness
        | estimate -> estimate
    | _ -> None

/// Loads w(0) in the run's precision; returns ‖w(0)‖ and the integration, ready to run.
let private prepare (config: FlowConfig) =
    let p = config.Problem

    match config.Precision with
    | Precision.Double ->
        let w = Problem.w0 p
        Vec.norm w, integrate config (Problem.loss p) w
    | Precision.DoubleDouble ->
        // A weights file is read in double-double, so that a double-double run resumes without rounding.
        let w =
            match p.Initialisation with
            | null -> Weights.toDoubleDouble (Problem.w0 p)
            | init ->
                match init.File with
                | null -> Weights.toDoubleDouble (Problem.w0 p)
                | path -> WeightsFile.Read<DoubleDouble>(path, Nullable p.Dimension)

        Vec.norm w, integrate config (Problem.lossOf<DoubleDouble> p) w

/// Writes loss.png and norms.png from the recorded columns, both at once (`Figures.save`: a figure that fails is a
/// warning); returns the names of the files written.
let private plot (config: FlowConfig) (folder: OutputFolder.OutputFolder) (recorder: QuantityRecorder) (err: TextWriter) =
    let times = recorder.Column "t"

    let series names =
        names |> List.map (fun n -> Plot.line n times (recorder.Column n))

    let columns = recorder.Quantities |> Seq.map (fun q -> q.Name) |> List.ofSeq

    let normColumns =
        columns |> List.filter (fun c -> c <> "loss" && c <> "ncf_direction")

    let title = $"gradient flow of {config.Problem.Network.Specification}"

    let timeScale =
        if config.Times.Logarithmic then
            AxisScale.Automatic
        else
            AxisScale.Linear

    [ if List.contains "loss" columns then
          "loss.png", Plot.figure title "t" "loss" (series [ "loss" ])
      if not normColumns.IsEmpty then
          "norms.png", Plot.figure title "t" "norm" (series normColumns) ]
    |> List.map (fun (file, figure) -> folder.File file, { figure with XScale = timeScale })
    |> Figures.save err

/// The settings of a flow run in run.json.
type IntegrationRecord =
    {
        Method: string
        Order: int
        /// Order of the error estimate, or null for a fixed-step method.
        EmbeddedOrder: int option
        /// Integration runs over [0, t_end].
        TEnd: float
        /// --step, or null.
        Step: float option
        /// "fixed" (fixed-step method), "initial" (the first step of an adaptive method) or null.
        StepRole: string option
        Rtol: float
        Atol: float
        MaxSteps: int64
        /// double | double-double.
        Precision: string
        /// R of the terminal event ‖w‖ = R (rising), or null.
        EscapeNorm: float option
        /// τ of the logarithmic time s = ln(1 + t/τ), or null when integrating in t.
        LogTimeScale: float option
    }

/// What was recorded in series.csv.
type ObservationRecord =
    {
        /// The --observe names.
        Observe: string list
        /// The columns of series.csv after t.
        Columns: string list
        /// The --times text.
        Times: string
        /// The number of requested times.
        Count: int
    }

/// `settings` of a flow run.
type FlowSettings =
    { Integration: IntegrationRecord
      Observation: ObservationRecord }

/// Counts of the solver.
type StatisticsRecord =
    { Evaluations: int64
      AcceptedSteps: int64
      RejectedSteps: int64 }

/// An event that occurred.
type EventRecord =
    {
        Name: string
        Time: float
        Rising: bool
        /// ‖w‖ at the event.
        Norm: float
    }

/// `result` of a flow run.
type FlowResultRecord =
    {
        /// completed | terminal_event | max_steps_reached | step_size_too_small | diverged | interrupted.
        Status: string
        Message: string
        FinalTime: float
        /// ℒ(w(final_time)), computed in the run's precision and rounded to double.
        FinalLoss: float
        FinalNorm: float
        /// Wall-clock time of the integration (observers included), seconds.
        WallTimeSeconds: float
        Statistics: StatisticsRecord
        Events: EventRecord list
    }

let private record argv (config: FlowConfig) (outcome: Outcome) initialNorm (columns: string list) files =
    let s = outcome.Result

    let settings =
        { Integration =
            { Method = config.Method.Name
              Order = config.Method.Order
              EmbeddedOrder = Option.ofNullable config.Method.EmbeddedOrder
              TEnd = config.TEnd
              Step = config.Step
              StepRole =
                config.Step
                |> Option.map (fun _ -> if config.FixedStep then "fixed" else "initial")
              Rtol = config.RelativeTolerance
              Atol = config.AbsoluteTolerance
              MaxSteps = config.MaxSteps
              Precision = config.Precision.Name
              EscapeNorm = config.EscapeNorm
              LogTimeScale = config.LogTimeScale }
          Observation =
            { Observe = config.Observe
              Columns = columns
              Times = config.Times.Spec
              Count = config.Times.Times.Length } }

    let result =
        { Status = RunRecord.snakeCase (string s.Status)
          Message = s.Message
          FinalTime = s.FinalTime
          FinalLoss = outcome.FinalLoss
          FinalNorm = Vec.norm s.Final
          WallTimeSeconds = outcome.WallTimeSeconds
          Statistics =
            { Evaluations = s.Statistics.Evaluations
              AcceptedSteps = s.Statistics.AcceptedSteps
              RejectedSteps = s.Statistics.RejectedSteps }
          Events =
            [ for e in s.Events ->
                  { Name = e.Name
                    Time = e.Time
                    Rising = e.Rising
                    Norm = Vec.norm e.State } ] }

    RunRecord.create "flow" argv (Some(RunRecord.problemRecord config.Spec config.Problem (Some initialNorm))) settings result files

let private summary (out: TextWriter) (config: FlowConfig) (r: RunRecord.RunRecord<FlowSettings, FlowResultRecord>) =
    let result = r.Result
    let p = config.Problem
    out.WriteLine($"status: {result.Status}: {result.Message}")
    out.WriteLine($"data: {p.DataSource} (n = {p.Data.Count}, d = {p.Data.InputDimension})")
    out.WriteLine($"network: {p.Network.Specification} (P = {p.Dimension} weights), {p.Loss.Specification} loss, {config.Precision.Name}")
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

/// report.html: the status, the configuration, the result, the figures and the files of the run, in one page.
let private report
    (config: FlowConfig)
    (folder: OutputFolder.OutputFolder)
    (r: RunRecord.RunRecord<FlowSettings, FlowResultRecord>)
    (diagnosis: string option)
    =
    let result = r.Result
    let i = r.Settings.Integration
    let p = config.Problem

    let kind =
        match result.Status with
        | "completed"
        | "terminal_event" -> Good
        | "interrupted" -> Neutral
        | _ -> Bad

    let opt (x: float option) =
        x |> Option.map invariant |> Option.defaultValue "none"

    Report.create $"np flow: {p.Network.Specification} on {p.DataSource}" [
        yield ReportBlock.Status(result.Status, kind, result.Message)
        match diagnosis with
        | Some d -> yield Paragraph d
        | None -> ()
        yield Heading(2, "Problem")
        yield
            Pairs [
                "specification", string config.Spec
                "data", $"{p.DataSource} (n = {p.Data.Count}, d = {p.Data.InputDimension})"
                "network", $"{p.Network.Specification} (P = {p.Dimension} weights)"
                "loss", p.Loss.Specification
                "w(0)",
                (match p.Initialisation with
                 | null -> "none"
                 | init -> init.Specification)
            ]
        yield Heading(2, "Integration")
        yield
            Pairs [
                "method", $"{i.Method} (order {i.Order})"
                "t-end", invariant i.TEnd
                "step", opt i.Step
                "rtol", invariant i.Rtol
                "atol", invariant i.Atol
                "max steps", string i.MaxSteps
                "precision", i.Precision
                "escape norm", opt i.EscapeNorm
                "log time", opt i.LogTimeScale
                "observed", String.Join(", ", r.Settings.Observation.Observe)
                "times", r.Settings.Observation.Times
            ]
        yield Heading(2, "Result")
        yield
            Pairs [
                "final time", invariant result.FinalTime
                "final loss", invariant result.FinalLoss
                "final norm", invariant result.FinalNorm
                "steps", $"{result.Statistics.AcceptedSteps} accepted, {result.Statistics.RejectedSteps} rejected"
                "evaluations", string result.Statistics.Evaluations
                "wall time", $"{result.WallTimeSeconds:F3} s"
            ]
        if not result.Events.IsEmpty then
            yield
                Rows
                    { Columns = [ "event"; "t"; "rising"; "‖w‖" ]
                      Rows = [ for e in result.Events -> [ e.Name; invariant e.Time; string e.Rising; invariant e.Norm ] ] }
        yield Heading(2, "Figures")
        yield! Report.imageFile "loss against t" (folder.File "loss.png")
        yield! Report.imageFile "norms against t" (folder.File "norms.png")
        yield Heading(2, "Files and command")
        yield Paragraph(String.Join(", ", r.Files))
        yield Code("np " + String.Join(" ", r.Command))
    ]

/// The likely cause and remedy of a diverged integration: a step beyond the stability limit at w(0).
let private diagnose (config: FlowConfig) (sharpness: EigenvalueEstimate option) =
    match config.Step, sharpness with
    | Some eta, Some s when eta >= s.StabilityLimit ->
        $"the step η = {invariant eta} exceeds 2/λ_max ≈ {Format.g4 s.StabilityLimit} at w(0); use --step below {Format.g4 s.StabilityLimit}, or an adaptive method (dp5)."
    | Some eta, Some s ->
        $"the step η = {invariant eta} is below 2/λ_max ≈ {Format.g4 s.StabilityLimit} at w(0), but the curvature grew along the flow; use a smaller --step, or an adaptive method (dp5)."
    | Some eta, None -> $"the step η = {invariant eta} is beyond the method's stability limit; use a smaller --step, or an adaptive method (dp5)."
    | None, _ -> "use a smaller --step or tighter tolerances."

/// `np flow`: returns 0 when the flow reached t-end or a terminal event; 1 when the integration failed (step limit,
/// step size too small, diverged) and 130 when interrupted (Ctrl-C) — their files are written all the same, with that
/// status — and raises for bad input, before anything is written.
let run (argv: string[]) (args: Parsed) (out: TextWriter) (err: TextWriter) (cancellation: CancellationToken) =
    let config = FlowConfig.ofArgs args
    let initialNorm, integration = prepare config
    let sharpness = checkStart config err
    use folder = OutputFolder.create config.OutDir (args.Has FlowArgs.overwrite)
    let quantities = Observables.quantities config.Problem config.Observe
    let recorder = Flow.recorder config.Times.Times quantities
    let line = ProgressLine.forConsole err "flow"

    let progress =
        line |> Option.map (fun l -> FlowProgress(l, config.TEnd, config.Times.Times))

    let observers =
        [ yield recorder :> IFlowObserver
          yield! progress |> Option.map (fun p -> p :> IFlowObserver) |> Option.toList ]

    let outcome =
        let report: IProgress<float> | null =
            match progress with
            | Some p -> p
            | None -> null

        try
            integration observers report cancellation
        finally
            line |> Option.iter (fun l -> l.Clear())

    do
        use writer = new StreamWriter(folder.File "series.csv")
        recorder.WriteCsv writer

    outcome.WriteWeights(folder.File "weights.csv")
    let plots = plot config folder recorder err
    let columns = quantities |> List.map (fun q -> q.Name)

    let runRecord =
        record argv config outcome initialNorm columns ([ "run.json"; "series.csv"; "weights.csv" ] @ plots @ [ "report.html" ])

    RunRecord.write (folder.File "run.json") runRecord

    let diagnosis =
        if outcome.Result.Status = IntegrationStatus.Diverged then
            Some(diagnose config sharpness)
        else
            None

    Report.save (folder.File "report.html") (report config folder runRecord diagnosis)
    folder.Commit()
    summary out config runRecord

    match outcome.Result.Status with
    | IntegrationStatus.Completed
    | IntegrationStatus.TerminalEvent -> 0
    | IntegrationStatus.Interrupted ->
        err.WriteLine($"np: interrupted: {outcome.Result.Message} (results so far written to {config.OutDir})")
        130
    | IntegrationStatus.Diverged ->
        err.WriteLine($"np: the flow diverged: {outcome.Result.Message} Likely cause: {diagnosis.Value} (results written to {config.OutDir})")
        1
    | _ ->
        err.WriteLine($"np: the flow stopped before t-end: {outcome.Result.Message} (results written to {config.OutDir})")
        1
