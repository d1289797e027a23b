// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Kkt;

/// <summary>The Clarke-stationarity measure of a unit direction û for max N(u) s.t. ‖u‖ = 1.</summary>
/// <param name="Value">ρ_ε(û)/‖∇N(û)‖: the measure relative to the gradient at û (dimensionless; 0 at a Clarke-KKT point).</param>
/// <param name="Absolute">ρ_ε(û), the smallest norm in the convex hull of the sampled tangential gradients.</param>
/// <param name="GradientNorm">‖∇N(û)‖ (the gradient the implementation returns at û).</param>
/// <param name="KktResidual">The smooth KKT residual r(û) of <see cref="KktResidual"/>, for comparison.</param>
/// <param name="Radius">ε, the radius of the neighbourhood on the sphere.</param>
/// <param name="Samples">Number of sampled gradients (û itself included).</param>
/// <param name="Support">Number of sampled gradients with positive weight in the minimum-norm combination.</param>
public sealed record ClarkeMeasure(double Value, double Absolute, double GradientNorm, double KktResidual, double Radius, int Samples, int Support);

/// <summary>
/// A measure of Clarke stationarity on the sphere, for constrained NCFs that are not differentiable (ReLU networks;
/// docs/claims.md #13 and docs/pursuit.md). A unit û is a Clarke-KKT point of max N(u) s.t. ‖u‖ = 1 when some element
/// g of the Clarke subdifferential ∂N(û) satisfies g = λû, i.e. when 0 lies in the (convex) set (I − ûûᵀ)∂N(û). Where N
/// is differentiable that is the smooth KKT condition; at a kink ∂N(û) is the convex hull of the limits of gradients
/// from the pieces meeting there, none of which need vanish on the tangent space. Following gradient sampling (Burke,
/// Lewis &amp; Overton, SIAM J. Optim. 15 (2005) 751–779), the ε-Clarke subdifferential is approximated by the convex
/// hull of gradients at û and at m − 1 points drawn uniformly from the geodesic ball of radius ε around û; each is made
/// tangential at its own point (the Riemannian gradient ∇N − ⟨∇N, u⟩u) and projected onto the tangent space at û, and
/// the measure is the smallest norm in their convex hull, a small quadratic programme solved exactly by
/// <see cref="MinimumNormPoint"/> (Wolfe's algorithm). At a smooth KKT point the sampled tangential gradients
/// scatter around 0 at distance O(ε) and the measure is O(ε) or smaller; at a point that is not Clarke stationary
/// every gradient within ε has a common tangential component and the measure stays near its size as ε → 0. It is
/// reported relative to ‖∇N(û)‖, like the smooth KKT residual. Draws are seeded, so the measure is reproducible.
/// </summary>
public static class ClarkeStationarity
{
    /// <summary>Default radius ε of the sampled neighbourhood on the unit sphere: 1e-6.</summary>
    public const double DefaultRadius = 1e-6;

