// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Flow;

/// <summary>
/// A one-step method's metadata and the factory of its stepper (the work buffers and the step), as in
/// OrdinaryDiffEq.jl's split of tableau, cache and step.
/// </summary>
public interface IRungeKuttaMethod
{
    /// <summary>The name used on the command line, e.g. "dp5".</summary>
    string Name { get; }

    /// <summary>The order p of the propagated solution.</summary>
    int Order { get; }

    /// <summary>The order of the embedded solution used for the error estimate, or null for a fixed-step method.</summary>
    int? EmbeddedOrder { get; }

    /// <summary>The order of the dense output (the interpolant between steps).</summary>
    int DenseOutputOrder { get; }

    /// <summary>The source of the coefficients.</summary>
    string Reference { get; }

    /// <summary>
    /// Whether a step needs the system's Jacobian ∂f/∂y (<see cref="IJacobian{T}"/>): true for the stiff
    /// (linearly implicit) methods and for automatic switching to them. The solver refuses such a method on a
    /// system without a Jacobian before it integrates anything.
    /// </summary>
    bool RequiresJacobian { get; }

    /// <summary>Allocates a stepper for systems of the given dimension in type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="dimension">The dimension of y.</param>
    /// <returns>A stepper; not thread-safe.</returns>
    IRungeKuttaStepper<T> CreateStepper<T>(int dimension)
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>;
}

/// <summary>
/// One step of a Runge–Kutta method from (t, y) with step h, and the dense output on that step.
/// Contract: the caller passes f(t, y) (the "first same as last" value of the previous step);
/// the stepper returns y(t + h), an error estimate (the difference of the embedded solutions; zeros for
/// fixed-step methods) and f(t + h, y(t + h)). After a step, <see cref="Interpolate"/> is valid on
/// [t, t + h] until the next call of <see cref="Step"/>. A rejected step is simply not used.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public interface IRungeKuttaStepper<T> where T : struct, INumber<T>
{
    /// <summary>Right-hand-side evaluations per step, counting f(t + h, y(t + h)).</summary>
    int EvaluationsPerStep { get; }

    /// <summary>Takes one step.</summary>
    /// <param name="system">f.</param>
    /// <param name="t">Start time.</param>
    /// <param name="y">y(t).</param>
    /// <param name="dydt">f(t, y).</param>
    /// <param name="h">Step (may be negative).</param>
    /// <param name="yNew">Receives the propagated y(t + h).</param>
    /// <param name="error">Receives the local error estimate.</param>
    /// <param name="dydtNew">Receives f(t + h, yNew).</param>
    void Step(IOdeSystem<T> system, T t, ReadOnlySpan<T> y, ReadOnlySpan<T> dydt, T h, Span<T> yNew, Span<T> error, Span<T> dydtNew);

    /// <summary>The dense output y(t + θh) of the last step, 0 ≤ θ ≤ 1.</summary>
    /// <param name="theta">θ.</param>
    /// <param name="y">Receives the interpolated state.</param>
    void Interpolate(T theta, Span<T> y);
}
