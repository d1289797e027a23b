// SPDX-License-Identifier: MIT
/// Kill and resume: `np sweep run` in a child process is killed with SIGKILL while tasks run; the database is sound,
/// the tasks it left running stop by themselves, and a rerun finishes the sweep without running a finished task again.
module NeuronPursuit.Tests.Sweeps.SweepKillTests

open System
open System.Diagnostics
open System.IO
open System.Threading
open Expecto
open NeuronPursuit.Sweeps
open NeuronPursuit.Tests.Support.NpRunner
open NeuronPursuit.Tests.Support.SweepFixtures

/// The np processes whose command line names the folder (read from /proc; nothing is signalled).
let private tasksIn (dir: string) =
    [ for proc in Directory.EnumerateDirectories "/proc" do
          let name = Path.GetFileName proc |> nonNull

          if name |> Seq.forall Char.IsDigit then
              let cmdline =
                  try
                      File.ReadAllText(Path.Combine(proc, "cmdline"))
                  with _ ->
                      ""

              if cmdline.Contains(dir + "/tasks/") then
                  yield int name ]

let tests =
    testSequenced
    <| testList "np sweep kill and resume" [
        test "SIGKILL mid-run: integrity ok, orphans end, finished tasks are not rerun, all done after a rerun" {
            // Six Euler flows of 80,000 steps (about two seconds each), two at a time.
            let spec =
                writeSpec
                    $"""{{ "command": "flow", "axes": {{ "seed": "1..6" }}, "metrics": {metrics},
                          "options": {{ "example": "two-relu-teacher", "net": "two-layer", "widths": "4", "activation": "relu-power:2",
                                        "init-scale": 0.1, "t-end": 80, "method": "euler", "step": 1e-3, "times": "linear:3", "observe": "loss" }} }}"""

            let dir = freshFolder ()

            let info =
                ProcessStartInfo(npBinary, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true)

            for a in [ "sweep"; "run"; spec; "--out"; dir; "--workers"; "2" ] do
                info.ArgumentList.Add a

            use sweep = Process.Start info |> nonNull
            let output = sweep.StandardOutput.ReadToEndAsync()
            let errors = sweep.StandardError.ReadToEndAsync()
            // Kill once at least one task is done and others are running.
            let deadline = DateTime.UtcNow.AddMinutes 4.0
            let mutable ready = false

            while not ready && DateTime.UtcNow < deadline && not sweep.HasExited do
                Thread.Sleep 100

                if File.Exists(Path.Combine(dir, SweepFolder.DatabaseFile)) then
                    let rs =
                        try
                            rows dir
                        with _ ->
                            []

                    ready <-
                        rs |> List.exists (fun r -> r.Status = TaskStatus.Done)
                        && rs |> List.exists (fun r -> r.Status = TaskStatus.Running)

            if not ready then
                sweep.WaitForExit(1000) |> ignore

                let said =
                    if sweep.HasExited then
                        $"; it exited with {sweep.ExitCode}: {output.Result} {errors.Result}"
                    else
                        ""

                failtest $"the sweep did not reach a state with finished and running tasks{said}"

            sweep.Kill()
            sweep.WaitForExit()
            Expect.equal (integrity dir) "ok" "PRAGMA integrity_check after SIGKILL"
            let before = rows dir
            let finished = before |> List.filter (fun r -> r.Status = TaskStatus.Done)
            Expect.isNonEmpty finished "some tasks finished before the kill"
            Expect.isLessThan finished.Length 6 "some did not"
            // The tasks the killed sweep was running end by themselves (they watch their parent).
            let mutable orphans = tasksIn dir
            let until = DateTime.UtcNow.AddSeconds 10.0

            while not orphans.IsEmpty && DateTime.UtcNow < until do
                Thread.Sleep 100
                orphans <- tasksIn dir

            Expect.isEmpty orphans "no task of the killed sweep is still running"

            let code, out, err = np [ "sweep"; "run"; spec; "--out"; dir; "--workers"; "2" ]
            Expect.equal code 0 $"the rerun finishes; stderr: {err}"
            Expect.stringContains out $"({6 - finished.Length} run now, {finished.Length} done before)" "only the unfinished tasks ran"
            let after = rows dir
            Expect.equal (after |> List.map (fun r -> r.Status)) (List.replicate 6 TaskStatus.Done) "all done"

            for r in finished do
                let now = after.[r.Index]
                Expect.equal now.Attempts 1 $"task {r.Index} ran once"
                Expect.equal now.FinishedUtc r.FinishedUtc $"task {r.Index} not rerun"

                Expect.equal
                    (now.Metrics |> Option.ofObj |> Option.map (fun m -> m.ToJson()))
                    (r.Metrics |> Option.ofObj |> Option.map (fun m -> m.ToJson()))
                    "same metrics"

            Expect.equal (integrity dir) "ok" "sound at the end"
        }
    ]
