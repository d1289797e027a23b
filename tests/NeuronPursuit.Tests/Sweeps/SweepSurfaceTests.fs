// SPDX-License-Identifier: MIT
/// The F# surface's sweeps: a function of the script's own swept over a grid in this process on all workers, into the
/// same results database as np sweep; failures recorded, reruns resumable, results as records, a report.
module NeuronPursuit.Tests.Sweeps.SweepSurfaceTests

open System
open System.IO
open System.Threading
open Expecto
open NeuronPursuit
open NeuronPursuit.Sweeps
open NeuronPursuit.Tests.Support.NpRunner

let tests =
    testSequenced
    <| testList "Sweep (F# surface)" [
        test "Sweep.run sweeps an in-process function over a grid on two workers; failures recorded; a rerun retries only them" {
            let dir = Path.Combine(tempDir (), "fn")

            let g =
                Sweep.grid [ Sweep.axis "delta" [ 1e-1; 1e-2; 1e-3 ]; Sweep.range "seed" 1L 4L ]

            Expect.equal g.Count 12 "3 × 4 tasks"
            let calls = ref 0
            let running = ref 0
            let most = ref 0

            let f (p: SweepValues) =
                Interlocked.Increment calls |> ignore
                let now = Interlocked.Increment running
                lock most (fun () -> most.Value <- max most.Value now)
                Thread.Sleep 150
                Interlocked.Decrement running |> ignore
                let delta, seed = p.Float "delta", p.Int "seed"

                if seed = 3L && delta = 1e-2 then
                    failwith "seed 3 diverges"
                // An escape-time-like law, T = ln(1/δ)/(2·58) + seed/100, so the report has a slope to find.
                [ "t", box (log (1.0 / delta) / 116.0 + float seed / 100.0)
                  "escaped", box (seed <> 4L)
                  "widths", box [ 4; 2 ] ]

            let summary = Sweep.runWith 2 "escape-law" dir g f
            Expect.equal (summary.Done, summary.Failed, summary.Ran) (11, 1, 12) "11 done, 1 failed"
            Expect.equal most.Value 2 "two tasks ran at once"
            let results = Sweep.results dir
            Expect.equal results.Length 12 "every task"
            let failed = results |> List.filter (fun r -> r.Status = TaskStatus.Failed)
            Expect.equal [ for r in failed -> r.Parameters.ToString() ] [ "delta=0.01, seed=3" ] "the failing cell"
            Expect.stringContains (defaultArg failed.Head.Error "") "seed 3 diverges" "its message"
            let first = results.[0]
            Expect.equal (first.Parameters.Float "delta", first.Parameters.Int "seed") (0.1, 1L) "row-major order"
            Expect.equal ((Option.get first.Metrics).Float "t") (log 10.0 / 116.0 + 0.01) "the function's number, bit for bit"
            Expect.equal ((Option.get first.Metrics).["widths"].GetRawText()) "[4,2]" "a list metric"

            calls.Value <- 0
            let again = Sweep.runWith 2 "escape-law" dir g f
            Expect.equal (again.Skipped, again.Ran, calls.Value) (11, 1, 1) "only the failed task ran again"
            // A different function name, or grid, in the same folder is refused.
            Expect.throwsT<SweepSpecException> (fun () -> Sweep.runWith 2 "other" dir g f |> ignore) "another function"

            Expect.throwsT<SweepSpecException>
                (fun () ->
                    Sweep.runWith 2 "escape-law" dir (Sweep.grid [ Sweep.axis "delta" [ 1e-1 ] ]) f
                    |> ignore)
                "another grid"

            let figure =
                { SweepReport.figure "t" "delta" with
                    X = "ln(1/x)"
                    Fit = true }

            let files = SweepReport.write dir "escape-law" (Some "seed") [ figure ]
            Expect.contains files "figures/t-vs-delta.png" "the figure"
            let md = File.ReadAllText(Path.Combine(dir, "report.md"))
            // Per seed, T is exactly linear in ln(1/δ) with slope 1/116 (seed 3 has two points left, still a line).
            Expect.stringContains md (Format.g6 (1.0 / 116.0)) "the per-seed slope 1/116"
            Expect.stringContains md "## Success frequencies" "the boolean metric's frequencies"
            Expect.stringContains md "| **all** | 8 | 11 |" "8 of 11 done tasks escaped"
            // np sweep report reads the same folder.
            let code, out, err = np [ "sweep"; "report"; dir ]
            Expect.equal code 0 err
            Expect.stringContains out "summary.csv" "np sweep report on a function sweep"
        }

        test "zip pairs values; axis values are checked" {
            let g = Sweep.zip [ Sweep.axis "a" [ 1; 2; 3 ]; Sweep.axis "b" [ "x"; "y"; "z" ] ]
            Expect.equal [ for t in Sweep.tasks g -> t.Parameters.ToString() ] [ "a=1, b=x"; "a=2, b=y"; "a=3, b=z" ] "zipped"
            Expect.throwsT<SweepSpecException> (fun () -> Sweep.zip [ Sweep.axis "a" [ 1; 2 ]; Sweep.axis "b" [ "x" ] ] |> ignore) "unequal lengths"
            Expect.throwsT<SweepSpecException> (fun () -> Sweep.grid [ Sweep.axis "a" [ 1; 1 ] ] |> ignore) "a value twice"
            Expect.throwsT<SweepSpecException> (fun () -> Sweep.axis "a" [ nan ] |> ignore) "NaN"
            Expect.throwsT<SweepSpecException> (fun () -> Sweep.grid [ Sweep.axis "a" ([]: int list) ] |> ignore) "empty"
        }
    ]
