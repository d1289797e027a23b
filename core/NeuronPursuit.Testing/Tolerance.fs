// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Testing

open System

/// Closeness of numbers in the max-norm, as assertions that throw with the numbers in the message (so that a
/// property built on them fails with a reason FsCheck shows next to the shrunk counterexample).
[<AutoOpen>]
module Tolerance =
    /// The larger of m and |x|, NaN as soon as either is NaN (so that a NaN is never hidden by a maximum).
    let private maxNaN (m: float) (x: float) =
        if Double.IsNaN m || Double.IsNaN x then
            nan
        else
            max m (abs x)

    /// ‖a − b‖∞ (NaN when a difference is NaN).
    let maxDifference (a: float[]) (b: float[]) =
        if a.Length <> b.Length then
            invalidArg "b" $"b: has length {b.Length}, but a has length {a.Length}."

        Array.fold2 (fun m x y -> maxNaN m (x - y)) 0.0 a b

    /// ‖a‖∞ (0 for an empty array, NaN when an entry is NaN).
    let maxAbs (a: float[]) = Array.fold maxNaN 0.0 a

    /// Asserts ‖actual − expected‖∞ ≤ tol · scale; the message gives `what` and the numbers.
    let expectClose (tol: float) (scale: float) (actual: float[]) (expected: float[]) (what: string) =
        let error = maxDifference actual expected

        if not (error <= tol * scale) then
            failwithf "%s: max difference %.3e exceeds %.1e × scale %.3e" what error tol scale

    /// Asserts |actual − expected| ≤ tol · scale.
    let expectCloseScalar (tol: float) (scale: float) (actual: float) (expected: float) (what: string) =
        let error = abs (actual - expected)

        if not (error <= tol * scale) then
            failwithf "%s: |%.17g − %.17g| = %.3e exceeds %.1e × scale %.3e" what actual expected error tol scale
