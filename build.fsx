#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
// The build: FAKE targets run from `dotnet fsi` (Fake.Core.Target restored through the machine's NuGet configuration).
// Usage: dotnet fsi build.fsx [target] [--list]   (default target: build)
//
//   clean         remove build outputs, packages and the documentation site
//   tools         restore the local dotnet tools (.config/dotnet-tools.json: fsdocs, Fantomas)
//   build         build the whole solution in Release
//   pack          the versioned NuGet packages of the core, the sweeps, the F# surface and the Testing library → artifacts/,
//                 and into the NuGet global packages folder, where scripts' `#r "nuget: …"` finds them
//   docs          the documentation site (docs/ and scripts/ as literate pages, API reference) → output/docs/,
//                 to be served over HTTP from that folder (links start at /)
//   format        format the F# code with Fantomas
//   format-check  fail when the F# code is not formatted as `format` would
//   browser       install Debian's chromium when missing (the browser tests need it)
//   native        install Debian's clang and zlib1g-dev when missing (`dotnet publish` of np, native AOT, links with them)
//   test          the whole suite (after build, pack, docs, format-check, browser and native) with a one-node Slurm cluster
//                 started around it (build/slurm-cluster.sh); ends "N passed, N failed, N skipped"
//   checks        the claim checks, fast configuration → runs/checks/
//   bench         the BenchmarkDotNet benchmarks

#r "nuget: System.Reactive, 5.0.0"
#r "nuget: Fake.Core.Target, 5.20.3"

open System
open System.IO
open Fake.Core
open Fake.Core.TargetOperators

// FAKE's targets need an execution context, which the `fake` runner would create; under fsi the script does. FAKE
// reads the target from `-t NAME`; `dotnet fsi build.fsx NAME` is the same.
match fsi.CommandLineArgs |> Array.skip 1 |> List.ofArray with
| name :: rest when not (name.StartsWith "-") -> "-t" :: name :: rest
| args -> args
|> Context.FakeExecutionContext.Create false __SOURCE_FILE__
|> Context.RuntimeContext.Fake
|> Context.setExecutionContext

let root = __SOURCE_DIRECTORY__
let artifacts = Path.Combine(root, "artifacts")
let docsOutput = Path.Combine(root, "output", "docs")

/// The packages `pack` writes, by project folder.
let packages =
    [ "NeuronPursuit.Core"
      "NeuronPursuit.Sweeps"
      "NeuronPursuit.FSharp"
      "NeuronPursuit.Testing" ]

/// The project file of a package (the core and the sweeps are C#, the others F#).
let project (name: string) =
    let extension =
        if name = "NeuronPursuit.Core" || name = "NeuronPursuit.Sweeps" then
            "csproj"
        else
            "fsproj"

    Path.Combine(root, "core", name, $"{name}.{extension}")

/// Runs a program in the repository root with the given arguments (never through a shell), streaming its output;
/// fails the target when it exits with a non-zero code.
let run (program: string) (args: string list) =
    Trace.logfn "> %s %s" program (String.Join(" ", args))

    CreateProcess.fromRawCommand program args
    |> CreateProcess.withWorkingDirectory root
    |> CreateProcess.ensureExitCode
    |> Proc.run
    |> ignore

let dotnet (args: string list) = run "dotnet" args

/// Whether a program is on PATH.
let onPath (program: string) =
    (Environment.GetEnvironmentVariable "PATH"
     |> Option.ofObj
     |> Option.defaultValue "")
        .Split(Path.PathSeparator)
    |> Array.exists (fun dir -> dir <> "" && File.Exists(Path.Combine(dir, program)))

/// Installs Debian packages with apt-get (a fresh machine needs only the README's commands), `what` naming what is
/// missing; fails with the reason when that is not possible.
let aptGet (what: string) (packages: string list) =
    if not (onPath "apt-get") then
        failwithf "%s is missing and apt-get is not available to install %A" what packages

    Environment.setEnvironVar "DEBIAN_FRONTEND" "noninteractive"
    run "apt-get" [ "update" ]
    run "apt-get" ([ "install"; "-y"; "--no-install-recommends" ] @ packages)

/// Installs Debian packages with apt-get when `command` is not on PATH.
let aptInstall (command: string) (packages: string list) =
    if not (onPath command) then
        aptGet command packages

/// The NuGet global packages folder (NUGET_PACKAGES or the user's default).
let globalPackages () =
    match Environment.GetEnvironmentVariable "NUGET_PACKAGES" with
    | null
    | "" -> Path.Combine(Environment.GetFolderPath Environment.SpecialFolder.UserProfile, ".nuget", "packages")
    | dir -> dir

