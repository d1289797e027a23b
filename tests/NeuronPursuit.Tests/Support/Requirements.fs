// SPDX-License-Identifier: MIT
/// What some tests need beyond the test assembly — the repository (its root, its git history), the packages that
/// `dotnet fsi build.fsx pack` writes, the documentation site, Chromium — and how a test asks for it: under
/// `dotnet fsi build.fsx test` (NP_BUILD_TEST=1), which provides all of it, a missing requirement fails the test; a
/// developer's direct run of the suite skips that test and says what is missing.
module NeuronPursuit.Tests.Support.Requirements

open System
open System.IO
open Expecto

/// Whether the tests run under `dotnet fsi build.fsx test`.
let underBuild = Environment.GetEnvironmentVariable "NP_BUILD_TEST" = "1"

/// Fails (under the build) or skips (otherwise) unless the requirement holds.
let require (available: bool) (what: string) =
    if not available then
        if underBuild then
            failtest $"{what} is missing (dotnet fsi build.fsx test provides it)"
        else
            skiptest $"{what} is missing: run the suite through dotnet fsi build.fsx test"

/// The first of the executables `names` found on PATH (folder by folder), with its path.
let onPath (names: string list) =
    (Environment.GetEnvironmentVariable "PATH"
     |> Option.ofObj
     |> Option.defaultValue "")
        .Split(Path.PathSeparator)
    |> Array.tryPick (fun dir ->
        if dir = "" then
            None
        else
            names
            |> List.map (fun name -> Path.Combine(dir, name))
            |> List.tryFind File.Exists)

/// The repository's root: the first folder above the test assembly that holds NeuronPursuit.sln.
let repositoryRoot () =
    let rec up (dir: DirectoryInfo | null) =
        match dir with
        | null -> failtest "the repository root (NeuronPursuit.sln) is not above the test assembly"
        | dir when File.Exists(Path.Combine(dir.FullName, "NeuronPursuit.sln")) -> dir.FullName
        | dir -> up dir.Parent

    up (DirectoryInfo AppContext.BaseDirectory)

/// Requires the packages of `dotnet fsi build.fsx pack` in the repository's artifacts/ folder.
let requirePackages () =
    let artifacts = Path.Combine(repositoryRoot (), "artifacts")

    require
        (Directory.Exists artifacts
         && Directory.GetFiles(artifacts, "*.nupkg").Length >= 3)
        "the packages for scripts (artifacts/*.nupkg)"
