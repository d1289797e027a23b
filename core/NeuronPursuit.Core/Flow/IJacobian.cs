// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Flow;

/// <summary>A system that provides its exact Jacobian ∂f/∂y, as the stiff methods need.</summary>
/// <typeparam name="T">Scalar type.</typeparam>
public interface IJacobian<T> where T : struct, INumber<T>
{
    /// <summary>∂f/∂y at (t, y), row-major n × n.</summary>
    /// <param name="t">Time.</param>
    /// <param name="y">State.</param>
    /// <param name="jacobian">Receives the n·n entries.</param>
    void Jacobian(T t, ReadOnlySpan<T> y, Span<T> jacobian);

    /// <summary>The number of Jacobian evaluations so far.</summary>
    long JacobianEvaluations { get; }

    /// <summary>Whether <see cref="Jacobian"/> can be evaluated (a wrapper may implement the interface
    /// without having what the Jacobian needs, e.g. a gradient flow built without its Hessian).</summary>
    bool HasJacobian => true;
}
