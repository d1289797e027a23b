// SPDX-License-Identifier: MIT
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// Conversions between <see cref="double"/> and the generic scalar <c>T</c> used
/// throughout the core. The scalar constraint of the networks is
/// <c>where T : struct, INumber&lt;T&gt;, IRootFunctions&lt;T&gt;</c>; it is satisfied by
/// <see cref="double"/>, <see cref="DoubleDouble"/> and <see cref="Dual{T}"/>.
/// </summary>
public static class Scalar
{
    /// <summary>The scalar nearest to <paramref name="value"/> (exact for <see cref="double"/> and wider types).</summary>
    /// <typeparam name="T">Target scalar type.</typeparam>
    /// <param name="value">A double.</param>
    /// <returns><paramref name="value"/> converted to <typeparamref name="T"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromDouble<T>(double value) where T : struct, INumber<T> => T.CreateTruncating(value);

    /// <summary>The double nearest to <paramref name="value"/> (for a <see cref="Dual{T}"/>, its value part).</summary>
    /// <typeparam name="T">Source scalar type.</typeparam>
    /// <param name="value">A scalar.</param>
    /// <returns><paramref name="value"/> rounded to double.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble<T>(T value) where T : struct, INumber<T> => double.CreateTruncating(value);

    /// <summary>Converts every element of a double span to <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">Target scalar type.</typeparam>
    /// <param name="source">Values to convert.</param>
    /// <param name="destination">Receives the converted values; same length as <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Convert<T>(ReadOnlySpan<double> source, Span<T> destination) where T : struct, INumber<T>
    {
        Guard.SameLength(source.Length, destination.Length, nameof(destination), nameof(source));
        for (int i = 0; i < source.Length; i++) destination[i] = T.CreateTruncating(source[i]);
    }

    /// <summary>Converts every element of a span of <typeparamref name="T"/> to double.</summary>
    /// <typeparam name="T">Source scalar type.</typeparam>
    /// <param name="source">Values to convert.</param>
    /// <param name="destination">Receives the converted values; same length as <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void ConvertToDouble<T>(ReadOnlySpan<T> source, Span<double> destination) where T : struct, INumber<T>
    {
        Guard.SameLength(source.Length, destination.Length, nameof(destination), nameof(source));
        for (int i = 0; i < source.Length; i++) destination[i] = double.CreateTruncating(source[i]);
    }

    /// <summary>Converts a double array to a new array of <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">Target scalar type.</typeparam>
    /// <param name="source">Values to convert.</param>
    /// <returns>A new array with the converted values.</returns>
    public static T[] ToArray<T>(ReadOnlySpan<double> source) where T : struct, INumber<T>
    {
        var result = new T[source.Length];
        Convert(source, result.AsSpan());
        return result;
    }

    /// <summary>Converts an array of <typeparamref name="T"/> to a new double array.</summary>
    /// <typeparam name="T">Source scalar type.</typeparam>
    /// <param name="source">Values to convert.</param>
    /// <returns>A new array with the values rounded to double.</returns>
    public static double[] ToDoubleArray<T>(ReadOnlySpan<T> source) where T : struct, INumber<T>
    {
        var result = new double[source.Length];
        ConvertToDouble(source, result.AsSpan());
        return result;
    }

    /// <summary>
    /// True when <paramref name="value"/> is zero in every part, so that a product with it may be
    /// skipped. This is <c>T.IsZero</c>, not <c>value == T.Zero</c>: a <see cref="Dual{T}"/> compares by
    /// value alone, yet a zero value may carry a non-zero tangent (zero weights at a saddle, perturbed
    /// along a direction), and its <c>IsZero</c> requires both parts to vanish.
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="value">Value to test.</param>
    /// <returns>Whether the value is an exact zero that contributes nothing to a product.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsExactZero<T>(T value) where T : struct, INumber<T> => T.IsZero(value);

    /// <summary>x raised to a non-negative integer power by binary exponentiation (x⁰ = 1).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="x">Base.</param>
    /// <param name="n">Exponent, n ≥ 0.</param>
    /// <returns>xⁿ.</returns>
    public static T IntegerPower<T>(T x, int n) where T : struct, INumber<T>
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n: the exponent must be non-negative.");
        T result = T.One;
        T factor = x;
        while (n > 0)
        {
            if ((n & 1) == 1) result *= factor;
            n >>= 1;
            if (n > 0) factor *= factor;
        }
        return result;
    }
}
