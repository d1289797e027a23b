// SPDX-License-Identifier: MIT
/// The feature-major row combination with its fused epilogues (the activation and its derivative with the network's
/// readout, the product by σ′ of the backward pass) against the separate passes they replace: the product, the
/// activation's own double loop on each row, the readout as a one-row combination, MultiplyInPlace on each row.
/// Fusing must change no bit, over shapes that leave tiles of every size and take more than one block of the inner
/// dimension.
module NeuronPursuit.Tests.Numerics.FeatureMajorKernelTests

open System
open Expecto
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics

/// Gaussian entries, every seventh one zero (the kink of the activations).
let private gaussian (random: SeededRandom) n =
    Array.init n (fun k -> if k % 7 = 3 then 0.0 else random.NextGaussian())

/// The bits of rows × samples entries of a block with distance ld between rows.
let private block (x: float[]) rows ld samples =
    [| for r in 0 .. rows - 1 do
           for i in 0 .. samples - 1 -> BitConverter.DoubleToInt64Bits x.[r * ld + i] |]

/// (rows, inner, samples): tiles of 6 × 3, 6 × 1, 1 × 3 and 1 × 1 vectors, and an inner dimension of two blocks.
let private shapes =
    [ 1, 1, 8; 7, 10, 200; 13, 3, 24; 6, 300, 40; 50, 10, 200; 5, 257, 16 ]

let tests =
    testList "Feature-major row combination with fused epilogues" [
        test "σ, σ′ and the readout fused into the product equal the separate passes bit for bit" {
            let random = SeededRandom 57L

            for alpha, power in [ 0.0, 1; 0.0, 2; 0.1, 3 ] do
                let sigma = PolynomialLeakyRelu(alpha, power)

                for rows, inner, samples in shapes do
                    let what = $"α = {alpha}, p = {power}, {rows} × {inner} × {samples}"
                    let ld, lda = samples + 8, samples + 16
                    let c = gaussian random (rows * inner)
                    let a = gaussian random (inner * lda)
                    let readout = gaussian random (rows + 2)

                    let z = Array.zeroCreate (rows * ld)

                    FeatureMajorKernels.CombineRows(ReadOnlySpan c, inner, 1, rows, inner, ReadOnlySpan a, lda, Span z, ld, samples, false)

                    let values = Array.zeroCreate (rows * ld)
                    let derivatives = Array.zeroCreate (rows * ld)

                    for j in 0 .. rows - 1 do
                        sigma.Evaluate<float>(ReadOnlySpan(z, j * ld, samples), Span(values, j * ld, samples), Span(derivatives, j * ld, samples))

                    let h = Array.zeroCreate (samples + 5)

                    FeatureMajorKernels.CombineRows(
                        ReadOnlySpan(readout, 2, rows),
                        rows,
                        1,
                        1,
                        rows,
                        ReadOnlySpan values,
                        ld,
                        Span(h, 5, samples),
                        0,
                        samples,
                        false
                    )

                    let fusedZ = Array.zeroCreate (rows * ld)
                    let fusedValues = Array.zeroCreate (rows * ld)
                    let fusedDerivatives = Array.zeroCreate (rows * ld)
                    let fusedH = Array.zeroCreate (samples + 5)

                    FeatureMajorKernels.CombineRowsActivated(
                        ReadOnlySpan c,
                        inner,
                        1,
                        rows,
                        inner,
                        ReadOnlySpan a,
                        lda,
                        Span fusedZ,
                        ld,
                        samples,
                        alpha,
                        power,
                        Span fusedValues,
                        Span fusedDerivatives,
                        ReadOnlySpan readout,
                        2,
                        Span fusedH,
                        5
                    )

                    Expect.sequenceEqual (block fusedZ rows ld samples) (block z rows ld samples) $"{what}: Z"
                    Expect.sequenceEqual (block fusedValues rows ld samples) (block values rows ld samples) $"{what}: σ(Z)"
                    Expect.sequenceEqual (block fusedDerivatives rows ld samples) (block derivatives rows ld samples) $"{what}: σ′(Z)"
                    Expect.sequenceEqual (block fusedH 1 0 (samples + 5)) (block h 1 0 (samples + 5)) $"{what}: readout"

                    let fusedNoReadout = Array.zeroCreate (rows * ld)

                    FeatureMajorKernels.CombineRowsActivated(
                        ReadOnlySpan c,
                        inner,
                        1,
                        rows,
                        inner,
                        ReadOnlySpan a,
                        lda,
                        Span(Array.zeroCreate<float>(rows * ld)),
                        ld,
                        samples,
                        alpha,
                        power,
                        Span fusedNoReadout,
                        Span(Array.zeroCreate<float>(rows * ld)),
                        ReadOnlySpan<float>.Empty,
                        0,
                        Span<float>.Empty,
                        0
                    )

                    Expect.sequenceEqual (block fusedNoReadout rows ld samples) (block values rows ld samples) $"{what}: σ(Z) without readout"
        }

        test "the product by σ′ fused into the transposed product equals MultiplyInPlace after it bit for bit" {
            let random = SeededRandom 58L

            for rows, inner, samples in shapes do
                let what = $"{rows} × {inner} × {samples}"
                let ld = samples + 8
                // Wᵀ G: coefficients c(r, k) = W[k, r] of a row-major inner × rows matrix.
                let w = gaussian random (inner * rows)
                let g = gaussian random (inner * ld)
                let factors = gaussian random (rows * ld)
                let z = Array.zeroCreate (rows * ld)

                FeatureMajorKernels.CombineRows(ReadOnlySpan w, 1, rows, rows, inner, ReadOnlySpan g, ld, Span z, ld, samples, false)

                for j in 0 .. rows - 1 do
                    FeatureMajorKernels.MultiplyInPlace(Span(z, j * ld, samples), ReadOnlySpan(factors, j * ld, samples), samples)

                let fused = Array.zeroCreate (rows * ld)

                FeatureMajorKernels.CombineRowsScaled(
                    ReadOnlySpan w,
                    1,
                    rows,
                    rows,
                    inner,
                    ReadOnlySpan g,
                    ld,
                    Span fused,
                    ld,
                    samples,
                    ReadOnlySpan factors
                )

                Expect.sequenceEqual (block fused rows ld samples) (block z rows ld samples) what
        }
    ]
