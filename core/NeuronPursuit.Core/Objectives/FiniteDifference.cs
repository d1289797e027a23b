// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Objectives;

/// <summary>
/// Central finite differences of an objective: the numerical twins of the exact gradient and
/// Hessian–vector product, used as independent oracles. The truncation error is O(h²); the rounding
/// error is O(u/h) for unit roundoff u, so in double-double (u = 2⁻¹⁰⁴) a step h ≈ 1e-10 gives about
/// 20 correct digits where double gives about 10.
/// </summary>
public static class FiniteDifference
{
    /// <summary>∂f/∂w_k ≈ (f(w + h e_k) − f(w − h e_k)) / 2h for every k.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="f">The objective.</param>
    /// <param name="w">Point, length P.</param>
    /// <param name="step">Step h &gt; 0.</param>
    /// <param name="gradient">Receives the estimate, length P.</param>
    /// <exception cref="ArgumentException">A length is wrong or the step is not positive.</exception>
    public static void Gradient<T>(IObjective<T> f, ReadOnlySpan<T> w, T step, Span<T> gradient) where T : struct, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Length(w.Length, f.Dimension, nameof(w), "one per weight of the objective");
        Guard.Length(gradient.Length, f.Dimension, nameof(gradient), "one per weight of the objective");
        if (!(step > T.Zero)) throw new ArgumentException("step: must be positive.", nameof(step));
        T[] shifted = w.ToArray();
        T twoStep = step + step;
        for (int k = 0; k < shifted.Length; k++)
        {
            T original = shifted[k];
            shifted[k] = original + step;
            T plus = f.Value(shifted);
            shifted[k] = original - step;
            T minus = f.Value(shifted);
            shifted[k] = original;
            gradient[k] = (plus - minus) / twoStep;
        }
    }

    /// <summary>∇²f(w) v ≈ (∇f(w + h v) − ∇f(w − h v)) / 2h.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="f">The objective.</param>
    /// <param name="w">Point, length P.</param>
    /// <param name="v">Direction, length P.</param>
    /// <param name="step">Step h &gt; 0.</param>
    /// <param name="product">Receives the estimate, length P.</param>
    /// <exception cref="ArgumentException">A length is wrong or the step is not positive.</exception>
    public static void HessianVector<T>(IObjective<T> f, ReadOnlySpan<T> w, ReadOnlySpan<T> v, T step, Span<T> product)
        where T : struct, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Length(w.Length, f.Dimension, nameof(w), "one per weight of the objective");
        Guard.Length(v.Length, f.Dimension, nameof(v), "one per weight of the objective");
        Guard.Length(product.Length, f.Dimension, nameof(product), "one per weight of the objective");
        if (!(step > T.Zero)) throw new ArgumentException("step: must be positive.", nameof(step));
        var shifted = new T[w.Length];
        var gradientPlus = new T[w.Length];
        var gradientMinus = new T[w.Length];
        for (int k = 0; k < w.Length; k++) shifted[k] = w[k] + step * v[k];
        f.ValueAndGradient(shifted, gradientPlus);
        for (int k = 0; k < w.Length; k++) shifted[k] = w[k] - step * v[k];
        f.ValueAndGradient(shifted, gradientMinus);
        T twoStep = step + step;
        for (int k = 0; k < w.Length; k++) product[k] = (gradientPlus[k] - gradientMinus[k]) / twoStep;
    }
}
