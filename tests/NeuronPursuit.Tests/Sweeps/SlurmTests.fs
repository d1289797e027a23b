// SPDX-License-Identifier: MIT
/// `np sweep submit --slurm` against real daemons (a one-node cluster that `dotnet fsi build.fsx test` starts): the
/// array runs through sbatch and its results equal the local executor's bit for bit; a failing cell is recorded with
/// its message and the exit code says so; a resubmission runs only what is missing; a hostile folder name never
/// becomes shell text. These tests fail, naming the reason, when the cluster could not start.
module NeuronPursuit.Tests.Sweeps.SlurmTests

open System
open System.IO
open System.Threading
open Expecto
open NeuronPursuit.Sweeps
open NeuronPursuit.Tests.Support.NpRunner
open NeuronPursuit.Tests.Support.SweepFixtures

/// Polls `np sweep status` until no task is queued or running (exit code other than 3); returns its exit code and output.
let private waitFor (dir: string) =
    let deadline = DateTime.UtcNow.AddMinutes 5.0

    let rec loop () =
        let code, out, err = np [ "sweep"; "status"; dir ]

        if code = 3 && DateTime.UtcNow < deadline then
            Thread.Sleep 1000
            loop ()
        else
            code, out, err

    loop ()

/// A folder whose name holds quotes, $( ), backticks, a semicolon and a space.
let private hostileFolder () =
    let parent = tempDir ()
    parent, Path.Combine(parent, "we ird $(touch PWNED) `touch PWNED2` \"q\" 's'; x")

let private metrics (dir: string) =
    rows dir |> List.map (fun r -> r.Index, (nonNull r.Metrics).ToJson())

let tests =
    testSequenced
    <| testList "np sweep submit --slurm" [
        slurmTest "a 6-task sweep through sbatch completes and equals the local executor's, bit for bit" (fun () ->
            let spec =
                writeSpec (flowSpec """{ "init-scale": [0.1, 0.2, 0.3], "seed": "1..2" }""" "")

            let parent, dir = hostileFolder ()

            let code, out, err =
                np [
                    "sweep"
                    "submit"
                    spec
                    "--out"
                    dir
                    "--slurm"
                    "--max-parallel"
                    "2"
                    "--time"
                    "10"
                ]

            Expect.equal code 0 $"submitted; stderr: {err}"
            Expect.stringContains out "(--array=0-5%2)" "one array of six, two at a time"
            let script = File.ReadAllText(Path.Combine(dir, "slurm", "submit-1.sbatch"))
            Expect.isFalse (script.Contains "PWNED" || script.Contains "we ird") "the folder's name is not in the script"
            let code, out, _ = waitFor dir
            Expect.equal code 0 $"all done: {out}"
            let local = freshFolder ()
            let code, _, err = np [ "sweep"; "run"; spec; "--out"; local; "--workers"; "2" ]
            Expect.equal code 0 err
            Expect.equal (metrics dir) (metrics local) "Slurm and local metrics equal, bit for bit"
            let rs = rows dir

            for r in rs do
                Expect.isTrue ((nonNull r.SlurmJob).EndsWith $"_{r.Index}") $"task {r.Index} ran as its array element ({r.SlurmJob})"
                Expect.equal r.Attempts 1 "once"

            Expect.isTrue (File.Exists(Path.Combine(dir, "slurm", $"{(nonNull rs.[0].SlurmJob).Split('_').[0]}_0.out"))) "Slurm's log of element 0"
            // The jobs ran in the folder, the tests here: no file the folder's name would have made by running.
            for place in [ parent; dir; "." ] do
                Expect.isEmpty (Directory.GetFiles(place, "PWNED*")) $"nothing ran from the folder's name in {place}"

            Expect.equal (integrity dir) "ok" "database sound")

        slurmTest "a failing cell is recorded with its message, the exit code says so, and a resubmission runs only it" (fun () ->
            let spec =
                writeSpec (flowSpec """{ "widths": ["2", "x", "3"] }""" """, "init-scale": 0.1 """)

            let dir = freshFolder ()
            let code, _, err = np [ "sweep"; "submit"; spec; "--out"; dir; "--slurm" ]
            Expect.equal code 0 err
            let code, out, _ = waitFor dir
            Expect.equal code 1 $"status exit code says a task failed: {out}"
            Expect.stringContains out "task 1 (widths=x): failed: np: --widths" "its message"
            let first = rows dir
            Expect.equal (first |> List.map (fun r -> r.Status)) [ TaskStatus.Done; TaskStatus.Failed; TaskStatus.Done ] "the others finished"
            let code, out, _ = np [ "sweep"; "collect"; dir ]
            Expect.equal code 1 "collect's exit code too"
            Expect.stringContains out "3 tasks: 2 done, 1 failed" "counts"

            let code, out, err = np [ "sweep"; "submit"; spec; "--out"; dir; "--slurm" ]
            Expect.equal code 0 err
            Expect.stringContains out ": 1 task of" "one task resubmitted"
            Expect.stringContains out "(--array=1)" "only the missing one"
            let code, _, _ = waitFor dir
            Expect.equal code 1 "it fails again (the option is still bad)"
            let second = rows dir
            Expect.equal (second |> List.map (fun r -> r.Attempts)) [ 1; 2; 1 ] "only task 1 ran again"
            Expect.equal second.[0].FinishedUtc first.[0].FinishedUtc "task 0 untouched"
            Expect.equal second.[2].FinishedUtc first.[2].FinishedUtc "task 2 untouched"

            Expect.isTrue
                ((nonNull second.[1].SlurmJob).EndsWith "_1"
                 && second.[1].SlurmJob <> first.[1].SlurmJob)
                "a new job ran it")
    ]
