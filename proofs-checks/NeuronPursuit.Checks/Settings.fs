// SPDX-License-Identifier: MIT
/// The integration settings every check shares: Dormand–Prince 5(4) with a purely relative tolerance (the weights
/// are many orders below 1 near the origin) and a generous step limit.
module NeuronPursuit.Checks.Settings

open NeuronPursuit

/// dp5 options: relative tolerance rtol, atol = 0, at most 2·10⁶ steps.
let accurate (rtol: float) =
    Flow.relative rtol |> Flow.maxSteps 2_000_000L

/// The gradient flow of f from w₀ to t_end with dp5 at relative tolerance rtol, with events and observers.
let flowOf (f: Fn<float>) (w0: float[]) (tEnd: float) (rtol: float) events observers =
    Flow.solveWith Flow.dp5 (accurate rtol) observers events f w0 tEnd

/// The gradient flow of a problem's loss (see `flowOf`).
let flow (p: Problem) (w0: float[]) (tEnd: float) (rtol: float) events observers =
    flowOf (Problem.loss p) w0 tEnd rtol events observers

/// The fast or the full configuration.
let pick (fast: 'a) (full: 'a) (mode: Mode) =
    match mode with
    | Fast -> fast
    | Full -> full

/// 4 significant digits (the checks' tables).
let fmt = Format.g4

/// 6 significant digits.
let fmt6 = Format.g6

/// δ values as a comma list.
let listed (values: float list) =
    System.String.Join(", ", values |> List.map Format.g4)
