// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Models;

/// <summary>
/// The polynomial leaky ReLU σ(z) = max(z, αz)ᵖ with 0 ≤ α &lt; 1 and integer p ≥ 1, positively
/// homogeneous of degree p (Kumar &amp; Haupt, arXiv 2403.08121, whose abstract names "(leaky) ReLU and
/// polynomial (leaky) ReLU"). α = 0, p = 1 is the ReLU; p = 1 the leaky ReLU; α = 0 the ReLUᵖ.
/// At the kink z = 0 the derivative is taken from the negative side,
/// σ′(0) = p·0^{p−1}·α, which matches PyTorch's convention (relu′(0) = 0, leaky_relu′(0) = α).
/// </summary>
public sealed class PolynomialLeakyRelu : IActivation
{
    /// <summary>Creates σ(z) = max(z, αz)ᵖ.</summary>
    /// <param name="alpha">Slope α on the negative side, 0 ≤ α &lt; 1.</param>
    /// <param name="power">Power p ≥ 1.</param>
    /// <exception cref="ArgumentException">α outside [0, 1) or p &lt; 1.</exception>
    public PolynomialLeakyRelu(double alpha, int power)
    {
        if (!(alpha >= 0.0 && alpha < 1.0))
            throw new ArgumentException($"alpha: the negative-side slope must lie in [0, 1), got {alpha.ToString(CultureInfo.InvariantCulture)}.", nameof(alpha));
        if (power < 1)
            throw new ArgumentException($"power: the power p must be an integer ≥ 1, got {power}.", nameof(power));
        Alpha = alpha;
        Power = power;
    }

    /// <summary>Slope α on the negative side.</summary>
    public double Alpha { get; }

    /// <summary>Power p.</summary>
    public int Power { get; }

    /// <inheritdoc/>
    public int? Degree => Power;

    /// <inheritdoc/>
    public string Specification => (Alpha, Power) switch
    {
        (0.0, 1) => "relu",
        (0.0, _) => $"relu-power:{Power}",
        (_, 1) => $"leaky-relu:{Alpha.ToString("R", CultureInfo.InvariantCulture)}",
        _ => $"leaky-relu-power:{Alpha.ToString("R", CultureInfo.InvariantCulture)}:{Power}",
    };

    /// <inheritdoc/>
    public T Value<T>(T z) where T : struct, INumber<T>
    {
        T s = z > T.Zero ? z : T.CreateTruncating(Alpha) * z;
        return Scalar.IntegerPower(s, Power);
    }

    /// <inheritdoc/>
    public T Derivative<T>(T z) where T : struct, INumber<T>
    {
        bool positive = z > T.Zero;
        T slope = positive ? T.One : T.CreateTruncating(Alpha);
        T s = positive ? z : slope * z;
        return T.CreateTruncating(Power) * Scalar.IntegerPower(s, Power - 1) * slope;
    }

    /// <inheritdoc/>
    public void Evaluate<T>(ReadOnlySpan<T> z, Span<T> value, Span<T> derivative) where T : struct, INumber<T>
    {
        if (typeof(T) == typeof(double))
        {
            EvaluateDouble(MemoryMarshal.Cast<T, double>(z), MemoryMarshal.Cast<T, double>(value), MemoryMarshal.Cast<T, double>(derivative));
            return;
        }
        if (typeof(T) == typeof(DoubleDouble) && Alpha == 0.0 && Power > 1)
        {
            EvaluateReluPowerDoubleDouble(MemoryMarshal.Cast<T, DoubleDouble>(z), MemoryMarshal.Cast<T, DoubleDouble>(value), MemoryMarshal.Cast<T, DoubleDouble>(derivative));
            return;
        }
        T alpha = T.CreateTruncating(Alpha);
        T p = T.CreateTruncating(Power);
        value = value[..z.Length];
        derivative = derivative[..z.Length];
        if (Power == 1)
        {
            // The common ReLU / leaky ReLU case, without the power.
            for (int i = 0; i < z.Length; i++)
            {
                bool positive = z[i] > T.Zero;
                T slope = positive ? T.One : alpha;
                value[i] = slope * z[i];
                derivative[i] = slope;
            }
            return;
        }
        for (int i = 0; i < z.Length; i++)
        {
            bool positive = z[i] > T.Zero;
            T slope = positive ? T.One : alpha;
            T s = slope * z[i];
            T sPowerMinusOne = Scalar.IntegerPower(s, Power - 1);
            value[i] = sPowerMinusOne * s;
            derivative[i] = p * sPowerMinusOne * slope;
        }
    }

