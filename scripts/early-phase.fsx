#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
(**
# The early phase

docs/claims.md #1, #2 (arXiv 2402.09226, 2403.08121). From w(0) = δw₀ the weights stay O(δ): the curves ‖w‖/δ against
the rescaled time τ = δ^{L−2}t coincide with the NCF flow's ‖u(τ)‖ up to its blow-up time τ*; and the direction
converges to the NCF flow's limit u*: 1 − cos(w, u∗) falls as ‖w‖/δ grows. Problem: two-layer ReLU² (L = 3), n = 30
points on S² (the example two-layer-relu2).

Usage: `dotnet fsi scripts/early-phase.fsx [OUTPUT_DIR]`
*)
#r "nuget: NeuronPursuit.FSharp, 0.1.0"
#load "load.fsx"

open NeuronPursuit

let dir = Load.outputFolder "early-phase"
let p = Problem.example "two-layer-relu2"
let w0, loss, k = Problem.w0 p, Problem.loss p, float (Problem.degree p - 2)
let limit = Kkt.limitOf p w0
let tauEnd = 0.95 * limit.BlowUpTime

(**
## ‖w‖/δ against the rescaled time

Sampled at the same τ = δ^{L−2}t for every δ, with the NCF flow du/dτ = ∇N(u) from u(0) = w₀.
*)
let taus = Flow.linearGrid 0.0 tauEnd 200
let ncfNorm = Flow.recorder taus [ Flow.normQuantity ]

Kkt.ncfFlow (Flow.relative 1e-10) [ ncfNorm ] [] (Problem.ncf p) w0 tauEnd
|> ignore

let rescaled =
    [ for delta in [ 1e-1; 3e-2; 1e-2; 1e-3 ] ->
          let ratio =
              Flow.recorder (taus |> Array.map (fun tau -> tau / delta ** k)) [ Flow.quantity "ratio" (fun w -> Vec.norm w / delta) ]

          Flow.solveWith Flow.dp5 (Flow.relative 1e-9) [ ratio ] [] loss (Vec.scale delta w0) (tauEnd / delta ** k)
          |> ignore

          Plot.line $"delta = {delta}" taus (ratio.Column "ratio") ]

Plot.figure
    $"|w|/delta, L = 3; tau* = {Format.g4 limit.BlowUpTime}"
    "tau = delta^(L-2) t"
    "|w| / delta"
    (rescaled @ [ Plot.line "NCF flow |u(tau)|" taus (ncfNorm.Column "norm") ])
|> Plot.logY
|> Plot.withMarkers [ (limit.BlowUpTime, "tau*") ]
|> Load.save dir "norm-over-delta"
(*** include-it-raw ***)

(**
## The direction

1 − cos(w, u∗) read when ‖w‖ = Rδ for R = 10^(j/10), j = 0 … 40, until the escape ‖w‖ = 0.5.
*)
let toLimit =
    [ for delta in [ 1e-3; 1e-5 ] ->
          let levels =
              [ for j in 0..40 -> Flow.normReaches "level" false (10.0 ** (float j / 10.0) * delta) ]

          let sol =
              Flow.solveWith Flow.dp5 (Flow.relative 1e-10) [] (Flow.escapeAt 0.5 :: levels) loss (Vec.scale delta w0) (10.0 / delta ** k)

          let hits = sol.Events |> List.filter (fun e -> e.Name = "level")
          Plot.line $"delta = {delta}" [| for e in hits -> Vec.norm e.State / delta |] [| for e in hits -> 1.0 - Vec.cosine e.State limit.Direction |] ]

Plot.figure "1 - cos(w, u*) against |w|/delta (u* = limit of the NCF flow from w0)" "|w| / delta" "1 - cos(w, u*)" toLimit
|> Plot.logX
|> Plot.logY
|> Load.save dir "cosine-to-kkt"
(*** include-it-raw ***)
