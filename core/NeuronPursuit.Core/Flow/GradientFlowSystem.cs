// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Flow;

/// <summary>
/// The gradient flow dw/dt = −∇ℒ(w) of an objective (Kumar &amp; Haupt, TMLR 2024, eq. 3): the ODE the
/// papers' claims are about. Counts its evaluations.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public sealed class GradientFlowSystem<T> : IOdeSystem<T> where T : struct, INumber<T>
{
    /// <summary>Wraps an objective ℒ.</summary>
    /// <param name="objective">ℒ with its gradient.</param>
    public GradientFlowSystem(IObjective<T> objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        Objective = objective;
    }

    /// <summary>The objective ℒ.</summary>
    public IObjective<T> Objective { get; }

    /// <inheritdoc/>
    public int Dimension => Objective.Dimension;

    /// <summary>The number of evaluations of −∇ℒ so far.</summary>
    public long Evaluations { get; private set; }

    /// <summary>ℒ at the argument of the last evaluation.</summary>
    public T LastValue { get; private set; }

    /// <inheritdoc/>
    public void Evaluate(T t, ReadOnlySpan<T> y, Span<T> dydt)
    {
        LastValue = Objective.ValueAndGradient(y, dydt);
        for (int k = 0; k < dydt.Length; k++) dydt[k] = -dydt[k];
        Evaluations++;
    }
}
