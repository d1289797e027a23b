// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Objectives;

/// <summary>An estimate of the largest eigenvalue λ_max of a Hessian and how it was obtained.</summary>
/// <param name="Value">λ_max (may be ≤ 0 where the Hessian has no positive eigenvalue).</param>
/// <param name="Products">Hessian–vector products used.</param>
/// <param name="Converged">Whether successive estimates agreed to the tolerance.</param>
public readonly record struct EigenvalueEstimate(double Value, int Products, bool Converged)
{
    /// <summary>The largest step of gradient descent on the local quadratic model that does not diverge, 2/λ_max
    /// (+∞ when λ_max ≤ 0).</summary>
    public double StabilityLimit => Value > 0 ? 2.0 / Value : double.PositiveInfinity;
}

/// <summary>
/// The largest eigenvalue λ_max of ∇²f(w) by power iteration on exact Hessian–vector products (von Mises 1929;
/// Golub &amp; Van Loan, Matrix Computations, §7.3.1). Gradient descent w ← w − η∇f(w) is stable on the quadratic model
/// at w only when η &lt; 2/λ_max, so λ_max at the start of a minimisation says which learning rates will diverge.
/// The first iteration finds the spectral radius ρ = max|λ| (‖∇²f·v‖ converges to it whatever the signs); when the
/// Rayleigh quotient there is +ρ, λ_max = ρ. Otherwise negative curvature dominates (a saddle) and a second iteration
/// on ∇²f + ρ·I, whose eigenvalues lie in [0, λ_max + ρ], gives λ_max.
/// </summary>
public static class LargestHessianEigenvalue
{
    /// <summary>Estimates λ_max of ∇²f(w).</summary>
    /// <param name="hessian">Exact ∇²f·v of f.</param>
    /// <param name="w">The point, finite, length P.</param>
    /// <param name="tolerance">Relative change of successive estimates that ends an iteration (default 1e-3: a
    /// learning-rate check needs a few digits).</param>
    /// <param name="maxProducts">Budget of Hessian–vector products per iteration (default 100).</param>
    /// <param name="seed">Seed of the random start vector.</param>
    /// <returns>λ_max, the products used and whether it converged.</returns>
    /// <exception cref="ArgumentException">w has the wrong length or holds NaN/∞, or a setting is out of range.</exception>
    public static EigenvalueEstimate Estimate(HessianVectorProduct<double> hessian, ReadOnlySpan<double> w,
        double tolerance = 1e-3, int maxProducts = 100, long seed = 1)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        Guard.Length(w.Length, hessian.Dimension, nameof(w), "one per weight of the objective");
        Guard.Finite(w, nameof(w));
        if (!(tolerance > 0 && double.IsFinite(tolerance))) throw new ArgumentException($"tolerance: must be positive and finite, got {tolerance}.", nameof(tolerance));
        Guard.Positive(maxProducts, nameof(maxProducts));
        int p = w.Length;
        var v = new double[p];
        var hv = new double[p];
        new SeededRandom(seed).FillUnitSphere(v);
        Power radius = Iterate(hessian, w, v, hv, 0.0, tolerance, maxProducts);
        if (radius.Norm == 0 || !double.IsFinite(radius.Norm)) return new EigenvalueEstimate(radius.Norm, radius.Products, true);
        if (Math.Abs(radius.Rayleigh - radius.Norm) <= 10 * tolerance * radius.Norm)
            return new EigenvalueEstimate(radius.Rayleigh, radius.Products, radius.Converged);
        new SeededRandom(seed + 1).FillUnitSphere(v);
        Power shifted = Iterate(hessian, w, v, hv, radius.Norm, tolerance, maxProducts);
        return new EigenvalueEstimate(shifted.Rayleigh - radius.Norm, radius.Products + shifted.Products, radius.Converged && shifted.Converged);
    }

    /// <summary>The last Rayleigh quotient vᵀAv and norm ‖Av‖ of the power method on A = ∇²f(w) + shift·I.</summary>
    private readonly record struct Power(double Rayleigh, double Norm, int Products, bool Converged);

    /// <summary>The power method on ∇²f(w) + shift·I until ‖Av‖ changes by less than the tolerance.</summary>
    private static Power Iterate(HessianVectorProduct<double> hessian, ReadOnlySpan<double> w, double[] v, double[] hv,
        double shift, double tolerance, int maxProducts)
    {
        double previous = double.NaN, rayleigh = 0, norm = 0;
        for (int k = 1; k <= maxProducts; k++)
        {
            hessian.Apply(w, v, hv);
            rayleigh = 0;
            norm = 0;
            for (int i = 0; i < v.Length; i++)
            {
                hv[i] += shift * v[i];
                rayleigh += v[i] * hv[i];
                norm += hv[i] * hv[i];
            }
            norm = Math.Sqrt(norm);
            if (!(norm > 0) || !double.IsFinite(norm)) return new Power(rayleigh, norm, k, true);
            for (int i = 0; i < v.Length; i++) v[i] = hv[i] / norm;
            if (Math.Abs(norm - previous) <= tolerance * norm) return new Power(rayleigh, norm, k, true);
            previous = norm;
        }
        return new Power(rayleigh, norm, maxProducts, false);
    }
}
