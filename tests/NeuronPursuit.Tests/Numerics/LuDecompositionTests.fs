// SPDX-License-Identifier: MIT
/// The blocked LU with partial pivoting: the double path (SIMD row combinations) against the generic path
/// (double-double, scalar loops), residuals of the solves, pivoting on a zero diagonal, singular matrices.
module NeuronPursuit.Tests.Numerics.LuDecompositionTests

open System
open Expecto
open NeuronPursuit.Core.Numerics

/// A random n × n matrix with N(0, 1) entries plus shift·I, and a random right-hand side.
let private randomSystem (n: int) (shift: float) (seed: int64) =
    let random = SeededRandom(seed)
    let a = Array.init (n * n) (fun _ -> random.NextGaussian())

    for i in 0 .. n - 1 do
        a.[i * n + i] <- a.[i * n + i] + shift

    let b = Array.init n (fun _ -> random.NextGaussian())
    a, b

let private solveDouble (n: int) (a: float[]) (b: float[]) =
    let lu = LuDecomposition<float>(n)
    Expect.isTrue (lu.TryFactor(ReadOnlySpan a)) "regular"
    let x = Array.copy b
    lu.Solve(Span x)
    x

let private solveDoubleDouble (n: int) (a: float[]) (b: float[]) =
    let lu = LuDecomposition<DoubleDouble>(n)
    Expect.isTrue (lu.TryFactor(ReadOnlySpan(Array.map (fun (v: float) -> DoubleDouble(v)) a))) "regular"
    let x = Array.map (fun (v: float) -> DoubleDouble(v)) b
    lu.Solve(Span x)
    x |> Array.map float

/// ‖A x − b‖∞ / (‖A‖∞ ‖x‖∞).
let private relativeResidual (n: int) (a: float[]) (x: float[]) (b: float[]) =
    let mutable worst = 0.0
    let mutable norm = 0.0

    for i in 0 .. n - 1 do
        let mutable r = -b.[i]
        let mutable rowSum = 0.0

        for j in 0 .. n - 1 do
            r <- r + a.[i * n + j] * x.[j]
            rowSum <- rowSum + abs a.[i * n + j]

        worst <- max worst (abs r)
        norm <- max norm rowSum

    worst / (norm * (x |> Array.map abs |> Array.max))

let tests =
    testList "LU decomposition" [
        test "double (blocked, SIMD) and double-double (generic) give the same solution, across panel boundaries" {
            // Sizes below, at and across the panel width, with a diagonal shift that keeps cond(A) moderate.
            for n in [ 1; 2; 7; 31; 32; 33; 64; 97; 150 ] do
                let a, b = randomSystem n (2.0 * sqrt (float n)) (int64 n)
                let x = solveDouble n a b
                let exact = solveDoubleDouble n a b
                let scale = exact |> Array.map abs |> Array.max
                let error = Array.map2 (fun u v -> abs (u - v)) x exact |> Array.max
                Expect.isLessThanOrEqual error (1e-12 * scale) $"n = {n}: max difference {error:e2} from the double-double solution"
                let residual = relativeResidual n a x b
                Expect.isLessThanOrEqual residual (1e-15 * float n) $"n = {n}: relative residual {residual:e2}"
        }

        test "pivoting: a matrix with zeros on its diagonal (a permutation of a regular matrix) is solved" {
            let n = 40
            let a0, b = randomSystem n 0.0 11L
            // Rows shifted cyclically by one and the diagonal zeroed: no solve without row interchanges.
            let a =
                Array.init (n * n) (fun k -> let i, j = k / n, k % n in if i = j then 0.0 else a0.[((i + 1) % n) * n + j])

            let x = solveDouble n a b
            let exact = solveDoubleDouble n a b
            let error = Array.map2 (fun u v -> abs (u - v)) x exact |> Array.max
            Expect.isLessThanOrEqual error (1e-9 * (exact |> Array.map abs |> Array.max)) $"max difference {error:e2}"
            Expect.isLessThanOrEqual (relativeResidual n a x b) 1e-13 "residual"
        }

        test "pivoting: tiny pivots on the diagonal, [[εI, B], [C, D]], are interchanged away" {
            // Without interchanges the first n/2 pivots are ε = 1e-13 and the multipliers C/ε wipe out D.
            let n = 60
            let half = n / 2
            let a, b = randomSystem n 0.0 13L

            for i in 0 .. half - 1 do
                for j in 0 .. half - 1 do
                    a.[i * n + j] <- if i = j then 1e-13 else 0.0

            let x = solveDouble n a b
            let exact = solveDoubleDouble n a b
            let error = Array.map2 (fun u v -> abs (u - v)) x exact |> Array.max
            Expect.isLessThanOrEqual error (1e-10 * (exact |> Array.map abs |> Array.max)) $"max difference {error:e2}"
            Expect.isLessThanOrEqual (relativeResidual n a x b) 1e-13 "residual"
        }

        test "a singular matrix is reported, in both paths" {
            // A zero column stays exactly zero under elimination, so its pivot is an exact 0; column 35 lies in
            // the second panel and so also passes through the block update.
            let n = 37
            let a, _ = randomSystem n 0.0 3L

            for i in 0 .. n - 1 do
                a.[i * n + 35] <- 0.0

            Expect.isFalse (LuDecomposition<float>(n).TryFactor(ReadOnlySpan a)) "double"
            Expect.isFalse (LuDecomposition<DoubleDouble>(n).TryFactor(ReadOnlySpan(Array.map (fun (v: float) -> DoubleDouble(v)) a))) "double-double"
        }
    ]
