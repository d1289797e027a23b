// SPDX-License-Identifier: MIT
/// The configuration of `np pursue`: the problem, the network depth, and every Neuron Pursuit option from flags or a
/// JSON file (flags win), resolved to documented defaults and validated before anything runs. A --config file is read
/// as the flags it stands for (key `delta` is `--delta`), so each option is parsed in one place.
module NeuronPursuit.Cli.PursueConfig

open System
open System.Globalization
open System.IO
open System.Text.Json
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Kkt
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Core.Problems
open NeuronPursuit.Core.Pursuit
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.CommandLine
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
    {
        /// The problem options as given (the seed is NP's, not an initialisation's).
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
        OutDir: string
        /// The loss NP minimises: square-mean (default) or logistic-mean (labels ±1).
        Loss: ILoss
        /// The preprocessing fitted on the training part (identity unless --standardise or --bias).
        Preprocessing: Preprocessing
        /// The data NP trains on and validates with, preprocessed.
        Training: DataSet<float>
        Validation: DataSet<float> option
        /// The raw training and validation parts (for metrics on the label scale).
        RawTraining: DataSet<float>
        RawValidation: DataSet<float> option
        /// "fraction F of N samples, split seed S" or the --validation-data file; None without validation.
        ValidationSource: string option
        /// The raw input columns' names and the label's (x1..xd, y for an example).
        InputNames: string list
        LabelName: string
    }

    /// Whether the data are the hypercube demo's.
    member this.IsDemo = this.Spec.Example = "hypercube"

/// The flag of a key: `max_epochs` → `--max-epochs`.
let private flagOf (key: string) = "--" + key.Replace('_', '-')

/// The keys a --config file may hold: the pursue options' flags (but --config, --seeds, --ablations, --out and
/// --overwrite) and the problem's --activation and --seed, without dashes and with '_' for '-'.
let private configKeys () =
    let pursue =
        [ for flag in PursueArgs.command.Flags do
              if not (List.contains flag.Name [ "config"; "seeds"; "ablations"; "out"; "overwrite" ]) then
                  yield flag.Name.Replace('-', '_') ]

    pursue @ [ "activation"; "seed" ]

/// The command line with a --config file's options appended as the flags they stand for, where the command line does
/// not already give them.
let withConfig (argv: string[]) (given: string list) (path: string) =
    if not (File.Exists path) then
        raise (UsageError $"--config: '{path}': no such file.")

    let document =
        try
            JsonDocument.Parse(File.ReadAllText path)
        with :? JsonException as e ->
            raise (UsageError $"--config: '{path}' is not valid JSON: {oneLine e}")

    if document.RootElement.ValueKind <> JsonValueKind.Object then
        raise (UsageError $"--config: '{path}' must hold one JSON object of options.")

    let keys = configKeys ()

    let extra =
        [ for p in document.RootElement.EnumerateObject() do
              if not (List.contains p.Name keys) then
                  raise (UsageError $"""--config: unknown key '{p.Name}'; known: {String.Join(", ", keys)}.""")

              let flag = flagOf p.Name

              if not (List.contains flag given) then
                  match p.Value.ValueKind with
                  | JsonValueKind.Number -> yield! [ flag; p.Value.GetRawText() ]
                  | JsonValueKind.String -> yield! [ flag; p.Value.GetString() |> nonNull ]
                  // A switch (--standardise, --bias): true gives it, false leaves it out.
                  | JsonValueKind.True -> yield flag
                  | JsonValueKind.False -> ()
                  | kind -> raise (UsageError $"--config: '{p.Name}' has the wrong type ({kind}).") ]

    Array.append argv (Array.ofList extra)

/// Parses --seeds A..B.
let parseSeeds (text: string) =
    match text.Split("..", StringSplitOptions.TrimEntries) with
    | [| a; b |] ->
        match
            Int64.TryParse(a, NumberStyles.Integer, CultureInfo.InvariantCulture),
            Int64.TryParse(b, NumberStyles.Integer, CultureInfo.InvariantCulture)
        with
        | (true, first), (true, last) when first <= last && last - first < 1000L -> first, last
        | _ -> raise (UsageError $"--seeds: '{text}' is not a range A..B of at most 1000 integers with A <= B.")
    | _ -> raise (UsageError $"--seeds: '{text}' is not a range A..B such as 1..10.")

