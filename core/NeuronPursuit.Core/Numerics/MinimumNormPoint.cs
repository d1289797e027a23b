// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Numerics;

/// <summary>The point of smallest norm in the convex hull of finitely many points, with its convex weights.</summary>
/// <param name="Point">x = Σᵢ λᵢpᵢ, the minimum-norm point.</param>
/// <param name="Weights">λ, one per input point, λ ≥ 0, Σλ = 1 (0 for points outside the final corral).</param>
/// <param name="Norm">‖x‖.</param>
/// <param name="Iterations">Major cycles of Wolfe's algorithm.</param>
public sealed record MinimumNormResult(double[] Point, double[] Weights, double Norm, int Iterations);

/// <summary>
/// Wolfe's algorithm for the point of smallest Euclidean norm in the convex hull of points p₁ … p_m ∈ ℝᴾ, i.e. the
/// quadratic programme min ‖Σᵢλᵢpᵢ‖² s.t. λ ≥ 0, Σλᵢ = 1 (P. Wolfe, "Finding the nearest point in a polytope",
/// Mathematical Programming 11 (1976) 128–149). It keeps a "corral" S of affinely independent points whose affine
/// hull's minimum-norm point lies in their relative interior; a major cycle adds the point most opposite to the
/// current x, minor cycles drop points until the affine minimiser is a convex combination again. It terminates in
/// finitely many steps with the exact answer (up to rounding); for the few dozen to few hundred points of a
/// gradient-sampling stationarity test that is milliseconds.
/// </summary>
public static class MinimumNormPoint
{
    /// <summary>Finds the minimum-norm point of the convex hull.</summary>
    /// <param name="points">p₁ … p_m, row-major m × P, finite.</param>
    /// <param name="count">m ≥ 1.</param>
    /// <param name="dimension">P ≥ 1.</param>
    /// <param name="tolerance">Relative optimality tolerance (default 1e-12): stop when
    /// ‖x‖² − minᵢ⟨x, pᵢ⟩ ≤ tolerance · maxᵢ‖pᵢ‖².</param>
    /// <returns>The point, the weights, the norm and the number of major cycles.</returns>
    /// <exception cref="ArgumentException">Sizes do not match, or a coordinate is not finite.</exception>
    public static MinimumNormResult Find(ReadOnlySpan<double> points, int count, int dimension, double tolerance = 1e-12)
    {
        Guard.Positive(count, nameof(count));
        Guard.Positive(dimension, nameof(dimension));
        Guard.Length(points.Length, count * dimension, nameof(points), "count × dimension values");
        Guard.Finite(points, nameof(points));
        // Work on the points divided by their largest coordinate: squared norms of gradients of deep ReLUᵖ nets can
        // overflow; the answer scales back linearly.
        double scale = 0;
        foreach (double v in points) scale = Math.Max(scale, Math.Abs(v));
        if (scale == 0.0) scale = 1.0;
        double[] p = points.ToArray();
        for (int i = 0; i < p.Length; i++) p[i] /= scale;
        ReadOnlySpan<double> Row(int i) => p.AsSpan(i * dimension, dimension);

        double maxNorm2 = 0;
        int first = 0;
        double firstNorm2 = double.PositiveInfinity;
        for (int i = 0; i < count; i++)
        {
            double n2 = DenseKernels.Dot(Row(i), Row(i));
            maxNorm2 = Math.Max(maxNorm2, n2);
            if (n2 < firstNorm2) { firstNorm2 = n2; first = i; }
        }
        var weights = new double[count];
        var x = new double[dimension];
        if (maxNorm2 == 0.0)
        {
            weights[first] = 1.0;
            return new MinimumNormResult(x, weights, 0.0, 0);
        }
        const double positive = 1e-10; // weights at or below this (relative) leave the corral

        var corral = new List<int> { first };
        var lambda = new List<double> { 1.0 };
        Row(first).CopyTo(x);
        int iterations = 0;
        int limit = 50 * count + 100;
        while (iterations++ < limit)
        {
            // Major cycle: the point most opposite to x; optimal when none improves on ‖x‖².
            double x2 = DenseKernels.Dot<double>(x, x);
            int j = -1;
            double best = double.PositiveInfinity;
            for (int i = 0; i < count; i++)
            {
                double d = DenseKernels.Dot<double>(x, Row(i));
                if (d < best) { best = d; j = i; }
            }
            if (j < 0 || x2 - best <= tolerance * maxNorm2 || corral.Contains(j)) break;
            corral.Add(j);
            lambda.Add(0.0);

            // Minor cycles: move to the affine minimiser of the corral, dropping points while it is not convex.
            while (true)
            {
                double[]? alpha = AffineMinimiser(p, dimension, corral);
                if (alpha is null)
                {
                    // Affinely dependent corral (rounding): drop the newest point and stop.
                    corral.RemoveAt(corral.Count - 1);
                    lambda.RemoveAt(lambda.Count - 1);
                    iterations = limit;
                    break;
                }
                if (alpha.All(a => a > positive))
                {
                    for (int k = 0; k < alpha.Length; k++) lambda[k] = alpha[k];
                    break;
                }
                // The largest step θ toward α that keeps λ ≥ 0.
                double theta = 1.0;
                for (int k = 0; k < alpha.Length; k++)
                    if (alpha[k] <= positive && lambda[k] - alpha[k] > 0)
                        theta = Math.Min(theta, lambda[k] / (lambda[k] - alpha[k]));
                for (int k = 0; k < alpha.Length; k++) lambda[k] = theta * alpha[k] + (1 - theta) * lambda[k];
                // Drop the points whose weight vanished, but keep the heaviest one (rounding can push every weight of
                // a degenerate corral to the threshold).
                int heaviest = 0;
                for (int k = 1; k < lambda.Count; k++) if (lambda[k] > lambda[heaviest]) heaviest = k;
                for (int k = corral.Count - 1; k >= 0; k--)
                    if (k != heaviest && !(lambda[k] > positive))
                    {
                        corral.RemoveAt(k);
                        lambda.RemoveAt(k);
                    }
                double sum = lambda.Sum();
                if (!(sum > 0)) { for (int k = 0; k < lambda.Count; k++) lambda[k] = 1.0 / lambda.Count; }
                else for (int k = 0; k < lambda.Count; k++) lambda[k] /= sum;
                if (corral.Count == 1) break;
            }
            Array.Clear(x);
            for (int k = 0; k < corral.Count; k++) DenseKernels.Axpy(lambda[k], Row(corral[k]), x);
        }
        for (int k = 0; k < corral.Count; k++) weights[corral[k]] = lambda[k];
        double norm = Math.Sqrt(DenseKernels.Dot<double>(x, x));
        for (int i = 0; i < x.Length; i++) x[i] *= scale;
        return new MinimumNormResult(x, weights, norm * scale, iterations);
    }

    /// <summary>
    /// The weights α (Σα = 1) of the minimum-norm point of the affine hull of the corral: the solution of
    /// [G 1; 1ᵀ 0][α; μ] = [0; 1] with the Gram matrix G, or null when the system is singular.
    /// </summary>
    private static double[]? AffineMinimiser(double[] p, int dimension, List<int> corral)
    {
        int s = corral.Count;
        int size = s + 1;
        var system = new double[size * size];
        for (int a = 0; a < s; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                double g = DenseKernels.Dot(p.AsSpan(corral[a] * dimension, dimension), p.AsSpan(corral[b] * dimension, dimension));
                system[a * size + b] = system[b * size + a] = g;
            }
            system[a * size + s] = system[s * size + a] = 1.0;
        }
        var lu = new LuDecomposition<double>(size);
        if (!lu.TryFactor(system)) return null;
        var rhs = new double[size];
        rhs[s] = 1.0;
        lu.Solve(rhs);
        if (rhs.Any(v => !double.IsFinite(v))) return null;
        return rhs[..s];
    }
}