/// The package version of the workbench (Directory.Build.props).
let version =
    let props = File.ReadAllText(Path.Combine(root, "Directory.Build.props"))
    let m = Text.RegularExpressions.Regex.Match(props, "<Version>([^<]+)</Version>")

    if m.Success then
        m.Groups.[1].Value
    else
        failwith "Directory.Build.props: no <Version>"

/// The F# sources Fantomas formats: every .fs and .fsx of the repository outside build outputs.
let fsharpSources () =
    let skip (path: string) =
        let parts = Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar)

        parts
        |> Array.exists (fun p -> p = "bin" || p = "obj" || p = "output" || p = "artifacts" || p.StartsWith ".")

    [ for pattern in [ "*.fs"; "*.fsx" ] do
          yield! Directory.EnumerateFiles(root, pattern, SearchOption.AllDirectories) ]
    |> List.filter (skip >> not)
    |> List.map (fun path -> Path.GetRelativePath(root, path))
    |> List.sort

/// The one-node Slurm cluster of the sweep tests (build/slurm-cluster.sh) and where it keeps its state.
let slurmScript = Path.Combine(root, "build", "slurm-cluster.sh")
let slurmState = Path.Combine(Path.GetTempPath(), "np-slurm-cluster")

/// Starts the one-node Slurm cluster (installs slurm-wlm and munge when missing, starts munged, slurmctld and slurmd,
/// waits for the node). Returns the environment the sweep tests read — NP_SLURM = "1" and SLURM_CONF when it runs,
/// else NP_SLURM = "unavailable: REASON", and the Slurm tests then fail with that reason — and whether it started.
let startSlurm () =
    Trace.logfn "> bash %s start %s" slurmScript slurmState

    let started =
        CreateProcess.fromRawCommand "bash" [ slurmScript; "start"; slurmState ]
        |> CreateProcess.withWorkingDirectory root
        |> CreateProcess.redirectOutput
        |> Proc.run

    eprintf "%s" started.Result.Error

    let conf =
        started.Result.Output.Split('\n')
        |> Array.tryFind (fun l -> l.StartsWith "SLURM_CONF=")
        |> Option.map (fun l -> l.Substring("SLURM_CONF=".Length).Trim())

    match started.ExitCode, conf with
    | 0, Some conf -> [ "NP_SLURM", "1"; "SLURM_CONF", conf ], true
    | code, _ ->
        let reason =
            started.Result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            |> Array.tryLast
            |> Option.defaultValue $"exit code {code}"

        [ "NP_SLURM", $"unavailable: {reason.Trim()}" ], false

/// Runs the test suite. The services that some tests need (the one-node Slurm cluster) are started around this call
/// and stopped after it, also when it fails (try/finally).
let runTests () =
    // The browser and documentation tests fail, rather than skip, when run from here without what they need.
    Environment.setEnvironVar "NP_BUILD_TEST" "1"
    let environment, started = startSlurm ()

    for name, value in environment do
        Environment.setEnvironVar name value

    try
        dotnet [
            "run"
            "--project"
            "tests/NeuronPursuit.Tests"
            "-c"
            "Release"
            "--no-build"
            "--"
            "--no-spinner"
        ]
    finally
        if started then
            run "bash" [ slurmScript; "stop"; slurmState ]

Target.create "clean" (fun _ ->
    dotnet [ "clean"; "NeuronPursuit.sln"; "-c"; "Release" ]

    for file in Directory.EnumerateFiles(artifacts, "*.nupkg") do
        File.Delete file

    for dir in [ Path.Combine(root, "output"); Path.Combine(root, ".fsdocs") ] do
        if Directory.Exists dir then
            Directory.Delete(dir, true))

Target.create "tools" (fun _ -> dotnet [ "tool"; "restore" ])

Target.create "build" (fun _ -> dotnet [ "build"; "NeuronPursuit.sln"; "-c"; "Release" ])

Target.create "pack" (fun _ ->
    for name in packages do
        dotnet [ "pack"; $"core/{name}"; "-c"; "Release"; "-o"; artifacts ]
    // The version stays the same from build to build, and NuGet never re-extracts a version it holds: drop the
    // workbench's own packages from the global folder, then restore them from artifacts/ into it (a throw-away project
    // outside the repository, artifacts/ added to the machine's sources for that restore only). A script's
    // `#r "nuget: NeuronPursuit.FSharp, <version>"` then resolves from the global folder with the machine's default
    // NuGet configuration; no file of the repository names a package source.
    for name in packages do
        let extracted = Path.Combine(globalPackages (), name.ToLowerInvariant(), version)

        if Directory.Exists extracted then
            Directory.Delete(extracted, true)

    let installer =
        Path.Combine(Path.GetTempPath(), $"np-pack-install-{Guid.NewGuid():N}")

    Directory.CreateDirectory installer |> ignore

    try
        let references =
            packages
            |> List.map (fun name -> $"    <PackageReference Include=\"{name}\" Version=\"{version}\" />")
            |> String.concat "\n"

        File.WriteAllText(
            Path.Combine(installer, "install.csproj"),
            $"<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>\n  <ItemGroup>\n{references}\n  </ItemGroup>\n</Project>\n"
        )

        dotnet [
            "restore"
            Path.Combine(installer, "install.csproj")
            $"-p:RestoreAdditionalProjectSources={artifacts}"
        ]
    finally
        Directory.Delete(installer, true))

