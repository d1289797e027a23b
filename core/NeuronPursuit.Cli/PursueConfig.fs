// SPDX-License-Identifier: MIT
/// The configuration of `np pursue`: data, network depth and activation, and every Neuron Pursuit option from
/// flags or a JSON file (flags win), resolved to documented defaults and validated before anything runs.
module NeuronPursuit.Cli.PursueConfig

open System
open System.Globalization
open System.IO
open System.Text.Json
open Argu
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Kkt
open NeuronPursuit.Core.Models
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
    { /// "example hypercube" or the CSV path.
      DataSource: string
      /// The example's name, or None for --data.
      Example: string option
      /// The example's data seed (--data-seed, default 1), or None for --data.
      DataSeed: int64 option
      /// The example's n (default 1000).
      Samples: int
      Data: DataSet<float>
      /// L, the number of weight matrices (hidden layers L − 1).
      Depth: int
      ActivationSpec: string
      Activation: IActivation
      Options: PursuitOptions
      /// --config, if given.
      ConfigFile: string option
      Mode: PursueMode
      /// GD epochs of the (4, 2) baseline and of the (64, 64) baselines (--ablations).
      BaselineEpochs: int
      WideEpochs: int
      OutDir: string }

/// The JSON keys --config accepts: the long flags without dashes, in snake_case.
let configKeys =
    [ "depth"; "activation"; "delta0"; "delta"; "eta"; "initial_sign"; "restarts"; "ascent_steps"; "kkt_tol"
      "decrease_factor"; "stop_window"; "relative_change"; "loss_floor"; "max_epochs"; "loss_tol"; "value_tol"
      "max_iterations"; "max_neurons"; "neurons_per_iteration"; "directions"; "minimiser"; "flow_method"; "seed"; "threads"
      "baseline_epochs"; "wide_epochs" ]

/// Reads --config into a map key → JSON value; unknown keys, non-objects and malformed JSON are errors.
let private readConfig (path: string) =
    if not (File.Exists path) then raise (UsageError $"--config: '{path}': no such file.")
    let document =
        try JsonDocument.Parse(File.ReadAllText path)
        with :? JsonException as e -> raise (UsageError $"--config: '{path}' is not valid JSON: {oneLine e}")
    if document.RootElement.ValueKind <> JsonValueKind.Object then
        raise (UsageError $"--config: '{path}' must hold one JSON object of options.")
    [ for p in document.RootElement.EnumerateObject() do
          if not (List.contains p.Name configKeys) then
              raise (UsageError $"""--config: unknown key '{p.Name}'; known: {String.Join(", ", configKeys)}.""")
          p.Name, p.Value.Clone() ]
    |> Map.ofList

