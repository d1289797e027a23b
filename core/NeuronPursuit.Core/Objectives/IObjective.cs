// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Objectives;

/// <summary>
/// A differentiable function f : ℝᴾ → ℝ of the weights: a training loss ℒ(w) or an NCF N(u).
/// Instances hold preallocated buffers: evaluations allocate nothing, and an instance must not be
/// shared between threads.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public interface IObjective<T> where T : struct, INumber<T>
{
    /// <summary>The number of weights P.</summary>
    int Dimension { get; }

    /// <summary>f(w).</summary>
    /// <param name="w">Weights, length P.</param>
    /// <returns>The value.</returns>
    T Value(ReadOnlySpan<T> w);

    /// <summary>f(w) and ∇f(w).</summary>
    /// <param name="w">Weights, length P.</param>
    /// <param name="gradient">Receives ∇f(w), length P.</param>
    /// <returns>f(w).</returns>
    T ValueAndGradient(ReadOnlySpan<T> w, Span<T> gradient);
}
