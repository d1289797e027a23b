// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Kkt;

/// <summary>The end point of a gradient-sampling ascent.</summary>
/// <param name="Direction">û, ‖û‖ = 1.</param>
/// <param name="Value">N(û).</param>
/// <param name="Measure">The Clarke-stationarity measure at the last radius (relative).</param>
/// <param name="Radius">The last sampling radius ε.</param>
/// <param name="Steps">Accepted ascent steps.</param>
/// <param name="Converged">Whether the measure fell to the tolerance at the final radius.</param>
public sealed record ClarkePoint(double[] Direction, double Value, double Measure, double Radius, int Steps, bool Converged);

/// <summary>
/// Gradient-sampling ascent on the unit sphere for a non-smooth N (Burke, Lewis &amp; Overton, SIAM J. Optim. 15 (2005)
/// 751–779, adapted to the sphere by projecting onto the tangent space, as in <see cref="ClarkeStationarity"/>): at û, the
/// minimum-norm element g of the convex hull of the tangential gradients sampled within radius ε is the steepest
/// ascent direction of the ε-Clarke subdifferential; a backtracking step û ← (û + t·g)/‖û + t·g‖ with the sufficient
/// increase N(new) ≥ N(û) + c·t·‖g‖² is taken; when ‖g‖ is below the tolerance (relative to ‖∇N(û)‖) or no step
/// increases N, ε shrinks tenfold, down to the final radius. Where <see cref="SphericalAscent"/> stalls on a ridge of a
/// leaky-ReLU NCF (each one-sided gradient points across it), the hull's minimum-norm element points along it, so the
/// ascent continues to a Clarke-KKT point. Draws are seeded.
/// </summary>
public static class GradientSamplingAscent
{
    /// <summary>Runs the ascent from u₀.</summary>
    /// <param name="objective">N and a gradient.</param>
    /// <param name="start">u₀ ≠ 0.</param>
    /// <param name="tolerance">Relative measure that counts as stationary (e.g. 1e-6).</param>
    /// <param name="finalRadius">The smallest ε (e.g. 1e-7); the ascent starts at ε = 1e3·finalRadius (at most 1e-3).</param>
    /// <param name="maxSteps">Budget of accepted steps.</param>
    /// <param name="seed">Seed of the samples.</param>
    /// <returns>The end point and its measure.</returns>
    /// <exception cref="ArgumentException">Bad start, tolerance or radius.</exception>
    public static ClarkePoint Run(IObjective<double> objective, ReadOnlySpan<double> start, double tolerance, double finalRadius,
        int maxSteps, long seed = 1)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (!(tolerance > 0) || !(finalRadius > 0)) throw new ArgumentException("tolerance: tolerance and radius must be positive.", nameof(tolerance));
        int p = objective.Dimension;
        Guard.Length(start.Length, p, nameof(start), "the objective's dimension P");
        double norm = DenseKernels.Norm(start);
        if (!(norm > 0)) throw new ArgumentException("start: is zero or not finite.", nameof(start));
        var u = new double[p];
        for (int i = 0; i < p; i++) u[i] = start[i] / norm;
        var trial = new double[p];
        var gradient = new double[p];
        double value = objective.Value(u);
        double radius = Math.Min(1e-3, 1e3 * finalRadius);
        int steps = 0;
        long draw = seed;
        ClarkeMeasure measure = ClarkeStationarity.Measure(objective, u, radius, 0, draw++);
        while (true)
        {
            if (measure.Value <= tolerance || measure.GradientNorm == 0)
            {
                if (radius <= finalRadius) return new ClarkePoint(u, value, measure.Value, radius, steps, true);
                radius = Math.Max(finalRadius, radius / 10);
                measure = ClarkeStationarity.Measure(objective, u, radius, 0, draw++);
                continue;
            }
            if (steps >= maxSteps) return new ClarkePoint(u, value, measure.Value, radius, steps, false);
            // The direction: the minimum-norm element of the sampled hull (ascent for every sampled piece).
            double[] g = Direction(objective, u, radius, draw++, gradient);
            double g2 = DenseKernels.Dot<double>(g, g);
            bool accepted = false;
            for (double t = 1.0 / Math.Sqrt(g2); t * Math.Sqrt(g2) >= 1e-3 * radius; t *= 0.5)
            {
                for (int i = 0; i < p; i++) trial[i] = u[i] + t * g[i];
                double n = DenseKernels.Norm<double>(trial);
                for (int i = 0; i < p; i++) trial[i] /= n;
                double v = objective.Value(trial);
                if (v >= value + 1e-4 * t * g2)
                {
                    (u, trial) = (trial, u);
                    value = v;
                    accepted = true;
                    break;
                }
            }
            if (accepted) steps++;
            else if (radius > finalRadius) radius = Math.Max(finalRadius, radius / 10);
            else return new ClarkePoint(u, value, ClarkeStationarity.Measure(objective, u, radius, 0, draw).Value, radius, steps, false);
            measure = ClarkeStationarity.Measure(objective, u, radius, 0, draw++);
        }
    }

    /// <summary>The minimum-norm element of the tangential gradients sampled within ε of û (in the tangent space at û).</summary>
    private static double[] Direction(IObjective<double> objective, double[] u, double radius, long seed, double[] gradient) =>
        ClarkeStationarity.Hull(objective, u, radius, 2 * u.Length + 1, seed).Hull?.Point ?? new double[u.Length];
}
