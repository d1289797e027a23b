// SPDX-License-Identifier: MIT
/// The symmetric eigen-decomposition (Householder tridiagonalisation + implicit QL): eigenvalues of matrices built from
/// a known spectrum, residuals and orthonormality of the vectors, and the same eigenvalues with or without vectors.
module NeuronPursuit.Tests.Numerics.HouseholderQlTests

open System
open Expecto
open NeuronPursuit.Core.Numerics

/// A random orthogonal n × n matrix (rows orthonormalised by Gram–Schmidt, twice), row-major.
let private randomOrthogonal (n: int) (random: SeededRandom) =
    let q = Array.init (n * n) (fun _ -> random.NextGaussian())

    for r in 0 .. n - 1 do
        for _ in 1..2 do
            for s in 0 .. r - 1 do
                let dot = Seq.sum (seq { for k in 0 .. n - 1 -> q.[s * n + k] * q.[r * n + k] })

                for k in 0 .. n - 1 do
                    q.[r * n + k] <- q.[r * n + k] - dot * q.[s * n + k]

            let norm =
                sqrt (Seq.sum (seq { for k in 0 .. n - 1 -> q.[r * n + k] * q.[r * n + k] }))

            for k in 0 .. n - 1 do
                q.[r * n + k] <- q.[r * n + k] / norm

    q

/// A = Qᵀ diag(λ) Q for a random orthogonal Q: a symmetric matrix whose spectrum is λ.
let private withSpectrum (lambda: float[]) (seed: int64) =
    let n = lambda.Length
    let q = randomOrthogonal n (SeededRandom(seed))

    Array.init (n * n) (fun ij ->
        let i, j = ij / n, ij % n
        Seq.sum (seq { for k in 0 .. n - 1 -> q.[k * n + i] * lambda.[k] * q.[k * n + j] }))

/// The spectra the tests use: spread, clustered, repeated, zero, negative and widely scaled eigenvalues.
let private spectra (n: int) (random: SeededRandom) =
    [ "Gaussian", Array.init n (fun _ -> random.NextGaussian())
      "repeated and zero", Array.init n (fun i -> float (i % 3) - 1.0)
      "scaled over 12 decades",
      Array.init n (fun i ->
          (if i % 2 = 0 then 1.0 else -1.0)
          * 10.0 ** (-12.0 * float i / float (max 1 (n - 1))))
      "one dominant cluster",
      Array.init n (fun i ->
          if i < n / 4 then
              1e3 * (1.0 + 1e-9 * float i)
          else
              random.NextGaussian()) ]

let private sizes = [ 1; 2; 3; 8; 31; 64; 150 ]

/// The unit roundoff of double, 2⁻⁵².
let private eps = Math.Pow(2.0, -52.0)

let private maxAbs (xs: float[]) =
    xs |> Array.fold (fun m x -> max m (abs x)) 0.0

let tests =
    testList "Householder–QL symmetric eigen-decomposition" [
        test "the eigenvalues of Qᵀ diag(λ) Q are λ within 20·n·ε·max|λ|" {
            for n in sizes do
                for name, lambda in spectra n (SeededRandom(int64 (100 + n))) do
                    let a = withSpectrum lambda (int64 n)
                    let values = Array.zeroCreate n
                    HouseholderQl.Diagonalise(a, n, Span values)
                    let bound = 20.0 * float n * eps * maxAbs lambda

                    let worst =
                        Array.map2 (fun x y -> abs (x - y)) (Array.sort values) (Array.sort lambda)
                        |> maxAbs

                    Expect.isLessThanOrEqual worst bound $"n = {n}, {name}: max |λ̂ − λ| = {worst:E2} > {bound:E2}"
        }

        test "each vector has residual ‖A v − λ v‖ ≤ 20·n·ε‖A‖ and the vectors are orthonormal to 20·n·ε" {
            for n in sizes do
                for name, lambda in spectra n (SeededRandom(int64 (200 + n))) do
                    let a = withSpectrum lambda (int64 (7 * n))
                    let v = Array.copy a
                    let values = Array.zeroCreate n
                    HouseholderQl.Diagonalise(v, n, Span values)
                    let scale = maxAbs lambda

                    for j in 0 .. n - 1 do
                        let residual =
                            Array.init n (fun i ->
                                Seq.sum (seq { for k in 0 .. n - 1 -> a.[i * n + k] * v.[j * n + k] })
                                - values.[j] * v.[j * n + i])
                            |> maxAbs

                        Expect.isLessThanOrEqual residual (20.0 * float n * eps * scale) $"n = {n}, {name}, pair {j}: residual {residual:E2}"

                        for k in 0..j do
                            let dot = Seq.sum (seq { for i in 0 .. n - 1 -> v.[j * n + i] * v.[k * n + i] })
                            let error = abs (dot - (if j = k then 1.0 else 0.0))
                            Expect.isLessThanOrEqual error (20.0 * float n * eps) $"n = {n}, {name}: vᵀ{j} v{k} off by {error:E2}"
        }

        test "the eigenvalues are the same bits with and without the vectors, and only A's symmetric part counts" {
            for n in sizes do
                let random = SeededRandom(int64 (300 + n))
                let a = Array.init (n * n) (fun _ -> random.NextGaussian())

                let symmetric =
                    Array.init (n * n) (fun ij -> 0.5 * (a.[ij] + a.[(ij % n) * n + ij / n]))

                let withVectors, without, ofSymmetric =
                    Array.zeroCreate n, Array.zeroCreate n, Array.zeroCreate n

                HouseholderQl.Diagonalise(Array.copy a, n, Span withVectors)
                HouseholderQl.Diagonalise(Array.copy a, n, Span without, vectors = false)
                HouseholderQl.Diagonalise(symmetric, n, Span ofSymmetric)
                Expect.sequenceEqual without withVectors $"n = {n}: with and without vectors"
                Expect.sequenceEqual ofSymmetric withVectors $"n = {n}: A and its symmetric part"
        }

        test "a diagonal matrix and the zero matrix are returned exactly, with the unit vectors" {
            for n in sizes do
                let diagonal = Array.init n (fun i -> float (i - n / 2))

                let a =
                    Array.init (n * n) (fun ij -> if ij / n = ij % n then diagonal.[ij / n] else 0.0)

                let values = Array.zeroCreate n
                HouseholderQl.Diagonalise(a, n, Span values)
                Expect.sequenceEqual (Array.sort values) (Array.sort diagonal) $"n = {n}: diagonal"

                for j in 0 .. n - 1 do
                    let row = a.[j * n .. j * n + n - 1]
                    Expect.equal (row |> Array.map abs |> Array.sum) 1.0 $"n = {n}: vector {j} is a unit vector"

                let zero = Array.zeroCreate (n * n)
                HouseholderQl.Diagonalise(zero, n, Span values)
                Expect.isTrue (values |> Array.forall ((=) 0.0)) $"n = {n}: zero matrix"
        }

        test "a NaN entry gives NaN eigenvalues, not a hang or an exception" {
            let n = 5
            let a = Array.init (n * n) (fun ij -> if ij / n = ij % n then 1.0 else 0.1)
            a.[7] <- nan
            let values = Array.zeroCreate n
            HouseholderQl.Diagonalise(a, n, Span values)
            Expect.isTrue (values |> Array.exists Double.IsNaN) "some eigenvalue is NaN"
        }
    ]
