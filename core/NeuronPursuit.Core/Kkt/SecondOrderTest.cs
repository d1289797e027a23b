// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Analysis;
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Kkt;

/// <summary>The result of <see cref="SecondOrderTest.Run"/>.</summary>
/// <param name="Lambda">λ = ⟨∇N(u), u⟩ (= L·N(u) by Euler's identity).</param>
/// <param name="MaxEigenvalue">Largest eigenvalue of the Riemannian Hessian P(∇²N − λI)P on u⊥ (largest Ritz value).</param>
/// <param name="MinEigenvalue">Smallest eigenvalue on u⊥ (smallest Ritz value).</param>
/// <param name="Scale">max(|λ|, largest |Ritz value|): the scale the tolerance is relative to.</param>
/// <param name="Iterations">Lanczos steps taken; equal to P − 1 means the spectrum on u⊥ is exact.</param>
/// <param name="IsLocalMaximum">MaxEigenvalue ≤ tolerance·Scale: the second-order necessary condition for a local
/// maximum of N on the sphere holds (a "second-order KKT point" in the non-strict sense).</param>
public sealed record SecondOrderResult(double Lambda, double MaxEigenvalue, double MinEigenvalue, double Scale, int Iterations, bool IsLocalMaximum);

/// <summary>
/// The second-order test of a KKT point u of max N(u) s.t. ‖u‖ = 1: the Riemannian Hessian on the sphere is
/// P(∇²N(u) − λI)P with P = I − uuᵀ and λ = ⟨∇N(u), u⟩ (Absil, Mahony &amp; Sepulchre 2008, §5.5; the
/// second-order positive KKT points of Kumar &amp; Haupt, arXiv 2502.15952, as read in docs/claims.md). u is a
/// local maximum candidate when its largest eigenvalue on u⊥ is ≤ 0, a saddle of N on the sphere when it is
/// &gt; 0. The extreme eigenvalues are
/// found by Lanczos with full reorthogonalisation (against u and all previous vectors) on exact Hessian–vector
/// products; with Iterations = P − 1 the whole spectrum on u⊥ is computed, exactly up to rounding.
/// </summary>
public static class SecondOrderTest
{
    /// <summary>Runs the test at u (normalised first).</summary>
    /// <param name="hessian">∇²N·v (it also yields ∇N).</param>
    /// <param name="u">The KKT point, ≠ 0.</param>
    /// <param name="tolerance">Relative tolerance of the sign decision (default 1e-7).</param>
    /// <param name="maxIterations">Lanczos steps, at most P − 1 (default: P − 1, the exact spectrum).</param>
    /// <param name="seed">Seed of the start vector (default 1).</param>
    /// <returns>The extreme eigenvalues on u⊥ and the verdict.</returns>
    /// <exception cref="ArgumentException">Wrong length, zero or non-finite u, or P &lt; 2.</exception>
    public static SecondOrderResult Run(HessianVectorProduct<double> hessian, ReadOnlySpan<double> u, double tolerance = 1e-7,
        int? maxIterations = null, long seed = 1)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        int p = hessian.Dimension;
        Guard.Length(u.Length, p, nameof(u), "the objective's dimension");
        Guard.Finite(u, nameof(u));
        if (p < 2) throw new ArgumentException("u: the sphere in one dimension has no tangent space.", nameof(u));
        double norm = DenseKernels.Norm(u);
        if (norm == 0.0) throw new ArgumentException("u: is the zero vector.", nameof(u));
        var unit = new double[p];
        for (int i = 0; i < p; i++) unit[i] = u[i] / norm;

        var gradient = new double[p];
        var product = new double[p];
        var zero = new double[p];
        hessian.Apply(unit, zero, product, gradient);
        double lambda = DenseKernels.Dot<double>(gradient, unit);

        int k = Math.Min(maxIterations ?? p - 1, p - 1);
        var basis = new List<double[]>();
        var alpha = new List<double>();
        var beta = new List<double>();
        var v = new double[p];
        new SeededRandom(seed).FillGaussian(v);
        Orthogonalise(v, unit, basis);
        double vn = DenseKernels.Norm<double>(v);
        for (int i = 0; i < p; i++) v[i] /= vn;
        for (int j = 0; j < k; j++)
        {
            basis.Add(v);
            // w = P(∇²N − λI)P v; v ⊥ u already.
            hessian.Apply(unit, v, product);
            var w = new double[p];
            for (int i = 0; i < p; i++) w[i] = product[i] - lambda * v[i];
            Project(w, unit);
            double a = DenseKernels.Dot<double>(w, v);
            alpha.Add(a);
            Orthogonalise(w, unit, basis);
            Orthogonalise(w, unit, basis); // twice is enough (Parlett's "twice is enough")
            double b = DenseKernels.Norm<double>(w);
            if (j == k - 1 || b <= 1e-13 * (Math.Abs(a) + Math.Abs(lambda) + 1e-300)) break;
            beta.Add(b);
            for (int i = 0; i < p; i++) w[i] /= b;
            v = w;
        }
        int m = alpha.Count;
        var t = new double[m * m];
        for (int i = 0; i < m; i++)
        {
            t[i * m + i] = alpha[i];
            if (i + 1 < m) t[i * m + i + 1] = t[(i + 1) * m + i] = beta[i];
        }
        double[] ritz = SymmetricEigen.Eigenvalues(t, m);
        double max = ritz[^1], min = ritz[0];
        double scale = Math.Max(Math.Abs(lambda), Math.Max(Math.Abs(max), Math.Abs(min)));
        return new SecondOrderResult(lambda, max, min, scale, m, max <= tolerance * scale);
    }

    private static void Project(double[] w, double[] unit)
    {
        double c = DenseKernels.Dot<double>(w, unit);
        for (int i = 0; i < w.Length; i++) w[i] -= c * unit[i];
    }

    private static void Orthogonalise(double[] w, double[] unit, List<double[]> basis)
    {
        Project(w, unit);
        foreach (double[] q in basis)
        {
            double c = DenseKernels.Dot<double>(w, q);
            for (int i = 0; i < w.Length; i++) w[i] -= c * q[i];
        }
    }
}
