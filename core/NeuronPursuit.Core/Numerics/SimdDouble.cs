// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// A SIMD vector of doubles of a width fixed by the implementing type, so that a kernel is written once over
/// <typeparamref name="TSelf"/> and compiled by the JIT for each width (static abstract members on a struct type
/// parameter are resolved at compile time, and the one-field structs stay in registers). The two widths are
/// <see cref="Simd512"/> (AVX-512: eight lanes) and <see cref="Simd256"/> (AVX2: four lanes).
/// </summary>
/// <typeparam name="TSelf">The implementing vector type.</typeparam>
internal interface ISimdDouble<TSelf> where TSelf : struct, ISimdDouble<TSelf>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>All lanes equal to <paramref name="value"/>.</summary>
    static abstract TSelf Broadcast(double value);

    /// <summary>Count consecutive doubles from <paramref name="source"/> + <paramref name="offset"/> (no alignment needed).</summary>
    static abstract TSelf Load(ref double source, nuint offset);

    /// <summary>Stores the lanes at <paramref name="destination"/> + <paramref name="offset"/>.</summary>
    static abstract void Store(TSelf value, ref double destination, nuint offset);

    /// <summary>a·b + c in each lane, rounded once (fused multiply–add).</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>a·b in each lane.</summary>
    static abstract TSelf Multiply(TSelf a, TSelf b);

    /// <summary>a + b in each lane.</summary>
    static abstract TSelf Add(TSelf a, TSelf b);

    /// <summary>The sum of the lanes, in the fixed order of the implementation.</summary>
    static abstract double Sum(TSelf value);

    /// <summary>In each lane: <paramref name="ifPositive"/> where z &gt; 0, else <paramref name="otherwise"/> (NaN is not positive).</summary>
    static abstract TSelf SelectPositive(TSelf z, TSelf ifPositive, TSelf otherwise);
}

/// <summary>Eight doubles in a 512-bit vector.</summary>
internal readonly struct Simd512 : ISimdDouble<Simd512>
{
    private readonly Vector512<double> _value;

    private Simd512(Vector512<double> value) => _value = value;

    /// <summary>Whether the processor runs 512-bit vectors natively.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    public static int Count => 8;

    public static Simd512 Zero => new(Vector512<double>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Broadcast(double value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Load(ref double source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd512 value, ref double destination, nuint offset) => value._value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 MultiplyAdd(Simd512 a, Simd512 b, Simd512 c) => new(Vector512.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Multiply(Simd512 a, Simd512 b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Add(Simd512 a, Simd512 b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 SelectPositive(Simd512 z, Simd512 ifPositive, Simd512 otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(z._value, Vector512<double>.Zero), ifPositive._value, otherwise._value));

    /// <summary>((l₀ + l₄) + (l₂ + l₆)) + ((l₁ + l₅) + (l₃ + l₇)): halves folded twice, then the last pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Simd512 value)
    {
        Vector256<double> half = value._value.GetLower() + value._value.GetUpper();
        Vector128<double> quarter = half.GetLower() + half.GetUpper();
        return quarter.ToScalar() + quarter.GetElement(1);
    }
}

/// <summary>Four doubles in a 256-bit vector.</summary>
internal readonly struct Simd256 : ISimdDouble<Simd256>
{
    private readonly Vector256<double> _value;

    private Simd256(Vector256<double> value) => _value = value;

    /// <summary>Whether the processor runs 256-bit vectors natively.</summary>
    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    public static int Count => 4;

    public static Simd256 Zero => new(Vector256<double>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Broadcast(double value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Load(ref double source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd256 value, ref double destination, nuint offset) => value._value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 MultiplyAdd(Simd256 a, Simd256 b, Simd256 c) => new(Vector256.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Multiply(Simd256 a, Simd256 b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Add(Simd256 a, Simd256 b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 SelectPositive(Simd256 z, Simd256 ifPositive, Simd256 otherwise) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(z._value, Vector256<double>.Zero), ifPositive._value, otherwise._value));

    /// <summary>(l₀ + l₂) + (l₁ + l₃).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Simd256 value)
    {
        Vector128<double> half = value._value.GetLower() + value._value.GetUpper();
        return half.ToScalar() + half.GetElement(1);
    }
}
