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
/// the samples of a vector get the same operations. A block of 8 chains, rows × vectors of samples, stays in registers
/// over all columns and shares the loads of A and the broadcasts of M: the chains overlap in the pipeline, which one
/// chain of dependent fused multiply–adds per element would not.</item>
/// <item>The weight gradient ⟨G[j, ·], A[k, ·]⟩ is <see cref="DenseKernels.Dot{T}"/>'s inner product (an 8-lane
/// accumulator of fused multiply–adds over vectors of 8 samples, then its finish), for two rows of G against up to four
/// rows of A at once: eight independent accumulators sharing their loads.</item>
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
            // Eight chains per block: four rows × two vectors of samples, or up to two rows × four vectors.
            switch (count)
            {
                case 4: CombineBlock<Four, Two>(mj, columns, a, zj, n, relu, vj, dj); break;
                case 3: CombineBlock<Three, Two>(mj, columns, a, zj, n, relu, vj, dj); break;
                case 2: CombineBlock<Two, Four>(mj, columns, a, zj, n, relu, vj, dj); break;
                default: CombineBlock<One, Four>(mj, columns, a, zj, n, relu, vj, dj); break;
            }
        }
        if (!fused) activation!.Evaluate<double>(z[..(rows * n)], value, derivative);
    }

    /// <summary>A count known to the compiler (rows of a block, vectors of samples), so that the block kernels have no
    /// branches on it.</summary>
    private interface ICount
    {
        static abstract int Count { get; }
    }

    private readonly struct One : ICount
    {
        public static int Count => 1;
    }

    private readonly struct Two : ICount
    {
        public static int Count => 2;
    }

    private readonly struct Three : ICount
    {
        public static int Count => 3;
    }

    private readonly struct Four : ICount
    {
        public static int Count => 4;
    }

    /// <summary>
    /// TRows.Count ≤ 4 rows of Z: blocks of TVectors.Count vectors of 8 samples, then single vectors, then the samples
    /// after the last full vector one by one; with an activation, σ and σ′ of them instead of Z (Z only for the tail
    /// samples, which <see cref="IActivation.Evaluate{T}"/> then takes).
    /// </summary>
    private static void CombineBlock<TRows, TVectors>(ReadOnlySpan<double> m, int columns, ReadOnlySpan<double> a, Span<double> z, int n,
        PolynomialLeakyRelu? activation, Span<double> value, Span<double> derivative)
        where TRows : struct, ICount where TVectors : struct, ICount
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
        where TRows : struct, ICount where TVectors : struct, ICount
    {
        int rows = TRows.Count, vectors = TVectors.Count;
        ref double m0 = ref MemoryMarshal.GetReference(m);
        ref double ai = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), i);
        Vector512<double> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<double> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<double> s20 = default, s21 = default, s30 = default, s31 = default;
        for (int k = 0; k < columns; k++)
        {
            ref double ak = ref Unsafe.Add(ref ai, k * n);
            Vector512<double> x0 = Vector512.LoadUnsafe(ref ak);
            Vector512<double> x1 = vectors > 1 ? Vector512.LoadUnsafe(ref ak, 8) : default;
            Vector512<double> x2 = vectors > 2 ? Vector512.LoadUnsafe(ref ak, 16) : default;
            Vector512<double> x3 = vectors > 3 ? Vector512.LoadUnsafe(ref ak, 24) : default;
            Vector512<double> b = Vector512.Create(Unsafe.Add(ref m0, k));
            s00 = Vector512.FusedMultiplyAdd(b, x0, s00);
            if (vectors > 1) s01 = Vector512.FusedMultiplyAdd(b, x1, s01);
            if (vectors > 2) s02 = Vector512.FusedMultiplyAdd(b, x2, s02);
            if (vectors > 3) s03 = Vector512.FusedMultiplyAdd(b, x3, s03);
            if (rows > 1)
            {
                b = Vector512.Create(Unsafe.Add(ref m0, columns + k));
                s10 = Vector512.FusedMultiplyAdd(b, x0, s10);
                if (vectors > 1) s11 = Vector512.FusedMultiplyAdd(b, x1, s11);
                if (vectors > 2) s12 = Vector512.FusedMultiplyAdd(b, x2, s12);
                if (vectors > 3) s13 = Vector512.FusedMultiplyAdd(b, x3, s13);
            }
            // Three or four rows come with at most two vectors (eight chains).
            if (rows > 2)
            {
                b = Vector512.Create(Unsafe.Add(ref m0, 2 * columns + k));
                s20 = Vector512.FusedMultiplyAdd(b, x0, s20);
                if (vectors > 1) s21 = Vector512.FusedMultiplyAdd(b, x1, s21);
            }
            if (rows > 3)
            {
                b = Vector512.Create(Unsafe.Add(ref m0, 3 * columns + k));
                s30 = Vector512.FusedMultiplyAdd(b, x0, s30);
                if (vectors > 1) s31 = Vector512.FusedMultiplyAdd(b, x1, s31);
            }
        }
        output.Write(s00, i);
        if (vectors > 1) output.Write(s01, i + 8);
        if (vectors > 2) output.Write(s02, i + 16);
        if (vectors > 3) output.Write(s03, i + 24);
        if (rows > 1)
        {
            output.Write(s10, n + i);
            if (vectors > 1) output.Write(s11, n + i + 8);
            if (vectors > 2) output.Write(s12, n + i + 16);
            if (vectors > 3) output.Write(s13, n + i + 24);
        }
        if (rows > 2)
        {
            output.Write(s20, 2 * n + i);
            if (vectors > 1) output.Write(s21, 2 * n + i + 8);
        }
        if (rows > 3)
        {
            output.Write(s30, 3 * n + i);
            if (vectors > 1) output.Write(s31, 3 * n + i + 8);
        }
    }

    /// <summary>
    /// P[k, ·] = (Σ_j M[j, k]·G[j, ·]) ⊙ D[k, ·], the back-propagated signal of a hidden layer, in one pass: the bits of
    /// <see cref="FeatureMajorEvaluator.CombineRowsTransposed"/> (p = 0, then p = fma(M[j, k], g, p) for j in order)
    /// followed by <see cref="FeatureMajorEvaluator.Multiply"/>.
    /// </summary>
    public static void CombineRowsTransposedTimes(ReadOnlySpan<double> m, int rows, int columns, ReadOnlySpan<double> g,
        ReadOnlySpan<double> d, Span<double> p, int n)
    {
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
            for (int i = wide; i < n; i++)
            {
                double s = 0.0;
                for (int j = 0; j < rows; j++) s = Math.FusedMultiplyAdd(m[j * columns + k], g[j * n + i], s);
                p[k * n + i] = s * d[k * n + i];
            }
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
        for (; j + 1 < rows; j += 2) GradientRows<Two>(signal, j, a, columns, gradient, n);
        if (j < rows) GradientRows<One>(signal, j, a, columns, gradient, n);
    }

    /// <summary><see cref="Gradient"/> for row j of G and, when TRows.Count is 2, row j + 1, against four rows of A at a
    /// time.</summary>
    private static void GradientRows<TRows>(ReadOnlySpan<double> signal, int j, ReadOnlySpan<double> a, int columns, Span<double> gradient,
        int n) where TRows : struct, ICount
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

    /// <summary>Eight 512-bit accumulators, kept apart from the loop's registers so that none is live across the
    /// finishing calls (a vector register live across a call would be spilled in every iteration).</summary>
    [InlineArray(8)]
    private struct Accumulators
    {
        private Vector512<double> _first;
    }

    /// <summary>Rows j (and j + 1 when TRows.Count is 2) of G against rows k … k + TColumns.Count − 1 of A: up to eight
    /// accumulators, each row chunk loaded once for its two or four products, then each finished as
    /// <see cref="DenseKernels.Dot{T}"/> finishes.</summary>
    private static void GradientBlock<TRows, TColumns>(ReadOnlySpan<double> signal, int j, ReadOnlySpan<double> a, int k, int columns,
        Span<double> gradient, int n) where TRows : struct, ICount where TColumns : struct, ICount
    {
        bool two = TRows.Count == 2;
        int block = TColumns.Count, vectors = n / 8;
        ref double g0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(signal), j * n);
        ref double g1 = ref Unsafe.Add(ref g0, two ? n : 0);
        ref double a0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), k * n);
        nuint n1 = (nuint)n, n2 = (nuint)(2 * n), n3 = (nuint)(3 * n);
        Vector512<double> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<double> s10 = default, s11 = default, s12 = default, s13 = default;
        for (int v = 0; v < vectors; v++)
        {
            nuint at = (nuint)(8 * v);
            Vector512<double> x = Vector512.LoadUnsafe(ref g0, at);
            Vector512<double> y = two ? Vector512.LoadUnsafe(ref g1, at) : default;
            Vector512<double> q = Vector512.LoadUnsafe(ref a0, at);
            s00 = Vector512.FusedMultiplyAdd(x, q, s00);
            if (two) s10 = Vector512.FusedMultiplyAdd(y, q, s10);
            if (block > 1)
            {
                q = Vector512.LoadUnsafe(ref a0, n1 + at);
                s01 = Vector512.FusedMultiplyAdd(x, q, s01);
                if (two) s11 = Vector512.FusedMultiplyAdd(y, q, s11);
            }
            if (block > 2)
            {
                q = Vector512.LoadUnsafe(ref a0, n2 + at);
                s02 = Vector512.FusedMultiplyAdd(x, q, s02);
                if (two) s12 = Vector512.FusedMultiplyAdd(y, q, s12);
            }
            if (block > 3)
            {
                q = Vector512.LoadUnsafe(ref a0, n3 + at);
                s03 = Vector512.FusedMultiplyAdd(x, q, s03);
                if (two) s13 = Vector512.FusedMultiplyAdd(y, q, s13);
            }
        }
        Accumulators sums = default;
        sums[0] = s00;
        sums[1] = s01;
        sums[2] = s02;
        sums[3] = s03;
        sums[4] = s10;
        sums[5] = s11;
        sums[6] = s12;
        sums[7] = s13;
        for (int r = 0; r < TRows.Count; r++)
        {
            ReadOnlySpan<double> row = signal.Slice((j + r) * n, n);
            for (int c = 0; c < block; c++)
                gradient[(j + r) * columns + k + c] = DenseKernels.FinishWide(row, a.Slice((k + c) * n, n), sums[4 * r + c]);
        }
    }
}
