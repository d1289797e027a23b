#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
// Claims 12-13: σ₂/σ₁ of W₁ and W₂ against ‖w‖ for several δ (explicit Euler, step 2e-3; depth-3 leaky ReLU 0.2, the
// digest's rank-one set-up), and the squared layer norms ‖W_l‖² along the same runs (equal for p = 1).
// Usage: dotnet fsi scripts/rank-one.fsx [OUTPUT_DIR]
#load "figures.fsx"
open System
open Figures
open NeuronPursuit.Core.Analysis
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Flow.Methods
open NeuronPursuit.Checks.Problems

let dir = outputFolder "rank-one"
let p = deep (NeuronPursuit.Api.Activation.leakyRelu 0.2) 5L
let layout = p.Network.Value.Layout
let curves =
    [ for delta in [ 1e-2; 3e-3; 1e-3 ] do
        let levels = [| for k in 0 .. 30 -> delta * 10.0 ** (float k / 10.0) |] |> Array.filter (fun r -> r <= 0.5)
        let events = levels |> Array.map (fun r -> FlowEvent("level", EventFunction(fun _ w -> norm (w.ToArray()) - r), CrossingDirection.Rising, false)) |> Array.toList
        let s = FlowSolver.Solve<float>(GradientFlowSystem<float>(p.Loss()), ExplicitEuler(), 0.0, ReadOnlySpan(scale delta p.W0), 50.0 / delta,
                                        IntegrationOptions(FixedStep = Nullable 2e-3, MaxSteps = 100_000_000L), List.toArray (events @ [ EscapeTime.NormEvent 0.5 ]))
        let states = s.Events |> Seq.map (fun e -> e.State) |> Seq.toArray
        let ratio l (w: float[]) = SingularValues.RatiosPerLayer(layout, ReadOnlySpan w) |> Seq.find (fun struct (k, _) -> k = l) |> fun struct (_, r) -> r
        for l in [ 1; 2 ] ->
            { Label = $"W{l}, delta = {delta}"; X = states |> Array.map norm; Y = states |> Array.map (ratio l) } ]
figure dir "singular-value-ratios" "sigma2/sigma1 vs |w| (depth 3, leaky ReLU 0.2, Euler step 2e-3)" "|w|" "sigma2 / sigma1" true true [] curves
