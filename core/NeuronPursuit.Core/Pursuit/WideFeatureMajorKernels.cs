// SPDX-License-Identifier: MIT
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// The hot kernels of <see cref="FeatureMajorEvaluator"/> on 512-bit vectors, with the bits of its <see cref="Vector{T}"/>
/// kernels (the reference, which defines the semantics; these only regroup independent operations):
/// <list type="bullet">
/// <item>Z = M·A: each Z[j, i] is the chain z = 0, z = fma(M[j, k], A[k, i], z) for k in order, a sample at a time, so
/// the samples of a vector get the same operations. A block of up to 16 chains, up to four rows × four vectors of samples,
/// stays in registers over all columns and shares the loads of A and the broadcasts of M: the chains overlap in the
/// pipeline, which one chain of dependent fused multiply–adds per element would not.</item>
/// <item>The weight gradient ⟨G[j, ·], A[k, ·]⟩ is <see cref="DenseKernels.Dot{T}"/>'s inner product (an 8-lane
/// accumulator of fused multiply–adds over vectors of 8 samples, then its finish), for up to four rows of G against up to
/// four rows of A at once: up to sixteen independent accumulators sharing their loads.</item>
/// </list>
/// Used when <see cref="IsSupported"/>: 512-bit vectors are accelerated and <see cref="Vector{T}"/> has four doubles.
/// </summary>
internal static class WideFeatureMajorKernels
{
    /// <summary>Whether the machine runs 512-bit vectors natively and the reference kernels use 4-lane vectors.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Vector<double>.Count == 4;

    /// <summary>Z[j, ·] = Σ_k M[j, k]·A[k, ·] for a row-major M (rows × columns) and feature-major A, Z: the bits of
    /// <see cref="FeatureMajorEvaluator.ReferenceCombineRows"/>.</summary>
    public static void CombineRows(ReadOnlySpan<double> m, int rows, int columns, ReadOnlySpan<double> a, Span<double> z, int n) =>
        CombineRowsActivate(m, rows, columns, a, z, n, null, default, default);

    /// <summary>
    /// A hidden layer's forward step: Z = M·A (<see cref="CombineRows"/>), then σ(Z) into <paramref name="value"/> and
    /// σ′(Z) into <paramref name="derivative"/> (<see cref="IActivation.Evaluate{T}"/>). For a
    /// <see cref="PolynomialLeakyRelu"/> σ is applied while Z is still in registers
    /// (<see cref="PolynomialLeakyRelu.Evaluate"/>, the operations of its double loop: the same values), and Z is written
    /// only for the samples after the last full vector.
    /// </summary>
    /// <param name="m">M, row-major rows × columns.</param>
    /// <param name="rows">Rows of M and Z.</param>
    /// <param name="columns">Columns of M, rows of A.</param>
    /// <param name="a">A, feature-major columns × n.</param>
    /// <param name="z">Z, feature-major rows × n (with σ: the tail samples only).</param>
    /// <param name="n">Samples.</param>
    /// <param name="activation">σ, or null for Z alone (into <paramref name="z"/>).</param>
    /// <param name="value">Receives σ(Z) (unused without σ).</param>
    /// <param name="derivative">Receives σ′(Z) (unused without σ).</param>
    public static void CombineRowsActivate(ReadOnlySpan<double> m, int rows, int columns, ReadOnlySpan<double> a, Span<double> z, int n,
        IActivation? activation, Span<double> value, Span<double> derivative)
    {
        if (m.Length < rows * columns || a.Length < columns * n || z.Length < rows * n)
            throw new ArgumentException("m, a, z: shorter than rows × columns, columns × n, rows × n.");
        PolynomialLeakyRelu? relu = activation as PolynomialLeakyRelu;
        if (relu is not null && (value.Length < rows * n || derivative.Length < rows * n))
            throw new ArgumentException("value, derivative: shorter than rows × n.");
        bool fused = activation is null || relu is not null;
        for (int j = 0; j < rows; j += 4)
        {
            int count = Math.Min(4, rows - j);
            ReadOnlySpan<double> mj = m.Slice(j * columns, count * columns);
            Span<double> zj = z.Slice(j * n, count * n);
            Span<double> vj = relu is null ? default : value.Slice(j * n, count * n);
            Span<double> dj = relu is null ? default : derivative.Slice(j * n, count * n);
            // Up to sixteen chains per block: the rows × four vectors of samples.
            switch (count)
            {
                case 4: CombineBlock<Four, Four>(mj, columns, a, zj, n, relu, vj, dj); break;
                case 3: CombineBlock<Three, Four>(mj, columns, a, zj, n, relu, vj, dj); break;
                case 2: CombineBlock<Two, Four>(mj, columns, a, zj, n, relu, vj, dj); break;
                default: CombineBlock<One, Four>(mj, columns, a, zj, n, relu, vj, dj); break;
            }
        }
        if (!fused) activation!.Evaluate<double>(z[..(rows * n)], value, derivative);
    }