/// The site's sources, put together in output/docs-src: docs/ as it is, and scripts/ under scripts/ without the lines
/// above a script's title (its #! and SPDX lines), so that a page starts with its title.
let stageDocs () =
    let source = Path.Combine(root, "output", "docs-src")

    if Directory.Exists source then
        Directory.Delete(source, true)

    Directory.CreateDirectory(Path.Combine(source, "scripts")) |> ignore

    for file in Directory.EnumerateFiles(Path.Combine(root, "docs")) do
        File.Copy(file, Path.Combine(source, Path.GetFileName file))

    for file in Directory.EnumerateFiles(Path.Combine(root, "scripts")) do
        let lines =
            File.ReadAllLines file
            |> Array.skipWhile (fun l -> l.StartsWith "#!" || l.StartsWith "// SPDX-License-Identifier")

        File.WriteAllLines(Path.Combine(source, "scripts", Path.GetFileName file), lines)

    source

/// fsdocs links the name of a type it does not document (a C# delegate such as EventFunction, an internal type named
/// in an XML comment) to a page it never writes; such a link becomes the plain name, so that the site has no dead link.
let unlinkUndocumentedTypes () =
    let reference = Path.Combine(docsOutput, "reference")
    let mutable count = 0

    for page in Directory.EnumerateFiles(docsOutput, "*.html", SearchOption.AllDirectories) do
        let html = File.ReadAllText page

        let fixedHtml =
            Text.RegularExpressions.Regex.Replace(
                html,
                "<a href=\"/reference/([^\"#/]+\\.html)\">(.*?)</a>",
                fun m ->
                    if File.Exists(Path.Combine(reference, m.Groups.[1].Value)) then
                        m.Value
                    else
                        count <- count + 1
                        m.Groups.[2].Value
            )

        if fixedHtml <> html then
            File.WriteAllText(page, fixedHtml)

    Trace.logfn "docs: %d links to undocumented types left as plain names" count

Target.create "docs" (fun _ ->
    let source = stageDocs ()

    dotnet (
        [ "fsdocs"
          "build"
          "--input"
          source
          "--output"
          docsOutput
          "--eval"
          "--clean"
          "--strict"
          "--properties"
          "Configuration=Release"
          "--parameters"
          "root"
          "/"
          "fsdocs-collection-name"
          "NeuronPursuit"
          "--projects" ]
        @ [ for name in packages -> project name ]
    )

    unlinkUndocumentedTypes ())

Target.create "format" (fun _ -> dotnet ([ "fantomas" ] @ fsharpSources ()))

Target.create "format-check" (fun _ -> dotnet ([ "fantomas"; "--check" ] @ fsharpSources ()))

Target.create "browser" (fun _ -> aptInstall "chromium" [ "chromium" ])

// zlib1g-dev has no command: its header stands for it.
Target.create "native" (fun _ ->
    if not (onPath "clang" && File.Exists "/usr/include/zlib.h") then
        aptGet "clang or zlib.h" [ "clang"; "zlib1g-dev" ])

Target.create "test" (fun _ -> runTests ())

Target.create "checks" (fun _ ->
    dotnet [
        "run"
        "--project"
        "core/NeuronPursuit.Cli"
        "-c"
        "Release"
        "--no-build"
        "--"
        "check"
        "--out"
        "runs/checks"
        "--overwrite"
    ])

Target.create "bench" (fun _ ->
    dotnet [
        "run"
        "--project"
        "bench/NeuronPursuit.Bench"
        "-c"
        "Release"
        "--no-build"
        "--"
        "--filter"
        "*"
    ])

// `pack` builds only the projects it packs (a fresh clone packs without building the tests); after a whole build it
// only packs.
"build" ?=> "pack" |> ignore
"tools" ==> "format" |> ignore
"tools" ==> "format-check" |> ignore
"tools" ==> "docs" |> ignore
"pack" ==> "docs" |> ignore
"build" ==> "checks" |> ignore
"build" ==> "bench" |> ignore
"format-check" ==> "test" |> ignore
"build" ==> "test" |> ignore
"docs" ==> "test" |> ignore
"browser" ==> "test" |> ignore
"native" ==> "test" |> ignore

try
    Target.runOrDefaultWithArguments "build"
with _ ->
    // FAKE has printed which target failed and why.
    exit 1
