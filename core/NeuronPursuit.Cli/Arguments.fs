// SPDX-License-Identifier: MIT
/// The command line of `np`: every subcommand's flags, declared once as typed handles (`CommandLine.Arg`), and the
/// command tree they form. The problem options (data, network, loss, initial point) are declared once, in `NpArgs`,
/// and accepted by every subcommand; `ProblemOptions` parses them into the core's one specification (`ProblemSpec`) and
/// refuses them where a subcommand has no problem.
module NeuronPursuit.Cli.Arguments

open NeuronPursuit.Core.Flow.Methods
open NeuronPursuit.Core.Problems
open NeuronPursuit.Cli.CommandLine

/// The problem options of `np`, shared by every subcommand that builds a problem.
module NpArgs =
    let private describe (key: string) =
        (ProblemSpec.Keys |> Seq.find (fun k -> k.Name = key)).Description + "."

    let example = text "example" "name" (describe "example")
    let data = text "data" "path" (describe "data")
    let dataSeed = long "data-seed" "s" (describe "data-seed")
    let samples = integer "samples" "n" (describe "samples")
    let net = text "net" "kind" (describe "net")
    let widths = text "widths" "list" (describe "widths")
    let activation = text "activation" "spec" (describe "activation")
    let loss = text "loss" "spec" (describe "loss")
    let init = text "init" "path" (describe "init")
    let initScale = real "init-scale" "delta" (describe "init-scale")
    let initDirection = text "init-direction" "kind" (describe "init-direction")

    let seed =
        long "seed" "s" (describe "seed" + " For pursue: the seed of the KKT restarts (default 1).")

    let flags =
        [ example.Flag
          data.Flag
          dataSeed.Flag
          samples.Flag
          net.Flag
          widths.Flag
          activation.Flag
          loss.Flag
          init.Flag
          initScale.Flag
          initDirection.Flag
          seed.Flag ]

/// `np eval`: evaluate the training loss of a network at given weights.
module EvalArgs =
    let weights =
        text
            "weights"
            "path"
            "weights file: one number per line in the network's parameter layout (W1..WL row-major; two-layer: W then v); default: an example's teacher weights."

    let precision =
        text "precision" "kind" "arithmetic: double (default) | double-double."

    let command =
        { Path = [ "eval" ]
          Usage = "evaluate the training loss (and gradient norm) of a network at given weights."
          Flags = [ weights.Flag; precision.Flag ]
          Operands = None
          Subcommands = []
          TakesProblem = true }

/// `np flow`: integrate the gradient flow dw/dt = −∇ℒ(w) and record it.
module FlowArgs =
    let tEnd = real "t-end" "T" "end time T of the flow (required)."

    let method =
        text "method" "name" $"integration method: {MethodRegistry.Names} (default dp5)."

    let step =
        real "step" "eta" "step size: required by fixed-step methods (euler: the learning rate); the first step of adaptive ones."

    let rtol =
        real "rtol" "rtol" "relative tolerance of adaptive methods (default 1e-8)."

    let atol =
        real "atol" "atol" "absolute tolerance of adaptive methods (default 1e-12; 0 = purely relative)."

    let maxSteps =
        long "max-steps" "count" "largest number of steps, accepted and rejected (default 1000000)."

    let precision =
        text "precision" "kind" "arithmetic of the integration: double (default) | double-double."

    let observe =
        text
            "observe"
            "names"
            "recorded quantities, comma list of loss, norm, grad_norm, layer_norms, neuron_norms, ncf_direction (default loss,norm,grad_norm)."

    let times =
        text "times" "spec" "observation times: linear:N | log:T0:N | t1,t2,... (default linear:201 over [0, T])."

    let escapeNorm =
        real "escape-norm" "R" "stop when ‖w‖ rises through R (a terminal event)."

    let logTime =
        real "log-time" "tau" "integrate in s = ln(1 + t/tau) (long horizons; steps geometric in t); outputs stay in t."

    let out =
        text
            "out"
            "dir"
            "output folder for run.json, series.csv, weights.csv, loss.png, norms.png, report.html (required; must not exist or be empty)."

    let overwrite =
        switch "overwrite" "replace an existing non-empty output folder (when the run completes)."

    let command =
        { Path = [ "flow" ]
          Usage = "integrate the gradient flow from an initialisation and record loss, norms and the final weights."
          Flags =
            [ tEnd.Flag
              method.Flag
              step.Flag
              rtol.Flag
              atol.Flag
              maxSteps.Flag
              precision.Flag
              observe.Flag
              times.Flag
              escapeNorm.Flag
              logTime.Flag
              out.Flag
              overwrite.Flag ]
          Operands = None
          Subcommands = []
          TakesProblem = true }

