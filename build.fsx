#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
// The build script: a plain F# script (FAKE cannot be restored here).
// Usage: dotnet fsi build.fsx <target>   with target one of: build, test, checks, bench, clean.

open System
open System.Diagnostics
open System.IO

let root = __SOURCE_DIRECTORY__

/// Runs a command in the repository root, streaming its output; returns its exit code.
let run (file: string) (args: string) =
    printfn "> %s %s" file args
    let info = ProcessStartInfo(file, args, WorkingDirectory = root, UseShellExecute = false)
    use proc = Process.Start info
    proc.WaitForExit()
    proc.ExitCode

let dotnet args = run "dotnet" args

/// Runs a command in the repository root with extra environment variables, streaming its output; returns its exit code.
let runWithEnvironment (environment: (string * string) list) (file: string) (args: string) =
    printfn "> %s %s" file args
    let info = ProcessStartInfo(file, args, WorkingDirectory = root, UseShellExecute = false)
    for name, value in environment do info.Environment.[name] <- value
    use proc = Process.Start info
    proc.WaitForExit()
    proc.ExitCode

/// Runs `test` (given the environment to add) with a one-node Slurm cluster (build/slurm-cluster.sh: installs
/// slurm-wlm and munge when missing, starts munged, slurmctld and slurmd, waits for the node) started before and
/// stopped after, also on failure. The tests read NP_SLURM: "1" with SLURM_CONF set when the cluster runs, else
/// "unavailable: REASON", and then the Slurm tests fail with that reason.
let withSlurmCluster (test: (string * string) list -> int) =
    let script = Path.Combine(root, "build", "slurm-cluster.sh")
    let state = Path.Combine(Path.GetTempPath(), "np-slurm-cluster")
    printfn "> bash %s start %s" script state
    let info = ProcessStartInfo("bash", UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true)
    for a in [ script; "start"; state ] do info.ArgumentList.Add a
    use start = Process.Start info
    let stdout = start.StandardOutput.ReadToEndAsync()
    let stderr = start.StandardError.ReadToEnd()
    start.WaitForExit()
    eprintf "%s" stderr
    let conf = stdout.Result.Split('\n') |> Array.tryFind (fun l -> l.StartsWith "SLURM_CONF=") |> Option.map (fun l -> l.Substring 11)
    match start.ExitCode, conf with
    | 0, Some conf ->
        try test [ "NP_SLURM", "1"; "SLURM_CONF", conf ]
        finally
            let info = ProcessStartInfo("bash", UseShellExecute = false)
            for a in [ script; "stop"; state ] do info.ArgumentList.Add a
            use stop = Process.Start info
            stop.WaitForExit()
    | code, _ ->
        let reason = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries) |> Array.tryLast |> Option.defaultValue $"exit code {code}"
        test [ ("NP_SLURM", $"unavailable: {reason.Trim()}") ]

let targets: (string * string * (unit -> int)) list =
    [ "build", "build the whole solution in Release", (fun () -> dotnet "build NeuronPursuit.sln -c Release")
      "test", "build and run the Expecto test suite (with a one-node Slurm cluster for the sweep tests)",
      (fun () ->
          withSlurmCluster (fun environment ->
              runWithEnvironment environment "dotnet" "run --project tests/NeuronPursuit.Tests -c Release -- --no-spinner"))
      "checks", "run the executable claim checks (fast configuration)",
      (fun () -> dotnet "run --project core/NeuronPursuit.Cli -c Release -- check --out runs/checks")
      "bench", "run the BenchmarkDotNet benchmarks",
      (fun () -> dotnet "run --project bench/NeuronPursuit.Bench -c Release -- --filter *")
      "clean", "remove build outputs", (fun () -> dotnet "clean NeuronPursuit.sln -c Release") ]

let usage () =
    printfn "usage: dotnet fsi build.fsx <target>"
    for name, description, _ in targets do
        printfn "  %-8s %s" name description

let args = fsi.CommandLineArgs |> Array.skip 1

let exitCode =
    match args with
    | [| name |] ->
        match targets |> List.tryFind (fun (n, _, _) -> n = name) with
        | Some(_, _, action) -> action ()
        | None ->
            eprintfn "build.fsx: unknown target '%s'." name
            usage ()
            2
    | _ ->
        usage ()
        2

exit exitCode