/// A value from the flag, else from the config file, else the default.
let private pick (config: Map<string, JsonElement>) (key: string) (flag: 'a option) (ofJson: JsonElement -> 'a option) (fallback: 'a) =
    match flag with
    | Some v -> v
    | None ->
        match config.TryFind key with
        | None -> fallback
        | Some e ->
            match (try ofJson e with _ -> None) with
            | Some v -> v
            | None -> raise (UsageError $"--config: '{key}' has the wrong type ({e.ValueKind}).")

let private jsonFloat (e: JsonElement) = if e.ValueKind = JsonValueKind.Number then Some(e.GetDouble()) else None
let private jsonInt (e: JsonElement) = if e.ValueKind = JsonValueKind.Number then Some(e.GetInt32()) else None
let private jsonInt64 (e: JsonElement) = if e.ValueKind = JsonValueKind.Number then Some(e.GetInt64()) else None
let private jsonString (e: JsonElement) = if e.ValueKind = JsonValueKind.String then Some(e.GetString() |> nonNull) else None

/// Parses --seeds A..B.
let parseSeeds (text: string) =
    match text.Split("..", StringSplitOptions.TrimEntries) with
    | [| a; b |] ->
        match Int64.TryParse(a, NumberStyles.Integer, CultureInfo.InvariantCulture), Int64.TryParse(b, NumberStyles.Integer, CultureInfo.InvariantCulture) with
        | (true, first), (true, last) when first <= last && last - first < 1000L -> first, last
        | _ -> raise (UsageError $"--seeds: '{text}' is not a range A..B of at most 1000 integers with A <= B.")
    | _ -> raise (UsageError $"--seeds: '{text}' is not a range A..B such as 1..10.")

/// Resolves and validates the options of `np pursue`.
let ofArgs (args: ParseResults<PursueArgs>) =
    let config = args.TryGetResult PursueArgs.Config |> Option.map readConfig |> Option.defaultValue Map.empty
    let float key (flag: float option) fallback = pick config key flag jsonFloat fallback
    let int key (flag: int option) fallback = pick config key flag jsonInt fallback
    let str key (flag: string option) fallback = pick config key flag jsonString fallback
    let d = PursuitOptions()
    let depth = int "depth" (args.TryGetResult PursueArgs.Depth) 3
    if depth < 2 then raise (UsageError $"--depth: must be at least 2 (a two-layer net), got {depth}.")
    let activationSpec = str "activation" (args.TryGetResult PursueArgs.Activation) "relu"
    let activation =
        try Activations.Parse activationSpec
        with :? ArgumentException as e -> raise (UsageError $"--activation: {oneLine e}")
    let directions =
        match str "directions" (args.TryGetResult PursueArgs.Directions) "kkt" with
        | "kkt" -> DirectionRule.Kkt
        | "random" -> DirectionRule.Random
        | other -> raise (UsageError $"--directions: '{other}' is not kkt or random.")
    let minimiser =
        match str "minimiser" (args.TryGetResult PursueArgs.Minimiser) "gd" with
        | "gd" -> MinimiserKind.GradientDescent
        | "flow" -> MinimiserKind.GradientFlow
        | other -> raise (UsageError $"--minimiser: '{other}' is not gd or flow.")
    let flowMethod = str "flow_method" (args.TryGetResult PursueArgs.Flow_Method) d.FlowMethod
    if not (NeuronPursuit.Core.Flow.Methods.MethodRegistry.All |> Seq.exists (fun m -> m.Name = flowMethod)) then
        raise (UsageError $"--flow-method: '{flowMethod}' is not a method; expected {NeuronPursuit.Core.Flow.Methods.MethodRegistry.Names}.")
    let ascentSteps = int "ascent_steps" (args.TryGetResult PursueArgs.Ascent_Steps) d.Ascent.MaxSteps
    if ascentSteps < 1 then raise (UsageError $"--ascent-steps: must be at least 1, got {ascentSteps}.")
    let kktTol = float "kkt_tol" (args.TryGetResult PursueArgs.Kkt_Tol) d.Ascent.KktTolerance
    if not (kktTol >= 0.0 && Double.IsFinite kktTol) then raise (UsageError $"--kkt-tol: must be finite and >= 0, got {invariant kktTol}.")
    let options =
        PursuitOptions(
            InitialScale = float "delta0" (args.TryGetResult PursueArgs.Delta0) d.InitialScale,
            NeuronScale = float "delta" (args.TryGetResult PursueArgs.Delta) d.NeuronScale,
            LearningRate = float "eta" (args.TryGetResult PursueArgs.Eta) d.LearningRate,
            InitialSign = int "initial_sign" (args.TryGetResult PursueArgs.Initial_Sign) d.InitialSign,
            Restarts = int "restarts" (args.TryGetResult PursueArgs.Restarts) d.Restarts,
            Ascent = SphericalAscentOptions(KktTolerance = kktTol, MaxSteps = ascentSteps),
            DecreaseFactor = float "decrease_factor" (args.TryGetResult PursueArgs.Decrease_Factor) d.DecreaseFactor,
            StopWindow = int "stop_window" (args.TryGetResult PursueArgs.Stop_Window) d.StopWindow,
            RelativeChange = float "relative_change" (args.TryGetResult PursueArgs.Relative_Change) d.RelativeChange,
            LossFloor = float "loss_floor" (args.TryGetResult PursueArgs.Loss_Floor) d.LossFloor,
            MaxEpochs = int "max_epochs" (args.TryGetResult PursueArgs.Max_Epochs) d.MaxEpochs,
            LossTolerance = float "loss_tol" (args.TryGetResult PursueArgs.Loss_Tol) d.LossTolerance,
            ValueTolerance = float "value_tol" (args.TryGetResult PursueArgs.Value_Tol) d.ValueTolerance,
            MaxIterations = int "max_iterations" (args.TryGetResult PursueArgs.Max_Iterations) d.MaxIterations,
            MaxNeurons = int "max_neurons" (args.TryGetResult PursueArgs.Max_Neurons) d.MaxNeurons,
            NeuronsPerIteration = int "neurons_per_iteration" (args.TryGetResult PursueArgs.Neurons_Per_Iteration) d.NeuronsPerIteration,
            Directions = directions,
            Minimiser = minimiser,
            FlowMethod = flowMethod,
            Seed = pick config "seed" (args.TryGetResult PursueArgs.Seed) jsonInt64 d.Seed,
            Parallelism = int "threads" (args.TryGetResult PursueArgs.Threads) d.Parallelism)
    // The core names the option in its message ("delta: must be positive …"); the flag is that name with dashes.
    try options.Validate()
    with :? ArgumentException as e -> raise (UsageError $"--{oneLine e}")
    let baselineEpochs = int "baseline_epochs" (args.TryGetResult PursueArgs.Baseline_Epochs) 100_000
    let wideEpochs = int "wide_epochs" (args.TryGetResult PursueArgs.Wide_Epochs) 20_000
    if baselineEpochs < 1 then raise (UsageError $"--baseline-epochs: must be at least 1, got {baselineEpochs}.")
    if wideEpochs < 1 then raise (UsageError $"--wide-epochs: must be at least 1, got {wideEpochs}.")
    let samples = args.GetResult(PursueArgs.Samples, defaultValue = HypercubeExample.DefaultSamples)
    if samples < 1 then raise (UsageError $"--samples: must be at least 1, got {samples}.")
    let mode =
        match args.TryGetResult PursueArgs.Seeds, args.Contains PursueArgs.Ablations with
        | Some _, true -> raise (UsageError "--seeds and --ablations: give one of them, not both.")
        | Some range, false -> SeedRange(parseSeeds range)
        | None, true -> Ablations
        | None, false -> Single
    let example, data, source, dataSeed =
        match args.TryGetResult PursueArgs.Example, args.TryGetResult PursueArgs.Data with
        | Some _, Some _ -> raise (UsageError "--example and --data: give one of them, not both.")
        | None, None -> raise (UsageError "--data: name a CSV data file, or use --example hypercube.")
        | Some "hypercube", None ->
            let seed = args.GetResult(PursueArgs.Data_Seed, defaultValue = 1L)
            Some "hypercube", HypercubeExample.TrainingSet(seed, samples), "example hypercube", Some seed
        | Some other, None -> raise (UsageError $"--example: '{other}' is not a pursue example; known: hypercube.")
        | None, Some path ->
            for flag, name in [ args.Contains PursueArgs.Data_Seed, "--data-seed"; args.Contains PursueArgs.Samples, "--samples"
                                mode <> Single, "--seeds/--ablations" ] do
                if flag then raise (UsageError $"{name}: applies only to --example hypercube.")
            None, Data.readCsv path, path, None
    if example.IsSome && depth <> 3 && mode <> Single then
        raise (UsageError "--depth: --seeds and --ablations reproduce the demo's three-layer net; leave --depth at 3.")
    let outDir =
        match args.TryGetResult PursueArgs.Out, example with
        | Some dir, _ -> dir
        | None, Some name -> Path.Combine("runs", $"pursue-{name}")
        | None, None -> raise (UsageError "--out: name the folder for the results, e.g. --out runs/pursue.")
    { DataSource = source
      Example = example
      DataSeed = dataSeed
      Samples = samples
      Data = data
      Depth = depth
      ActivationSpec = activation.Specification
      Activation = activation
      Options = options
      ConfigFile = args.TryGetResult PursueArgs.Config
      Mode = mode
      BaselineEpochs = baselineEpochs
      WideEpochs = wideEpochs
      OutDir = outDir }
