// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Flow.Methods;

/// <summary>
/// Explicit Euler, y ← y + h f(y), order 1, fixed step. For the gradient flow this is gradient descent
/// w ← w − η∇ℒ(w) with η = h, and reproduces its iterates exactly (Euler 1768; Hairer, Nørsett &amp;
/// Wanner I, §I.7).
/// </summary>
public sealed class ExplicitEuler : IRungeKuttaMethod
{
    /// <summary>The tableau: c = (0), b = (1).</summary>
    public static ExplicitTableau Tableau { get; } = new(["0"], [[]], ["1"], null, false);

    /// <inheritdoc/>
    public string Name => "euler";

    /// <inheritdoc/>
    public int Order => 1;

    /// <inheritdoc/>
    public int? EmbeddedOrder => null;

    /// <inheritdoc/>
    public int DenseOutputOrder => 3;

    /// <inheritdoc/>
    public string Reference => "Euler (1768); Hairer, Nørsett & Wanner, Solving ODEs I, §I.7";

    /// <inheritdoc/>
    public bool RequiresJacobian => false;

    /// <inheritdoc/>
    public IRungeKuttaStepper<T> CreateStepper<T>(int dimension)
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
        => new ExplicitRungeKuttaStepper<T>(Tableau, dimension);
}