/// The problem options `np pursue` takes: data, σ, the loss it minimises, and --seed for its KKT restarts.
let problemFlags =
    [ "--example"
      "--data"
      "--data-seed"
      "--samples"
      "--activation"
      "--loss"
      "--seed" ]

/// Resolves and validates the options of `np pursue` (after `withConfig`).
let ofArgs (args: Parsed) =
    ProblemOptions.allowOnly "pursue" problemFlags args
    let d = PursuitOptions()
    let depth = args.Get(PursueArgs.depth, 3)

    if depth < 2 then
        raise (UsageError $"--depth: must be at least 2 (a two-layer net), got {depth}.")

    let directions =
        match args.Get(PursueArgs.directions, "kkt") with
        | "kkt" -> DirectionRule.Kkt
        | "random" -> DirectionRule.Random
        | other -> raise (UsageError $"--directions: '{other}' is not kkt or random.")

    let kinks =
        match args.Get(PursueArgs.kinks, "one-sided") with
        | "one-sided" -> KinkRule.OneSided
        | "linearised" -> KinkRule.Linearised
        | other -> raise (UsageError $"--kinks: '{other}' is not one-sided or linearised.")

    let minimiser =
        match args.Get(PursueArgs.minimiser, "gd") with
        | "gd" -> MinimiserKind.GradientDescent
        | "flow" -> MinimiserKind.GradientFlow
        | other -> raise (UsageError $"--minimiser: '{other}' is not gd or flow.")

    let flowMethod = args.Get(PursueArgs.flowMethod, d.FlowMethod)

    if not (List.contains flowMethod Flow.methods) then
        raise (UsageError $"""--flow-method: '{flowMethod}' is not a method; expected {String.Join(" | ", Flow.methods)}.""")

    let ascentSteps = args.Get(PursueArgs.ascentSteps, d.Ascent.MaxSteps)

    if ascentSteps < 1 then
        raise (UsageError $"--ascent-steps: must be at least 1, got {ascentSteps}.")

    let kktTol = args.Get(PursueArgs.kktTol, d.Ascent.KktTolerance)

    if not (kktTol >= 0.0 && Double.IsFinite kktTol) then
        raise (UsageError $"--kkt-tol: must be finite and >= 0, got {invariant kktTol}.")

    let given = ProblemOptions.spec args
    // NP minimises a mean loss: square and logistic are read as their means.
    let loss: ILoss =
        match Option.ofObj given.Loss with
        | None -> Losses.SquareMean
        | Some spec ->
            match
                (try
                    Losses.Parse spec
                 with :? ArgumentException as e ->
                     raise (UsageError $"--loss: {oneLine e}"))
            with
            | :? SquareLoss -> Losses.SquareMean
            | :? LogisticLoss as l -> LogisticLoss(LossNormalisation.Mean, l.Factor) :> ILoss
            | other -> raise (UsageError $"--loss: Neuron Pursuit minimises square-mean or logistic-mean, not '{other.Name}'.")

    let options =
        PursuitOptions(
            Loss = loss,
            InitialScale = args.Get(PursueArgs.delta0, d.InitialScale),
            NeuronScale = args.Get(PursueArgs.delta, d.NeuronScale),
            LearningRate = args.Get(PursueArgs.eta, d.LearningRate),
            InitialSign = args.Get(PursueArgs.initialSign, d.InitialSign),
            Restarts = args.Get(PursueArgs.restarts, d.Restarts),
            Ascent = SphericalAscentOptions(KktTolerance = kktTol, MaxSteps = ascentSteps),
            DecreaseFactor = args.Get(PursueArgs.decreaseFactor, d.DecreaseFactor),
            StopWindow = args.Get(PursueArgs.stopWindow, d.StopWindow),
            RelativeChange = args.Get(PursueArgs.relativeChange, d.RelativeChange),
            LossFloor = args.Get(PursueArgs.lossFloor, d.LossFloor),
            MaxEpochs = args.Get(PursueArgs.maxEpochs, d.MaxEpochs),
            PruneEpochs = args.Get(PursueArgs.pruneEpochs, d.PruneEpochs),
            Lookahead = args.Get(PursueArgs.lookahead, d.Lookahead),
            Patience = args.Get(PursueArgs.patience, d.Patience),
            Kinks = kinks,
            LossTolerance = args.Get(PursueArgs.lossTol, d.LossTolerance),
            ValueTolerance = args.Get(PursueArgs.valueTol, d.ValueTolerance),
            MaxIterations = args.Get(PursueArgs.maxIterations, d.MaxIterations),
            MaxNeurons = args.Get(PursueArgs.maxNeurons, d.MaxNeurons),
            NeuronsPerIteration = args.Get(PursueArgs.neuronsPerIteration, d.NeuronsPerIteration),
            Directions = directions,
            Minimiser = minimiser,
            FlowMethod = flowMethod,
            Seed = args.Get(NpArgs.seed, d.Seed),
            Parallelism = args.Get(PursueArgs.threads, d.Parallelism)
        )
    // The core names the option in its message ("delta: must be positive …"); the flag is that name with dashes.
    try
        options.Validate()
    with :? ArgumentException as e ->
        raise (UsageError $"--{oneLine e}")

    let baselineEpochs = args.Get(PursueArgs.baselineEpochs, 100_000)

    let wideEpochs = args.Get(PursueArgs.wideEpochs, 20_000)

    if baselineEpochs < 1 then
        raise (UsageError $"--baseline-epochs: must be at least 1, got {baselineEpochs}.")

    if wideEpochs < 1 then
        raise (UsageError $"--wide-epochs: must be at least 1, got {wideEpochs}.")

    let mode =
        match args.TryGet PursueArgs.seeds, args.Has PursueArgs.ablations with
        | Some _, true -> raise (UsageError "--seeds and --ablations: give one of them, not both.")
        | Some range, false -> SeedRange(parseSeeds range)
        | None, true -> Ablations
        | None, false -> Single

    match given.Example with
    | null
    | "hypercube" -> ()
    | other -> raise (UsageError $"--example: '{other}' is not a pursue example; known: hypercube.")

    if isNull given.Example && mode <> Single then
        raise (UsageError "--seeds/--ablations: applies only to --example hypercube.")

    if given.Example = "hypercube" && depth <> 3 && mode <> Single then
        raise (UsageError "--depth: --seeds and --ablations reproduce the demo's three-layer net; leave --depth at 3.")
    // NP's network: feed-forward of the given depth, one neuron per hidden layer to start; --seed is NP's own.
    let spec =
        ProblemSpec(
            Example = given.Example,
            Data = given.Data,
            DataSeed = given.DataSeed,
            Samples = given.Samples,
            Net = "ff",
            Widths = String.Join(",", List.replicate (depth - 1) 1),
            Activation = given.Activation,
            Loss = loss.Name
        )

    let problem = spec.Build()
    // The data must fit double precision for this network: the loss and gradient of a unit-norm network (seeded) are
    // finite, else one line names the data and their largest value (not an overflow deep in the KKT search).
    Overflow.requireFiniteSquares problem

    let unit =
        Vec.gaussian 1L 1.0 problem.Dimension |> fun u -> Vec.scale (1.0 / Vec.norm u) u

    Overflow.evaluateFinite problem "the loss of a unit-norm network" "rescale the data." (fun () -> value (Problem.loss problem) unit)
    |> ignore

    Overflow.evaluateFinite problem "the gradient of the loss of a unit-norm network" "rescale the data." (fun () ->
        Vec.norm (grad (Problem.loss problem) unit))
    |> ignore

    if
        mode <> Single
        && (args.Has PursueArgs.validation
            || args.Has PursueArgs.validationData
            || args.Has PursueArgs.standardise
            || args.Has PursueArgs.bias
            || not (loss :? SquareLoss))
    then
        raise (
            UsageError
                "--seeds/--ablations: reproduce the demo as it is; --validation, --validation-data, --standardise, --bias and --loss logistic apply to single runs."
        )

    let raw = problem.Data

    let inputNames, labelName =
        match Option.ofObj given.Data with
        | Some path ->
            let table = CsvDataReader.ReadTable path
            List.ofSeq table.Names |> List.take (table.Columns - 1), table.Names.[table.Columns - 1]
        | None -> [ for k in 1 .. raw.InputDimension -> $"x{k}" ], "y"

    let notPlusMinusOne (y: float) = y <> 1.0 && y <> -1.0

    if loss :? LogisticLoss then
        match Seq.tryFindIndex notPlusMinusOne (raw.Y.ToArray()) with
        | Some i ->
            raise (UsageError $"--loss: logistic needs labels -1 or +1, but {problem.DataSource} has label {invariant raw.Y.[i]} (sample {i + 1}).")
        | None -> ()

    let splitSeed = args.Get(PursueArgs.splitSeed, 1L)
    let columns (names: string seq) = String.Join(",", names)

    let rawTraining, rawValidation, validationSource =
        match args.TryGet PursueArgs.validation, args.TryGet PursueArgs.validationData with
        | Some _, Some _ -> raise (UsageError "--validation and --validation-data: give one of them, not both.")
        | Some f, None ->
            if not (f > 0.0 && f < 1.0) then
                raise (UsageError $"--validation: the fraction must lie strictly between 0 and 1, got {invariant f}.")

            if raw.Count < 2 then
                raise (UsageError $"--validation: {raw.Count} sample cannot be split.")

            let struct (training, held) = DataSplit.Split(raw, f, splitSeed)
            training, Some held, Some $"fraction {invariant f} of {raw.Count} samples, split seed {splitSeed}"
        | None, Some path ->
            let table = CsvDataReader.ReadTable path
            let expected = inputNames @ [ labelName ]

            if List.ofSeq table.Names <> expected then
                raise (UsageError $"--validation-data: '{path}' has columns {columns table.Names}, the training data {columns expected}.")

            let held = table.ToDataSet()

            if loss :? LogisticLoss && Seq.exists notPlusMinusOne (held.Y.ToArray()) then
                raise (UsageError $"--validation-data: logistic loss needs labels -1 or +1 in '{path}'.")

            raw, Some held, Some path
        | None, None -> raw, None, None

    if args.Has PursueArgs.splitSeed && not (args.Has PursueArgs.validation) then
        raise (UsageError "--split-seed: applies only with --validation FRACTION.")

    let preprocessing =
        Pursuit.preprocessing (args.Has PursueArgs.standardise) (args.Has PursueArgs.bias) loss rawTraining

    let outDir =
        match args.TryGet PursueArgs.out, given.Example with
        | Some dir, _ -> dir
        | None, null -> raise (UsageError "--out: name the folder for the results, e.g. --out runs/pursue.")
        | None, name -> Path.Combine("runs", $"pursue-{name}")

    { Spec = spec
      Problem = problem
      DataSeed =
        (if isNull given.Example then
             None
         else
             Some(Option.ofNullable given.DataSeed |> Option.defaultValue 1L))
      Depth = depth
      Options = options
      ConfigFile = args.TryGet PursueArgs.config
      Mode = mode
      BaselineEpochs = baselineEpochs
      WideEpochs = wideEpochs
      OutDir = outDir
      Loss = loss
      Preprocessing = preprocessing
      Training = preprocessing.Apply rawTraining
      Validation = rawValidation |> Option.map preprocessing.Apply
      RawTraining = rawTraining
      RawValidation = rawValidation
      ValidationSource = validationSource
      InputNames = inputNames
      LabelName = labelName }
