// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static NeuronPursuit.Core.Numerics.DoubleDoubleKernels;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// Double-double kernels on vectors stored as a structure of arrays: the leading words in one span and the trailing
/// words in another, so that eight consecutive elements load into one 512-bit vector per word (four into a 256-bit
/// vector without AVX-512) with no unpacking. Each lane runs the scalar algorithms of <see cref="DoubleDouble"/>
/// (<see cref="DoubleDoubleKernels.Multiply(Vector512{double}, Vector512{double}, Vector512{double}, Vector512{double})"/>
/// and <see cref="DoubleDoubleKernels.Add(Vector512{double}, Vector512{double}, Vector512{double}, Vector512{double})"/>:
/// DWTimesDW3 and AccurateDWPlusDW of Joldes, Muller &amp; Popescu 2017), so every element is bit for bit the
/// scalar expression named in each kernel's summary, for finite results; callers check <see cref="AllFinite"/> and
/// let the scalar operators define non-finite cases. Lengths are multiples of <see cref="Lanes"/> (callers pad);
/// the kernels need <see cref="DoubleDoubleKernels.IsSupported"/>.
/// </summary>
internal static class SplitDoubleDoubleKernels
{
    /// <summary>The length multiple every span must have: the lanes of a 512-bit vector.</summary>
    internal const int Lanes = 8;

    private static bool Wide => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>y ← y + a·x, element k as <c>y[k] + a * x[k]</c> in <see cref="DoubleDouble"/>.</summary>
    internal static void Axpy(DoubleDouble a, ReadOnlySpan<double> xHi, ReadOnlySpan<double> xLo, Span<double> yHi, Span<double> yLo)
    {
        int n = yHi.Length;
        ref double xh = ref MemoryMarshal.GetReference(xHi[..n]);
        ref double xl = ref MemoryMarshal.GetReference(xLo[..n]);
        ref double yh = ref MemoryMarshal.GetReference(yHi);
        ref double yl = ref MemoryMarshal.GetReference(yLo[..n]);
        if (Wide)
        {
            var ah = Vector512.Create(a.Hi);
            var al = Vector512.Create(a.Lo);
            for (nuint k = 0; k < (nuint)n; k += 8)
            {
                (Vector512<double> ph, Vector512<double> pl) = Multiply(ah, al, Vector512.LoadUnsafe(ref xh, k), Vector512.LoadUnsafe(ref xl, k));
                (Vector512<double> sh, Vector512<double> sl) = Add(Vector512.LoadUnsafe(ref yh, k), Vector512.LoadUnsafe(ref yl, k), ph, pl);
                sh.StoreUnsafe(ref yh, k);
                sl.StoreUnsafe(ref yl, k);
            }
            return;
        }
        var bh = Vector256.Create(a.Hi);
        var bl = Vector256.Create(a.Lo);
        for (nuint k = 0; k < (nuint)n; k += 4)
        {
            (Vector256<double> ph, Vector256<double> pl) = Multiply(bh, bl, Vector256.LoadUnsafe(ref xh, k), Vector256.LoadUnsafe(ref xl, k));
            (Vector256<double> sh, Vector256<double> sl) = Add(Vector256.LoadUnsafe(ref yh, k), Vector256.LoadUnsafe(ref yl, k), ph, pl);
            sh.StoreUnsafe(ref yh, k);
            sl.StoreUnsafe(ref yl, k);
        }
    }

    /// <summary>r ← (a·x)·s, element k as <c>a * x[k] * s[k]</c> in <see cref="DoubleDouble"/> (left to right).</summary>
    internal static void ScaledProduct(DoubleDouble a, ReadOnlySpan<double> xHi, ReadOnlySpan<double> xLo, ReadOnlySpan<double> sHi, ReadOnlySpan<double> sLo, Span<double> rHi, Span<double> rLo)
    {
        int n = rHi.Length;
        ref double xh = ref MemoryMarshal.GetReference(xHi[..n]);
        ref double xl = ref MemoryMarshal.GetReference(xLo[..n]);
        ref double sh = ref MemoryMarshal.GetReference(sHi[..n]);
        ref double sl = ref MemoryMarshal.GetReference(sLo[..n]);
        ref double rh = ref MemoryMarshal.GetReference(rHi);
        ref double rl = ref MemoryMarshal.GetReference(rLo[..n]);
        if (Wide)
        {
            var ah = Vector512.Create(a.Hi);
            var al = Vector512.Create(a.Lo);
            for (nuint k = 0; k < (nuint)n; k += 8)
            {
                (Vector512<double> ph, Vector512<double> pl) = Multiply(ah, al, Vector512.LoadUnsafe(ref xh, k), Vector512.LoadUnsafe(ref xl, k));
                (Vector512<double> qh, Vector512<double> ql) = Multiply(ph, pl, Vector512.LoadUnsafe(ref sh, k), Vector512.LoadUnsafe(ref sl, k));
                qh.StoreUnsafe(ref rh, k);
                ql.StoreUnsafe(ref rl, k);
            }
            return;
        }
        var bh = Vector256.Create(a.Hi);
        var bl = Vector256.Create(a.Lo);
        for (nuint k = 0; k < (nuint)n; k += 4)
        {
            (Vector256<double> ph, Vector256<double> pl) = Multiply(bh, bl, Vector256.LoadUnsafe(ref xh, k), Vector256.LoadUnsafe(ref xl, k));
            (Vector256<double> qh, Vector256<double> ql) = Multiply(ph, pl, Vector256.LoadUnsafe(ref sh, k), Vector256.LoadUnsafe(ref sl, k));
            qh.StoreUnsafe(ref rh, k);
            ql.StoreUnsafe(ref rl, k);
        }
    }

