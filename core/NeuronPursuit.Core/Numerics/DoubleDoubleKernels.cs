// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// The inner product and the axpy of <see cref="DenseKernels"/> for <see cref="DoubleDouble"/>, four elements
/// at a time in 256-bit vectors (the axpy eight at a time in 512-bit vectors where AVX-512 is available): four consecutive double-doubles (eight doubles) are split into a vector of
/// leading words and a vector of trailing words by one unpack each (the lane order becomes 0, 2, 1, 3, and
/// the inverse unpack restores it), and each lane runs exactly the scalar algorithms of
/// <see cref="DoubleDouble"/>: DWTimesDW3 for the product and AccurateDWPlusDW for the sum (Joldes, Muller
/// &amp; Popescu, "Tight and rigorous error bounds for basic building blocks of double-word arithmetic",
/// ACM TOMS 44(2), 2017, Alg. 12 and 6), with FMA-based TwoProd and Knuth's TwoSum / Dekker's FastTwoSum.
/// The special cases of the scalar kernels are reproduced: a zero result takes the IEEE sign of the plain
/// double operation, and a block with a non-finite result is redone by the scalar operators. So the results
/// are bit for bit those of the generic loops (the inner product keeps their four interleaved accumulators:
/// lane j sums the elements k ≡ j mod 4), only faster. Without AVX and FMA the generic loops run.
/// </summary>
internal static class DoubleDoubleKernels
{
    /// <summary>Whether the vector kernels can run on this processor.</summary>
    internal static bool IsSupported => Avx.IsSupported && Fma.IsSupported;

