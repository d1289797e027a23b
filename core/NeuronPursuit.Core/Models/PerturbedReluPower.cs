// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Models;

/// <summary>
/// σ(z) = max(z, 0)ᵖ + εz: the ReLUᵖ plus a linear term. For ε ≠ 0 it is not positively homogeneous, so a
/// network with it is not homogeneous in its weights: the perturbation under which the papers' homogeneity-based
/// claims must fail (the checks' negative tests, the invariant script's broken case). σ′(0) = ε, the derivative
/// of the ReLUᵖ part being taken from the negative side as for <see cref="PolynomialLeakyRelu"/>.
/// </summary>
public sealed class PerturbedReluPower : IActivation
{
    /// <summary>Creates σ(z) = max(z, 0)ᵖ + εz.</summary>
    /// <param name="power">p ≥ 1.</param>
    /// <param name="epsilon">ε, finite.</param>
    /// <exception cref="ArgumentException">p &lt; 1 or ε not finite.</exception>
    public PerturbedReluPower(int power, double epsilon)
    {
        if (power < 1)
            throw new ArgumentException($"power: the power p must be an integer ≥ 1, got {power}.", nameof(power));
        if (!double.IsFinite(epsilon))
            throw new ArgumentException($"epsilon: must be finite, got {epsilon.ToString(CultureInfo.InvariantCulture)}.", nameof(epsilon));
        Power = power;
        Epsilon = epsilon;
    }

    /// <summary>Power p.</summary>
    public int Power { get; }

    /// <summary>Coefficient ε of the linear term.</summary>
    public double Epsilon { get; }

    /// <summary>p when ε = 0, else null (not homogeneous).</summary>
    public int? Degree => Epsilon == 0.0 ? Power : null;

    /// <inheritdoc/>
    public string Specification => $"perturbed-relu-power:{Power}:{Epsilon.ToString("R", CultureInfo.InvariantCulture)}";

    /// <inheritdoc/>
    public T Value<T>(T z) where T : struct, INumber<T> =>
        (z > T.Zero ? Scalar.IntegerPower(z, Power) : T.Zero) + T.CreateTruncating(Epsilon) * z;

    /// <inheritdoc/>
    public T Derivative<T>(T z) where T : struct, INumber<T> =>
        (z > T.Zero ? T.CreateTruncating(Power) * Scalar.IntegerPower(z, Power - 1) : T.Zero) + T.CreateTruncating(Epsilon);

    /// <inheritdoc/>
    public void Evaluate<T>(ReadOnlySpan<T> z, Span<T> value, Span<T> derivative) where T : struct, INumber<T>
    {
        for (int i = 0; i < z.Length; i++)
        {
            value[i] = Value(z[i]);
            derivative[i] = Derivative(z[i]);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Specification;
}
