// SPDX-License-Identifier: MIT
/// `np` started as a process (the built apphost beside the tests), as users and the benchmarks run it: with no code
/// generated at run time (its runtimeconfig) and the figures and the source revision prepared on other threads at
/// launch, it parses every subcommand and writes the same files as the run in-process, which does neither.
module NeuronPursuit.Tests.Cli.ProcessStartTests

open System
open System.Diagnostics
open System.IO
open System.Text.Json
open Expecto
open NeuronPursuit.Tests.Support.NpRunner

/// Runs the np apphost beside the tests with the arguments and these environment variables set; returns (exit code,
/// stdout, stderr).
let private npProcessWith (environment: (string * string) list) (args: string list) =
    runProcess 300 environment (Path.Combine(AppContext.BaseDirectory, "np")) args

/// Runs the np apphost beside the tests with the arguments (its startup profile off, as for every np the tests start);
/// returns (exit code, stdout, stderr).
let private npProcess (args: string list) = npProcessWith [] args

/// Asserts that two flow runs wrote the same bytes in every file their computation decides (series, weights, figures).
let private expectSameComputedFiles (actual: string) (expected: string) (what: string) =
    for file in [ "series.csv"; "weights.csv"; "loss.png"; "norms.png" ] do
        Expect.sequenceEqual
            (File.ReadAllBytes(Path.Combine(actual, file)))
            (File.ReadAllBytes(Path.Combine(expected, file)))
            $"{file} byte for byte {what}"

let private flowArgs =
    teacherFlow
    @ [ "--t-end"; "5"; "--times"; "linear:17"; "--observe"; "loss,norm" ]

/// A run.json section as text, for comparing two runs' records.
let private section (dir: string) (name: string) =
    (runJson dir).GetProperty(name).GetRawText()

/// run.json's result without the wall-clock time, which differs from run to run.
let private resultWithoutWallTime (dir: string) =
    [ for p in (runJson dir).GetProperty("result").EnumerateObject() do
          if p.Name <> "wall_time_seconds" then
              p.Name, p.Value.GetRawText() ]

let tests =
    testList "np as a process" [
        testCase "np flow as a process writes the same series, weights, figures and record as in-process"
        <| fun () ->
            let inProcess = tempDir ()
            let asProcess = tempDir ()
            let code, _, err = np (flowArgs @ [ "--out"; inProcess; "--overwrite" ])
            Expect.equal code 0 $"in-process run; stderr: {err}"
            let code, _, err = npProcess (flowArgs @ [ "--out"; asProcess; "--overwrite" ])
            Expect.equal code 0 $"process run; stderr: {err}"

            expectSameComputedFiles asProcess inProcess "as a process and in-process"

            for name in [ "problem"; "settings"; "files" ] do
                Expect.equal (section asProcess name) (section inProcess name) $"run.json's {name}"

            Expect.equal (resultWithoutWallTime asProcess) (resultWithoutWallTime inProcess) "run.json's result"

        testCase "the startup profile is recorded in the cache folder, named for the method, and played without changing a result"
        <| fun () ->
            let cache = tempDir ()
            let withCache = [ "XDG_CACHE_HOME", cache; "NP_STARTUP_PROFILE", "1" ]
            let profile = Path.Combine(cache, "neuronpursuit", "flow-dop853.jitprofile")
            let first, second = tempDir (), tempDir ()
            let args = flowArgs @ [ "--method"; "dop853" ]

            let code, _, err =
                npProcessWith withCache (args @ [ "--out"; first; "--overwrite" ])

            Expect.equal code 0 $"recording run; stderr: {err}"
            Expect.isTrue (File.Exists profile) $"{profile} written at the end of the first run"
            Expect.isGreaterThan (FileInfo(profile).Length) 0L "the profile lists methods"

            let code, _, err =
                npProcessWith withCache (args @ [ "--out"; second; "--overwrite" ])

            Expect.equal code 0 $"playing run; stderr: {err}"

            expectSameComputedFiles second first "with and without the profile"

        testCase "np runs without a startup profile, writing none, while another process holds its lock or it is turned off"
        <| fun () ->
            let cache = tempDir ()
            let folder = Path.Combine(cache, "neuronpursuit")
            Directory.CreateDirectory folder |> ignore
            let profile = Path.Combine(folder, "flow.jitprofile")

            do
                use _lock =
                    new FileStream(Path.Combine(folder, "flow.lock"), FileMode.Create, FileAccess.ReadWrite, FileShare.None)

                let code, _, err =
                    npProcessWith [ "XDG_CACHE_HOME", cache; "NP_STARTUP_PROFILE", "1" ] (flowArgs @ [ "--out"; tempDir (); "--overwrite" ])

                Expect.equal code 0 $"run while the lock is held; stderr: {err}"
                Expect.isFalse (File.Exists profile) "no profile written by a run without the lock"

            let code, _, err =
                npProcessWith [ "XDG_CACHE_HOME", cache; "NP_STARTUP_PROFILE", "0" ] (flowArgs @ [ "--out"; tempDir (); "--overwrite" ])

            Expect.equal code 0 $"run with the profile off; stderr: {err}"
            Expect.isFalse (File.Exists profile) "no profile written with NP_STARTUP_PROFILE=0"

        testCase "every subcommand's help parses in a process that generates no code at run time"
        <| fun () ->
            let config =
                JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "np.runtimeconfig.json"))).RootElement

            Expect.isFalse
                (config
                    .GetProperty("runtimeOptions")
                    .GetProperty("configProperties")
                    .GetProperty("System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported")
                    .GetBoolean())
                "np's runtimeconfig turns run-time code generation off"

            for command in [ "eval"; "flow"; "pursue"; "predict"; "check"; "sweep" ] do
                let code, out, err = npProcess [ command; "--help" ]
                Expect.equal code 0 $"np {command} --help: exit code; stderr: {err}"
                Expect.stringStarts out $"USAGE: np {command}" $"np {command} --help prints its usage"

        testCase "the source revision started at launch is git's revision of np's folder"
        <| fun () ->
            let direct =
                try
                    let info =
                        ProcessStartInfo(
                            "git",
                            "rev-parse HEAD",
                            WorkingDirectory = AppContext.BaseDirectory,
                            RedirectStandardOutput = true,
                            RedirectStandardError = true,
                            UseShellExecute = false
                        )

                    use git = Process.Start info |> nonNull
                    let output = git.StandardOutput.ReadToEnd().Trim()
                    git.WaitForExit()
                    if git.ExitCode = 0 then Some output else None
                with _ ->
                    None

            NeuronPursuit.Cli.Versions.startGitRevision ()
            Expect.equal (NeuronPursuit.Cli.Versions.gitRevision ()) direct "git rev-parse HEAD where np's binaries live"
    ]