    /// <summary>
    /// TRows.Count ≤ 4 rows of Z: blocks of TVectors.Count vectors of 8 samples, then single vectors, then the samples
    /// after the last full vector one by one; with an activation, σ and σ′ of them instead of Z (Z only for the tail
    /// samples, which <see cref="IActivation.Evaluate{T}"/> then takes).
    /// </summary>
    private static void CombineBlock<TRows, TVectors>(ReadOnlySpan<double> m, int columns, ReadOnlySpan<double> a, Span<double> z, int n,
        PolynomialLeakyRelu? activation, Span<double> value, Span<double> derivative)
        where TRows : struct, IBlockCount where TVectors : struct, IBlockCount
    {
        int rows = TRows.Count, step = 8 * TVectors.Count;
        int blocked = n - n % step, wide = n - n % 8;
        var output = new Output(z, value, derivative, activation);
        int i = 0;
        for (; i < blocked; i += step) CombineVectors<TRows, TVectors>(m, columns, a, n, i, output);
        for (; i < wide; i += 8) CombineVectors<TRows, One>(m, columns, a, n, i, output);
        for (int r = 0; r < rows; r++)
        {
            for (i = wide; i < n; i++)
            {
                double s = 0.0;
                for (int k = 0; k < columns; k++) s = Math.FusedMultiplyAdd(m[r * columns + k], a[k * n + i], s);
                z[r * n + i] = s;
            }
            if (activation is not null && wide < n)
                activation.Evaluate<double>(z.Slice(r * n + wide, n - wide), value.Slice(r * n + wide, n - wide), derivative.Slice(r * n + wide, n - wide));
        }
    }

    /// <summary>Where a block's results go: Z, or σ(Z) and σ′(Z) of a polynomial leaky ReLU.</summary>
    private readonly ref struct Output
    {
        private readonly ref double _z;
        private readonly ref double _value;
        private readonly ref double _derivative;
        private readonly Vector512<double> _alpha;
        private readonly int _power; // 0: write Z

        public Output(Span<double> z, Span<double> value, Span<double> derivative, PolynomialLeakyRelu? activation)
        {
            _z = ref MemoryMarshal.GetReference(z);
            _value = ref MemoryMarshal.GetReference(value);
            _derivative = ref MemoryMarshal.GetReference(derivative);
            _alpha = Vector512.Create(activation?.Alpha ?? 0.0);
            _power = activation?.Power ?? 0;
        }

        /// <summary>Writes the 8 samples of Z at offset <paramref name="at"/>, or their σ and σ′.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Write(Vector512<double> s, int at)
        {
            if (_power == 0)
            {
                s.StoreUnsafe(ref _z, (nuint)at);
                return;
            }
            PolynomialLeakyRelu.Evaluate(s, _alpha, _power, out Vector512<double> v, out Vector512<double> d);
            v.StoreUnsafe(ref _value, (nuint)at);
            d.StoreUnsafe(ref _derivative, (nuint)at);
        }
    }

