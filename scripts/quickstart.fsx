#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
(**
# Quick start

Gradient flow of a deep ReLU² network from a small initialisation w(0) = δw₀. The weights stay near the origin until
T_esc ≈ τ*/δ^{L−2}, τ* the blow-up time of the NCF flow du/dτ = ∇N(u) from w₀, and leave it in the direction of a KKT
point u* of max N(u) s.t. ‖u‖ = 1 (arXiv 2403.08121; docs/claims.md #2, #6).

Run it from the repository root after `dotnet fsi build.fsx pack`: `dotnet fsi scripts/quickstart.fsx [OUTPUT_DIR]`.

The problem: 20 points on S³, a bias-free 3-layer net of widths (5, 5) with σ = relu², so L = 1 + 2 + 4 = 7.
*)
#r "nuget: NeuronPursuit.FSharp, 0.1.0"
#load "load.fsx"

open NeuronPursuit

let p = Problem.example "deep"
let L, w0, ncf = Problem.degree p, Problem.w0 p, Problem.ncf p

(**
## The KKT point

The NCF flow from w₀ blows up at τ* in a direction that spherical ascent polishes into u*.
*)
let limit = Kkt.limitOf p w0
let uStar = Kkt.ascent (Kkt.options 1e-12 10_000) ncf limit.Direction

printfn
    "%s\nL = %d, tau* = %.9g, N(u*) = %s, KKT residual of u* = %s"
    p.Description
    L
    limit.BlowUpTime
    (Format.g6 uStar.Value)
    (Format.g4 uStar.Residual)
(*** include-output ***)

(**
## The flow to the escape

From δw₀ to the escape ‖w‖ = 0.5 in double-double (T_esc reaches 1e27, beyond double's resolution of the escape), then
100 time units on from the escape point, in double.
*)
let rtol = Flow.relative 1e-10

let runs =
    [ for delta in [ 1e-2; 1e-3; 1e-4; 1e-5 ] ->
          let tEnd = 2.0 * limit.BlowUpTime / delta ** float (L - 2)
          let norm = Flow.recorder (Flow.logGrid 1.0 tEnd 400) [ Flow.normQuantity ]

          let early =
              Flow.solveWith
                  Flow.dp5
                  rtol
                  [ norm ]
                  [ Flow.escapeAt 0.5 ]
                  (Problem.lossOf<DoubleDouble> p)
                  (Weights.toDoubleDouble (Vec.scale delta w0))
                  tEnd

          let escape = early.Events.Head

          let after =
              Flow.recorder (Flow.linearGrid 0.0 100.0 201) [ Flow.lossQuantity (Problem.loss p) ]

          Flow.solveWith Flow.dp5 rtol [ after ] [] (Problem.loss p) escape.State 100.0
          |> ignore

          delta,
          escape,
          Plot.line $"delta = {delta}" (Array.append (norm.Column "t") [| escape.Time |]) (Array.append (norm.Column "norm") [| 0.5 |]),
          Plot.line $"delta = {delta}" (after.Column "t") (after.Column "loss") ]

(**
## The escape

δ^{L−2}T_esc → τ*, and the direction at the escape → u* as δ → 0.
*)
printfn "%8s %12s %18s %12s %14s" "delta" "T_esc" "delta^(L-2) T_esc" "cos(w, u*)" "KKT residual"

for delta, escape, _, _ in runs do
    printfn
        "%8s %12s %18.9g %12.8f %14s"
        (Format.g4 delta)
        (Format.g6 escape.Time)
        (escape.Time * delta ** float (L - 2))
        (Vec.cosine escape.State uStar.Direction)
        (Format.g4 (Kkt.residual ncf escape.State))
(*** include-output ***)

(**
## Figures

‖w‖ against t (log–log: a plateau at δ, the escape at τ*/δ^{L−2}); the loss after the escape.
*)
let dir = Load.outputFolder "quickstart"

Plot.figure $"|w| against t, deep relu^2 (L = {L}), to the escape |w| = 0.5" "t" "|w|" [ for _, _, norm, _ in runs -> norm ]
|> Plot.logX
|> Plot.logY
|> Load.save dir "norm"
(*** include-it-raw ***)
Plot.figure "loss after the escape; the paths converge as delta -> 0" "t - T_esc" "loss" [ for _, _, _, loss in runs -> loss ]
|> Plot.linearY
|> Load.save dir "loss"
(*** include-it-raw ***)
