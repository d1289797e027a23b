// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Flow.Methods;

/// <summary>The classic fourth-order Runge–Kutta method (Kutta 1901), fixed step.</summary>
public sealed class ClassicRungeKutta4 : IRungeKuttaMethod
{
    /// <summary>The tableau: c = (0, ½, ½, 1), b = (1/6, 1/3, 1/3, 1/6).</summary>
    public static ExplicitTableau Tableau { get; } = new(
        ["0", "1/2", "1/2", "1"],
        [[], ["1/2"], ["0", "1/2"], ["0", "0", "1"]],
        ["1/6", "1/3", "1/3", "1/6"],
        null,
        false);

    /// <inheritdoc/>
    public string Name => "rk4";

    /// <inheritdoc/>
    public int Order => 4;

    /// <inheritdoc/>
    public int? EmbeddedOrder => null;

    /// <inheritdoc/>
    public int DenseOutputOrder => 3;

    /// <inheritdoc/>
    public string Reference => "Kutta (1901); Hairer, Nørsett & Wanner, Solving ODEs I, Table II.1.2";

    /// <inheritdoc/>
    public bool RequiresJacobian => false;

    /// <inheritdoc/>
    public IRungeKuttaStepper<T> CreateStepper<T>(int dimension)
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
        => new ExplicitRungeKuttaStepper<T>(Tableau, dimension);
}
