#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
(**
# Escape times from the origin

docs/claims.md #5, #6. For L = 2 (arXiv 2402.09226's Figure-1 model) T_esc grows like ln(1/δ)/(2N∗), N* = N(u∗) at the
limit u* of the NCF flow from w₀; for L > 2 (two-layer ReLU², L = 3; arXiv 2403.08121) δ^{L−2}T_esc tends to the
blow-up time τ* of the NCF flow, with the first-order correction δ^{L−2}T_esc ≈ τ* − δ^{L−2}/(L(L−2)N*r^{L−2}) for the
escape level ‖w‖ = r.

Usage: `dotnet fsi scripts/escape-times.fsx [OUTPUT_DIR]`
*)
#r "nuget: NeuronPursuit.FSharp, 0.1.0"
#load "load.fsx"

open NeuronPursuit

let dir = Load.outputFolder "escape-times"

/// T_esc(δ): the first time ‖w‖ = level on the gradient flow from δw₀ (dp5, relative tolerance 1e-10).
let escapeTime (p: Problem) (level: float) (tEnd: float) (delta: float) =
    let sol =
        Flow.solveWith Flow.dp5 (Flow.relative 1e-10) [] [ Flow.escapeAt level ] (Problem.loss p) (Vec.scale delta (Problem.w0 p)) tEnd

    match sol.Events with
    | escape :: _ -> escape.Time
    | [] -> failwith $"delta = {delta}: no escape by t = {tEnd} ({sol.Message})"

(**
## L = 2

T_esc against ln(1/δ), and the line of slope 1/(2N∗) through the smallest δ.
*)
let a = Problem.example "fig1"
let nStar = (Kkt.limitOf a (Problem.w0 a)).Value
let deltasA = [| 1e-2; 1e-3; 1e-4; 1e-5; 1e-6; 1e-7; 1e-8 |]
let lnInv = deltasA |> Array.map (fun d -> log (1.0 / d))

let tA =
    deltasA |> Array.map (fun d -> escapeTime a 0.5 (20.0 + 10.0 * log (1.0 / d)) d)

let fitA = Analysis.fit lnInv tA
printfn "L = 2: N* = %s, fitted slope %s, predicted 1/(2N*) = %s" (Format.g6 nStar) (Analysis.describeSlope fitA) (Format.g6 (1.0 / (2.0 * nStar)))
(*** include-output ***)
Plot.figure "T_esc against ln(1/delta), L = 2 (fig1)" "ln(1/delta)" "T_esc (|w| = 0.5)" [
    Plot.circles "measured" lnInv tA
    Plot.line
        $"slope 1/(2N*) = {Format.g4 (1.0 / (2.0 * nStar))}"
        lnInv
        (lnInv
         |> Array.map (fun x -> Array.last tA + (x - Array.last lnInv) / (2.0 * nStar)))
]
|> Plot.linearY
|> Load.save dir "escape-L2"
(*** include-it-raw ***)

(**
## L = 3

δ^{L−2}T_esc against δ, approaching τ*.
*)
let b = Problem.example "two-layer-relu2"
let degree = Problem.degree b
let k = float (degree - 2)
let limitB = Kkt.limitOf b (Problem.w0 b)
let deltasB = [| 1e-1; 3e-2; 1e-2; 3e-3; 1e-3; 3e-4; 1e-4 |]

let scaledB =
    deltasB
    |> Array.map (fun d -> d ** k * escapeTime b 0.3 (10.0 * limitB.BlowUpTime / d ** k) d)

printfn "L = %d: tau* = %s, delta^(L-2) T_esc = %s" degree (Format.g6 limitB.BlowUpTime) (String.concat ", " (Array.map Format.g6 scaledB))
(*** include-output ***)
Plot.figure $"delta^(L-2) T_esc against delta, L = {degree}" "delta" "delta^(L-2) T_esc (|w| = 0.3)" [
    Plot.circles "measured" deltasB scaledB
    Plot.line
        "tau* with the first-order correction"
        deltasB
        (deltasB
         |> Array.map (fun d -> limitB.BlowUpTime - d ** k / (float degree * k * limitB.Value * 0.3 ** k)))
    Plot.line $"tau* = {Format.g4 limitB.BlowUpTime}" deltasB (deltasB |> Array.map (fun _ -> limitB.BlowUpTime))
]
|> Plot.logX
|> Plot.linearY
|> Load.save dir "escape-L3"
(*** include-it-raw ***)
