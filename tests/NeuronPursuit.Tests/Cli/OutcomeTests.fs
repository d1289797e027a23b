// SPDX-License-Identifier: MIT
/// What np says when a run cannot be a success: the three inputs of the hardening issue (a diverging η, data whose
/// values reach 1e308 for `np pursue` and `np flow`), a network whose neurons all die, a flow that blows up, and the
/// output folder that is never overwritten silently nor left half-written.
module NeuronPursuit.Tests.Cli.OutcomeTests

open System
open System.IO
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Pursuit
open NeuronPursuit.Tests.Support.NpRunner

/// A CSV whose values reach 1e308: finite numbers whose squares overflow double precision.
let private hugeCsv () =
    fileIn "huge.csv" (fun path -> File.WriteAllText(path, "x1,x2,y\n1e308,1,2\n-1e308,2,1\n3,1e308,-1\n1,1,1e308\n"))

let tests =
    testSequenced
    <| testList "outcomes that are not a success" [
        test "np pursue --example hypercube --eta 50 diverges: exit 1, one line with η against 2/λ_max, files with that status" {
            let out = Path.Combine(tempDir (), "run")

            let code, stdout, err =
                np [ "pursue"; "--example"; "hypercube"; "--eta"; "50"; "--out"; out ]

            Expect.equal code 1 $"exit code; {err}"

            let lines =
                err.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                |> Array.filter (fun l -> not (l.StartsWith "np: warning:"))

            Expect.equal lines.Length 1 $"one line: {err}"
            Expect.stringContains lines.[0] "diverged" "the outcome"
            Expect.stringContains lines.[0] "η = 50 exceeds 2/λ_max ≈" "the likely cause"
            Expect.stringContains lines.[0] "at the initial network; use --eta below" "the remedy"
            Expect.stringContains err "np: warning: η = 50 is not below 2/λ_max" "the stability warning of the initial network"
            Expect.isFalse (stdout.Contains "converged on" || stdout.Contains "SUCCESS") "never reported as a success"
            let result = (runJson out).GetProperty "result"
            Expect.equal (result.GetProperty("stop_reason").GetString()) "diverged" "status in run.json"
            Expect.stringContains (result.GetProperty("diagnosis").GetString() |> nonNull) "2/λ_max" "the diagnosis in run.json"
            let first = result.GetProperty("iteration_log").[0]
            let limit = first.GetProperty("stability_limit").GetDouble()
            Expect.isLessThan limit 50.0 "2/λ_max at the initial network is below η"
            Expect.floatClose Accuracy.high (first.GetProperty("sharpness").GetDouble() * limit) 2.0 "2/λ_max is 2 over the recorded λ_max"

            for file in [ "weights.csv"; "iterations.csv"; "loss.csv"; "report.html" ] do
                Expect.isTrue (File.Exists(Path.Combine(out, file))) $"{file} written"
        }
        test "np pursue on data reaching 1e308: one line naming the file and its values, exit 2, nothing written" {
            let dir, csv = hugeCsv ()
            let out = Path.Combine(dir, "run")

            np [ "pursue"; "--data"; csv; "--depth"; "2"; "--out"; out ]
            |> expectOneLineError 2 $"--data: '{csv}'"

            let _, _, err = np [ "pursue"; "--data"; csv; "--depth"; "2"; "--out"; out ]
            Expect.stringContains err "1E+308" "the value"
            Expect.isFalse (Directory.Exists out) "nothing written"
        }
        test "np pursue on data reaching 1e308 at any depth: refused by the data's squares, whatever the unit network's activity" {
            // At depth 3 the seeded unit-norm network of the boundary check can be inactive on every sample (its loss
            // then is (1/(2n))Σy², finite); the squares of the data overflow whatever the network.
            let dir, csv = hugeCsv ()

            for depth in [ "2"; "3"; "4" ] do
                let out = Path.Combine(dir, $"run-{depth}")

                np [ "pursue"; "--data"; csv; "--depth"; depth; "--out"; out ]
                |> expectOneLineError 2 $"--data: '{csv}'"

                Expect.isFalse (Directory.Exists out) $"depth {depth}: nothing written"
        }
        test "np flow on data reaching 1e308: one line naming the file and its values, never an internal name" {
            let dir, csv = hugeCsv ()
            let out = Path.Combine(dir, "run")

            for method in [ "dp5"; "rodas4"; "euler" ] do
                let args =
                    [ "flow"
                      "--data"
                      csv
                      "--net"
                      "two-layer"
                      "--widths"
                      "3"
                      "--init-scale"
                      "0.1"
                      "--t-end"
                      "1"
                      "--method"
                      method
                      "--step"
                      "0.01"
                      "--out"
                      out ]

                let code, _, err = np args
                (code, "", err) |> expectOneLineError 2 $"--data: '{csv}'"
                Expect.stringContains err "the loss at w(0) is Infinity" $"{method}: what overflows"
                Expect.stringContains err "1E+308" $"{method}: the value"
                Expect.isFalse (err.Contains "c:" || err.Contains "(Parameter") $"{method}: no internal parameter"
                Expect.isFalse (Directory.Exists out) "nothing written"
        }
        test "a network whose neurons all die is reported as such, never as converged" {
            // The issue's run with the divergence stop pushed out of reach: GD at η = 50 blows the loss up, the ReLUs
            // die, and the output is 0 on every sample.
            let p = Problem.parse "example=hypercube net=ff widths=1,1 loss=square-mean"
            let options = PursuitOptions(LearningRate = 50.0, DivergenceFactor = 1e300)
            let result = Pursuit.run options p
            Expect.contains [ PursuitStopReason.AllNeuronsInactive; PursuitStopReason.Diverged ] result.StopReason "dead or diverged"

            if result.StopReason = PursuitStopReason.AllNeuronsInactive then
                Expect.isTrue (NetworkStatistics.OutputVanishes(result.Network, p.Data, ReadOnlySpan result.Weights)) "the output vanishes"
                let y2 = p.Data.Y.ToArray() |> Array.sumBy (fun y -> y * y)
                Expect.floatClose Accuracy.high result.FinalLoss (y2 / (2.0 * float p.Data.Count)) "the loss of the zero network"
        }
        test "np flow: gradient descent beyond 2/λ_max diverges with exit 1 and the cause; files with that status" {
            let out = Path.Combine(tempDir (), "run")

            let code, _, err =
                np [
                    "flow"
                    "--example"
                    "two-relu-teacher"
                    "--init-scale"
                    "0.5"
                    "--method"
                    "euler"
                    "--step"
                    "10"
                    "--t-end"
                    "1e4"
                    "--out"
                    out
                ]

            Expect.equal code 1 $"exit code; {err}"
            Expect.stringContains err "np: warning: --step η = 10 is not below 2/λ_max" "the warning before integrating"
            Expect.stringContains err "np: the flow diverged" "the outcome"
            Expect.stringContains err "exceeds 2/λ_max" "the cause"
            Expect.equal ((runJson out).GetProperty("result").GetProperty("status").GetString()) "diverged" "status in run.json"
        }
        test "an existing non-empty output folder is refused without --overwrite and replaced with it, only when complete" {
            let out = Path.Combine(tempDir (), "run")
            Directory.CreateDirectory out |> ignore
            File.WriteAllText(Path.Combine(out, "earlier.txt"), "an earlier result")

            let args =
                [ "flow"
                  "--example"
                  "two-relu-teacher"
                  "--init-scale"
                  "1e-3"
                  "--t-end"
                  "5"
                  "--out"
                  out ]

            np args |> expectOneLineError 2 "--overwrite"
            Expect.isTrue (File.Exists(Path.Combine(out, "earlier.txt"))) "left as it was"
            // Bad input with --overwrite changes nothing either.
            np [
                "flow"
                "--example"
                "two-relu-teacher"
                "--init-scale"
                "-1"
                "--t-end"
                "5"
                "--out"
                out
                "--overwrite"
            ]
            |> expectOneLineError 2 "init-scale"

            Expect.isTrue (File.Exists(Path.Combine(out, "earlier.txt"))) "still as it was"
            let code, _, err = np (args @ [ "--overwrite" ])
            Expect.equal code 0 $"exit code; {err}"
            Expect.isFalse (File.Exists(Path.Combine(out, "earlier.txt"))) "replaced"
            Expect.isTrue (File.Exists(Path.Combine(out, "run.json"))) "by the new run"
            let parent = Path.GetDirectoryName out |> nonNull
            Expect.isEmpty (Directory.GetDirectories(parent, ".run.*")) "no temporary folder left"
        }
    ]
