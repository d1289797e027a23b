#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
(**
# Rank-one early weights and balanced layers

docs/claims.md #12, #13 (arXiv 2403.08121). For a depth-3 leaky-ReLU (α = 0.2) net from w(0) = δw₀, σ₂/σ₁ of W₁ and W₂
against ‖w‖ for several δ: the smaller δ, the closer to rank one when ‖w‖ has grown. And the shares ‖W_l‖²/‖w‖² of
the layers along the same runs: σ is 1-homogeneous, so the flow conserves ‖W_l‖² − ‖W_{l+1}‖² = O(δ²) and the shares
tend to 1/3 each. Explicit Euler with step 2e-3 (gradient descent; the leaky ReLU's gradient is discontinuous), read
when ‖w‖ = δ·10^(j/10), up to the escape ‖w‖ = 0.5.

Usage: `dotnet fsi scripts/rank-one.fsx [OUTPUT_DIR]`
*)
#r "nuget: NeuronPursuit.FSharp, 0.1.0"
#load "load.fsx"

open NeuronPursuit

let dir = Load.outputFolder "rank-one"
let p = Problem.example "deep" |> Problem.withActivation (Activation.leakyRelu 0.2)
let net = Problem.network p
let euler = Flow.fixedStep 2e-3 |> Flow.maxSteps 100_000_000L

/// The states where ‖w‖ first reaches δ·10^(j/10) (j = 0 … 30, at most 0.5), from δw₀.
let statesAlong (delta: float) =
    let levels =
        [ for j in 0..30 do
              if delta * 10.0 ** (float j / 10.0) <= 0.5 then
                  Flow.normReaches "level" false (delta * 10.0 ** (float j / 10.0)) ]

    let sol =
        Flow.solveWith (Flow.method "euler") euler [] (Flow.escapeAt 0.5 :: levels) (Problem.loss p) (Vec.scale delta (Problem.w0 p)) (50.0 / delta)

    [| for e in sol.Events do
           if e.Name = "level" then
               e.State |]

(**
## σ₂/σ₁ against ‖w‖
*)
let runs = [ for delta in [ 1e-2; 3e-3; 1e-3 ] -> delta, statesAlong delta ]

let ratio l (w: float[]) =
    Analysis.singularValueRatios net w
    |> List.find (fun (layer, _) -> layer = l)
    |> snd

Plot.figure "sigma2/sigma1 of W1, W2 against |w| (depth 3, leaky ReLU 0.2)" "|w|" "sigma2 / sigma1" [
    for delta, states in runs do
        for l in [ 1; 2 ] -> Plot.line $"W{l}, delta = {delta}" (Array.map Vec.norm states) (Array.map (ratio l) states)
]
|> Plot.logX
|> Plot.logY
|> Load.save dir "singular-value-ratios"
(*** include-it-raw ***)
for delta, states in runs do
    let last = Array.last states

    printfn
        "delta = %s: at |w| = %s, sigma2/sigma1 of W1 = %s, of W2 = %s"
        (Format.g4 delta)
        (Format.g4 (Vec.norm last))
        (Format.g4 (ratio 1 last))
        (Format.g4 (ratio 2 last))
(*** include-output ***)

(**
## The layers' shares of ‖w‖²
*)
let delta, states = List.last runs

let shares =
    states
    |> Array.map (fun w -> Analysis.layerNormsSquared net w |> Array.map (fun s -> s / (Vec.norm w ** 2.0)))

Plot.figure $"layer shares |W_l|^2/|w|^2 against |w|, delta = {delta}" "|w|" "|W_l|^2 / |w|^2" [
    for l in 0 .. shares.[0].Length - 1 -> Plot.line $"W{l + 1}" (Array.map Vec.norm states) (shares |> Array.map (fun s -> s.[l]))
]
|> Plot.logX
|> Plot.linearY
|> Load.save dir "layer-shares"
(*** include-it-raw ***)
