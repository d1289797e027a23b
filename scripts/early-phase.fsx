#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
// Claims 1-2 (small-init-and-saddles.md §4): ‖w‖/δ against the rescaled time δ^{L−2}t for several δ, with the NCF
// flow's ‖u(τ)‖ (the curves collapse); and cos(w, u*) against ‖w‖/δ (u* the NCF-flow limit from the same w₀).
// Problem: two-layer ReLU² (L = 3), d = 3, n = 30 on S² — the checks' `twoLayerL3 2`.
// Usage: dotnet fsi scripts/early-phase.fsx [OUTPUT_DIR]
#load "figures.fsx"
open System
open Figures
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Kkt
open NeuronPursuit.Checks.Problems

let dir = outputFolder "early-phase"
let p = twoLayerL3 2L
let blow = BlowUpTime.Compute(p.Ncf(), p.Degree, ReadOnlySpan p.W0)
let taus = ObservationGrid.Linear(0.0, 0.95 * blow.Tau, 200)
let ncfRec = QuantityRecorder(taus, [ FlowQuantities.WeightNorm() ])
ncfFlow (p.Ncf()) p.W0 (0.95 * blow.Tau) 1e-10 [] [ ncfRec ] |> ignore
let deltas = [ 1e-1; 3e-2; 1e-2; 1e-3 ]
let curves =
    [ for delta in deltas ->
        let rec' = QuantityRecorder(taus |> Array.map (fun t -> t / delta), [ FlowQuantity("r", fun w -> norm w / delta) ])
        gradientFlow (p.Loss()) (scale delta p.W0) (0.95 * blow.Tau / delta) 1e-9 [] [ rec' ] |> ignore
        { Label = $"delta = {delta}"; X = taus; Y = rec'.Column "r" } ]
    @ [ { Label = "NCF flow |u(tau)|"; X = taus; Y = ncfRec.Column "norm" } ]
figure dir "norm-over-delta" $"|w|/delta vs delta t (L = 3); tau* = {blow.Tau:F5}" "tau = delta t" "|w| / delta" false true [ (blow.Tau, "tau*") ] curves

let cosCurves =
    [ for delta in [ 1e-3; 1e-5 ] ->
        let levels = [| for k in 0 .. 40 -> 10.0 ** (float k / 10.0) |]
        let events = levels |> Array.map (fun r -> FlowEvent($"{r}", EventFunction(fun _ w -> norm (w.ToArray()) - r * delta), CrossingDirection.Rising, false)) |> Array.toList
        let s = gradientFlow (p.Loss()) (scale delta p.W0) (10.0 / delta) 1e-10 (events @ [ NeuronPursuit.Core.Analysis.EscapeTime.NormEvent 0.5 ]) []
        let pts = s.Events |> Seq.filter (fun e -> e.Name <> "escape") |> Seq.map (fun e -> norm e.State / delta, 1.0 - cosine e.State blow.LimitDirection) |> Seq.toArray
        { Label = $"delta = {delta}"; X = Array.map fst pts; Y = Array.map snd pts } ]
figure dir "cosine-to-kkt" "1 - cos(w, u*) vs |w|/delta (u* = NCF-flow limit from w0)" "|w| / delta" "1 - cos" true true [] cosCurves
