// SPDX-License-Identifier: MIT
/// The configuration of `np flow`: the problem and every integration option resolved to its value or documented
/// default and validated before anything is integrated, so that bad input never costs a run.
module NeuronPursuit.Cli.FlowConfig

open System
open System.Globalization
open NeuronPursuit
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Flow.Methods
open NeuronPursuit.Core.Problems
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.CommandLine
open NeuronPursuit.Cli.Inputs

/// The observation times and how they were asked for.
type TimeGrid =
    {
        /// The --times text (or the default's).
        Spec: string
        /// The times, ascending, within [0, t-end].
        Times: float[]
        /// Whether the grid is logarithmic (plots then use a logarithmic t-axis).
        Logarithmic: bool
    }

/// The observables of --observe, in the order they may be listed.
let observableNames =
    [ "loss"; "norm"; "grad_norm"; "layer_norms"; "neuron_norms"; "ncf_direction" ]

/// A validated `np flow` configuration.
type FlowConfig =
    {
        /// The problem options as given.
        Spec: ProblemSpec
        Problem: Problem
        TEnd: float
        Method: IRungeKuttaMethod
        /// --step: the fixed step of a fixed-step method, the first step of an adaptive one.
        Step: float option
        RelativeTolerance: float
        AbsoluteTolerance: float
        MaxSteps: int64
        Precision: Precision
        /// The --observe names, without repetitions.
        Observe: string list
        Times: TimeGrid
        EscapeNorm: float option
        /// --log-time τ: integrate in s = ln(1 + t/τ), or None.
        LogTimeScale: float option
        /// --out; created by `OutputFolder.create`.
        OutDir: string
    }

    /// Whether the method takes fixed steps (it has no embedded error estimate).
    member this.FixedStep = not this.Method.EmbeddedOrder.HasValue

    /// The solver's options.
    member this.IntegrationOptions =
        IntegrationOptions(
            RelativeTolerance = this.RelativeTolerance,
            AbsoluteTolerance = this.AbsoluteTolerance,
            MaxSteps = this.MaxSteps,
            FixedStep =
                (if this.FixedStep then
                     Option.toNullable this.Step
                 else
                     Nullable()),
            InitialStep =
                (if this.FixedStep then
                     Nullable()
                 else
                     Option.toNullable this.Step),
            LogarithmicTimeScale = Option.toNullable this.LogTimeScale
        )

let private defaultTimes = "linear:201"

/// The most observation times a run records (each a row of series.csv, all held in memory): 1 000 000.
let maxTimes = 1_000_000

/// Parses --times: linear:N over [0, T], log:T0:N over [T0, T], or an explicit list within [0, T].
let parseTimes (tEnd: float) (spec: string) =
    let fail reason =
        raise (UsageError $"--times: '{spec}' {reason}")

    match spec.Split(':', StringSplitOptions.TrimEntries) with
    | [| "linear"; count |] ->
        let n = parsePositiveInt "--times" count

        if n < 2 then
            fail "needs at least 2 times (linear:N, N ≥ 2)."

        if n > maxTimes then
            fail $"asks for more than {maxTimes} observation times."

        { Spec = spec
          Times = Flow.linearGrid 0.0 tEnd n
          Logarithmic = false }
    | [| "log"; first; count |] ->
        let t0 = parseFinite "--times" first
        let n = parsePositiveInt "--times" count

        if not (t0 > 0.0 && t0 < tEnd) then
            fail $"needs 0 < T0 < t-end = {invariant tEnd} (log:T0:N)."

        if n < 2 then
            fail "needs at least 2 times (log:T0:N, N ≥ 2)."

        if n > maxTimes then
            fail $"asks for more than {maxTimes} observation times."

        { Spec = spec
          Times = Flow.logGrid t0 tEnd n
          Logarithmic = true }
    | [| _ |] ->
        let times =
            spec.Split(',', StringSplitOptions.TrimEntries ||| StringSplitOptions.RemoveEmptyEntries)
            |> Array.map (fun t ->
                match Double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture) with
                | true, x when Double.IsFinite x -> x
                | _ -> fail "is not linear:N, log:T0:N or a comma list of times.")

        if times.Length = 0 then
            fail "lists no times."

        match times |> Array.tryFind (fun t -> t < 0.0 || t > tEnd) with
        | Some t -> fail $"holds {invariant t}, outside [0, t-end = {invariant tEnd}]."
        | None ->
            { Spec = spec
              Times = Array.sort (Array.distinct times)
              Logarithmic = false }
    | _ -> fail "is not linear:N, log:T0:N or a comma list of times."

