// SPDX-License-Identifier: MIT
/// `np sweep run`, `status` and `report` on this machine: every task is a child np process whose run.json gives the
/// metrics (checked against np flow run directly), a failing cell is recorded with np's message while the others
/// finish, a rerun skips what is done and retries what failed, and bad input is one line, exit 2, nothing written.
module NeuronPursuit.Tests.Sweeps.SweepRunTests

open System
open System.IO
open System.Text.Json
open Expecto
open NeuronPursuit.Sweeps
open NeuronPursuit.Tests.Support.NpRunner
open NeuronPursuit.Tests.Support.SweepFixtures

let private run (spec: string) (dir: string) =
    np [ "sweep"; "run"; spec; "--out"; dir; "--workers"; "2" ]

let private metric (name: string) (r: TaskRecord) = (nonNull r.Metrics).[name].GetRawText()

/// Bad specifications (file text) with the fragment of the one-line error.
let private badSpecs =
    [ "an unknown option", flowSpec """{ "seed": [1] }""" """, "widthz": "2" """, "options.widthz: is not an option of np flow"
      "an unknown axis", flowSpec """{ "sed": [1, 2] }""" "", "axes.sed: is not an option of np flow"
      "an empty axis", flowSpec """{ "seed": [] }""" "", "axes.seed: is empty"
      "malformed JSON", """{ "command": "flow", "axes": { "seed": [1, 2 } }""", "not valid JSON"
      "a range that is not one", flowSpec """{ "seed": "1...4" }""" "", "axes.seed: '1...4' is not a range"
      "an unknown metric path root", """{ "command": "flow", "axes": { "seed": [1] }, "metrics": { "l": "results.final_loss" } }""", "metrics.l"
      "a function sweep", """{ "function": "f", "axes": { "seed": [1] } }""", "runs in an F# script" ]

