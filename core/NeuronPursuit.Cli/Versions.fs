// SPDX-License-Identifier: MIT
/// Versions of np, its core and the runtime, and the source revision, for `np version` and run records.
module NeuronPursuit.Cli.Versions

open System
open System.Diagnostics
open System.Reflection
open System.Threading
open System.Threading.Tasks
open NeuronPursuit.Core.Models

let private versionOf (assembly: Assembly) = string (assembly.GetName().Version)

/// The version of the np assembly.
let np = versionOf (Assembly.GetExecutingAssembly())

/// The version of NeuronPursuit.Core.
let core = versionOf typeof<HomogeneousNetwork>.Assembly

/// The .NET runtime version.
let dotnet = string Environment.Version

/// `git rev-parse HEAD` run where np's binaries live, or None when git is missing, times out, or that folder is not in
/// a repository.
let private lookUpGitRevision () =
    let revisionOf (git: Process) =
        use git = git
        let output = git.StandardOutput.ReadToEndAsync()
        git.StandardError.ReadToEndAsync() |> ignore

        if git.WaitForExit 5000 && git.ExitCode = 0 then
            let revision = output.Result.Trim()

            if revision.Length = 40 && revision |> Seq.forall Uri.IsHexDigit then
                Some revision
            else
                None
        else
            (try
                git.Kill()
             with _ ->
                 ())

            None

    try
        let info =
            ProcessStartInfo(
                "git",
                "rev-parse HEAD",
                WorkingDirectory = AppContext.BaseDirectory,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true
            )

        match Process.Start info with
        | null -> None
        | git -> revisionOf git
    with _ ->
        None

/// A look-up started ahead by `startGitRevision` and not yet taken by `gitRevision`, or null.
let mutable private started: Task<string option> | null = null

/// Starts looking up the revision on the thread pool, so that the command's next `gitRevision` does not wait for git.
let startGitRevision () =
    Interlocked.Exchange(&started, Task.Run lookUpGitRevision) |> ignore

/// `git rev-parse HEAD` run where np's binaries live (so it names the source np was built from when run from a
/// checkout), or None when git is missing, times out, or that folder is not in a repository: the look-up started ahead,
/// if any, else a fresh one.
let gitRevision () =
    match Interlocked.Exchange(&started, null) with
    | null -> lookUpGitRevision ()
    | task -> task.Result
