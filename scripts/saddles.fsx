#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
// Claims 7-11: the loss with the plateaus (origin, first saddle) and their saddle events marked, for A's Figure-1
// model (L = 2) and the two-layer ReLU² net (L = 3); and the per-neuron block norms through the escape and the
// first saddle (sparsity preserved: the inactive neurons stay O(δ)).
// Usage: dotnet fsi scripts/saddles.fsx [OUTPUT_DIR]
#load "figures.fsx"
open System
open Figures
open NeuronPursuit.Core.Analysis
open NeuronPursuit.Core.Flow
open NeuronPursuit.Checks.Problems

let dir = outputFolder "saddles"
for p, delta, tEnd in [ fig1 3L, 1e-8, 0.8; twoLayerL3 2L, 1e-3, 4000.0 ] do
    let times = ObservationGrid.Logarithmic(tEnd * 1e-4, tEnd, 1500)
    let f = p.Loss()
    let quantities = [ FlowQuantities.Loss f; FlowQuantities.GradientNorm(p.Loss()) ] @ [ for j in 0 .. p.Blocks.Length - 1 -> FlowQuantity($"n{j}", fun w -> (blockNorms p w).[j]) ]
    let recorder = QuantityRecorder(times, quantities)
    gradientFlow f (scale delta p.W0) tEnd 1e-10 [] [ recorder ] |> ignore
    let times = recorder.Column "t"
    let loss, g = recorder.Column "loss", recorder.Column "grad_norm"
    let plateaus = PlateauDetection.Detect(times, loss, g, 1e-3 * Array.max g, minDuration = 0.0)
    let markers = [ for q in plateaus -> q.SaddleTime, $"saddle L = {q.Loss:G4}" ]
    figure dir $"loss-{p.Name}" $"loss, {p.Name}, delta = {delta} (dashed: saddle events, |grad| <= 1e-3 max)" "t" "loss" true true markers
        [ { Label = "loss"; X = times; Y = loss }; { Label = "|grad L|"; X = times; Y = g } ]
    figure dir $"neuron-norms-{p.Name}" $"per-neuron block norms / delta, {p.Name}, delta = {delta}" "t" "block norm / delta" true true markers
        [ for j in 0 .. p.Blocks.Length - 1 -> { Label = $"neuron {j}"; X = times; Y = recorder.Column $"n{j}" |> Array.map (fun v -> v / delta) } ]
