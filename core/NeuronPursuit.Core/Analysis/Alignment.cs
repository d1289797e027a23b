// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Analysis;

/// <summary>
/// Alignment of weights with a direction: cos(w, u) = ⟨w, u⟩/(‖w‖‖u‖) (docs/claims.md #2), pointwise and along
/// recorded states.
/// </summary>
public static class Alignment
{
    /// <summary>cos(a, b); 0 when either is zero.</summary>
    /// <param name="a">First vector.</param>
    /// <param name="b">Second vector, same length.</param>
    /// <returns>The cosine in [−1, 1].</returns>
    public static double Cosine(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        Guard.SameLength(a.Length, b.Length, nameof(a), nameof(b));
        double na = DenseKernels.Norm(a), nb = DenseKernels.Norm(b);
        if (na == 0.0 || nb == 0.0) return 0.0;
        return Math.Clamp(DenseKernels.Dot(a, b) / (na * nb), -1.0, 1.0);
    }

    /// <summary>cos(w(tₖ), u) for every recorded state.</summary>
    /// <param name="states">States along a trajectory.</param>
    /// <param name="direction">u.</param>
    /// <returns>One cosine per state.</returns>
    public static double[] Along(IEnumerable<double[]> states, double[] direction)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(direction);
        return states.Select(s => Cosine(s, direction)).ToArray();
    }

    /// <summary>cos(w(tₖ), u(tₖ)) between two trajectories sampled at the same times (e.g. the real flow and
    /// the rescaled NCF flow δ·u(δ^{L−2}t)).</summary>
    /// <param name="a">First trajectory.</param>
    /// <param name="b">Second trajectory, same number of states.</param>
    /// <returns>One cosine per pair.</returns>
    public static double[] Between(IReadOnlyList<double[]> a, IReadOnlyList<double[]> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"b: {b.Count} states, a has {a.Count}.", nameof(b));
        return a.Zip(b, (x, y) => Cosine(x, y)).ToArray();
    }
}
