// SPDX-License-Identifier: MIT
/// The configuration of `np pursue`: the problem, the network depth, and every Neuron Pursuit option from flags or a
/// JSON file (flags win), resolved to documented defaults and validated before anything runs. A --config file is read
/// as the flags it stands for (key `delta` is `--delta`), so each option is parsed in one place.
module NeuronPursuit.Cli.PursueConfig

open System
open System.Globalization
open System.IO
open System.Text.Json
open Argu
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Kkt
open NeuronPursuit.Core.Problems
open NeuronPursuit.Core.Pursuit
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.Inputs

/// What `np pursue` runs.
type PursueMode =
    /// One run on the data.
    | Single
    /// The example for each data seed of the range, in parallel.
    | SeedRange of first: int64 * last: int64
    /// The example's ablations and baselines.
    | Ablations

/// A validated `np pursue` configuration.
type PursueConfig =
    { /// The problem options as given (the seed is NP's, not an initialisation's).
      Spec: ProblemSpec
      /// The data, the starting network (one neuron per hidden layer) and the loss (1/(2n))Σ(H − y)².
      Problem: Problem
      /// The example's data seed, or None for --data.
      DataSeed: int64 option
      /// L, the number of weight matrices (hidden layers L − 1).
      Depth: int
      Options: PursuitOptions
      /// --config, if given.
      ConfigFile: string option
      Mode: PursueMode
      /// GD epochs of the (4, 2) baseline and of the (64, 64) baselines (--ablations).
      BaselineEpochs: int
      WideEpochs: int
      OutDir: string }

    /// Whether the data are the hypercube demo's.
    member this.IsDemo = this.Spec.Example = "hypercube"

/// The flag of a key: `max_epochs` → `--max-epochs`.
let private flagOf (key: string) = "--" + key.Replace('_', '-')

/// The keys a --config file may hold: the pursue options' flags (but --config, --seeds, --ablations, --out and
/// --overwrite) and
/// the problem's --activation and --seed, without dashes and with '_' for '-'.
let configKeys =
    let pursue =
        [ for case in ArgumentParser.Create<PursueArgs>().GetArgumentCases() do
              let name = case.Name.Value
              if not (List.contains name [ "--config"; "--seeds"; "--ablations"; "--out"; "--overwrite"; "--help" ]) then
                  yield name.TrimStart('-').Replace('-', '_') ]
    pursue @ [ "activation"; "seed" ]

/// The command line with a --config file's options appended as the flags they stand for, where the command line does
/// not already give them.
let withConfig (argv: string[]) (given: string list) (path: string) =
    if not (File.Exists path) then raise (UsageError $"--config: '{path}': no such file.")
    let document =
        try JsonDocument.Parse(File.ReadAllText path)
        with :? JsonException as e -> raise (UsageError $"--config: '{path}' is not valid JSON: {oneLine e}")
    if document.RootElement.ValueKind <> JsonValueKind.Object then
        raise (UsageError $"--config: '{path}' must hold one JSON object of options.")
    let extra =
        [ for p in document.RootElement.EnumerateObject() do
              if not (List.contains p.Name configKeys) then
                  raise (UsageError $"""--config: unknown key '{p.Name}'; known: {String.Join(", ", configKeys)}.""")
              let flag = flagOf p.Name
              if not (List.contains flag given) then
                  let text =
                      match p.Value.ValueKind with
                      | JsonValueKind.Number -> p.Value.GetRawText()
                      | JsonValueKind.String -> p.Value.GetString() |> nonNull
                      | kind -> raise (UsageError $"--config: '{p.Name}' has the wrong type ({kind}).")
                  yield! [ flag; text ] ]
    Array.append argv (Array.ofList extra)

/// Parses --seeds A..B.
let parseSeeds (text: string) =
    match text.Split("..", StringSplitOptions.TrimEntries) with
    | [| a; b |] ->
        match Int64.TryParse(a, NumberStyles.Integer, CultureInfo.InvariantCulture), Int64.TryParse(b, NumberStyles.Integer, CultureInfo.InvariantCulture) with
        | (true, first), (true, last) when first <= last && last - first < 1000L -> first, last
        | _ -> raise (UsageError $"--seeds: '{text}' is not a range A..B of at most 1000 integers with A <= B.")
    | _ -> raise (UsageError $"--seeds: '{text}' is not a range A..B such as 1..10.")

