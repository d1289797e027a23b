// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Flow;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Kkt;

/// <summary>
/// The NCF flow du/dτ = ∇N(u) (docs/claims.md (Notation and background)): the limit of
/// the rescaled small-initialisation gradient flow z = w/δ, τ = δ^{L−2} t as δ → 0. Along it
/// d‖u‖²/dτ = 2L·N(u) and dN/dτ = ‖∇N‖²; for L &gt; 2 it blows up in finite time τ* when N stays positive
/// (see <see cref="BlowUpTime"/>). Integrate it with <see cref="FlowSolver"/>.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public sealed class NcfFlowSystem<T> : IOdeSystem<T> where T : struct, INumber<T>
{
    /// <summary>Wraps N (or any objective: the flow is gradient ascent on it).</summary>
    /// <param name="ncf">N with its gradient, e.g. <see cref="NeuralCorrelationFunction{T}"/>.</param>
    public NcfFlowSystem(IObjective<T> ncf)
    {
        ArgumentNullException.ThrowIfNull(ncf);
        Ncf = ncf;
    }

    /// <summary>The objective N.</summary>
    public IObjective<T> Ncf { get; }

    /// <inheritdoc/>
    public int Dimension => Ncf.Dimension;

    /// <summary>N at the argument of the last evaluation.</summary>
    public T LastValue { get; private set; }

    /// <inheritdoc/>
    public void Evaluate(T t, ReadOnlySpan<T> y, Span<T> dydt) => LastValue = Ncf.ValueAndGradient(y, dydt);
}

/// <summary>
/// The spherical NCF flow dû/dτ = ∇N(û) − ⟨∇N(û), û⟩û, the projected-gradient ascent of N on the unit sphere
/// (the direction of the NCF flow follows it up to a time change; docs/claims.md (Notation and background)).
/// Its fixed points are the KKT points of max N s.t. ‖u‖ = 1, and N never decreases along it. The right-hand
/// side is evaluated as ∇N(y) − (⟨∇N(y), y⟩/‖y‖²) y, which is tangent to the sphere through y for every y ≠ 0,
/// so ‖y‖ is conserved by the exact flow.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public sealed class SphericalNcfFlowSystem<T> : IOdeSystem<T> where T : struct, INumber<T>
{
    /// <summary>Wraps N.</summary>
    /// <param name="ncf">N with its gradient.</param>
    public SphericalNcfFlowSystem(IObjective<T> ncf)
    {
        ArgumentNullException.ThrowIfNull(ncf);
        Ncf = ncf;
    }

    /// <summary>The objective N.</summary>
    public IObjective<T> Ncf { get; }

    /// <inheritdoc/>
    public int Dimension => Ncf.Dimension;

    /// <inheritdoc/>
    public void Evaluate(T t, ReadOnlySpan<T> y, Span<T> dydt)
    {
        Ncf.ValueAndGradient(y, dydt);
        T dot = T.Zero, norm2 = T.Zero;
        for (int i = 0; i < y.Length; i++)
        {
            dot += dydt[i] * y[i];
            norm2 += y[i] * y[i];
        }
        if (T.IsZero(norm2)) return;
        T lambda = dot / norm2;
        for (int i = 0; i < y.Length; i++) dydt[i] -= lambda * y[i];
    }
}
