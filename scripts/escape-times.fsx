#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
// Claims 5-6: T_esc against ln(1/δ) for A's Figure-1 model (L = 2, line of slope 1/(2N*)), and δ^{L−2}T_esc against δ
// for the two-layer ReLU² net (L = 3), approaching the NCF-flow blow-up time τ*.
// Usage: dotnet fsi scripts/escape-times.fsx [OUTPUT_DIR]
#load "figures.fsx"
open System
open Figures
open NeuronPursuit.Core.Kkt
open NeuronPursuit.Checks
open NeuronPursuit.Checks.Problems

let dir = outputFolder "escape-times"
let a = fig1 3L
let _, nStar, _ = ncfLimit a a.W0
let deltasA = [ 1e-2; 1e-3; 1e-4; 1e-5; 1e-6; 1e-7; 1e-8 ]
let tA = Escape.escapeTimes a deltasA 0.5 (fun d -> 20.0 + 10.0 * log (1.0 / d)) |> List.map (fun (d, t) -> log (1.0 / d), t.Value)
let x0, t0 = List.last tA
figure dir "escape-L2" $"T_esc vs ln(1/delta), L = 2 (A Fig. 1 model); predicted slope 1/(2N*) = {1.0 / (2.0 * nStar):F6}" "ln(1/delta)" "T_esc (|w| = 0.5)" false false []
    [ { Label = "measured"; X = tA |> List.map fst |> List.toArray; Y = tA |> List.map snd |> List.toArray }
      { Label = "slope 1/(2N*) through the last point"; X = tA |> List.map fst |> List.toArray; Y = tA |> List.map (fun (x, _) -> t0 + (x - x0) / (2.0 * nStar)) |> List.toArray } ]

let b = twoLayerL3 2L
let blow = BlowUpTime.Compute(b.Ncf(), b.Degree, ReadOnlySpan b.W0)
let deltasB = [ 1e-1; 3e-2; 1e-2; 3e-3; 1e-3; 3e-4; 1e-4 ]
let tB = Escape.escapeTimes b deltasB 0.3 (fun d -> 10.0 * blow.Tau / d) |> List.map (fun (d, t) -> d, d * t.Value)
figure dir "escape-L3" $"delta T_esc vs delta, L = 3; tau* = {blow.Tau:F5}" "delta" "delta T_esc (|w| = 0.3)" true false []
    [ { Label = "measured"; X = tB |> List.map fst |> List.toArray; Y = tB |> List.map snd |> List.toArray }
      { Label = "tau* - delta/(L(L-2)N* 0.3)"; X = tB |> List.map fst |> List.toArray; Y = tB |> List.map (fun (d, _) -> blow.Tau - d / (3.0 * blow.LimitValue * 0.3)) |> List.toArray }
      { Label = "tau*"; X = tB |> List.map fst |> List.toArray; Y = tB |> List.map (fun _ -> blow.Tau) |> List.toArray } ]
