// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Objectives;

/// <summary>
/// The whole Hessian ∇²f(w) of an objective as a dense P × P matrix, as stiff integrators need it
/// for their Jacobian −∇²ℒ. Instances hold preallocated buffers and must not be shared between threads.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public interface IHessianMatrix<T> where T : struct, INumber<T>
{
    /// <summary>The number of weights P.</summary>
    int Dimension { get; }

    /// <summary>∇²f(w), row-major P × P.</summary>
    /// <param name="w">Weights, length P.</param>
    /// <param name="hessian">Receives the P·P entries.</param>
    /// <exception cref="ArgumentException">A length is wrong or w holds NaN/∞.</exception>
    void Hessian(ReadOnlySpan<T> w, Span<T> hessian);
}