    /// <summary>y ← y + a·x, element k as <c>y[k] += a * x[k]</c> in <see cref="DoubleDouble"/>.</summary>
    internal static void Axpy(DoubleDouble a, ReadOnlySpan<DoubleDouble> x, Span<DoubleDouble> y)
    {
        int n = x.Length;
        y = y[..n];
        ReadOnlySpan<double> xd = MemoryMarshal.Cast<DoubleDouble, double>(x);
        Span<double> yd = MemoryMarshal.Cast<DoubleDouble, double>(y);
        ref double xRef = ref MemoryMarshal.GetReference(xd);
        ref double yRef = ref MemoryMarshal.GetReference(yd);
        int k = 0;
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            // Eight elements per 512-bit vector; the same per-lane algorithms, so the same results.
            var ah512 = Vector512.Create(a.Hi);
            var al512 = Vector512.Create(a.Lo);
            for (; k + 7 < n; k += 8)
            {
                nuint offset = (nuint)(2 * k);
                (Vector512<double> xh, Vector512<double> xl) = LoadEight(ref xRef, offset);
                (Vector512<double> yh, Vector512<double> yl) = LoadEight(ref yRef, offset);
                (Vector512<double> ph, Vector512<double> pl) = Multiply(ah512, al512, xh, xl);
                (Vector512<double> sh, Vector512<double> sl) = Add(yh, yl, ph, pl);
                if (!Vector512.LessThanAll(Vector512.Abs(sh), Vector512.Create(double.PositiveInfinity)))
                {
                    for (int j = k; j < k + 8; j++) y[j] += a * x[j];
                    continue;
                }
                StoreEight(sh, sl, ref yRef, offset);
            }
        }
        var ah = Vector256.Create(a.Hi);
        var al = Vector256.Create(a.Lo);
        for (; k + 3 < n; k += 4)
        {
            nuint offset = (nuint)(2 * k);
            (Vector256<double> xh, Vector256<double> xl) = Load(ref xRef, offset);
            (Vector256<double> yh, Vector256<double> yl) = Load(ref yRef, offset);
            (Vector256<double> ph, Vector256<double> pl) = Multiply(ah, al, xh, xl);
            (Vector256<double> sh, Vector256<double> sl) = Add(yh, yl, ph, pl);
            if (!AllFinite(sh))
            {
                for (int j = k; j < k + 4; j++) y[j] += a * x[j];
                continue;
            }
            Store(sh, sl, ref yRef, offset);
        }
        for (; k < n; k++) y[k] += a * x[k];
    }

    /// <summary>⟨x, y⟩ with four accumulators s_j over the elements k ≡ j mod 4, returned as (s₀ + s₁) + (s₂ + s₃).</summary>
    internal static DoubleDouble Dot(ReadOnlySpan<DoubleDouble> x, ReadOnlySpan<DoubleDouble> y)
    {
        int n = x.Length;
        y = y[..n];
        ref double xRef = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<DoubleDouble, double>(x));
        ref double yRef = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<DoubleDouble, double>(y));
        Vector256<double> sh = Vector256<double>.Zero, sl = Vector256<double>.Zero;
        int k = 0;
        for (; k + 3 < n; k += 4)
        {
            nuint offset = (nuint)(2 * k);
            (Vector256<double> xh, Vector256<double> xl) = Load(ref xRef, offset);
            (Vector256<double> yh, Vector256<double> yl) = Load(ref yRef, offset);
            (Vector256<double> ph, Vector256<double> pl) = Multiply(xh, xl, yh, yl);
            (sh, sl) = Add(sh, sl, ph, pl);
        }
        // A non-finite partial sum: the scalar operators define the result.
        if (!AllFinite(sh)) return GenericDot(x, y);
        Span<double> sums = stackalloc double[8];
        Store(sh, sl, ref MemoryMarshal.GetReference(sums), 0);
        ReadOnlySpan<DoubleDouble> s = MemoryMarshal.Cast<double, DoubleDouble>(sums);
        DoubleDouble s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
        for (; k < n; k++) s0 += x[k] * y[k];
        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>The generic loop of <see cref="DenseKernels.Dot{T}"/>, for blocks with non-finite values.</summary>
    private static DoubleDouble GenericDot(ReadOnlySpan<DoubleDouble> x, ReadOnlySpan<DoubleDouble> y)
    {
        DoubleDouble s0 = DoubleDouble.Zero, s1 = DoubleDouble.Zero, s2 = DoubleDouble.Zero, s3 = DoubleDouble.Zero;
        int k = 0;
        int n = x.Length;
        for (; k + 3 < n; k += 4)
        {
            s0 += x[k] * y[k];
            s1 += x[k + 1] * y[k + 1];
            s2 += x[k + 2] * y[k + 2];
            s3 += x[k + 3] * y[k + 3];
        }
        for (; k < n; k++) s0 += x[k] * y[k];
        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>Four double-doubles from eight doubles: leading words (lanes 0, 2, 1, 3) and trailing words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Hi, Vector256<double> Lo) Load(ref double source, nuint offset)
    {
        Vector256<double> v0 = Vector256.LoadUnsafe(ref source, offset);
        Vector256<double> v1 = Vector256.LoadUnsafe(ref source, offset + 4);
        return (Avx.UnpackLow(v0, v1), Avx.UnpackHigh(v0, v1));
    }

    /// <summary>The inverse of <see cref="Load"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<double> hi, Vector256<double> lo, ref double destination, nuint offset)
    {
        Avx.UnpackLow(hi, lo).StoreUnsafe(ref destination, offset);
        Avx.UnpackHigh(hi, lo).StoreUnsafe(ref destination, offset + 4);
    }

    /// <summary>Eight double-doubles from sixteen doubles (the unpacks work within 128-bit lanes, as in 256 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<double> Hi, Vector512<double> Lo) LoadEight(ref double source, nuint offset)
    {
        Vector512<double> v0 = Vector512.LoadUnsafe(ref source, offset);
        Vector512<double> v1 = Vector512.LoadUnsafe(ref source, offset + 8);
        return (Avx512F.UnpackLow(v0, v1), Avx512F.UnpackHigh(v0, v1));
    }

    /// <summary>The inverse of <see cref="LoadEight"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreEight(Vector512<double> hi, Vector512<double> lo, ref double destination, nuint offset)
    {
        Avx512F.UnpackLow(hi, lo).StoreUnsafe(ref destination, offset);
        Avx512F.UnpackHigh(hi, lo).StoreUnsafe(ref destination, offset + 8);
    }

    /// <summary>DWTimesDW3 lane by lane, as <see cref="DoubleDouble"/>'s operator *; a zero product is (RN(xh·yh), 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector512<double> Hi, Vector512<double> Lo) Multiply(Vector512<double> xh, Vector512<double> xl, Vector512<double> yh, Vector512<double> yl)
    {
        Vector512<double> ch = xh * yh;
        Vector512<double> cl1 = Avx512F.FusedMultiplySubtract(xh, yh, ch);
        Vector512<double> tl0 = xl * yl;
        Vector512<double> tl1 = Avx512F.FusedMultiplyAdd(xh, yl, tl0);
        Vector512<double> cl2 = Avx512F.FusedMultiplyAdd(xl, yh, tl1);
        Vector512<double> cl3 = cl1 + cl2;
        (Vector512<double> zh, Vector512<double> zl) = FastTwoSum(ch, cl3);
        Vector512<double> zero = Vector512.Equals(zh, Vector512<double>.Zero);
        return (Vector512.ConditionalSelect(zero, ch, zh), Vector512.AndNot(zl, zero));
    }

    /// <summary>AccurateDWPlusDW lane by lane, as <see cref="DoubleDouble"/>'s operator +; a zero sum is (RN(xh + yh), 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<double> Hi, Vector512<double> Lo) Add(Vector512<double> xh, Vector512<double> xl, Vector512<double> yh, Vector512<double> yl)
    {
        (Vector512<double> sh, Vector512<double> sl) = TwoSum(xh, yh);
        (Vector512<double> th, Vector512<double> tl) = TwoSum(xl, yl);
        Vector512<double> c = sl + th;
        (Vector512<double> vh, Vector512<double> vl) = FastTwoSum(sh, c);
        Vector512<double> w = tl + vl;
        (Vector512<double> zh, Vector512<double> zl) = FastTwoSum(vh, w);
        Vector512<double> zero = Vector512.Equals(zh, Vector512<double>.Zero);
        return (Vector512.ConditionalSelect(zero, sh, zh), Vector512.AndNot(zl, zero));
    }

    /// <inheritdoc cref="TwoSum(Vector256{double}, Vector256{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector512<double> Sum, Vector512<double> Error) TwoSum(Vector512<double> a, Vector512<double> b)
    {
        Vector512<double> s = a + b;
        Vector512<double> aVirtual = s - b;
        Vector512<double> bVirtual = s - aVirtual;
        return (s, (a - aVirtual) + (b - bVirtual));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<double> Sum, Vector512<double> Error) FastTwoSum(Vector512<double> a, Vector512<double> b)
    {
        Vector512<double> s = a + b;
        return (s, b - (s - a));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AllFinite(Vector256<double> v) =>
        Vector256.LessThanAll(Vector256.Abs(v), Vector256.Create(double.PositiveInfinity));

    /// <summary>DWTimesDW3 lane by lane, as <see cref="DoubleDouble"/>'s operator *; a zero product is (RN(xh·yh), 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector256<double> Hi, Vector256<double> Lo) Multiply(Vector256<double> xh, Vector256<double> xl, Vector256<double> yh, Vector256<double> yl)
    {
        Vector256<double> ch = xh * yh;
        Vector256<double> cl1 = Fma.MultiplySubtract(xh, yh, ch);
        Vector256<double> tl0 = xl * yl;
        Vector256<double> tl1 = Fma.MultiplyAdd(xh, yl, tl0);
        Vector256<double> cl2 = Fma.MultiplyAdd(xl, yh, tl1);
        Vector256<double> cl3 = cl1 + cl2;
        (Vector256<double> zh, Vector256<double> zl) = FastTwoSum(ch, cl3);
        Vector256<double> zero = Vector256.Equals(zh, Vector256<double>.Zero);
        return (Vector256.ConditionalSelect(zero, ch, zh), Vector256.AndNot(zl, zero));
    }

    /// <summary>AccurateDWPlusDW lane by lane, as <see cref="DoubleDouble"/>'s operator +; a zero sum is (RN(xh + yh), 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Hi, Vector256<double> Lo) Add(Vector256<double> xh, Vector256<double> xl, Vector256<double> yh, Vector256<double> yl)
    {
        (Vector256<double> sh, Vector256<double> sl) = TwoSum(xh, yh);
        (Vector256<double> th, Vector256<double> tl) = TwoSum(xl, yl);
        Vector256<double> c = sl + th;
        (Vector256<double> vh, Vector256<double> vl) = FastTwoSum(sh, c);
        Vector256<double> w = tl + vl;
        (Vector256<double> zh, Vector256<double> zl) = FastTwoSum(vh, w);
        Vector256<double> zero = Vector256.Equals(zh, Vector256<double>.Zero);
        return (Vector256.ConditionalSelect(zero, sh, zh), Vector256.AndNot(zl, zero));
    }

    /// <summary><see cref="ErrorFreeTransforms.TwoSum"/> lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector256<double> Sum, Vector256<double> Error) TwoSum(Vector256<double> a, Vector256<double> b)
    {
        Vector256<double> s = a + b;
        Vector256<double> aVirtual = s - b;
        Vector256<double> bVirtual = s - aVirtual;
        return (s, (a - aVirtual) + (b - bVirtual));
    }

    /// <inheritdoc cref="TwoSum(Vector256{double}, Vector256{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector128<double> Sum, Vector128<double> Error) TwoSum(Vector128<double> a, Vector128<double> b)
    {
        Vector128<double> s = a + b;
        Vector128<double> aVirtual = s - b;
        Vector128<double> bVirtual = s - aVirtual;
        return (s, (a - aVirtual) + (b - bVirtual));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Sum, Vector256<double> Error) FastTwoSum(Vector256<double> a, Vector256<double> b)
    {
        Vector256<double> s = a + b;
        return (s, b - (s - a));
    }
}