    /// <summary>
    /// ReLU² and its derivative, σ = max(z, 0)² and σ′ = 2·max(z, 0), element by element as
    /// <see cref="Models.PolynomialLeakyRelu"/> computes them in double-double for α = 0, p = 2: for z &gt; 0,
    /// σ = z·z and σ′ = 2·z (both DWTimesDW3; the second is exact); otherwise, with s = 0·zₕ in double,
    /// σ = (s·s, 0) and σ′ = ((2·s)·0, 0), which carry the same signed zeros.
    /// </summary>
    internal static void ReluSquare(ReadOnlySpan<double> zHi, ReadOnlySpan<double> zLo, Span<double> vHi, Span<double> vLo, Span<double> dHi, Span<double> dLo)
    {
        int n = zHi.Length;
        ref double zh = ref MemoryMarshal.GetReference(zHi);
        ref double zl = ref MemoryMarshal.GetReference(zLo[..n]);
        ref double vh = ref MemoryMarshal.GetReference(vHi[..n]);
        ref double vl = ref MemoryMarshal.GetReference(vLo[..n]);
        ref double dh = ref MemoryMarshal.GetReference(dHi[..n]);
        ref double dl = ref MemoryMarshal.GetReference(dLo[..n]);
        if (Wide)
        {
            var two = Vector512.Create(2.0);
            for (nuint k = 0; k < (nuint)n; k += 8)
            {
                Vector512<double> h = Vector512.LoadUnsafe(ref zh, k), l = Vector512.LoadUnsafe(ref zl, k);
                Vector512<double> positive = Vector512.GreaterThan(h, Vector512<double>.Zero);
                (Vector512<double> sh, Vector512<double> sl) = Multiply(h, l, h, l);
                (Vector512<double> th, Vector512<double> tl) = Multiply(two, Vector512<double>.Zero, h, l);
                Vector512<double> s = Vector512<double>.Zero * h;
                Vector512.ConditionalSelect(positive, sh, s * s).StoreUnsafe(ref vh, k);
                Vector512.BitwiseAnd(positive, sl).StoreUnsafe(ref vl, k);
                Vector512.ConditionalSelect(positive, th, two * s * Vector512<double>.Zero).StoreUnsafe(ref dh, k);
                Vector512.BitwiseAnd(positive, tl).StoreUnsafe(ref dl, k);
            }
            return;
        }
        var two4 = Vector256.Create(2.0);
        for (nuint k = 0; k < (nuint)n; k += 4)
        {
            Vector256<double> h = Vector256.LoadUnsafe(ref zh, k), l = Vector256.LoadUnsafe(ref zl, k);
            Vector256<double> positive = Vector256.GreaterThan(h, Vector256<double>.Zero);
            (Vector256<double> sh, Vector256<double> sl) = Multiply(h, l, h, l);
            (Vector256<double> th, Vector256<double> tl) = Multiply(two4, Vector256<double>.Zero, h, l);
            Vector256<double> s = Vector256<double>.Zero * h;
            Vector256.ConditionalSelect(positive, sh, s * s).StoreUnsafe(ref vh, k);
            Vector256.BitwiseAnd(positive, sl).StoreUnsafe(ref vl, k);
            Vector256.ConditionalSelect(positive, th, two4 * s * Vector256<double>.Zero).StoreUnsafe(ref dh, k);
            Vector256.BitwiseAnd(positive, tl).StoreUnsafe(ref dl, k);
        }
    }

    /// <summary>Whether every leading word is finite (a double-double is finite exactly when its leading word is).</summary>
    internal static bool AllFinite(ReadOnlySpan<double> hi)
    {
        int n = hi.Length;
        ref double h = ref MemoryMarshal.GetReference(hi);
        var infinity = Vector256.Create(double.PositiveInfinity);
        Vector256<double> finite = Vector256<double>.AllBitsSet;
        nuint k = 0;
        for (; k + 4 <= (nuint)n; k += 4)
            finite &= Vector256.LessThan(Vector256.Abs(Vector256.LoadUnsafe(ref h, k)), infinity);
        // The mask as integers: all bits set is a NaN as a double.
        bool all = Vector256.EqualsAll(finite.AsUInt64(), Vector256<ulong>.AllBitsSet);
        for (; k < (nuint)n; k++) all &= double.IsFinite(Unsafe.Add(ref h, k));
        return all;
    }
}
