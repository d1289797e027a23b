#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
// Saddles after the escape (docs/claims.md #7–#11, #16; arXiv 2402.09226, 2403.08121, 2502.15952). The loss and
// ‖∇ℒ‖ with the plateaus (‖∇ℒ‖ ≤ 3e-3 of its maximum: the origin, then the saddles) and their saddle events marked, for the Figure-1 model
// of arXiv 2402.09226 (L = 2) and the two-layer ReLU² net (L = 3); and every neuron's block norm / δ through the escape
// and the first saddle: the neurons inactive in the escape direction stay O(δ) (sparsity preserved), several
// neurons grow for L = 2, one wins for L = 3.
// Usage: dotnet fsi scripts/saddles.fsx [OUTPUT_DIR]
#load "load.fsx"
open NeuronPursuit

let dir = Load.outputFolder "saddles"
for name, delta, tEnd in [ "fig1", 1e-8, 0.8; "two-layer-relu2", 1e-3, 4000.0 ] do
    let p = Problem.example name
    let loss = Problem.loss p
    let neurons = Problem.blocks p
    let blockNorm j = Flow.quantity $"neuron {j}" (fun w -> (Problem.blockNorms p w).[j] / delta)
    let recorder =
        Flow.recorder (Flow.logGrid (tEnd * 1e-4) tEnd 1500)
            ([ Flow.lossQuantity loss; Flow.gradientNormQuantity loss ] @ List.init neurons.Length blockNorm)
    // rtol 1e-10 with atol 1e-10·δ: purely relative control would crawl once unused weights decay at the minimum.
    let sol = Flow.solveWith Flow.dp5 (Flow.tolerances 1e-10 (1e-10 * delta)) [ recorder ] [] loss (Vec.scale delta (Problem.w0 p)) tEnd
    printfn "%s: %s" name sol.Message
    let t, l, g = recorder.Column "t", recorder.Column "loss", recorder.Column "grad_norm"
    let plateaus = Analysis.plateaus (3e-3 * Array.max g) t l g
    for i, q in List.indexed plateaus do
        printfn "%s, plateau %d: t in [%s, %s], saddle event at t = %s, loss %s" name i (Format.g4 q.Start) (Format.g4 q.End) (Format.g4 q.SaddleTime) (Format.g6 q.Loss)
    let saddles = [ for i, q in List.indexed plateaus -> q.SaddleTime, (if i = 0 then "origin" else string i) ]
    Plot.figure $"{name}: loss and |grad L|" "t" $"loss, |grad L| (delta = {delta})" [ Plot.line "loss" t l; Plot.line "|grad L|" t g ]
    |> Plot.logX |> Plot.logY |> Plot.withMarkers saddles |> Load.save dir $"loss-{name}"
    Plot.figure $"{name}: neuron blocks" "t" $"block norm / delta (delta = {delta})"
        [ for j in 0 .. neurons.Length - 1 -> Plot.line $"neuron {j}" t (recorder.Column $"neuron {j}") ]
    |> Plot.logX |> Plot.logY |> Plot.withMarkers saddles |> Load.save dir $"neuron-norms-{name}"
