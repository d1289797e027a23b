// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Models;

/// <summary>
/// A scalar activation σ applied elementwise. The networks of the papers need σ positively
/// homogeneous, σ(c z) = cᵖ σ(z) for c ≥ 0, so that the network output is homogeneous in its weights
/// (Kumar &amp; Haupt, arXiv 2402.09226, 2403.08121).
/// </summary>
public interface IActivation
{
    /// <summary>The homogeneity degree p of σ, or null when σ is not positively homogeneous.</summary>
    int? Degree { get; }

    /// <summary>The specification string that <see cref="Activations.Parse"/> turns back into this activation.</summary>
    string Specification { get; }

    /// <summary>σ(z).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="z">Pre-activation.</param>
    /// <returns>σ(z).</returns>
    T Value<T>(T z) where T : struct, INumber<T>;

    /// <summary>σ′(z); at a kink, the one-sided derivative stated by the implementation.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="z">Pre-activation.</param>
    /// <returns>σ′(z).</returns>
    T Derivative<T>(T z) where T : struct, INumber<T>;

    /// <summary>σ and σ′ over a span of pre-activations, in one pass.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="z">Pre-activations.</param>
    /// <param name="value">Receives σ(z); at least as long as <paramref name="z"/>.</param>
    /// <param name="derivative">Receives σ′(z); at least as long as <paramref name="z"/>.</param>
    void Evaluate<T>(ReadOnlySpan<T> z, Span<T> value, Span<T> derivative) where T : struct, INumber<T>;
}
