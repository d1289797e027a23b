#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
// A sweep of a function of the script's own (docs/claims.md #6), on every core, into the same results database as
// `np sweep run`: for the two-layer ReLU² problem (L = 3) and each seed of w₀, the escape time T_esc(δ) of the flow
// from δw₀ AND the blow-up time τ*(w₀) of the NCF flow — a number no run record holds, so the in-process function
// computes it. The report fits δ·T_esc against δ per seed; its intercepts are the τ* printed here.
// Usage: dotnet fsi scripts/sweep-function.fsx [OUTPUT_DIR]   (rerun it: the tasks already done are skipped)
#load "load.fsx"
open NeuronPursuit

let dir = Load.outputFolder "sweep-function"

let grid =
    Sweep.grid [ Sweep.axis "delta" [ 3e-2; 1e-2; 3e-3; 1e-3 ]; Sweep.range "seed" 1L 4L ]

let escape (p: SweepValues) =
    let delta, seed = p.Float "delta", p.Int "seed"
    let problem = Problem.parse $"example=two-layer-relu2 init-scale=1 seed={seed}"
    let w0 = Problem.w0 problem
    let limit = Kkt.limitOf problem w0

    let sol =
        Flow.solveWith
            Flow.dp5
            (Flow.relative 1e-10)
            []
            [ Flow.escapeAt 0.3 ]
            (Problem.loss problem)
            (Vec.scale delta w0)
            (10.0 * limit.BlowUpTime / delta)

    let tEsc =
        match sol.Events with
        | e :: _ -> Some e.Time
        | [] -> None

    [ "escape_time", box tEsc
      "tau_star", box limit.BlowUpTime
      "n_star", box limit.Value ]

let summary = Sweep.run dir grid escape
printfn "%d tasks: %d done, %d failed (%d run now) in %.1f s" summary.Total summary.Done summary.Failed summary.Ran summary.WallSeconds

for seed, rows in Sweep.results dir |> List.groupBy (fun r -> r.Parameters.Int "seed") do
    let m = (List.head rows).Metrics |> Option.get
    printfn "seed %d: tau* = %s, N* = %s" seed (Format.g6 (m.Float "tau_star")) (Format.g6 (m.Float "n_star"))

let figure =
    { SweepReport.figure "escape_time" "delta" with
        Y = "x*y"
        Fit = true
        Note = Some "The intercept of each seed's line is its tau*." }

let files =
    SweepReport.write dir "delta T_esc against delta, two-layer ReLU^2 (L = 3)" (Some "seed") [ figure ]

printfn "wrote %s in %s" (String.concat ", " files) dir
