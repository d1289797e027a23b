// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Testing

open System
open NeuronPursuit
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics

/// The numbers of a test case, drawn from a seed by the core's SeededRandom, never by FsCheck (whose float
/// generator yields NaN, ∞ and MaxValue): Gaussian entries scaled so that every output is O(1).
module Draw =
    /// Weights in a network's layout with entries N(0, scale²/fan-in), fan-in = the columns of each weight block:
    /// every pre-activation and output is then O(1) for scale 1, whatever the widths.
    let weights (scale: float) (seed: int64) (net: HomogeneousNetwork) : float[] =
        let random = SeededRandom seed
        let w = Array.zeroCreate net.ParameterCount

        for block in net.Layout.Blocks do
            let s = scale / sqrt (float block.Columns)

            for k in block.Offset .. block.Offset + block.Count - 1 do
                w.[k] <- s * random.NextGaussian()

        w

    /// n entries N(0, 1).
    let gaussian (seed: int64) (n: int) : float[] = Vec.gaussian seed 1.0 n

    /// A unit direction in a network's weight space, uniform on the sphere.
    let direction (seed: int64) (net: HomogeneousNetwork) : float[] = Vec.unitRandom seed net.ParameterCount

    /// x in double-double with random low words: xᵢ + uᵢ·2⁻⁵⁴|xᵢ|, uᵢ uniform in [−1, 1) from the seed, so that
    /// double-double arithmetic is exercised on both words and not only on doubles.
    let doubleDouble (seed: int64) (x: float[]) : DoubleDouble[] =
        let random = SeededRandom seed

        x
        |> Array.map (fun xi -> DoubleDouble(xi, (2.0 * random.NextDouble() - 1.0) * Math.ScaleB(abs xi, -54)))
