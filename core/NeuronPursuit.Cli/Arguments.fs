// SPDX-License-Identifier: MIT
/// The command line of `np`, declared with Argu. The problem options (data, network, loss, initial point) are
/// declared once, on `np` itself, and inherited by every subcommand; `ProblemOptions` parses them into the core's
/// one specification (`ProblemSpec`) and refuses them where a subcommand has no problem.
module NeuronPursuit.Cli.Arguments

open Argu
open NeuronPursuit.Core.Flow.Methods
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Core.Problems

/// Arguments of `np eval`: evaluate the training loss of a network at given weights.
type EvalArgs =
    | [<Unique>] Weights of path: string
    | [<Unique>] Precision of kind: string

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Weights _ ->
                "weights file: one number per line in the network's parameter layout (W1..WL row-major; two-layer: W then v); default: an example's teacher weights."
            | Precision _ -> "arithmetic: double (default) | double-double."

/// Arguments of `np flow`: integrate the gradient flow dw/dt = −∇ℒ(w) and record it.
type FlowArgs =
    | [<Unique; CustomCommandLine("--t-end")>] T_End of T: float
    | [<Unique>] Method of name: string
    | [<Unique>] Step of eta: float
    | [<Unique>] Rtol of rtol: float
    | [<Unique>] Atol of atol: float
    | [<Unique; CustomCommandLine("--max-steps")>] Max_Steps of count: int64
    | [<Unique>] Precision of kind: string
    | [<Unique>] Observe of names: string
    | [<Unique>] Times of spec: string
    | [<Unique; CustomCommandLine("--escape-norm")>] Escape_Norm of R: float
    | [<Unique; CustomCommandLine("--log-time")>] Log_Time of tau: float
    | [<Unique>] Out of dir: string
    | [<Unique>] Overwrite

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | T_End _ -> "end time T of the flow (required)."
            | Method _ -> $"integration method: {MethodRegistry.Names} (default dp5)."
            | Step _ -> "step size: required by fixed-step methods (euler: the learning rate); the first step of adaptive ones."
            | Rtol _ -> "relative tolerance of adaptive methods (default 1e-8)."
            | Atol _ -> "absolute tolerance of adaptive methods (default 1e-12; 0 = purely relative)."
            | Max_Steps _ -> "largest number of steps, accepted and rejected (default 1000000)."
            | Precision _ -> "arithmetic of the integration: double (default) | double-double."
            | Observe _ ->
                "recorded quantities, comma list of loss, norm, grad_norm, layer_norms, neuron_norms, ncf_direction (default loss,norm,grad_norm)."
            | Times _ -> "observation times: linear:N | log:T0:N | t1,t2,... (default linear:201 over [0, T])."
            | Escape_Norm _ -> "stop when ‖w‖ rises through R (a terminal event)."
            | Log_Time _ -> "integrate in s = ln(1 + t/tau) (long horizons; steps geometric in t); outputs stay in t."
            | Out _ -> "output folder for run.json, series.csv, weights.csv, loss.png, norms.png, report.html (required; must not exist or be empty)."
            | Overwrite -> "replace an existing non-empty output folder (when the run completes)."

/// Arguments of `np check`: run the papers' claims as checks and write a report.
type CheckArgs =
    | [<MainCommand>] Names of name: string list
    | [<Unique>] Full
    | [<Unique>] Out of dir: string
    | [<Unique>] Overwrite
    | [<Unique>] List

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Names _ -> "checks to run (default: all); see --list."
            | Full -> "run the full configurations (the delta sweeps) instead of the fast ones."
            | Out _ -> "output folder for report.md, report.html, checks.csv and run.json (default runs/checks; must not exist or be empty)."
            | Overwrite -> "replace an existing non-empty output folder (when the run completes)."
            | List -> "list the checks with their claims and exit."