/// The problem options `np pursue` takes: data, σ, the loss it minimises, and --seed for its KKT restarts.
let private problemFlags = [ "--example"; "--data"; "--data-seed"; "--samples"; "--activation"; "--loss"; "--seed" ]

/// Resolves and validates the options of `np pursue` (after `withConfig`).
let ofArgs (problemArgs: ParseResults<NpArgs>) (args: ParseResults<PursueArgs>) =
    ProblemOptions.allowOnly "pursue" problemFlags problemArgs
    let d = PursuitOptions()
    let depth = args.GetResult(PursueArgs.Depth, defaultValue = 3)
    if depth < 2 then raise (UsageError $"--depth: must be at least 2 (a two-layer net), got {depth}.")
    let directions =
        match args.GetResult(PursueArgs.Directions, defaultValue = "kkt") with
        | "kkt" -> DirectionRule.Kkt
        | "random" -> DirectionRule.Random
        | other -> raise (UsageError $"--directions: '{other}' is not kkt or random.")
    let minimiser =
        match args.GetResult(PursueArgs.Minimiser, defaultValue = "gd") with
        | "gd" -> MinimiserKind.GradientDescent
        | "flow" -> MinimiserKind.GradientFlow
        | other -> raise (UsageError $"--minimiser: '{other}' is not gd or flow.")
    let flowMethod = args.GetResult(PursueArgs.Flow_Method, defaultValue = d.FlowMethod)
    if not (List.contains flowMethod Flow.methods) then
        raise (UsageError $"""--flow-method: '{flowMethod}' is not a method; expected {String.Join(" | ", Flow.methods)}.""")
    let ascentSteps = args.GetResult(PursueArgs.Ascent_Steps, defaultValue = d.Ascent.MaxSteps)
    if ascentSteps < 1 then raise (UsageError $"--ascent-steps: must be at least 1, got {ascentSteps}.")
    let kktTol = args.GetResult(PursueArgs.Kkt_Tol, defaultValue = d.Ascent.KktTolerance)
    if not (kktTol >= 0.0 && Double.IsFinite kktTol) then raise (UsageError $"--kkt-tol: must be finite and >= 0, got {invariant kktTol}.")
    let options =
        PursuitOptions(
            InitialScale = args.GetResult(PursueArgs.Delta0, defaultValue = d.InitialScale),
            NeuronScale = args.GetResult(PursueArgs.Delta, defaultValue = d.NeuronScale),
            LearningRate = args.GetResult(PursueArgs.Eta, defaultValue = d.LearningRate),
            InitialSign = args.GetResult(PursueArgs.Initial_Sign, defaultValue = d.InitialSign),
            Restarts = args.GetResult(PursueArgs.Restarts, defaultValue = d.Restarts),
            Ascent = SphericalAscentOptions(KktTolerance = kktTol, MaxSteps = ascentSteps),
            DecreaseFactor = args.GetResult(PursueArgs.Decrease_Factor, defaultValue = d.DecreaseFactor),
            StopWindow = args.GetResult(PursueArgs.Stop_Window, defaultValue = d.StopWindow),
            RelativeChange = args.GetResult(PursueArgs.Relative_Change, defaultValue = d.RelativeChange),
            LossFloor = args.GetResult(PursueArgs.Loss_Floor, defaultValue = d.LossFloor),
            MaxEpochs = args.GetResult(PursueArgs.Max_Epochs, defaultValue = d.MaxEpochs),
            LossTolerance = args.GetResult(PursueArgs.Loss_Tol, defaultValue = d.LossTolerance),
            ValueTolerance = args.GetResult(PursueArgs.Value_Tol, defaultValue = d.ValueTolerance),
            MaxIterations = args.GetResult(PursueArgs.Max_Iterations, defaultValue = d.MaxIterations),
            MaxNeurons = args.GetResult(PursueArgs.Max_Neurons, defaultValue = d.MaxNeurons),
            NeuronsPerIteration = args.GetResult(PursueArgs.Neurons_Per_Iteration, defaultValue = d.NeuronsPerIteration),
            Directions = directions,
            Minimiser = minimiser,
            FlowMethod = flowMethod,
            Seed = problemArgs.GetResult(NpArgs.Seed, defaultValue = d.Seed),
            Parallelism = args.GetResult(PursueArgs.Threads, defaultValue = d.Parallelism))
    // The core names the option in its message ("delta: must be positive …"); the flag is that name with dashes.
    try options.Validate()
    with :? ArgumentException as e -> raise (UsageError $"--{oneLine e}")
    let baselineEpochs = args.GetResult(PursueArgs.Baseline_Epochs, defaultValue = 100_000)
    let wideEpochs = args.GetResult(PursueArgs.Wide_Epochs, defaultValue = 20_000)
    if baselineEpochs < 1 then raise (UsageError $"--baseline-epochs: must be at least 1, got {baselineEpochs}.")
    if wideEpochs < 1 then raise (UsageError $"--wide-epochs: must be at least 1, got {wideEpochs}.")
    let mode =
        match args.TryGetResult PursueArgs.Seeds, args.Contains PursueArgs.Ablations with
        | Some _, true -> raise (UsageError "--seeds and --ablations: give one of them, not both.")
        | Some range, false -> SeedRange(parseSeeds range)
        | None, true -> Ablations
        | None, false -> Single
    let given = ProblemOptions.spec problemArgs
    match given.Loss with
    | null
    | "square-mean" -> ()
    | other -> raise (UsageError $"--loss: Neuron Pursuit minimises square-mean, (1/(2n))Σ(H - y)², not '{other}'.")
    match given.Example with
    | null
    | "hypercube" -> ()
    | other -> raise (UsageError $"--example: '{other}' is not a pursue example; known: hypercube.")
    if isNull given.Example && mode <> Single then raise (UsageError "--seeds/--ablations: applies only to --example hypercube.")
    if given.Example = "hypercube" && depth <> 3 && mode <> Single then
        raise (UsageError "--depth: --seeds and --ablations reproduce the demo's three-layer net; leave --depth at 3.")
    // NP's network: feed-forward of the given depth, one neuron per hidden layer to start; --seed is NP's own.
    let spec = ProblemSpec(Example = given.Example, Data = given.Data, DataSeed = given.DataSeed, Samples = given.Samples, Net = "ff",
                           Widths = String.Join(",", List.replicate (depth - 1) 1), Activation = given.Activation, Loss = "square-mean")
    let problem = spec.Build()
    // The data must fit double precision for this network: the loss and gradient of a unit-norm network (seeded) are
    // finite, else one line names the data and their largest value (not an overflow deep in the KKT search).
    let unit = Vec.gaussian 1L 1.0 problem.Dimension |> fun u -> Vec.scale (1.0 / Vec.norm u) u
    Overflow.evaluateFinite problem "the loss of a unit-norm network" "rescale the data." (fun () -> value (Problem.loss problem) unit) |> ignore
    Overflow.evaluateFinite problem "the gradient of the loss of a unit-norm network" "rescale the data." (fun () -> Vec.norm (grad (Problem.loss problem) unit)) |> ignore
    let outDir =
        match args.TryGetResult PursueArgs.Out, given.Example with
        | Some dir, _ -> dir
        | None, null -> raise (UsageError "--out: name the folder for the results, e.g. --out runs/pursue.")
        | None, name -> Path.Combine("runs", $"pursue-{name}")
    { Spec = spec
      Problem = problem
      DataSeed = (if isNull given.Example then None else Some(Option.ofNullable given.DataSeed |> Option.defaultValue 1L))
      Depth = depth
      Options = options
      ConfigFile = args.TryGetResult PursueArgs.Config
      Mode = mode
      BaselineEpochs = baselineEpochs
      WideEpochs = wideEpochs
      OutDir = outDir }
