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
/// (<see cref="DoubleDoubleKernels.Multiply(Vector512{double}, Vector512{double}, Vector512{double}, Vector512{double})"/>:
/// DWTimesDW3 of Joldes, Muller &amp; Popescu 2017) in the element-wise kernels, so every element is bit for bit the
/// scalar expression named in the kernel's summary, for finite results; the sums use a cheaper compensated
/// accumulation with a proved bound (<see cref="AccumulateProducts"/>). Callers check <see cref="AllFinite"/> and
/// let the scalar operators define non-finite cases. Lengths are multiples of <see cref="Lanes"/> (callers pad);
/// the kernels need <see cref="DoubleDoubleKernels.IsSupported"/>. They are compiled optimised at their first call
/// (AggressiveOptimization): a short flow makes a few hundred evaluations, too few for tiered compilation to promote them.
/// </summary>
internal static class SplitDoubleDoubleKernels
{
    /// <summary>The length multiple every span must have: the lanes of a 512-bit vector.</summary>
    internal const int Lanes = 8;

    private static bool Wide => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>
    /// S + E ← S + E + Σᵣ aᵣ·xᵣ lane by lane over the rows xᵣ = x[r·stride …] taken in order, a row with aᵣ exactly zero
    /// skipped: the compensated accumulation of Ogita, Rump &amp; Oishi ("Accurate sum and dot product", SIAM J. Sci.
    /// Comput. 26(6), 2005, Alg. 5.3 Dot2) with double-double factors. The leading sum S runs through TwoSum
    /// (error-free), every lower-order part (TwoSum's error q, and r = RN(aₕxₗ + RN(aₗxₕ + RN(aₗxₗ + e))): TwoProd's error
    /// e = aₕxₕ − RN(aₕxₕ) with the cross terms added by three FMAs) goes into the plain double E as E + RN(q + r), and no
    /// renormalisation happens until <see cref="Normalize"/>. The dependence chain per term is one addition on S and one on
    /// E (instead of the nine of AccurateDWPlusDW), and a term costs 13 operations (11 with a one-word factor) instead of
    /// about 30. S and E of a block of lanes stay in
    /// registers over all the rows (eight lanes at a time, in <see cref="AccumulateProductColumns"/> with 512-bit vectors),
    /// so a lane's operations and their order are those of one row at a time: the results depend on the rows' order only, not on how they are passed. A factor
    /// with a zero trailing word (an input of a data set in double) takes the two FMAs with aₗ = 0 out, with the same bits
    /// whenever E does not start at −0.
    /// </summary>
    /// <remarks>
    /// Error bound, for S = E = 0 before N terms tₖ = aₖxₖ and (hi, lo) = <see cref="Normalize"/>(S, E) after, with
    /// u = 2^-53, normalised double-doubles (|aₗ| ≤ u|aₕ|) and no underflow or overflow:
    /// <c>|hi + lo − Σₖ tₖ| ≤ (3N + 1)(N + 4)·u²·Σₖ |aₖ||xₖ| / (1 − 3Nu)</c>.
    /// Proof. TwoProd gives pₖ + eₖ = aₕxₕ exactly with |eₖ| ≤ u|pₖ|; the exact cross terms are at most
    /// (2u + u²)|aₕxₕ|, and the three FMAs that add them to eₖ round partial sums of at most u(1 + 2u), 2u(1 + 2u) and
    /// 3u(1 + 3u) times |aₕxₕ| (|eₖ| ≤ u(1 + u)|aₕxₕ|), so rₖ errs by at most 7u²|aₕxₕ|. TwoSum keeps Σₖ pₖ = S_N + Σₖ qₖ exactly with
    /// |qₖ| ≤ u|Sₖ| ≤ u Σ_{i≤k} |pᵢ|. E is a floating-point sum, in some order, of the 2N values qₖ, rₖ, so it errs by at
    /// most γ_{2N−1} ≤ γ_{3N−1} = (3N − 1)u/(1 − (3N − 1)u) times their absolute sum, which is at most
    /// u(N + 3.1)(1 + u)Σ|aₕxₕ|. Normalize is error-free. With |aₕxₕ| ≤ (1 + u)²|a||x| the sum of the
    /// two contributions is below the bound. (Accurate double-double summation, AccurateDWPlusDW per term, has the
    /// bound ≈ 3Nu²·Σ|tₖ|; this one is larger by a factor ≈ N in the worst case, still ≈ 10⁻²⁷·Σ|tₖ| for N = 200.)
    /// </remarks>
    /// <param name="a">The factors aᵣ, one per row.</param>
    /// <param name="xHi">Leading words of the rows: row r at r·<paramref name="stride"/>, the length of <paramref name="sum"/>.</param>
    /// <param name="xLo">Trailing words, in the same layout.</param>
    /// <param name="stride">The distance between rows.</param>
    /// <param name="sum">S, updated.</param>
    /// <param name="error">E, updated.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AccumulateProducts(ReadOnlySpan<DoubleDouble> a, ReadOnlySpan<double> xHi, ReadOnlySpan<double> xLo, int stride, Span<double> sum, Span<double> error) =>
        AccumulateProductColumns(a, 1, 1, a.Length, xHi, xLo, stride, sum, error[..sum.Length], sum.Length, oneWordFactors: false);