    /// <summary>
    /// TRows.Count rows × TVectors.Count vectors of 8 samples from sample <paramref name="i"/>: every chain
    /// s = fma(M[r, k], A[k, ·], s) in column order, in registers, then written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CombineVectors<TRows, TVectors>(ReadOnlySpan<double> m, int columns, ReadOnlySpan<double> a, int n, int i, in Output output)
        where TRows : struct, IBlockCount where TVectors : struct, IBlockCount
    {
        int rows = TRows.Count, vectors = TVectors.Count;
        ref double m0 = ref MemoryMarshal.GetReference(m);
        ref double ai = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), i);
        Vector512<double> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<double> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<double> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<double> s30 = default, s31 = default, s32 = default, s33 = default;
        for (int k = 0; k < columns; k++)
        {
            ref double ak = ref Unsafe.Add(ref ai, k * n);
            Vector512<double> x0 = Vector512.LoadUnsafe(ref ak);
            Vector512<double> x1 = vectors > 1 ? Vector512.LoadUnsafe(ref ak, 8) : default;
            Vector512<double> x2 = vectors > 2 ? Vector512.LoadUnsafe(ref ak, 16) : default;
            Vector512<double> x3 = vectors > 3 ? Vector512.LoadUnsafe(ref ak, 24) : default;
            FusedEach<TVectors>(Vector512.Create(Unsafe.Add(ref m0, k)), x0, x1, x2, x3, ref s00, ref s01, ref s02, ref s03);
            if (rows > 1) FusedEach<TVectors>(Vector512.Create(Unsafe.Add(ref m0, columns + k)), x0, x1, x2, x3, ref s10, ref s11, ref s12, ref s13);
            if (rows > 2) FusedEach<TVectors>(Vector512.Create(Unsafe.Add(ref m0, 2 * columns + k)), x0, x1, x2, x3, ref s20, ref s21, ref s22, ref s23);
            if (rows > 3) FusedEach<TVectors>(Vector512.Create(Unsafe.Add(ref m0, 3 * columns + k)), x0, x1, x2, x3, ref s30, ref s31, ref s32, ref s33);
        }
        WriteRow<TVectors>(output, i, s00, s01, s02, s03);
        if (rows > 1) WriteRow<TVectors>(output, n + i, s10, s11, s12, s13);
        if (rows > 2) WriteRow<TVectors>(output, 2 * n + i, s20, s21, s22, s23);
        if (rows > 3) WriteRow<TVectors>(output, 3 * n + i, s30, s31, s32, s33);
    }

    /// <summary>sᵢ = fma(xᵢ, c, sᵢ) for the first TCount.Count of four accumulators: one shared factor c (a broadcast
    /// coefficient, or a row chunk of A) against up to four vectors. The product is commutative and exact inside the fused
    /// operation, so the order of its factors does not change a bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FusedEach<TCount>(Vector512<double> c, Vector512<double> x0, Vector512<double> x1, Vector512<double> x2,
        Vector512<double> x3, ref Vector512<double> s0, ref Vector512<double> s1, ref Vector512<double> s2, ref Vector512<double> s3)
        where TCount : struct, IBlockCount
    {
        s0 = Vector512.FusedMultiplyAdd(x0, c, s0);
        if (TCount.Count > 1) s1 = Vector512.FusedMultiplyAdd(x1, c, s1);
        if (TCount.Count > 2) s2 = Vector512.FusedMultiplyAdd(x2, c, s2);
        if (TCount.Count > 3) s3 = Vector512.FusedMultiplyAdd(x3, c, s3);
    }

    /// <summary>One row's TVectors.Count vectors of a block, from offset <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteRow<TVectors>(in Output output, int at, Vector512<double> s0, Vector512<double> s1, Vector512<double> s2,
        Vector512<double> s3) where TVectors : struct, IBlockCount
    {
        output.Write(s0, at);
        if (TVectors.Count > 1) output.Write(s1, at + 8);
        if (TVectors.Count > 2) output.Write(s2, at + 16);
        if (TVectors.Count > 3) output.Write(s3, at + 24);
    }

    /// <summary>
    /// P[k, ·] = (Σ_j M[j, k]·G[j, ·]) ⊙ D[k, ·], the back-propagated signal of a hidden layer, in one pass: the bits of
    /// <see cref="FeatureMajorEvaluator.CombineRowsTransposed"/> (p = 0, then p = fma(M[j, k], g, p) for j in order)
    /// followed by <see cref="FeatureMajorEvaluator.Multiply"/>.
    /// </summary>
    public static void CombineRowsTransposedTimes(ReadOnlySpan<double> m, int rows, int columns, ReadOnlySpan<double> g,
        ReadOnlySpan<double> d, Span<double> p, int n)
    {
        if (m.Length < rows * columns || g.Length < rows * n || d.Length < columns * n || p.Length < columns * n)
            throw new ArgumentException("m, g, d, p: shorter than rows × columns, rows × n, columns × n, columns × n.");
        switch (rows)
        {
            case 1: CombineTransposedRows<One>(m, columns, g, d, p, n); return;
            case 2: CombineTransposedRows<Two>(m, columns, g, d, p, n); return;
            case 3: CombineTransposedRows<Three>(m, columns, g, d, p, n); return;
            case 4: CombineTransposedRows<Four>(m, columns, g, d, p, n); return;
        }
        int wide = n - n % 8;
        ref double g0 = ref MemoryMarshal.GetReference(g);
        ref double d0 = ref MemoryMarshal.GetReference(d);
        ref double p0 = ref MemoryMarshal.GetReference(p);
        for (int k = 0; k < columns; k++)
        {
            for (int i = 0; i < wide; i += 8)
            {
                Vector512<double> s = Vector512<double>.Zero;
                for (int j = 0; j < rows; j++)
                    s = Vector512.FusedMultiplyAdd(Vector512.Create(m[j * columns + k]), Vector512.LoadUnsafe(ref g0, (nuint)(j * n + i)), s);
                (s * Vector512.LoadUnsafe(ref d0, (nuint)(k * n + i))).StoreUnsafe(ref p0, (nuint)(k * n + i));
            }
            TransposedTail(m, rows, columns, g, d, p, n, k, wide);
        }
    }

    /// <summary><see cref="CombineRowsTransposedTimes"/> for TRows.Count ≤ 4 rows: column k's coefficients broadcast once,
    /// two vectors of samples per iteration.</summary>
    private static void CombineTransposedRows<TRows>(ReadOnlySpan<double> m, int columns, ReadOnlySpan<double> g, ReadOnlySpan<double> d,
        Span<double> p, int n) where TRows : struct, IBlockCount
    {
        int rows = TRows.Count, wide = n - n % 8, paired = n - n % 16;
        ref double g0 = ref MemoryMarshal.GetReference(g);
        ref double g1 = ref Unsafe.Add(ref g0, rows > 1 ? n : 0);
        ref double g2 = ref Unsafe.Add(ref g0, rows > 2 ? 2 * n : 0);
        ref double g3 = ref Unsafe.Add(ref g0, rows > 3 ? 3 * n : 0);
        for (int k = 0; k < columns; k++)
        {
            Vector512<double> b0 = Vector512.Create(m[k]);
            Vector512<double> b1 = rows > 1 ? Vector512.Create(m[columns + k]) : default;
            Vector512<double> b2 = rows > 2 ? Vector512.Create(m[2 * columns + k]) : default;
            Vector512<double> b3 = rows > 3 ? Vector512.Create(m[3 * columns + k]) : default;
            ref double dk = ref Unsafe.Add(ref MemoryMarshal.GetReference(d), k * n);
            ref double pk = ref Unsafe.Add(ref MemoryMarshal.GetReference(p), k * n);
            int i = 0;
            for (; i < paired; i += 16)
            {
                nuint at = (nuint)i, next = (nuint)(i + 8);
                Vector512<double> s = Vector512.FusedMultiplyAdd(b0, Vector512.LoadUnsafe(ref g0, at), Vector512<double>.Zero);
                Vector512<double> t = Vector512.FusedMultiplyAdd(b0, Vector512.LoadUnsafe(ref g0, next), Vector512<double>.Zero);
                if (rows > 1)
                {
                    s = Vector512.FusedMultiplyAdd(b1, Vector512.LoadUnsafe(ref g1, at), s);
                    t = Vector512.FusedMultiplyAdd(b1, Vector512.LoadUnsafe(ref g1, next), t);
                }
                if (rows > 2)
                {
                    s = Vector512.FusedMultiplyAdd(b2, Vector512.LoadUnsafe(ref g2, at), s);
                    t = Vector512.FusedMultiplyAdd(b2, Vector512.LoadUnsafe(ref g2, next), t);
                }
                if (rows > 3)
                {
                    s = Vector512.FusedMultiplyAdd(b3, Vector512.LoadUnsafe(ref g3, at), s);
                    t = Vector512.FusedMultiplyAdd(b3, Vector512.LoadUnsafe(ref g3, next), t);
                }
                (s * Vector512.LoadUnsafe(ref dk, at)).StoreUnsafe(ref pk, at);
                (t * Vector512.LoadUnsafe(ref dk, next)).StoreUnsafe(ref pk, next);
            }
            for (; i < wide; i += 8)
            {
                nuint at = (nuint)i;
                Vector512<double> s = Vector512.FusedMultiplyAdd(b0, Vector512.LoadUnsafe(ref g0, at), Vector512<double>.Zero);
                if (rows > 1) s = Vector512.FusedMultiplyAdd(b1, Vector512.LoadUnsafe(ref g1, at), s);
                if (rows > 2) s = Vector512.FusedMultiplyAdd(b2, Vector512.LoadUnsafe(ref g2, at), s);
                if (rows > 3) s = Vector512.FusedMultiplyAdd(b3, Vector512.LoadUnsafe(ref g3, at), s);
                (s * Vector512.LoadUnsafe(ref dk, at)).StoreUnsafe(ref pk, at);
            }
            TransposedTail(m, rows, columns, g, d, p, n, k, wide);
        }
    }

    /// <summary>Column k of <see cref="CombineRowsTransposedTimes"/> for the samples from <paramref name="from"/> on, one
    /// by one.</summary>
    private static void TransposedTail(ReadOnlySpan<double> m, int rows, int columns, ReadOnlySpan<double> g, ReadOnlySpan<double> d,
        Span<double> p, int n, int k, int from)
    {
        for (int i = from; i < n; i++)
        {
            double s = 0.0;
            for (int j = 0; j < rows; j++) s = Math.FusedMultiplyAdd(m[j * columns + k], g[j * n + i], s);
            p[k * n + i] = s * d[k * n + i];
        }
    }

    /// <summary>
    /// ∇W[j, k] = ⟨G[j, ·], A[k, ·]⟩ for every row j of G and row k of A, each with the bits of
    /// <see cref="DenseKernels.Dot{T}"/> (as <see cref="DenseKernels.DotRows"/> gives them row by row).
    /// </summary>
    /// <param name="signal">G, feature-major rows × n.</param>
    /// <param name="rows">Rows of G.</param>
    /// <param name="a">A, feature-major columns × n.</param>
    /// <param name="columns">Rows of A (the row length of the gradient block).</param>
    /// <param name="gradient">The gradient block, row-major rows × columns.</param>
    /// <param name="n">Samples.</param>
    public static void Gradient(ReadOnlySpan<double> signal, int rows, ReadOnlySpan<double> a, int columns, Span<double> gradient, int n)
    {
        if (signal.Length < rows * n || a.Length < columns * n || gradient.Length < rows * columns)
            throw new ArgumentException("signal, a, gradient: shorter than rows × n, columns × n, rows × columns.");
        int j = 0;
        if (n < 8)
        {
            // Dot's short inner products take no vectors.
            for (; j < rows; j++) DenseKernels.DotRows(signal.Slice(j * n, n), a, gradient.Slice(j * columns, columns));
            return;
        }
        // Blocks of up to four rows of G: each row of A is read once per block (from the second-level cache when the
        // layer's input is larger than the first), the rows of G once per four rows of A.
        for (; j + 3 < rows; j += 4) GradientRows<Four>(signal, j, a, columns, gradient, n);
        switch (rows - j)
        {
            case 3: GradientRows<Three>(signal, j, a, columns, gradient, n); break;
            case 2: GradientRows<Two>(signal, j, a, columns, gradient, n); break;
            case 1: GradientRows<One>(signal, j, a, columns, gradient, n); break;
        }
    }

    /// <summary><see cref="Gradient"/> for rows j … j + TRows.Count − 1 of G against four rows of A at a time.</summary>
    private static void GradientRows<TRows>(ReadOnlySpan<double> signal, int j, ReadOnlySpan<double> a, int columns, Span<double> gradient,
        int n) where TRows : struct, IBlockCount
    {
        int k = 0;
        for (; k + 3 < columns; k += 4) GradientBlock<TRows, Four>(signal, j, a, k, columns, gradient, n);
        switch (columns - k)
        {
            case 3: GradientBlock<TRows, Three>(signal, j, a, k, columns, gradient, n); break;
            case 2: GradientBlock<TRows, Two>(signal, j, a, k, columns, gradient, n); break;
            case 1: GradientBlock<TRows, One>(signal, j, a, k, columns, gradient, n); break;
        }
    }

    /// <summary>Sixteen 512-bit accumulators, row r of G against row c of A in element 4r + c.</summary>
    [InlineArray(16)]
    private struct Accumulators
    {
        private Vector512<double> _first;
    }

    /// <summary>Rows j … j + TRows.Count − 1 of G against rows k … k + TColumns.Count − 1 of A: the accumulators
    /// (<see cref="Accumulate{TRows, TColumns}"/>), then each finished as <see cref="DenseKernels.Dot{T}"/> finishes.</summary>
    private static void GradientBlock<TRows, TColumns>(ReadOnlySpan<double> signal, int j, ReadOnlySpan<double> a, int k, int columns,
        Span<double> gradient, int n) where TRows : struct, IBlockCount where TColumns : struct, IBlockCount
    {
        Accumulators sums = default;
        Accumulate<TRows, TColumns>(ref Unsafe.Add(ref MemoryMarshal.GetReference(signal), j * n),
            ref Unsafe.Add(ref MemoryMarshal.GetReference(a), k * n), n, ref sums);
        for (int r = 0; r < TRows.Count; r++)
        {
            ReadOnlySpan<double> row = signal.Slice((j + r) * n, n);
            for (int c = 0; c < TColumns.Count; c++)
                gradient[(j + r) * columns + k + c] = DenseKernels.FinishWide(row, a.Slice((k + c) * n, n), sums[4 * r + c]);
        }
    }

    /// <summary>
    /// The ⌊n/8⌋ fused multiply–adds of <see cref="DenseKernels.Dot{T}"/>'s accumulators for TRows.Count rows of G (from
    /// <paramref name="g0"/>) against TColumns.Count rows of A (from <paramref name="a0"/>), each row chunk loaded once for
    /// its products. Not inlined: its caller makes calls, and a vector register live across a call would be spilled in
    /// every iteration here.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Accumulate<TRows, TColumns>(ref double g0, ref double a0, int n, ref Accumulators sums)
        where TRows : struct, IBlockCount where TColumns : struct, IBlockCount
    {
        int rows = TRows.Count, block = TColumns.Count, vectors = n / 8;
        nuint n1 = (nuint)n, n2 = (nuint)(2 * n), n3 = (nuint)(3 * n);
        Vector512<double> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<double> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<double> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<double> s30 = default, s31 = default, s32 = default, s33 = default;
        for (int v = 0; v < vectors; v++)
        {
            nuint at = (nuint)(8 * v);
            Vector512<double> x0 = Vector512.LoadUnsafe(ref g0, at);
            Vector512<double> x1 = rows > 1 ? Vector512.LoadUnsafe(ref g0, n1 + at) : default;
            Vector512<double> x2 = rows > 2 ? Vector512.LoadUnsafe(ref g0, n2 + at) : default;
            Vector512<double> x3 = rows > 3 ? Vector512.LoadUnsafe(ref g0, n3 + at) : default;
            FusedEach<TRows>(Vector512.LoadUnsafe(ref a0, at), x0, x1, x2, x3, ref s00, ref s10, ref s20, ref s30);
            if (block > 1) FusedEach<TRows>(Vector512.LoadUnsafe(ref a0, n1 + at), x0, x1, x2, x3, ref s01, ref s11, ref s21, ref s31);
            if (block > 2) FusedEach<TRows>(Vector512.LoadUnsafe(ref a0, n2 + at), x0, x1, x2, x3, ref s02, ref s12, ref s22, ref s32);
            if (block > 3) FusedEach<TRows>(Vector512.LoadUnsafe(ref a0, n3 + at), x0, x1, x2, x3, ref s03, ref s13, ref s23, ref s33);
        }
        sums[0] = s00;
        sums[1] = s01;
        sums[2] = s02;
        sums[3] = s03;
        sums[4] = s10;
        sums[5] = s11;
        sums[6] = s12;
        sums[7] = s13;
        sums[8] = s20;
        sums[9] = s21;
        sums[10] = s22;
        sums[11] = s23;
        sums[12] = s30;
        sums[13] = s31;
        sums[14] = s32;
        sums[15] = s33;
    }
}
