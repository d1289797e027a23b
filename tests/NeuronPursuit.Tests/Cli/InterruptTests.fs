// SPDX-License-Identifier: MIT
/// Ctrl-C: SIGINT sent to a child `np` process (the built apphost beside the tests) while it computes. It stops at its
/// next step, writes what it computed with status `interrupted` and exits 130 — for `np flow`, `np pursue` and `np check`.
module NeuronPursuit.Tests.Cli.InterruptTests

open System
open System.Diagnostics
open System.IO
open System.Runtime.InteropServices
open System.Threading
open Expecto
open NeuronPursuit.Tests.Support.NpRunner

[<DllImport("libc", SetLastError = true)>]
extern int kill(int pid, int signal)

let private sigint = 2

/// Runs np in a child process; once it has started computing (its temporary output folder exists) and `settle` more
/// seconds have passed, sends SIGINT. Returns (exit code, stdout, stderr, seconds from the signal to the exit).
let private interrupt (args: string list) (out: string) (settle: float) =
    let info =
        ProcessStartInfo(
            Path.Combine(AppContext.BaseDirectory, "np"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false
        )

    for a in args @ [ "--out"; out ] do
        info.ArgumentList.Add a

    use proc = Process.Start info |> nonNull
    let stdout = proc.StandardOutput.ReadToEndAsync()
    let stderr = proc.StandardError.ReadToEndAsync()
    let parent = Path.GetDirectoryName out |> nonNull
    let started = Stopwatch.StartNew()

    while Directory.GetDirectories(parent, $".{Path.GetFileName out}.partial-*").Length = 0
          && not proc.HasExited
          && started.Elapsed.TotalSeconds < 120.0 do
        Thread.Sleep 50

    if proc.HasExited then
        failtest $"np ended before the signal was due: {stderr.Result}"

    Thread.Sleep(TimeSpan.FromSeconds settle)
    Expect.isFalse proc.HasExited "np was still computing when the signal was sent"
    let clock = Stopwatch.StartNew()
    Expect.equal (kill (proc.Id, sigint)) 0 "SIGINT sent"

    if not (proc.WaitForExit 120_000) then
        proc.Kill true
        failtest "np did not stop within 120 s of SIGINT"

    proc.ExitCode, stdout.Result, stderr.Result, clock.Elapsed.TotalSeconds

/// Asserts what every interrupted run shows: exit 130, one line saying so, files written, no temporary folder left.
let private expectInterrupted (code, _stdout: string, err: string, seconds: float) (out: string) (files: string list) =
    Expect.equal code 130 $"exit code 130; stderr: {err}"

    let lines =
        err.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        |> Array.filter (fun l -> not (l.StartsWith "np: warning:"))

    Expect.equal lines.Length 1 $"one line: {err}"
    Expect.stringStarts lines.[0] "np: interrupted" "says so"
    Expect.isLessThan seconds 60.0 "stopped soon after the signal"

    for file in files do
        Expect.isTrue (File.Exists(Path.Combine(out, file))) $"{file} written"

    Expect.isEmpty (Directory.GetDirectories(Path.GetDirectoryName out |> nonNull, ".*.partial-*")) "no temporary folder left"

let tests =
    testSequenced
    <| testList "Ctrl-C (SIGINT to a child np)" [
        test "np flow stops at the next step, records the state reached and exits 130" {
            let out = Path.Combine(tempDir (), "flow")
            // Gradient descent with a tiny step over a long horizon: minutes of work, interrupted after a second.
            let outcome =
                interrupt
                    [ "flow"
                      "--example"
                      "two-relu-teacher"
                      "--init-scale"
                      "1e-3"
                      "--method"
                      "euler"
                      "--step"
                      "1e-4"
                      "--t-end"
                      "1e6"
                      "--max-steps"
                      "100000000000" ]
                    out
                    1.0

            expectInterrupted outcome out [ "run.json"; "series.csv"; "weights.csv"; "report.html" ]
            let result = (runJson out).GetProperty "result"
            Expect.equal (result.GetProperty("status").GetString()) "interrupted" "status"
            let t = result.GetProperty("final_time").GetDouble()
            Expect.isTrue (t > 0.0 && t < 1e6) $"the time reached, before t-end: {t}"
        }
        test "np pursue stops at the next epoch, writes its iterations and exits 130" {
            let out = Path.Combine(tempDir (), "pursue")

            let outcome =
                // The demo on 20 times its samples: each epoch 20 times the work, a minute or more in all.
                interrupt [ "pursue"; "--example"; "hypercube"; "--samples"; "20000"; "--threads"; "1" ] out 2.0

            expectInterrupted outcome out [ "run.json"; "weights.csv"; "iterations.csv"; "loss.csv"; "report.html" ]
            let result = (runJson out).GetProperty "result"
            Expect.equal (result.GetProperty("stop_reason").GetString()) "interrupted" "status"
            Expect.isGreaterThanOrEqual (result.GetProperty("iterations").GetInt32()) 1 "the iterations computed"
        }
        test "np check stops at once, writes the checks that ran and exits 130" {
            let out = Path.Combine(tempDir (), "checks")
            let outcome = interrupt [ "check" ] out 3.0
            expectInterrupted outcome out [ "run.json"; "report.md"; "report.html"; "checks.csv" ]
            let result = (runJson out).GetProperty "result"
            Expect.equal (result.GetProperty("status").GetString()) "interrupted" "status"
            Expect.isGreaterThan (result.GetProperty("not_run").GetArrayLength()) 0 "the checks not run are named"
        }
    ]