let tests =
    testSequenced
    <| testList "np sweep run" [
        test "a sweep runs every task as np flow and records the metrics of its run.json, equal to np flow run directly" {
            let spec =
                writeSpec (flowSpec """{ "init-scale": [0.1, 0.2], "seed": "1..2" }""" "")

            let dir = freshFolder ()
            let code, out, err = run spec dir
            Expect.equal code 0 $"exit code; stderr: {err}"
            Expect.stringContains out "4 of 4 tasks done, 0 failed" "summary"
            let rs = rows dir
            Expect.equal (rs |> List.map (fun r -> r.Status)) (List.replicate 4 TaskStatus.Done) "all done"
            Expect.equal (rs |> List.map (fun r -> r.Attempts)) [ 1; 1; 1; 1 ] "one attempt each"

            for r in rs do
                let record = runJson (Path.Combine(dir, "tasks", string r.Index))

                Expect.equal
                    (metric "final_loss" r)
                    (record.GetProperty("result").GetProperty("final_loss").GetRawText())
                    "the run record's number, as written"

                Expect.isTrue (File.Exists(Path.Combine(dir, "tasks", string r.Index, "result.json"))) "result file"
            // Task 3 = init-scale 0.2, seed 2: np flow with the same options gives the same bits.
            let direct = tempDir ()

            let code, _, err =
                np [
                    "flow"
                    "--example"
                    "two-relu-teacher"
                    "--net"
                    "two-layer"
                    "--activation"
                    "relu-power:2"
                    "--t-end"
                    "1"
                    "--times"
                    "linear:3"
                    "--observe"
                    "loss"
                    "--init-scale"
                    "0.2"
                    "--seed"
                    "2"
                    "--out"
                    direct
                ]

            Expect.equal code 0 err

            Expect.equal
                (metric "final_loss" rs.[3])
                ((runJson direct).GetProperty("result").GetProperty("final_loss").GetRawText())
                "same final loss"

            Expect.equal
                (metric "evaluations" rs.[3])
                ((runJson direct).GetProperty("result").GetProperty("statistics").GetProperty("evaluations").GetRawText())
                "same work"

            Expect.equal (integrity dir) "ok" "database sound"

            // Run again: nothing to do.
            let code, out, _ = run spec dir
            Expect.equal code 0 "exit code of the rerun"
            Expect.stringContains out "(0 run now, 4 done before)" "nothing rerun"
            Expect.equal ((rows dir) |> List.map (fun r -> r.Attempts)) [ 1; 1; 1; 1 ] "still one attempt each"
            let code, out, _ = np [ "sweep"; "status"; dir ]
            Expect.equal code 0 "status of a finished sweep"
            Expect.stringContains out "4 tasks: 4 done" "counts"
        }

        test "a failing cell is recorded with np's message while the others finish; exit 1; a rerun retries only it" {
            let spec =
                writeSpec (flowSpec """{ "widths": ["2", "x", "3"] }""" """, "init-scale": 0.1 """)

            let dir = freshFolder ()
            let code, out, err = run spec dir
            Expect.equal code 1 "exit code says a task failed"
            Expect.equal (err.Trim()) $"np: 1 of 3 tasks failed (np sweep status {dir} lists them; np sweep run again retries them)." "one line"
            Expect.stringContains out "task 1 (widths=x) failed: np: --widths" "the failure as it happens"
            let rs = rows dir
            Expect.equal (rs |> List.map (fun r -> r.Status)) [ TaskStatus.Done; TaskStatus.Failed; TaskStatus.Done ] "statuses"
            Expect.stringContains (nonNull rs.[1].Error) "--widths" "np's message"
            Expect.equal rs.[1].ExitCode (Nullable 2) "np's exit code"
            let code, out, _ = np [ "sweep"; "status"; dir ]
            Expect.equal code 1 "status says a task failed"
            Expect.stringContains out "task 1 (widths=x): failed: np: --widths" "status lists it"
            let finished = rs |> List.map (fun r -> r.FinishedUtc)
            let code, _, _ = run spec dir
            Expect.equal code 1 "still failing"
            let again = rows dir
            Expect.equal (again |> List.map (fun r -> r.Attempts)) [ 1; 2; 1 ] "only the failed task ran again"
            Expect.equal again.[0].FinishedUtc finished.[0] "task 0 untouched"
            Expect.equal again.[2].FinishedUtc finished.[2] "task 2 untouched"
        }

        test "the report writes summary.csv, report.md with the fit, and the figure; metrics added later are read again" {
            let text (metrics: string) =
                $"""{{ "command": "flow", "options": {{ {shortFlowOptions} }}, "axes": {{ "init-scale": [0.05, 0.1, 0.2], "seed": "1..2" }},
                      "metrics": {metrics},
                      "report": {{ "figures": [ {{ "metric": "final_loss", "against": "init-scale", "x": "ln(x)", "fit": true, "note": "a note" }} ] }} }}"""

            let dir = freshFolder ()

            let code, _, err =
                run (writeSpec (text """{ "final_loss": "result.final_loss" }""")) dir

            Expect.equal code 0 err
            // A rerun with one more metric is the same sweep: nothing runs, the new metric is read from each run.json.
            let code, out, err =
                run (writeSpec (text """{ "final_loss": "result.final_loss", "steps": "result.statistics.accepted_steps" }""")) dir

            Expect.equal code 0 err
            Expect.stringContains out "(0 run now, 6 done before)" "nothing rerun"

            for r in rows dir do
                let steps =
                    (runJson (Path.Combine(dir, "tasks", string r.Index)))
                        .GetProperty("result")
                        .GetProperty("statistics")
                        .GetProperty("accepted_steps")
                        .GetRawText()

                Expect.equal (metric "steps" r) steps "the added metric"

            let code, out, err = np [ "sweep"; "report"; dir ]
            Expect.equal code 0 err
            Expect.stringContains out "summary.csv, report.md, figures/final_loss-vs-init-scale.png" "files"
            let csv = File.ReadAllLines(Path.Combine(dir, "summary.csv"))
            Expect.equal csv.[0] "index,status,init-scale,seed,final_loss,steps,wall_seconds,attempts,host,slurm_job,error" "header"
            Expect.equal csv.Length 7 "one row per task"
            let md = File.ReadAllText(Path.Combine(dir, "report.md"))
            Expect.stringContains md "| all | 6 |" "a fit over the six points"
            Expect.stringContains md "a note" "the note"
            Expect.stringContains md "Each seed on its own" "per-seed fits"
            Expect.stringContains md "## Metrics: mean and spread over seed" "means over the seeds"
            Expect.isGreaterThan (FileInfo(Path.Combine(dir, "figures", "final_loss-vs-init-scale.png"))).Length 1000L "the figure"
        }

        test "submit --dry-run writes the sbatch script and submits nothing; bad Slurm options are refused" {
            let spec = writeSpec (flowSpec """{ "seed": "1..3" }""" "")
            let dir = freshFolder ()

            let code, out, err =
                np [
                    "sweep"
                    "submit"
                    spec
                    "--out"
                    dir
                    "--slurm"
                    "--dry-run"
                    "--partition"
                    "debug"
                    "--cpus-per-task"
                    "1"
                ]

            Expect.equal code 0 err
            Expect.stringContains out "#SBATCH --array=0-2\n" "the array"
            Expect.stringContains out "#SBATCH --partition=debug\n" "the partition"
            Expect.stringContains out "nothing submitted" "dry run"
            Expect.equal (rows dir |> List.map (fun r -> r.Status)) (List.replicate 3 TaskStatus.Pending) "nothing queued"
            expectOneLineError 2 "--partition" (np [ "sweep"; "submit"; spec; "--out"; dir; "--slurm"; "--partition"; "a;b" ])
            expectOneLineError 2 "--slurm" (np [ "sweep"; "submit"; spec; "--out"; dir ])
        }

        testList "bad input: one line, exit 2, nothing written" [
            for name, text, fragment in badSpecs do
                yield
                    test name {
                        let dir = freshFolder ()
                        let result = run (writeSpec text) dir
                        expectOneLineError 2 fragment result
                        Expect.isFalse (Directory.Exists dir) "no folder"
                    }
            yield
                test "a missing specification file" {
                    let dir = freshFolder ()
                    expectOneLineError 2 "no such sweep specification" (run "/nonexistent/sweep.json" dir)
                    Expect.isFalse (Directory.Exists dir) "no folder"
                }
            yield
                test "workers below 1" {
                    let dir = freshFolder ()

                    expectOneLineError
                        2
                        "--workers: must be at least 1"
                        (np [
                            "sweep"
                            "run"
                            writeSpec (flowSpec """{ "seed": [1] }""" "")
                            "--out"
                            dir
                            "--workers"
                            "0"
                        ])

                    Expect.isFalse (Directory.Exists dir) "no folder"
                }
            yield
                test "a problem option on np sweep" {
                    expectOneLineError 2 "--example: np sweep takes no problem options" (np [ "sweep"; "status"; tempDir (); "--example"; "fig1" ])
                }
            yield
                test "a folder holding a different sweep is refused and left unchanged" {
                    let dir = freshFolder ()
                    let delta = """, "init-scale": 0.1 """
                    let code, _, err = run (writeSpec (flowSpec """{ "seed": [1] }""" delta)) dir
                    Expect.equal code 0 err
                    let before = snapshot dir

                    expectOneLineError
                        2
                        "holds a different sweep (its axes.seed differ)"
                        (run (writeSpec (flowSpec """{ "seed": [1, 2] }""" delta)) dir)

                    expectOneLineError
                        2
                        "holds a different sweep (its options differ)"
                        (run (writeSpec (flowSpec """{ "seed": [1] }""" (delta + """, "rtol": 1e-9 """))) dir)

                    Expect.equal (snapshot dir) before "nothing changed"
                }
            yield
                test "a folder holding other files is refused and left unchanged" {
                    let dir = tempDir ()
                    File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine")
                    let before = snapshot dir
                    expectOneLineError 2 "is not empty and holds no sweep" (run (writeSpec (flowSpec """{ "seed": [1] }""" "")) dir)
                    Expect.equal (snapshot dir) before "nothing changed"
                }
            yield
                test "status of a folder without a sweep, and run-task out of range" {
                    expectOneLineError 2 "holds no sweep" (np [ "sweep"; "status"; tempDir () ])
                    let dir = freshFolder ()

                    let code, _, err =
                        run (writeSpec (flowSpec """{ "seed": [1] }""" """, "init-scale": 0.1 """)) dir

                    Expect.equal code 0 err
                    expectOneLineError 2 "--index: the sweep in" (np [ "sweep"; "run-task"; dir; "--index"; "5" ])
                }
        ]
    ]
