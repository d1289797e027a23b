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

let targets: (string * string * (unit -> int)) list =
    [ "build", "build the whole solution in Release", (fun () -> dotnet "build NeuronPursuit.sln -c Release")
      "test", "build and run the Expecto test suite",
      (fun () -> dotnet "run --project tests/NeuronPursuit.Tests -c Release -- --no-spinner")
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
