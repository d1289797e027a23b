#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
(**
# Saddles after the escape

docs/claims.md #7–#11, #16 (arXiv 2402.09226, 2403.08121, 2502.15952). The loss and ‖∇ℒ‖ with the plateaus
(‖∇ℒ‖ ≤ 3e-3 of its maximum: the origin, then the saddles) and their saddle events marked, for the Figure-1 model of
arXiv 2402.09226 (L = 2) and the two-layer ReLU² net (L = 3); and every neuron's block norm / δ through the escape and
the first saddle: the neurons inactive in the escape direction stay O(δ) (sparsity preserved), several neurons grow for
L = 2, one wins for L = 3.

Usage: `dotnet fsi scripts/saddles.fsx [OUTPUT_DIR]`
*)
#r "nuget: NeuronPursuit.FSharp, 0.1.0"
#load "load.fsx"

open NeuronPursuit

let dir = Load.outputFolder "saddles"

/// The flow of an example from δw₀ to tEnd: prints its plateaus; returns the loss figure and the neuron-norm figure.
let study name delta tEnd =
    let p = Problem.example name
    let loss = Problem.loss p
    let neurons = Problem.blocks p

    let blockNorm j =
        Flow.quantity $"neuron {j}" (fun w -> (Problem.blockNorms p w).[j] / delta)

    let recorder =
        Flow.recorder
            (Flow.logGrid (tEnd * 1e-4) tEnd 1500)
            ([ Flow.lossQuantity loss; Flow.gradientNormQuantity loss ]
             @ List.init neurons.Length blockNorm)
    // rtol 1e-10 with atol 1e-10·δ: purely relative control would crawl once unused weights decay at the minimum.
    let sol =
        Flow.solveWith Flow.dp5 (Flow.tolerances 1e-10 (1e-10 * delta)) [ recorder ] [] loss (Vec.scale delta (Problem.w0 p)) tEnd

    printfn "%s: %s" name sol.Message

    let t, l, g =
        recorder.Column "t", recorder.Column "loss", recorder.Column "grad_norm"

    let plateaus = Analysis.plateaus (3e-3 * Array.max g) t l g

    for i, q in List.indexed plateaus do
        printfn
            "%s, plateau %d: t in [%s, %s], saddle event at t = %s, loss %s"
            name
            i
            (Format.g4 q.Start)
            (Format.g4 q.End)
            (Format.g4 q.SaddleTime)
            (Format.g6 q.Loss)

    let saddles =
        [ for i, q in List.indexed plateaus -> q.SaddleTime, (if i = 0 then "origin" else string i) ]

    let lossFigure =
        Plot.figure $"{name}: loss and |grad L|" "t" $"loss, |grad L| (delta = {delta})" [ Plot.line "loss" t l; Plot.line "|grad L|" t g ]
        |> Plot.logX
        |> Plot.logY
        |> Plot.withMarkers saddles
        |> Load.save dir $"loss-{name}"

    let neuronFigure =
        Plot.figure $"{name}: neuron blocks" "t" $"block norm / delta (delta = {delta})" [
            for j in 0 .. neurons.Length - 1 -> Plot.line $"neuron {j}" t (recorder.Column $"neuron {j}")
        ]
        |> Plot.logX
        |> Plot.logY
        |> Plot.withMarkers saddles
        |> Load.save dir $"neuron-norms-{name}"

    lossFigure, neuronFigure

(**
## L = 2: the Figure-1 model
*)
let fig1Loss, fig1Neurons = study "fig1" 1e-8 0.8
(*** include-output ***)
fig1Loss
(*** include-it-raw ***)
fig1Neurons
(*** include-it-raw ***)

(**
## L = 3: two-layer ReLU²
*)
let reluLoss, reluNeurons = study "two-layer-relu2" 1e-3 4000.0
(*** include-output ***)
reluLoss
(*** include-it-raw ***)
reluNeurons
(*** include-it-raw ***)