/// Arguments of `np pursue`: Neuron Pursuit, the greedy network-growing trainer. Every option but --config,
/// --seeds, --ablations, --out and --overwrite may also be a key of the --config file (the flag without dashes, '-' as '_').
type PursueArgs =
    | [<Unique>] Seeds of range: string
    | [<Unique>] Ablations
    | [<Unique>] Depth of L: int
    | [<Unique>] Config of path: string
    | [<Unique; CustomCommandLine("--delta0")>] Delta0 of delta0: float
    | [<Unique>] Delta of delta: float
    | [<Unique>] Eta of eta: float
    | [<Unique; CustomCommandLine("--initial-sign")>] Initial_Sign of sign: int
    | [<Unique>] Restarts of count: int
    | [<Unique; CustomCommandLine("--ascent-steps")>] Ascent_Steps of count: int
    | [<Unique; CustomCommandLine("--kkt-tol")>] Kkt_Tol of tol: float
    | [<Unique; CustomCommandLine("--decrease-factor")>] Decrease_Factor of factor: float
    | [<Unique; CustomCommandLine("--stop-window")>] Stop_Window of epochs: int
    | [<Unique; CustomCommandLine("--relative-change")>] Relative_Change of tol: float
    | [<Unique; CustomCommandLine("--loss-floor")>] Loss_Floor of loss: float
    | [<Unique; CustomCommandLine("--max-epochs")>] Max_Epochs of epochs: int
    | [<Unique; CustomCommandLine("--prune-epochs")>] Prune_Epochs of epochs: int
    | [<Unique>] Lookahead of count: int
    | [<Unique>] Validation of fraction: float
    | [<Unique; CustomCommandLine("--validation-data")>] Validation_Data of path: string
    | [<Unique; CustomCommandLine("--split-seed")>] Split_Seed of seed: int64
    | [<Unique>] Patience of count: int
    | [<Unique>] Standardise
    | [<Unique>] Bias
    | [<Unique>] Kinks of rule: string
    | [<Unique; CustomCommandLine("--loss-tol")>] Loss_Tol of loss: float
    | [<Unique; CustomCommandLine("--value-tol")>] Value_Tol of value: float
    | [<Unique; CustomCommandLine("--max-iterations")>] Max_Iterations of count: int
    | [<Unique; CustomCommandLine("--max-neurons")>] Max_Neurons of count: int
    | [<Unique; CustomCommandLine("--neurons-per-iteration")>] Neurons_Per_Iteration of count: int
    | [<Unique>] Directions of rule: string
    | [<Unique>] Minimiser of kind: string
    | [<Unique; CustomCommandLine("--flow-method")>] Flow_Method of name: string
    | [<Unique>] Threads of count: int
    | [<Unique; CustomCommandLine("--baseline-epochs")>] Baseline_Epochs of epochs: int
    | [<Unique; CustomCommandLine("--wide-epochs")>] Wide_Epochs of epochs: int
    | [<Unique>] Out of dir: string
    | [<Unique>] Overwrite

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Seeds _ -> "run the example for the data seeds A..B (e.g. 1..10) in parallel and report the success frequency."
            | Ablations -> "run the example's ablations and baselines (random directions, GD on (4,2) and (64,64) nets) and write a report."
            | Depth _ -> "number of weight matrices L >= 2 (hidden layers L-1; default 3, two-layer net: 2)."
            | Config _ -> "JSON file of options, keys as the flags without dashes in snake_case (e.g. {\"delta\": 0.03}); flags override it."
            | Delta0 _ -> "norm δ0 of the initial one-neuron-per-layer net (default 0.2)."
            | Delta _ -> "norm δ of each new neuron's weights (default 0.03)."
            | Eta _ -> "GD step η on L = (1/(2n))Σ(H-y)² (default 0.02)."
            | Initial_Sign _ -> "sign of the initial KKT point's output weight: 1, -1, or 0 = the maximiser (default 0)."
            | Restarts _ -> "restarts of each KKT search (default 12)."
            | Ascent_Steps _ -> "step budget of each spherical ascent (default 1500)."
            | Kkt_Tol _ -> "relative KKT residual that ends an ascent (default 1e-6)."
            | Decrease_Factor _ -> "inner stop: the loss must first fall below this fraction of its start (default 0.97)."
            | Stop_Window _ -> "inner stop: window of the relative-change test, epochs (default 1000)."
            | Relative_Change _ -> "inner stop: relative loss change over the window that counts as converged (default 1e-7)."
            | Loss_Floor _ -> "inner stop: end a minimisation once the loss is below this (default 1e-7)."
            | Max_Epochs _ -> "inner stop: epoch cap per minimisation (default 50000)."
            | Lookahead _ ->
                "candidates tried per iteration: the K distinct KKT points with the largest values are each added and minimised, the smallest loss kept (default 1: greedy)."
            | Validation _ ->
                "hold out this fraction of the data (0 < F < 1, seeded by --split-seed) for validation: the best-validation iterate is returned."
            | Validation_Data _ -> "validation data from a CSV file with the training data's columns (instead of --validation)."
            | Split_Seed _ -> "seed of the --validation split (default 1)."
            | Patience _ -> "with validation: stop after K iterations without a smaller validation loss (default 3)."
            | Standardise ->
                "standardise the inputs (and, for the square loss, the labels) with the training data's mean and standard deviation; stored with the model."
            | Bias -> "append a constant input 1, so the first layer has biases (the network stays homogeneous in its weights)."
            | Kinks _ ->
                "leading term of the residual NCF at downstream ReLU kinks: one-sided (default, exact) | linearised (ablation: sigma'(0) = 0)."
            | Prune_Epochs _ -> "pruning after an exact fit: GD epochs of each trial removal (default 10000; 0 = no pruning)."
            | Loss_Tol _ -> "global stop: training loss below this (default 1e-6)."
            | Value_Tol _ -> "global stop: best candidate NCF value (1/n) at most this (default 1e-8)."
            | Max_Iterations _ -> "global stop: iterations, the initial net's included (default 8)."
            | Max_Neurons _ -> "global stop: hidden neurons in all (default 64)."
            | Neurons_Per_Iteration _ -> "neurons added per iteration, to that many distinct layers (default 1)."
            | Directions _ -> "new neurons' directions: kkt (default) | random (ablation)."
            | Minimiser _ -> "minimisation after each addition: gd (default) | flow (the gradient-flow integrator)."
            | Flow_Method _ -> "method of --minimiser flow (default euler, step η)."
            | Threads _ -> "worker threads (default 2); results do not depend on it."
            | Baseline_Epochs _ -> "--ablations: GD epochs of the (4,2) baseline (default 100000)."
            | Wide_Epochs _ -> "--ablations: GD epochs of the (64,64) baselines (default 20000)."
            | Out _ -> "output folder (default runs/pursue-hypercube for --example; required with --data; must not exist or be empty)."
            | Overwrite -> "replace an existing non-empty output folder (when the run completes)."

