// SPDX-License-Identifier: MIT
/// Sweep specifications and folders for the sweep tests: short flows (about a second each, most of it np's start),
/// the rows of a results database, a snapshot of a folder to show that nothing was written, the np binary beside the
/// tests, and the Slurm switch (NP_SLURM, set by `dotnet fsi build.fsx test` after it started a one-node cluster).
module NeuronPursuit.Tests.Support.SweepFixtures

open System
open System.IO
open Expecto
open NeuronPursuit.Sweeps

/// The options of a short flow: a two-layer ReLU² net on the teacher example, to t = 1.
let shortFlowOptions =
    """ "example": "two-relu-teacher", "net": "two-layer", "activation": "relu-power:2", "t-end": 1, "times": "linear:3", "observe": "loss" """

/// Metrics every test sweep collects.
let metrics =
    """{ "final_loss": "result.final_loss", "final_norm": "result.final_norm", "evaluations": "result.statistics.evaluations" }"""

/// A flow sweep of short flows over the given axes (JSON object text), with extra options (", key: value" text).
let flowSpec (axes: string) (extraOptions: string) =
    $"""{{ "command": "flow", "options": {{ {shortFlowOptions} {extraOptions} }}, "axes": {axes}, "metrics": {metrics} }}"""

/// Writes a specification into a fresh folder; returns its path.
let writeSpec (text: string) =
    let path = Path.Combine(NpRunner.tempDir (), "sweep-spec.json")
    File.WriteAllText(path, text)
    path

/// A path for a sweep folder that does not exist yet.
let freshFolder () =
    Path.Combine(NpRunner.tempDir (), "sweep")

/// The rows of DIR/results.db.
let rows (dir: string) =
    use store = SweepStore.Open(Path.Combine(dir, SweepFolder.DatabaseFile))
    List.ofSeq (store.Tasks())

/// PRAGMA integrity_check of DIR/results.db.
let integrity (dir: string) =
    use store = SweepStore.Open(Path.Combine(dir, SweepFolder.DatabaseFile))
    store.IntegrityCheck()

/// Every file under a folder with its size and content hash, sorted: equal snapshots mean nothing was written.
let snapshot (dir: string) =
    if not (Directory.Exists dir) then
        []
    else
        [ for f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories) |> Seq.sort ->
              let bytes = File.ReadAllBytes f
              Path.GetRelativePath(dir, f), bytes.Length, Convert.ToHexString(Security.Cryptography.SHA256.HashData bytes) ]

/// The np apphost built beside the tests (the same np the in-process runner is).
let npBinary =
    Path.Combine(AppContext.BaseDirectory, if OperatingSystem.IsWindows() then "np.exe" else "np")

/// Runs a Slurm test when NP_SLURM = 1; fails with the reason when the cluster could not start; skips, saying why,
/// when the tests run outside the README's test command (no NP_SLURM at all).
let slurmTest (name: string) (body: unit -> unit) =
    match Environment.GetEnvironmentVariable "NP_SLURM" with
    | "1" -> testCase name body
    | null
    | "" -> ptestCase $"{name} (skipped: NP_SLURM is not set; `dotnet fsi build.fsx test` starts a one-node Slurm cluster and sets it)" body
    | reason -> testCase name (fun () -> failtest $"the Slurm cluster did not start: {reason}")