    /// <summary>
    /// <see cref="AccumulateProducts"/> for several sums over the same rows: for c = 0 … <paramref name="count"/> − 1,
    /// Sᴄ + Eᴄ ← Sᴄ + Eᴄ + Σᵣ a[r·<paramref name="factorStride"/> + c]·xᵣ over the rows r = 0 … <paramref name="rows"/> − 1
    /// in order, with Sᴄ and Eᴄ at c·<paramref name="length"/> in <paramref name="sum"/> and <paramref name="error"/>: bit
    /// for bit <paramref name="count"/> calls of <see cref="AccumulateProducts"/> (every lane of every sum takes the same
    /// operations in the same order). Up to four sums take each row's load, so rows that are read from the second-level
    /// cache are read once per four sums instead of once per sum: the backward pass of a two-layer network reads the
    /// n × m̄ rows δᵢ ⌈d/4⌉ times instead of d times.
    /// </summary>
    /// <param name="a">The factors: the factor of row r in sum c at r·<paramref name="factorStride"/> + c.</param>
    /// <param name="factorStride">The distance between the factors of consecutive rows.</param>
    /// <param name="count">The number of sums.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="xHi">Leading words of the rows: row r at r·<paramref name="stride"/>, <paramref name="length"/> long.</param>
    /// <param name="xLo">Trailing words, in the same layout.</param>
    /// <param name="stride">The distance between rows.</param>
    /// <param name="sum">The Sᴄ, one after another, each <paramref name="length"/> long; updated.</param>
    /// <param name="error">The Eᴄ, in the same layout; updated.</param>
    /// <param name="length">The length of a row and of each sum (a multiple of <see cref="Lanes"/>).</param>
    /// <param name="oneWordFactors">
    /// The caller's statement that every factor is a non-zero double (trailing word zero, as the inputs of a data set read
    /// in double are): the terms then take the one-word term with no test on the factor, whose two tests per term cost as
    /// much as a term's arithmetic. False lets the kernel test each factor.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AccumulateProductColumns(ReadOnlySpan<DoubleDouble> a, int factorStride, int count, int rows, ReadOnlySpan<double> xHi, ReadOnlySpan<double> xLo,
        int stride, Span<double> sum, Span<double> error, int length, bool oneWordFactors)
    {
        if (rows == 0 || count == 0 || length == 0) return;
        int extent = (rows - 1) * stride + length;
        ref double xh = ref MemoryMarshal.GetReference(xHi[..extent]);
        ref double xl = ref MemoryMarshal.GetReference(xLo[..extent]);
        _ = a[(rows - 1) * factorStride + count - 1];
        _ = sum[count * length - 1];
        _ = error[count * length - 1];
        if (!Wide)
        {
            for (int c = 0; c < count; c++)
                AccumulateColumn256(ref Unsafe.Add(ref MemoryMarshal.GetReference(a), c), factorStride, rows, ref xh, ref xl, stride,
                    ref Unsafe.Add(ref MemoryMarshal.GetReference(sum), c * length), ref Unsafe.Add(ref MemoryMarshal.GetReference(error), c * length), length);
            return;
        }
        for (int c = 0; c < count; c += 4)
        {
            int block = Math.Min(4, count - c);
            ref DoubleDouble ac = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), c);
            ref double sc = ref Unsafe.Add(ref MemoryMarshal.GetReference(sum), c * length);
            ref double ec = ref Unsafe.Add(ref MemoryMarshal.GetReference(error), c * length);
            if (oneWordFactors)
                AccumulateColumnBlock<OneWordFactors>(block, ref ac, factorStride, rows, ref xh, ref xl, stride, ref sc, ref ec, length);
            else
                AccumulateColumnBlock<AnyFactors>(block, ref ac, factorStride, rows, ref xh, ref xl, stride, ref sc, ref ec, length);
        }
    }

    /// <summary>One sum of <see cref="AccumulateProductColumns"/> without AVX-512: four lanes at a time, every factor tested.</summary>
    private static void AccumulateColumn256(ref DoubleDouble a, int factorStride, int rows, ref double xh, ref double xl, int stride,
        ref double sum, ref double error, int length)
    {
        for (nuint k = 0; k < (nuint)length; k += 4)
        {
            Vector256<double> s0 = Vector256.LoadUnsafe(ref sum, k), e0 = Vector256.LoadUnsafe(ref error, k);
            nuint offset = k, factor = 0;
            for (int r = 0; r < rows; r++, offset += (nuint)stride, factor += (nuint)factorStride)
            {
                DoubleDouble f = Unsafe.Add(ref a, factor);
                if (Scalar.IsExactZero(f)) continue;
                Accumulate(Vector256.Create(f.Hi), Vector256.Create(f.Lo), Vector256.LoadUnsafe(ref xh, offset), Vector256.LoadUnsafe(ref xl, offset), ref s0, ref e0);
            }
            s0.StoreUnsafe(ref sum, k);
            e0.StoreUnsafe(ref error, k);
        }
    }

    /// <summary>What the factors of a block of sums are known to be: with <see cref="OneWordFactors"/> every term is the one-word term with no test.</summary>
    private interface IFactorKind
    {
        /// <summary>Whether every factor is a non-zero double.</summary>
        static abstract bool OneWordNonZero { get; }
    }

    private readonly struct AnyFactors : IFactorKind
    {
        public static bool OneWordNonZero => false;
    }

    private readonly struct OneWordFactors : IFactorKind
    {
        public static bool OneWordNonZero => true;
    }

    /// <summary>Up to four sums of <see cref="AccumulateProductColumns"/>.</summary>
    private static void AccumulateColumnBlock<TFactors>(int block, ref DoubleDouble a, int factorStride, int rows, ref double xh, ref double xl, int stride,
        ref double sum, ref double error, int length) where TFactors : struct, IFactorKind
    {
        switch (block)
        {
            case 1: AccumulateColumnBlock<One, TFactors>(ref a, factorStride, rows, ref xh, ref xl, stride, ref sum, ref error, length); break;
            case 2: AccumulateColumnBlock<Two, TFactors>(ref a, factorStride, rows, ref xh, ref xl, stride, ref sum, ref error, length); break;
            case 3: AccumulateColumnBlock<Three, TFactors>(ref a, factorStride, rows, ref xh, ref xl, stride, ref sum, ref error, length); break;
            default: AccumulateColumnBlock<Four, TFactors>(ref a, factorStride, rows, ref xh, ref xl, stride, ref sum, ref error, length); break;
        }
    }

    /// <summary>TCount.Count ≤ 4 sums of <see cref="AccumulateProductColumns"/>, eight lanes at a time, (S, E) of every sum in registers over the rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateColumnBlock<TCount, TFactors>(ref DoubleDouble a, int factorStride, int rows, ref double xh, ref double xl, int stride,
        ref double sum, ref double error, int length) where TCount : struct, IBlockCount where TFactors : struct, IFactorKind
    {
        int count = TCount.Count;
        nuint sums = (nuint)length;
        for (nuint k = 0; k < (nuint)length; k += 8)
        {
            Vector512<double> s0 = Vector512.LoadUnsafe(ref sum, k), e0 = Vector512.LoadUnsafe(ref error, k);
            Vector512<double> s1 = default, e1 = default, s2 = default, e2 = default, s3 = default, e3 = default;
            if (count > 1) { s1 = Vector512.LoadUnsafe(ref sum, k + sums); e1 = Vector512.LoadUnsafe(ref error, k + sums); }
            if (count > 2) { s2 = Vector512.LoadUnsafe(ref sum, k + 2 * sums); e2 = Vector512.LoadUnsafe(ref error, k + 2 * sums); }
            if (count > 3) { s3 = Vector512.LoadUnsafe(ref sum, k + 3 * sums); e3 = Vector512.LoadUnsafe(ref error, k + 3 * sums); }
            nuint offset = k, factor = 0;
            for (int r = 0; r < rows; r++, offset += (nuint)stride, factor += (nuint)factorStride)
            {
                Vector512<double> h = Vector512.LoadUnsafe(ref xh, offset), l = Vector512.LoadUnsafe(ref xl, offset);
                AccumulateTerm<TFactors>(ref Unsafe.Add(ref a, factor), h, l, ref s0, ref e0);
                if (count > 1) AccumulateTerm<TFactors>(ref Unsafe.Add(ref a, factor + 1), h, l, ref s1, ref e1);
                if (count > 2) AccumulateTerm<TFactors>(ref Unsafe.Add(ref a, factor + 2), h, l, ref s2, ref e2);
                if (count > 3) AccumulateTerm<TFactors>(ref Unsafe.Add(ref a, factor + 3), h, l, ref s3, ref e3);
            }
            s0.StoreUnsafe(ref sum, k);
            e0.StoreUnsafe(ref error, k);
            if (count > 1) { s1.StoreUnsafe(ref sum, k + sums); e1.StoreUnsafe(ref error, k + sums); }
            if (count > 2) { s2.StoreUnsafe(ref sum, k + 2 * sums); e2.StoreUnsafe(ref error, k + 2 * sums); }
            if (count > 3) { s3.StoreUnsafe(ref sum, k + 3 * sums); e3.StoreUnsafe(ref error, k + 3 * sums); }
        }
    }

    /// <summary>The term f·x of <see cref="AccumulateProducts"/>: nothing for f exactly zero, the one-word term for fₗ = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateTerm<TFactors>(ref DoubleDouble factor, Vector512<double> h, Vector512<double> l, ref Vector512<double> s, ref Vector512<double> e)
        where TFactors : struct, IFactorKind
    {
        if (TFactors.OneWordNonZero)
        {
            // The leading word broadcast straight from memory (a load; a copy of the factor first costs a vector shuffle).
            Accumulate(Vector512.Create(factor.Hi), h, l, ref s, ref e);
            return;
        }
        DoubleDouble f = factor;
        if (Scalar.IsExactZero(f)) return;
        if (f.Lo == 0.0) Accumulate(Vector512.Create(f.Hi), h, l, ref s, ref e);
        else Accumulate(Vector512.Create(f.Hi), Vector512.Create(f.Lo), h, l, ref s, ref e);
    }

    /// <summary>
    /// Adds a product p with its error r (the TwoProd error plus the cross terms) to (S, E), lane by lane:
    /// (S, q) = TwoSum(S, p), E += q + r. Two of the additions run as fused multiply–adds x·1 ± y, which round the same
    /// exact sum once and so give the same bits, on the multiply units: a term is otherwise nine additions and three
    /// multiplications, and the addition units limit it (the one-word term about 15 % faster with the units balanced).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTerm(Vector512<double> p, Vector512<double> r, ref Vector512<double> s, ref Vector512<double> e)
    {
        Vector512<double> one = Vector512<double>.One;
        Vector512<double> t = s + p;
        Vector512<double> tVirtual = t - p;
        Vector512<double> q = Avx512F.FusedMultiplySubtract(s, one, tVirtual) + (p - (t - tVirtual));
        s = t;
        e += Avx512F.FusedMultiplyAdd(q, one, r);
    }

    /// <inheritdoc cref="AddTerm(Vector512{double}, Vector512{double}, ref Vector512{double}, ref Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTerm(Vector256<double> p, Vector256<double> r, ref Vector256<double> s, ref Vector256<double> e)
    {
        Vector256<double> t = s + p;
        Vector256<double> tVirtual = t - p;
        Vector256<double> q = (s - tVirtual) + (p - (t - tVirtual));
        s = t;
        e += q + r;
    }

    /// <summary>One term a·x of <see cref="AccumulateProducts"/> into (S, E), lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Vector512<double> ah, Vector512<double> al, Vector512<double> h, Vector512<double> l, ref Vector512<double> s, ref Vector512<double> e)
    {
        Vector512<double> p = ah * h;
        Vector512<double> f = Avx512F.FusedMultiplySubtract(ah, h, p);
        AddTerm(p, Avx512F.FusedMultiplyAdd(ah, l, Avx512F.FusedMultiplyAdd(al, h, Avx512F.FusedMultiplyAdd(al, l, f))), ref s, ref e);
    }

    /// <summary>
    /// One term a·x of <see cref="AccumulateProducts"/> with a one-word factor a = (aₕ, 0) into (S, E), lane by lane:
    /// r = RN(aₕxₗ + e). The general term computes RN(aₕxₗ + RN(aₗxₕ + RN(aₗxₗ + e))) with aₗ = ±0, the same value up to
    /// the sign of a zero, so every sum that takes r has the same value, and E the same bits unless E is −0 (a sum of two
    /// zeros is −0 only when both are, so an E that does not start at −0 never becomes −0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Vector512<double> ah, Vector512<double> h, Vector512<double> l, ref Vector512<double> s, ref Vector512<double> e)
    {
        Vector512<double> p = ah * h;
        Vector512<double> f = Avx512F.FusedMultiplySubtract(ah, h, p);
        AddTerm(p, Avx512F.FusedMultiplyAdd(ah, l, f), ref s, ref e);
    }

    /// <summary>One term a·x of <see cref="AccumulateProducts"/> into (S, E), lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Vector256<double> ah, Vector256<double> al, Vector256<double> h, Vector256<double> l, ref Vector256<double> s, ref Vector256<double> e)
    {
        Vector256<double> p = ah * h;
        Vector256<double> f = Fma.MultiplySubtract(ah, h, p);
        AddTerm(p, Fma.MultiplyAdd(ah, l, Fma.MultiplyAdd(al, h, Fma.MultiplyAdd(al, l, f))), ref s, ref e);
    }

    /// <summary>
    /// ⟨x, y⟩ by the accumulation of <see cref="AccumulateProducts"/>: one (S, E) per lane of eight over the elements
    /// (element k in lane k mod 8), then the lanes folded in halves, lane i with lane i + 4, then i + 2, then i + 1: at
    /// each fold (S, q) = TwoSum(S, S′) and E ← E + E′ + q; and (hi, lo) = TwoSum(S, E). Its error bound is that of
    /// <see cref="AccumulateProducts"/> with N = the length + 8 (the seven folds count as terms). The eight lanes are
    /// one 512-bit vector, or two 256-bit vectors without AVX-512, with the same bits; the folds take three dependent
    /// steps where one lane after another would take seven.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static DoubleDouble Dot(ReadOnlySpan<double> xHi, ReadOnlySpan<double> xLo, ReadOnlySpan<double> yHi, ReadOnlySpan<double> yLo)
    {
        int n = xHi.Length;
        ref double xh = ref MemoryMarshal.GetReference(xHi);
        ref double xl = ref MemoryMarshal.GetReference(xLo[..n]);
        ref double yh = ref MemoryMarshal.GetReference(yHi[..n]);
        ref double yl = ref MemoryMarshal.GetReference(yLo[..n]);
        Vector256<double> s0, e0, s1, e1;
        if (Wide)
        {
            Vector512<double> s = Vector512<double>.Zero, e = Vector512<double>.Zero;
            for (nuint k = 0; k < (nuint)n; k += 8)
                Accumulate(Vector512.LoadUnsafe(ref xh, k), Vector512.LoadUnsafe(ref xl, k), Vector512.LoadUnsafe(ref yh, k), Vector512.LoadUnsafe(ref yl, k), ref s, ref e);
            (s0, s1, e0, e1) = (s.GetLower(), s.GetUpper(), e.GetLower(), e.GetUpper());
        }
        else
        {
            s0 = e0 = s1 = e1 = Vector256<double>.Zero;
            for (nuint k = 0; k < (nuint)n; k += 8)
            {
                Accumulate(Vector256.LoadUnsafe(ref xh, k), Vector256.LoadUnsafe(ref xl, k), Vector256.LoadUnsafe(ref yh, k), Vector256.LoadUnsafe(ref yl, k), ref s0, ref e0);
                Accumulate(Vector256.LoadUnsafe(ref xh, k + 4), Vector256.LoadUnsafe(ref xl, k + 4), Vector256.LoadUnsafe(ref yh, k + 4), Vector256.LoadUnsafe(ref yl, k + 4), ref s1, ref e1);
            }
        }
        // Lanes i and i + 4, then i and i + 2, then 0 and 1.
        (Vector256<double> s4, Vector256<double> q4) = TwoSum(s0, s1);
        Vector256<double> e4 = (e0 + e1) + q4;
        (Vector128<double> s2, Vector128<double> q2) = TwoSum(s4.GetLower(), s4.GetUpper());
        Vector128<double> e2 = (e4.GetLower() + e4.GetUpper()) + q2;
        (double sum, double q) = ErrorFreeTransforms.TwoSum(s2.ToScalar(), s2.GetElement(1));
        double error = (e2.ToScalar() + e2.GetElement(1)) + q;
        (double hi, double lo) = ErrorFreeTransforms.TwoSum(sum, error);
        Span<double> words = [hi, lo];
        return MemoryMarshal.Cast<double, DoubleDouble>(words)[0];
    }

    /// <summary>(hi, lo) = TwoSum(S, E) lane by lane: the normalised double-double equal to S + E (error-free).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Normalize(ReadOnlySpan<double> sum, ReadOnlySpan<double> error, Span<double> hi, Span<double> lo)
    {
        int n = sum.Length;
        ref double sr = ref MemoryMarshal.GetReference(sum);
        ref double er = ref MemoryMarshal.GetReference(error[..n]);
        ref double hr = ref MemoryMarshal.GetReference(hi[..n]);
        ref double lr = ref MemoryMarshal.GetReference(lo[..n]);
        if (Wide)
        {
            for (nuint k = 0; k < (nuint)n; k += 8)
            {
                (Vector512<double> s, Vector512<double> e) = TwoSum(Vector512.LoadUnsafe(ref sr, k), Vector512.LoadUnsafe(ref er, k));
                s.StoreUnsafe(ref hr, k);
                e.StoreUnsafe(ref lr, k);
            }
            return;
        }
        for (nuint k = 0; k < (nuint)n; k += 4)
        {
            (Vector256<double> s, Vector256<double> e) = TwoSum(Vector256.LoadUnsafe(ref sr, k), Vector256.LoadUnsafe(ref er, k));
            s.StoreUnsafe(ref hr, k);
            e.StoreUnsafe(ref lr, k);
        }
    }

    /// <summary>r ← (a·x)·s, element k as <c>a * x[k] * s[k]</c> in <see cref="DoubleDouble"/> (left to right).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    /// σ = (s·s, 0) and σ′ = ((2·s)·0, 0), which carry the same signed zeros. DWTimesDW3 of (2, 0) and a normalised
    /// (zₕ, zₗ) with zₕ &gt; 0 is (2zₕ, 2zₗ + 0) (its correction terms are exact zeros, and a zₗ of −0 comes out +0), which
    /// σ′ takes in two operations; a 2zₕ that overflows makes σ overflow too, and the caller then runs the scalar operators.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                (Vector512<double> th, Vector512<double> tl) = (two * h, Avx512F.FusedMultiplyAdd(two, l, Vector512<double>.Zero));
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
            (Vector256<double> th, Vector256<double> tl) = (two4 * h, Fma.MultiplyAdd(two4, l, Vector256<double>.Zero));
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
