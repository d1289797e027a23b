// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Flow;

/// <summary>An autonomous or time-dependent ODE system dy/dt = f(t, y) of fixed dimension.</summary>
/// <typeparam name="T">Scalar type.</typeparam>
public interface IOdeSystem<T> where T : struct, INumber<T>
{
    /// <summary>The dimension of y.</summary>
    int Dimension { get; }

    /// <summary>Evaluates f(t, y).</summary>
    /// <param name="t">Time.</param>
    /// <param name="y">State, length <see cref="Dimension"/>.</param>
    /// <param name="dydt">Receives f(t, y), length <see cref="Dimension"/>.</param>
    void Evaluate(T t, ReadOnlySpan<T> y, Span<T> dydt);
}
