// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open NeuronPursuit.Core.Analysis
open NeuronPursuit.Core.Numerics

/// Vectors in weight space: plain arrays.
module Vec =
    /// ⟨x, y⟩.
    let dot (x: 'T[]) (y: 'T[]) =
        if x.Length <> y.Length then
            invalidArg "y" $"y: has length {y.Length}, but x has length {x.Length}."

        DenseKernels.Dot<'T>(ReadOnlySpan x, ReadOnlySpan y)

    /// ‖x‖₂ in double.
    let norm (x: 'T[]) =
        Math.Sqrt(Scalar.ToDouble(DenseKernels.Dot<'T>(ReadOnlySpan x, ReadOnlySpan x)))

    /// c·x.
    let scale (c: float) (x: float[]) = Array.map ((*) c) x

    /// x / ‖x‖.
    let unit (x: float[]) =
        let n = sqrt (Array.sumBy (fun v -> v * v) x)
        Array.map (fun v -> v / n) x

    /// x − y.
    let sub (x: float[]) (y: float[]) = Array.map2 (-) x y

    /// ‖x − y‖₂.
    let distance (x: float[]) (y: float[]) = norm (sub x y)

    /// cos(x, y) = ⟨x, y⟩/(‖x‖‖y‖).
    let cosine (x: float[]) (y: float[]) =
        Alignment.Cosine(ReadOnlySpan x, ReadOnlySpan y)

    /// A unit vector of dimension k, uniform on the sphere, drawn from the seed.
    let unitRandom (seed: int64) (k: int) =
        let v = Array.zeroCreate k
        SeededRandom(seed).FillUnitSphere(Span v)
        v

    /// k entries N(0, σ²) drawn from the seed.
    let gaussian (seed: int64) (sigma: float) (k: int) =
        let v = Array.zeroCreate k
        SeededRandom(seed).FillGaussian(Span v, sigma)
        v