    /// <summary>Measures Clarke stationarity of û = u/‖u‖.</summary>
    /// <param name="objective">N and a gradient (any element of the Clarke subdifferential where N is not differentiable).</param>
    /// <param name="u">The point, u ≠ 0 (normalised here).</param>
    /// <param name="radius">ε &gt; 0 (default <see cref="DefaultRadius"/>).</param>
    /// <param name="samples">m ≥ 1 sampled gradients, û's included (default 0: 2P + 1, P the dimension; gradient
    /// sampling needs at least P + 1 to be able to enclose 0).</param>
    /// <param name="seed">Seed of the sample points (default 1).</param>
    /// <returns>The measure and its ingredients.</returns>
    /// <exception cref="ArgumentException">u is zero or not finite, has the wrong length, or ε ≤ 0.</exception>
    public static ClarkeMeasure Measure(IObjective<double> objective, ReadOnlySpan<double> u, double radius = DefaultRadius,
        int samples = 0, long seed = 1)
    {
        ArgumentNullException.ThrowIfNull(objective);
        int p = objective.Dimension;
        Guard.Length(u.Length, p, nameof(u), "the objective's dimension P");
        Guard.Finite(u, nameof(u));
        if (!(radius > 0 && double.IsFinite(radius)))
            throw new ArgumentException($"radius: must be positive and finite, got {radius}.", nameof(radius));
        if (samples < 0) throw new ArgumentException($"samples: must be ≥ 1 (or 0 for 2P + 1), got {samples}.", nameof(samples));
        int m = samples == 0 ? 2 * p + 1 : samples;
        double norm = DenseKernels.Norm(u);
        if (norm == 0.0) throw new ArgumentException("u: is the zero vector; a direction on the sphere is needed.", nameof(u));
        var centre = new double[p];
        for (int i = 0; i < p; i++) centre[i] = u[i] / norm;
        (MinimumNormResult? hull, double gradientNorm, double kktResidual) = Hull(objective, centre, radius, m, seed);
        if (hull is null) return new ClarkeMeasure(0.0, 0.0, 0.0, 0.0, radius, m, 1);
        int support = hull.Weights.Count(w => w > 0);
        return new ClarkeMeasure(hull.Norm / gradientNorm, hull.Norm, gradientNorm, kktResidual, radius, m, support);
    }

    /// <summary>
    /// The minimum-norm element of the convex hull of the tangential gradients at the unit û and at m − 1 points drawn
    /// in the geodesic ball of radius ε (projected onto the tangent space at û), with ‖∇N(û)‖ and r(û); the hull is
    /// null when ∇N(û) = 0.
    /// </summary>
    internal static (MinimumNormResult? Hull, double GradientNorm, double KktResidual) Hull(IObjective<double> objective,
        double[] centre, double radius, int m, long seed)
    {
        int p = centre.Length;
        var gradients = new double[m * p];
        var point = new double[p];
        var gradient = new double[p];
        var random = new SeededRandom(seed);
        double gradientNorm = 0, kktResidual = 0;
        for (int k = 0; k < m; k++)
        {
            if (k == 0) centre.CopyTo(point, 0);
            else SampleBall(random, centre, radius, point);
            objective.ValueAndGradient(point, gradient);
            if (k == 0)
            {
                gradientNorm = DenseKernels.Norm<double>(gradient);
                kktResidual = KktResidual.Of<double>(centre, gradient);
            }
            // Tangential at the sample point, then projected onto the tangent space at û.
            Span<double> row = gradients.AsSpan(k * p, p);
            gradient.CopyTo(row);
            Project(row, point);
            if (k > 0) Project(row, centre);
        }
        if (gradientNorm == 0.0) return (null, 0.0, 0.0);
        return (MinimumNormPoint.Find(gradients, m, p), gradientNorm, kktResidual);
    }

    /// <summary>g ← g − ⟨g, v⟩v for a unit v.</summary>
    internal static void Project(Span<double> g, ReadOnlySpan<double> v)
    {
        double c = DenseKernels.Dot<double>(g, v);
        DenseKernels.Axpy(-c, v, g);
    }

    /// <summary>A point uniform in the geodesic ball of radius ε around the unit û (ε ≪ 1): û + t, t uniform in the
    /// tangent ball of radius ε, retracted to the sphere.</summary>
    internal static void SampleBall(SeededRandom random, ReadOnlySpan<double> centre, double radius, Span<double> point)
    {
        int p = centre.Length;
        random.FillGaussian(point);
        Project(point, centre);
        double length = DenseKernels.Norm<double>(point);
        double r = p > 1 ? radius * Math.Pow(random.NextDouble(), 1.0 / (p - 1)) : 0.0;
        double scale = length > 0 ? r / length : 0.0;
        for (int i = 0; i < p; i++) point[i] = centre[i] + scale * point[i];
        double n = DenseKernels.Norm<double>(point);
        for (int i = 0; i < p; i++) point[i] /= n;
    }
}
