// SPDX-License-Identifier: MIT
/// Empirical orders of convergence (diffrax's and OrdinaryDiffEq's test_convergence): the least-squares slope of
/// log error against log h, fitted by the core's LinearFit through the surface's `Analysis.fit`.
module NeuronPursuit.Tests.Support.ConvergenceOrder

open Expecto
open NeuronPursuit

/// The fit of log error against log h.
let fit (hs: float list) (errors: float list) =
    Analysis.fit (List.map log hs) (List.map log errors)

/// The slope of log error against log h: the empirical order.
let slope (hs: float list) (errors: float list) = (fit hs errors).Slope

/// "h=…: error, …" for failure messages.
let describe (hs: float list) (errors: float list) =
    List.map2 (fun (h: float) (e: float) -> $"h={h:g3}: {e:e2}") hs errors
    |> String.concat ", "

/// Asserts that the empirical order lies within ± tolerance of `expected`, reporting the measurements.
let expectOrder (what: string) (expected: float) (tolerance: float) (hs: float list) (errors: float list) =
    let measured = slope hs errors

    Expect.isLessThanOrEqual
        (abs (measured - expected))
        tolerance
        $"{what}: order {measured:f3}, expected {expected} ± {tolerance} ({describe hs errors})"

/// Asserts that the empirical order is at least `minimum`, reporting the measurements.
let expectOrderAtLeast (what: string) (minimum: float) (hs: float list) (errors: float list) =
    let measured = slope hs errors
    Expect.isGreaterThanOrEqual measured minimum $"{what}: order {measured:f3}, expected at least {minimum} ({describe hs errors})"
