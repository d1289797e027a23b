// SPDX-License-Identifier: MIT
/// The packages for scripts, as a user outside the repository gets them: a fresh clone (of the committed HEAD) packs
/// them with `dotnet fsi build.fsx pack`, and a figure script copied to a folder elsewhere runs on them through
/// `#i "nuget: <the clone's artifacts>"` and `#r "nuget: NeuronPursuit.FSharp, <version>"`, drawing its figures (so
/// SkiaSharp's native library resolves from the NuGet cache).
module NeuronPursuit.Tests.Packages.ScriptPackageTests

open System
open System.Diagnostics
open System.IO
open Expecto
open SkiaSharp
open NeuronPursuit.Tests.Support

/// Runs a program in a folder; fails with its output unless it exits 0; returns stdout.
let private run (dir: string) (program: string) (args: string list) =
    let info =
        ProcessStartInfo(program, WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)

    for a in args do
        info.ArgumentList.Add a

    use proc = Process.Start info |> nonNull
    let stdout = proc.StandardOutput.ReadToEndAsync()
    let stderr = proc.StandardError.ReadToEndAsync()

    if not (proc.WaitForExit 900_000) then
        proc.Kill true
        failtest $"{program} {String.Join(' ', args)} did not finish within 15 minutes"

    Expect.equal proc.ExitCode 0 $"{program} {String.Join(' ', args)} in {dir}:\n{stdout.Result}\n{stderr.Result}"
    stdout.Result

let tests =
    testList "packages for scripts" [
        test "a script outside the repository runs on the packages of a fresh clone and draws its figures" {
            let root = Requirements.repositoryRoot ()
            Requirements.require (Directory.Exists(Path.Combine(root, ".git"))) "the repository's git history"
            let work = Path.Combine(Path.GetTempPath(), $"np-packages-{Guid.NewGuid():N}")
            let clone = Path.Combine(work, "clone")
            let elsewhere = Path.Combine(work, "elsewhere")
            let figures = Path.Combine(work, "figures")
            Directory.CreateDirectory elsewhere |> ignore

            try
                run work "git" [ "clone"; "--quiet"; root; clone ] |> ignore
                run clone "dotnet" [ "fsi"; "build.fsx"; "pack" ] |> ignore

                let packages =
                    Directory.GetFiles(Path.Combine(clone, "artifacts"), "*.nupkg")
                    |> Array.map Path.GetFileName
                    |> Array.sort

                Expect.equal
                    packages
                    [| "NeuronPursuit.Core.0.1.0.nupkg"
                       "NeuronPursuit.FSharp.0.1.0.nupkg"
                       "NeuronPursuit.Sweeps.0.1.0.nupkg"
                       "NeuronPursuit.Testing.0.1.0.nupkg" |]
                    "the versioned packages"
                // The script and its helper, as a user would copy them, with the clone's packages as a source.
                let artifacts = Path.Combine(clone, "artifacts")
                let source = $"#i \"nuget: {artifacts}\""

                for name in [ "early-phase.fsx"; "load.fsx" ] do
                    let lines = File.ReadAllLines(Path.Combine(clone, "scripts", name))
                    Expect.isTrue (lines |> Array.contains "#r \"nuget: NeuronPursuit.FSharp, 0.1.0\"") $"{name} references the package"

                    let copy =
                        lines
                        |> Array.collect (fun l ->
                            if l.StartsWith "#r \"nuget: NeuronPursuit" then
                                [| source; l |]
                            else
                                [| l |])

                    File.WriteAllLines(Path.Combine(elsewhere, name), copy)

                let output = run elsewhere "dotnet" [ "fsi"; "early-phase.fsx"; figures ]
                Expect.stringContains output "wrote" "the script ran to its figures"

                for figure in [ "norm-over-delta"; "cosine-to-kkt" ] do
                    let png = Path.Combine(figures, figure + ".png")
                    Expect.isTrue (File.Exists png) $"{figure}.png drawn"
                    use bitmap = SKBitmap.Decode png |> nonNull
                    Expect.equal (bitmap.Width, bitmap.Height) (800, 500) $"{figure}: the figure's size"
                    Expect.isGreaterThan (Browser.ink png) 0.02 $"{figure}: not blank"
                    Expect.isTrue (File.Exists(Path.Combine(figures, figure + ".csv"))) $"{figure}.csv written"
            finally
                try
                    Directory.Delete(work, true)
                with _ ->
                    ()
        }
    ]