/// `np check`: run the papers' claims as checks and write a report.
module CheckArgs =
    let full =
        switch "full" "run the full configurations (the delta sweeps) instead of the fast ones."

    let out =
        text "out" "dir" "output folder for report.md, report.html, checks.csv and run.json (default runs/checks; must not exist or be empty)."

    let overwrite =
        switch "overwrite" "replace an existing non-empty output folder (when the run completes)."

    let list = switch "list" "list the checks with their claims and exit."

    let command =
        { Path = [ "check" ]
          Usage = "run the papers' claims as numerical checks; print each table and verdict, write report.md and checks.csv."
          Flags = [ full.Flag; out.Flag; overwrite.Flag; list.Flag ]
          Operands =
            Some
                { Placeholder = "name"
                  Usage = "checks to run (default: all); see --list."
                  Many = true }
          Subcommands = []
          TakesProblem = false }

/// `np pursue`: Neuron Pursuit, the greedy network-growing trainer. Every option but --config, --seeds, --ablations,
/// --out and --overwrite may also be a key of the --config file (the flag without dashes, '-' as '_').
module PursueArgs =
    let seeds =
        text "seeds" "range" "run the example for the data seeds A..B (e.g. 1..10) in parallel and report the success frequency."

    let ablations =
        switch "ablations" "run the example's ablations and baselines (random directions, GD on (4,2) and (64,64) nets) and write a report."

    let depth =
        integer "depth" "L" "number of weight matrices L >= 2 (hidden layers L-1; default 3, two-layer net: 2)."

    let config =
        text "config" "path" "JSON file of options, keys as the flags without dashes in snake_case (e.g. {\"delta\": 0.03}); flags override it."

    let delta0 =
        real "delta0" "delta0" "norm δ0 of the initial one-neuron-per-layer net (default 0.2)."

    let delta =
        real "delta" "delta" "norm δ of each new neuron's weights (default 0.03)."

    let eta = real "eta" "eta" "GD step η on L = (1/(2n))Σ(H-y)² (default 0.02)."

    let initialSign =
        integer "initial-sign" "sign" "sign of the initial KKT point's output weight: 1, -1, or 0 = the maximiser (default 0)."

    let restarts =
        integer "restarts" "count" "restarts of each KKT search (default 12)."

    let ascentSteps =
        integer "ascent-steps" "count" "step budget of each spherical ascent (default 1500)."

    let kktTol =
        real "kkt-tol" "tol" "relative KKT residual that ends an ascent (default 1e-6)."

    let decreaseFactor =
        real "decrease-factor" "factor" "inner stop: the loss must first fall below this fraction of its start (default 0.97)."

    let stopWindow =
        integer "stop-window" "epochs" "inner stop: window of the relative-change test, epochs (default 1000)."

    let relativeChange =
        real "relative-change" "tol" "inner stop: relative loss change over the window that counts as converged (default 1e-7)."

    let lossFloor =
        real "loss-floor" "loss" "inner stop: end a minimisation once the loss is below this (default 1e-7)."

    let maxEpochs =
        integer "max-epochs" "epochs" "inner stop: epoch cap per minimisation (default 50000)."

    let pruneEpochs =
        integer "prune-epochs" "epochs" "pruning after an exact fit: GD epochs of each trial removal (default 10000; 0 = no pruning)."

    let lookahead =
        integer
            "lookahead"
            "count"
            "candidates tried per iteration: the K distinct KKT points with the largest values are each added and minimised, the smallest loss kept (default 1: greedy)."

    let validation =
        real
            "validation"
            "fraction"
            "hold out this fraction of the data (0 < F < 1, seeded by --split-seed) for validation: the best-validation iterate is returned."

    let validationData =
        text "validation-data" "path" "validation data from a CSV file with the training data's columns (instead of --validation)."

    let splitSeed =
        long "split-seed" "seed" "seed of the --validation split (default 1)."

    let patience =
        integer "patience" "count" "with validation: stop after K iterations without a smaller validation loss (default 3)."

    let standardise =
        switch
            "standardise"
            "standardise the inputs (and, for the square loss, the labels) with the training data's mean and standard deviation; stored with the model."

    let bias =
        switch "bias" "append a constant input 1, so the first layer has biases (the network stays homogeneous in its weights)."

    let kinks =
        text
            "kinks"
            "rule"
            "leading term of the residual NCF at downstream ReLU kinks: one-sided (default, exact) | linearised (ablation: sigma'(0) = 0)."

    let lossTol =
        real "loss-tol" "loss" "global stop: training loss below this (default 1e-6)."

    let valueTol =
        real "value-tol" "value" "global stop: best candidate NCF value (1/n) at most this (default 1e-8)."

    let maxIterations =
        integer "max-iterations" "count" "global stop: iterations, the initial net's included (default 8)."

    let maxNeurons =
        integer "max-neurons" "count" "global stop: hidden neurons in all (default 64)."

    let neuronsPerIteration =
        integer "neurons-per-iteration" "count" "neurons added per iteration, to that many distinct layers (default 1)."

    let directions =
        text "directions" "rule" "new neurons' directions: kkt (default) | random (ablation)."

    let minimiser =
        text "minimiser" "kind" "minimisation after each addition: gd (default) | flow (the gradient-flow integrator)."

    let flowMethod =
        text "flow-method" "name" "method of --minimiser flow (default euler, step η)."

    let threads =
        integer "threads" "count" "worker threads (default 2); results do not depend on it."

    let baselineEpochs =
        integer "baseline-epochs" "epochs" "--ablations: GD epochs of the (4,2) baseline (default 100000)."

    let wideEpochs =
        integer "wide-epochs" "epochs" "--ablations: GD epochs of the (64,64) baselines (default 20000)."

    let out =
        text "out" "dir" "output folder (default runs/pursue-hypercube for --example; required with --data; must not exist or be empty)."

    let overwrite =
        switch "overwrite" "replace an existing non-empty output folder (when the run completes)."

    let command =
        { Path = [ "pursue" ]
          Usage = "Neuron Pursuit: grow a network neuron by neuron (KKT directions of the residual NCF) and train it."
          Flags =
            [ seeds.Flag
              ablations.Flag
              depth.Flag
              config.Flag
              delta0.Flag
              delta.Flag
              eta.Flag
              initialSign.Flag
              restarts.Flag
              ascentSteps.Flag
              kktTol.Flag
              decreaseFactor.Flag
              stopWindow.Flag
              relativeChange.Flag
              lossFloor.Flag
              maxEpochs.Flag
              pruneEpochs.Flag
              lookahead.Flag
              validation.Flag
              validationData.Flag
              splitSeed.Flag
              patience.Flag
              standardise.Flag
              bias.Flag
              kinks.Flag
              lossTol.Flag
              valueTol.Flag
              maxIterations.Flag
              maxNeurons.Flag
              neuronsPerIteration.Flag
              directions.Flag
              minimiser.Flag
              flowMethod.Flag
              threads.Flag
              baselineEpochs.Flag
              wideEpochs.Flag
              out.Flag
              overwrite.Flag ]
          Operands = None
          Subcommands = []
          TakesProblem = true }