    /// <summary>
    /// ReLUᵖ (α = 0, p ≥ 2) in double-double, with the results of the generic loop bit for bit but without
    /// its work on zeros. For z &gt; 0 the slope is 1 and the generic products by it are exact, so they are
    /// skipped. For z ≤ 0 every generic product has a zero factor, and <see cref="DoubleDouble"/> returns
    /// (RN(aₕ·bₕ), 0) for a zero product: the same chain of products is done on the leading words in double,
    /// which reproduces the signs of the zeros.
    /// </summary>
    private void EvaluateReluPowerDoubleDouble(ReadOnlySpan<DoubleDouble> z, Span<DoubleDouble> value, Span<DoubleDouble> derivative)
    {
        var p = new DoubleDouble(Power);
        value = value[..z.Length];
        derivative = derivative[..z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            DoubleDouble zi = z[i];
            if (zi > DoubleDouble.Zero)
            {
                DoubleDouble sPowerMinusOne = Scalar.IntegerPower(zi, Power - 1);
                value[i] = sPowerMinusOne * zi;
                derivative[i] = p * sPowerMinusOne;
            }
            else
            {
                double s = 0.0 * zi.Hi;
                double sPowerMinusOne = Scalar.IntegerPower(s, Power - 1);
                value[i] = new DoubleDouble(sPowerMinusOne * s);
                derivative[i] = new DoubleDouble(Power * sPowerMinusOne * 0.0);
            }
        }
    }

    /// <summary>
    /// The double case with SIMD vectors (512 bits where the machine has them) and no branches: the sign of z is random
    /// in a network, so a branch per element would be mispredicted half of the time. Same values as the generic loop.
    /// </summary>
    private void EvaluateDouble(ReadOnlySpan<double> z, Span<double> value, Span<double> derivative)
    {
        int n = z.Length;
        value = value[..n];
        derivative = derivative[..n];
        int power = Power;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // Every element on its own: eight per vector give the same values as four.
            ref double z0 = ref MemoryMarshal.GetReference(z);
            ref double value0 = ref MemoryMarshal.GetReference(value);
            ref double derivative0 = ref MemoryMarshal.GetReference(derivative);
            var alpha = Vector512.Create(Alpha);
            for (; i + 8 <= n; i += 8)
            {
                Evaluate(Vector512.LoadUnsafe(ref z0, (nuint)i), alpha, power, out Vector512<double> v, out Vector512<double> d);
                v.StoreUnsafe(ref value0, (nuint)i);
                d.StoreUnsafe(ref derivative0, (nuint)i);
            }
        }
        else
        {
            ReadOnlySpan<Vector<double>> zv = MemoryMarshal.Cast<double, Vector<double>>(z);
            Span<Vector<double>> valueV = MemoryMarshal.Cast<double, Vector<double>>(value);
            Span<Vector<double>> derivativeV = MemoryMarshal.Cast<double, Vector<double>>(derivative);
            var alpha = new Vector<double>(Alpha);
            var p = new Vector<double>(power);
            for (int v = 0; v < zv.Length; v++)
            {
                Vector<double> slope = Vector.ConditionalSelect(Vector.GreaterThan(zv[v], Vector<double>.Zero), Vector<double>.One, alpha);
                Vector<double> s = slope * zv[v];
                Vector<double> sPowerMinusOne = Vector<double>.One;
                for (int k = 1; k < power; k++) sPowerMinusOne *= s;
                valueV[v] = sPowerMinusOne * s;
                derivativeV[v] = power == 1 ? slope : p * sPowerMinusOne * slope;
            }
            i = zv.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            double slope = z[i] > 0.0 ? 1.0 : Alpha;
            double s = slope * z[i];
            double sPowerMinusOne = 1.0;
            for (int k = 1; k < power; k++) sPowerMinusOne *= s;
            value[i] = sPowerMinusOne * s;
            derivative[i] = power == 1 ? slope : power * sPowerMinusOne * slope;
        }
    }

    /// <summary>σ(z) and σ′(z) of eight pre-activations with the operations of the double loop (the same values), for
    /// kernels that apply σ to a pre-activation still in a register.</summary>
    /// <param name="z">Eight pre-activations.</param>
    /// <param name="alpha">α in every lane.</param>
    /// <param name="power">p.</param>
    /// <param name="value">σ(z).</param>
    /// <param name="derivative">σ′(z).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Evaluate(Vector512<double> z, Vector512<double> alpha, int power, out Vector512<double> value, out Vector512<double> derivative)
    {
        Vector512<double> slope = Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<double>.Zero), Vector512<double>.One, alpha);
        Vector512<double> s = slope * z;
        Vector512<double> sPowerMinusOne = Vector512<double>.One;
        for (int k = 1; k < power; k++) sPowerMinusOne *= s;
        value = sPowerMinusOne * s;
        derivative = power == 1 ? slope : Vector512.Create((double)power) * sPowerMinusOne * slope;
    }

    /// <inheritdoc/>
    public override string ToString() => Specification;
}