/// Arguments of `np sweep run`: run every unfinished task of a sweep on this machine.
type SweepRunArgs =
    | [<MainCommand; ExactlyOnce>] Spec of path: string
    | [<Unique; Mandatory>] Out of dir: string
    | [<Unique>] Workers of count: int

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Spec _ -> "the sweep specification (JSON): command, options, axes, metrics, report."
            | Out _ -> "the sweep folder: sweep.json, results.db, tasks/<index>/ (created; a folder holding a different sweep is refused)."
            | Workers _ -> "tasks run at once, each a separate np process (default: the number of cores)."

/// Arguments of `np sweep submit`: submit the unfinished tasks as a Slurm job array.
type SweepSubmitArgs =
    | [<MainCommand; ExactlyOnce>] Spec of path: string
    | [<Unique; Mandatory>] Out of dir: string
    | [<Unique>] Slurm
    | [<Unique>] Partition of name: string
    | [<Unique>] Time of limit: string
    | [<Unique; CustomCommandLine("--cpus-per-task")>] Cpus_Per_Task of count: int
    | [<Unique; CustomCommandLine("--max-parallel")>] Max_Parallel of count: int
    | [<Unique; CustomCommandLine("--dry-run")>] Dry_Run

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Spec _ -> "the sweep specification (JSON)."
            | Out _ -> "the sweep folder, on a file system every node sees."
            | Slurm -> "submit to Slurm with sbatch (the scheduler np supports)."
            | Partition _ -> "#SBATCH --partition (default: the cluster's)."
            | Time _ -> "#SBATCH --time, the limit of each task, e.g. 30 or 2:00:00 (default: the partition's)."
            | Cpus_Per_Task _ -> "#SBATCH --cpus-per-task (default: Slurm's, 1)."
            | Max_Parallel _ -> "at most K tasks at once (--array=...%K; default: no limit)."
            | Dry_Run -> "write the sbatch script into DIR/slurm/ and print it; submit nothing."

/// Arguments of `np sweep run-task`: run one task (what each Slurm array element runs).
type SweepTaskArgs =
    | [<MainCommand; ExactlyOnce>] Dir of dir: string
    | [<Unique; Mandatory>] Index of index: int

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Dir _ -> "the sweep folder."
            | Index _ -> "the task's index (the Slurm array index)."

/// Arguments of `np sweep status` and `np sweep report`: a sweep folder.
type SweepDirArgs =
    | [<MainCommand; ExactlyOnce>] Dir of dir: string

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Dir _ -> "the sweep folder."

/// Arguments of `np sweep collect`.
type SweepCollectArgs =
    | [<MainCommand; ExactlyOnce>] Dir of dir: string
    | [<Unique>] Wait

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Dir _ -> "the sweep folder."
            | Wait -> "wait until no task is queued or running in Slurm."