/// `np predict`: apply a pursue run's stored model to new data (the data come from --data).
module PredictArgs =
    let model =
        text "model" "dir" "run folder of np pursue holding model.json and weights.csv (required)."

    let out =
        text "out" "path" "CSV file for the predictions (required): prediction (classifiers also probability, score)."

    let overwrite =
        switch "overwrite" "replace an existing file (when the predictions are complete)."

    let command =
        { Path = [ "predict" ]
          Usage = "apply the model of a pursue run folder to the inputs of --data; write the predictions, print metrics when --data has labels."
          Flags = [ model.Flag; out.Flag; overwrite.Flag ]
          Operands = None
          Subcommands = []
          TakesProblem = true }

/// `np sweep` and its subcommands.
module SweepArgs =
    let private leaf name usage flags operands =
        { Path = [ "sweep"; name ]
          Usage = usage
          Flags = flags
          Operands = operands
          Subcommands = []
          TakesProblem = false }

    let private folder =
        Some
            { Placeholder = "dir"
              Usage = "the sweep folder."
              Many = false }

    /// `np sweep run` and `np sweep submit`: the sweep specification and the sweep folder.
    let spec =
        Some
            { Placeholder = "spec"
              Usage = "the sweep specification (JSON): command, options, axes, metrics, report."
              Many = false }

    let out =
        text
            "out"
            "dir"
            "the sweep folder: sweep.json, results.db, tasks/<index>/ (required; created; a folder holding a different sweep is refused)."

    let workers =
        integer "workers" "count" "tasks run at once, each a separate np process (default: the number of cores)."

    let slurm =
        switch "slurm" "submit to Slurm with sbatch (the scheduler np supports)."

    let partition =
        text "partition" "name" "#SBATCH --partition (default: the cluster's)."

    let time =
        text "time" "limit" "#SBATCH --time, the limit of each task, e.g. 30 or 2:00:00 (default: the partition's)."

    let cpusPerTask =
        integer "cpus-per-task" "count" "#SBATCH --cpus-per-task (default: Slurm's, 1)."

    let maxParallel =
        integer "max-parallel" "count" "at most K tasks at once (--array=...%K; default: no limit)."

    let dryRun =
        switch "dry-run" "write the sbatch script into DIR/slurm/ and print it; submit nothing."

    let index =
        integer "index" "index" "the task's index, the Slurm array index (required)."

    let wait = switch "wait" "wait until no task is queued or running in Slurm."

    let run =
        leaf "run" "run the sweep's unfinished tasks on this machine, N at a time, results in DIR/results.db." [ out.Flag; workers.Flag ] spec

    let submit =
        leaf
            "submit"
            "submit the unfinished tasks as a Slurm job array (sbatch); np sweep collect gathers the results."
            [ out.Flag
              slurm.Flag
              partition.Flag
              time.Flag
              cpusPerTask.Flag
              maxParallel.Flag
              dryRun.Flag ]
            spec

    let runTask =
        leaf "run-task" "run one task of a sweep folder and write its result file (what a Slurm array element runs)." [ index.Flag ] folder

    let status =
        leaf "status" "bring results.db up to date (result files, squeue/sacct) and print where the sweep stands." [] folder

    let collect =
        leaf "collect" "ingest the tasks' result files and Slurm's view into results.db." [ wait.Flag ] folder

    let report =
        leaf "report" "write summary.csv, report.md and the figures of the sweep's report section." [] folder

    let command =
        { Path = [ "sweep" ]
          Usage = "sweeps over seeds, delta, widths or any option: every core here, or a Slurm job array; results in SQLite."
          Flags = []
          Operands = None
          Subcommands = [ run; submit; runTask; status; collect; report ]
          TakesProblem = false }

/// `np version`.
let version =
    { Path = [ "version" ]
      Usage = "print the version of np and of its core."
      Flags = []
      Operands = None
      Subcommands = []
      TakesProblem = false }

/// `np` itself: its subcommands (the problem options are accepted at every level; see `CommandLine.parse`).
let np =
    { Path = []
      Usage = "NeuronPursuit: gradient flow, Neuron Pursuit and the papers' claims."
      Flags = []
      Operands = None
      Subcommands =
        [ version
          EvalArgs.command
          FlowArgs.command
          CheckArgs.command
          PursueArgs.command
          PredictArgs.command
          SweepArgs.command ]
      TakesProblem = true }

/// Parses np's command line (HelpRequested for --help, a UsageError naming the argument otherwise).
let parse (argv: string[]) = CommandLine.parse np NpArgs.flags argv
