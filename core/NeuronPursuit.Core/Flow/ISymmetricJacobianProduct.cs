// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow;

/// <summary>
/// A system whose Jacobian ∂f/∂y is symmetric (a gradient flow's −∇²ℒ) and can be applied, in double, to a block of
/// vectors without being formed: what the stiff methods' Newton iterations use to find J's dominant eigenpairs.
/// </summary>
public interface ISymmetricJacobianProduct
{
    /// <summary>Whether <see cref="JacobianProducts"/> can be evaluated.</summary>
    bool HasJacobianProduct { get; }

    /// <summary>J(y)·vᵣ for r &lt; count, at the state y in double.</summary>
    /// <param name="y">The state.</param>
    /// <param name="vectors">The vᵣ as rows of <paramref name="leading"/> entries (the first n used).</param>
    /// <param name="count">The number of vectors.</param>
    /// <param name="leading">The distance between rows of <paramref name="vectors"/> and <paramref name="products"/>.</param>
    /// <param name="products">Receives J(y)·vᵣ in the same layout (the entries past n are left alone).</param>
    void JacobianProducts(ReadOnlySpan<double> y, ReadOnlySpan<double> vectors, int count, int leading, Span<double> products);
}