/// Parses --observe into distinct names.
let parseObserve (spec: string) =
    let names =
        spec.Split(',', StringSplitOptions.TrimEntries ||| StringSplitOptions.RemoveEmptyEntries)
        |> Array.toList
        |> List.distinct

    if names.IsEmpty then
        raise (UsageError "--observe: name at least one quantity.")

    match names |> List.tryFind (fun n -> not (List.contains n observableNames)) with
    | Some n -> raise (UsageError $"""--observe: '{n}' is not an observable; expected {String.Join(", ", observableNames)}.""")
    | None -> names

/// Resolves and validates the options of `np flow`.
let ofArgs (args: Parsed) =
    let tEnd =
        match args.TryGet FlowArgs.tEnd with
        | Some t -> positive "--t-end" t
        | None -> raise (UsageError "--t-end: give the end time T of the flow, e.g. --t-end 100.")

    let outDir =
        match args.TryGet FlowArgs.out with
        | Some dir -> dir
        | None -> raise (UsageError "--out: name the folder for the results, e.g. --out runs/first.")

    let method =
        let name = args.Get(FlowArgs.method, "dp5")

        match MethodRegistry.All |> Seq.tryFind (fun m -> m.Name = name) with
        | Some m -> m
        | None -> raise (UsageError $"--method: '{name}' is not a method; expected {MethodRegistry.Names}.")

    let step = args.TryGet FlowArgs.step |> Option.map (positive "--step")

    if not method.EmbeddedOrder.HasValue && step.IsNone then
        raise (UsageError $"--step: the fixed-step method {method.Name} needs a step size, e.g. --step 0.01.")

    let rtol = positive "--rtol" (args.Get(FlowArgs.rtol, 1e-8))
    let atol = args.Get(FlowArgs.atol, 1e-12)

    if not (atol >= 0.0 && Double.IsFinite atol) then
        raise (UsageError $"--atol: must be non-negative and finite, got {invariant atol}.")

    let maxSteps = args.Get(FlowArgs.maxSteps, 1_000_000L)

    if maxSteps < 1L then
        raise (UsageError $"--max-steps: must be at least 1, got {maxSteps}.")

    let precision = Inputs.precision (args.Get(FlowArgs.precision, "double"))

    let observe = parseObserve (args.Get(FlowArgs.observe, "loss,norm,grad_norm"))

    let times = parseTimes tEnd (args.Get(FlowArgs.times, defaultTimes))

    let escape =
        args.TryGet FlowArgs.escapeNorm |> Option.map (positive "--escape-norm")

    let logTime = args.TryGet FlowArgs.logTime |> Option.map (positive "--log-time")

    if method.RequiresJacobian && logTime.IsSome then
        raise (UsageError $"--log-time: the stiff method {method.Name} integrates autonomous systems only; use an explicit method with --log-time.")

    let spec = ProblemOptions.spec args
    let problem = spec.Build()

    if isNull problem.Initialisation then
        raise (UsageError "--init-scale: give the initial scale delta (with --seed), or --init with a weights file.")

    { Spec = spec
      Problem = problem
      TEnd = tEnd
      Method = method
      Step = step
      RelativeTolerance = rtol
      AbsoluteTolerance = atol
      MaxSteps = maxSteps
      Precision = precision
      Observe = observe
      Times = times
      EscapeNorm = escape
      LogTimeScale = logTime
      OutDir = outDir }