/// The subcommands of `np sweep`.
type SweepArgs =
    | [<CliPrefix(CliPrefix.None)>] Run of ParseResults<SweepRunArgs>
    | [<CliPrefix(CliPrefix.None)>] Submit of ParseResults<SweepSubmitArgs>
    | [<CliPrefix(CliPrefix.None); CustomCommandLine("run-task")>] Run_Task of ParseResults<SweepTaskArgs>
    | [<CliPrefix(CliPrefix.None)>] Status of ParseResults<SweepDirArgs>
    | [<CliPrefix(CliPrefix.None)>] Collect of ParseResults<SweepCollectArgs>
    | [<CliPrefix(CliPrefix.None)>] Report of ParseResults<SweepDirArgs>

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Run _ -> "run the sweep's unfinished tasks on this machine, N at a time, results in DIR/results.db."
            | Submit _ -> "submit the unfinished tasks as a Slurm job array (sbatch); np sweep collect gathers the results."
            | Run_Task _ -> "run one task of a sweep folder and write its result file (what a Slurm array element runs)."
            | Status _ -> "bring results.db up to date (result files, squeue/sacct) and print where the sweep stands."
            | Collect _ -> "ingest the tasks' result files and Slurm's view into results.db."
            | Report _ -> "write summary.csv, report.md and the figures of the sweep's report section."

/// Arguments of `np predict`: apply a pursue run's stored model to new data (the data come from --data).
type PredictArgs =
    | [<Unique>] Model of dir: string
    | [<Unique>] Out of path: string
    | [<Unique>] Overwrite

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Model _ -> "run folder of np pursue holding model.json and weights.csv (required)."
            | Out _ -> "CSV file for the predictions (required): prediction (classifiers also probability, score)."
            | Overwrite -> "replace an existing file (when the predictions are complete)."

/// The subcommands of `np`, and the problem options every subcommand with a problem shares.
type NpArgs =
    | [<CliPrefix(CliPrefix.None)>] Version
    | [<CliPrefix(CliPrefix.None)>] Eval of ParseResults<EvalArgs>
    | [<CliPrefix(CliPrefix.None)>] Flow of ParseResults<FlowArgs>
    | [<CliPrefix(CliPrefix.None)>] Check of ParseResults<CheckArgs>
    | [<CliPrefix(CliPrefix.None)>] Pursue of ParseResults<PursueArgs>
    | [<CliPrefix(CliPrefix.None)>] Predict of ParseResults<PredictArgs>
    | [<CliPrefix(CliPrefix.None)>] Sweep of ParseResults<SweepArgs>
    | [<Inherit; Unique>] Example of name: string
    | [<Inherit; Unique>] Data of path: string
    | [<Inherit; Unique; CustomCommandLine("--data-seed")>] Data_Seed of s: int64
    | [<Inherit; Unique>] Samples of n: int
    | [<Inherit; Unique>] Net of kind: string
    | [<Inherit; Unique>] Widths of list: string
    | [<Inherit; Unique>] Activation of spec: string
    | [<Inherit; Unique>] Loss of spec: string
    | [<Inherit; Unique>] Init of path: string
    | [<Inherit; Unique; CustomCommandLine("--init-scale")>] Init_Scale of delta: float
    | [<Inherit; Unique; CustomCommandLine("--init-direction")>] Init_Direction of kind: string
    | [<Inherit; Unique>] Seed of s: int64

    interface IArgParserTemplate with
        member this.Usage =
            let describe (key: string) =
                (ProblemSpec.Keys |> Seq.find (fun k -> k.Name = key)).Description + "."

            match this with
            | Version -> "print the version of np and of its core."
            | Eval _ -> "evaluate the training loss (and gradient norm) of a network at given weights."
            | Flow _ -> "integrate the gradient flow from an initialisation and record loss, norms and the final weights."
            | Check _ -> "run the papers' claims as numerical checks; print each table and verdict, write report.md and checks.csv."
            | Pursue _ -> "Neuron Pursuit: grow a network neuron by neuron (KKT directions of the residual NCF) and train it."
            | Predict _ ->
                "apply the model of a pursue run folder to the inputs of --data; write the predictions, print metrics when --data has labels."
            | Sweep _ -> "sweeps over seeds, delta, widths or any option: every core here, or a Slurm job array; results in SQLite."
            | Example _ -> describe "example"
            | Data _ -> describe "data"
            | Data_Seed _ -> describe "data-seed"
            | Samples _ -> describe "samples"
            | Net _ -> describe "net"
            | Widths _ -> describe "widths"
            | Activation _ -> describe "activation"
            | Loss _ -> describe "loss"
            | Init _ -> describe "init"
            | Init_Scale _ -> describe "init-scale"
            | Init_Direction _ -> describe "init-direction"
            | Seed _ -> describe "seed" + " For pursue: the seed of the KKT restarts (default 1)."
