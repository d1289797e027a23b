// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open System.IO
open System.Text.Json
open NeuronPursuit.Sweeps

/// Named values of a task — its parameters (axis → value) or its metrics (name → value): `p.Float "delta"`,
/// `p.Int "seed"`, `p.String "widths"`, `p.Bool "full"`, `p.["name"]` for the JSON value (so scripts need no core namespace).
type SweepValues = NeuronPursuit.Sweeps.SweepValues

/// One task of a sweep as its results database holds it.
type SweepResult =
    {
        Index: int
        /// pending | queued | running | done | failed | timed_out | cancelled.
        Status: string
        /// Axis name → value (`p.Float "delta"`, `p.Int "seed"`, `p.String "widths"`, `p.Bool "full"`).
        Parameters: SweepValues
        /// Metric name → value (null where the run record has none); None before the task is done.
        Metrics: SweepValues option
        WallSeconds: float option
        /// Why the last attempt failed.
        Error: string option
        Attempts: int
        Host: string option
        SlurmJob: string option
    }

/// Sweeps on all cores: a grid of parameters (axes combined as a product or zipped), a function of the parameters run
/// for every task in this process, `workers` tasks at a time, and the same results database (`DIR/results.db`) and
/// folder layout as `np sweep run`. Resumable: running it again skips the tasks already done and retries the failed
/// ones; a killed run loses at most the tasks that were running. `np sweep report DIR` or `SweepReport.write` report it.
module Sweep =
    let private jsonOptions =
        JsonSerializerOptions(NumberHandling = Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals)

    let private element (key: string) (value: obj) =
        match value with
        | :? float as x when not (Double.IsFinite x) -> raise (SweepSpecException(key, $"must be finite, not {x}."))
        | :? float32 as x when not (Single.IsFinite x) -> raise (SweepSpecException(key, $"must be finite, not {x}."))
        | _ -> ParameterValue.Normalise(key, JsonSerializer.SerializeToElement(value, value.GetType()))

    /// An axis of values (numbers, strings or booleans), in order.
    let axis (name: string) (values: 'T list) =
        Axis(
            name,
            [| for i, v in List.indexed values ->
                   match box v with
                   | null -> raise (SweepSpecException($"axes.{name}[{i}]", "must be a number, a string or true/false, not null."))
                   | o -> element $"axes.{name}[{i}]" o |]
        )

    /// An axis of the integers first..last.
    let range (name: string) (first: int64) (last: int64) = Axis.Range(name, first, last)

    /// Every combination of the axes' values, the first axis varying slowest.
    let grid (axes: Axis list) =
        TaskGrid(Array.ofList axes, Combination.Product)

    /// The k-th task takes the k-th value of every axis (equal lengths).
    let zip (axes: Axis list) =
        TaskGrid(Array.ofList axes, Combination.Zip)

    /// The tasks of a grid, by index.
    let tasks (g: TaskGrid) = List.ofSeq (g.Tasks())

    /// Metrics from (name, value) pairs: numbers, strings, booleans, lists or arrays of them, options (None = null).
    let metrics (pairs: (string * objnull) list) =
        SweepValues(
            [ for name, value in pairs ->
                  let json =
                      match value with
                      | null -> ParameterValue.Parse "null"
                      | v -> JsonSerializer.SerializeToElement(v, v.GetType(), jsonOptions)

                  Collections.Generic.KeyValuePair.Create(name, json) ]
        )

    /// Runs `f` on every task of the grid that is not done yet in `dir`, `workers` at a time, in this process; a task
    /// whose `f` raises is recorded as failed with the exception's message. `name` names the function: a folder holds
    /// one sweep, and a different grid or name is refused (SweepSpecException). Returns what this run did.
    let runWith (workers: int) (name: string) (dir: string) (g: TaskGrid) (f: SweepValues -> (string * objnull) list) =
        let spec = SweepSpec.ForFunction(name, g)
        let noCommands = Collections.Generic.Dictionary<string, CommandOptions>()
        use folder = SweepFolder.Create(dir, spec, Path.GetFullPath ".", noCommands)
        LocalExecutor.Run(folder, (fun task -> FunctionTask.Run(task, fun p -> metrics (f p))), workers, null, null)

    /// `runWith` on every core (Environment.ProcessorCount workers), the function named "function".
    let run (dir: string) (g: TaskGrid) (f: SweepValues -> (string * objnull) list) =
        runWith Environment.ProcessorCount "function" dir g f

    /// Every task of the sweep in `dir` (run by `Sweep.run`, `np sweep run` or collected from Slurm), by index.
    let results (dir: string) =
        let db = Path.Combine(dir, SweepFolder.DatabaseFile)

        if not (File.Exists db) then
            raise (ArgumentException($"'{dir}' holds no sweep results ({SweepFolder.DatabaseFile}).", nameof dir))

        use store = SweepStore.Open db

        [ for r in store.Tasks() ->
              { Index = r.Index
                Status = r.Status
                Parameters = r.Parameters
                Metrics = Option.ofObj r.Metrics
                WallSeconds = Option.ofNullable r.WallSeconds
                Error = Option.ofObj r.Error
                Attempts = r.Attempts
                Host = Option.ofObj r.Host
                SlurmJob = Option.ofObj r.SlurmJob } ]
