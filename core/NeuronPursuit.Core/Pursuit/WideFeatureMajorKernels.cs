// SPDX-License-Identifier: MIT
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NeuronPursuit.Core.Models;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// The two hot kernels of <see cref="FeatureMajorEvaluator"/> on 512-bit vectors, with the bits of its
/// <see cref="Vector{T}"/> kernels (4 lanes of double): the pre-activations Z = M·A, and the weight gradient
/// ⟨G[j, ·], A[k, ·]⟩ of the first layer. The reference kernels define the semantics; these only regroup independent
/// operations.
/// <list type="bullet">
/// <item>Z[j, i] depends on sample i alone, so eight samples per vector give every element the same operations in the
/// same order: z = 0, then z += (a₀c₀ + a₁c₁) + (a₂c₂ + a₃c₃) for each group of four columns, then z = fma(c, a, z) for
/// each remaining column (<see cref="FeatureMajorEvaluator.CombineRows"/>). The sum stays in a register over all
/// columns instead of being loaded and stored once per group, and a block of up to four rows shares the loads of A.</item>
/// <item>An inner product is a sum with a lane structure: lane r of a 4-lane accumulator adds the products of samples
/// 4v + r in the order of v, then the lanes are summed (<see cref="Vector.Sum{T}(Vector{T})"/>) and the samples after
/// the last full chunk of four are added one by one. A 512-bit register holds two such accumulators, those of
/// columns k and k + 1 of the same row of G, fed by one row chunk of G broadcast to both halves and a chunk of A's rows
/// k and k + 1 stored side by side (<see cref="Interleave"/>, done once for the constant inputs).</item>
/// </list>
/// Used when <see cref="IsSupported"/>: 512-bit vectors are accelerated and <see cref="Vector{T}"/> has four doubles.
/// </summary>
internal static class WideFeatureMajorKernels
{
    /// <summary>Whether the machine runs 512-bit vectors natively and the reference kernels use 4-lane vectors.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Vector<double>.Count == 4;

    /// <summary>Columns of A that the paired inner products cover: the full groups of four (the reference kernel takes
    /// the others one by one, with <see cref="Numerics.DenseKernels.Dot{T}"/>).</summary>
    /// <param name="columns">Rows of A.</param>
    /// <returns>4·⌊columns/4⌋.</returns>
    public static int PairedColumns(int columns) => columns - columns % 4;

    /// <summary>Length of <see cref="Interleave"/>'s output: <see cref="PairedColumns"/> × 4⌊n/4⌋.</summary>
    /// <param name="columns">Rows of A.</param>
    /// <param name="n">Samples.</param>
    /// <returns>The number of doubles.</returns>
    public static int InterleavedLength(int columns, int n) => PairedColumns(columns) * (n - n % 4);

    /// <summary>
    /// A's rows 2p and 2p + 1 side by side in chunks of four samples: P[(p·⌊n/4⌋ + c)·8 + q] = A[2p, 4c + q] and
    /// P[(p·⌊n/4⌋ + c)·8 + 4 + q] = A[2p + 1, 4c + q], for the <see cref="PairedColumns"/> rows and the full chunks.
    /// </summary>
    /// <param name="a">A, feature-major columns × n.</param>
    /// <param name="columns">Rows of A.</param>
    /// <param name="n">Samples.</param>
    /// <param name="pairs">Receives <see cref="InterleavedLength"/> doubles.</param>
    public static void Interleave(ReadOnlySpan<double> a, int columns, int n, Span<double> pairs)
    {
        int chunks = n / 4;
        for (int p = 0; p < PairedColumns(columns) / 2; p++)
            for (int c = 0; c < chunks; c++)
            {
                a.Slice(2 * p * n + 4 * c, 4).CopyTo(pairs.Slice((p * chunks + c) * 8, 4));
                a.Slice((2 * p + 1) * n + 4 * c, 4).CopyTo(pairs.Slice((p * chunks + c) * 8 + 4, 4));
            }
    }

    /// <summary>Z[j, ·] = Σ_k M[j, k]·A[k, ·] for a row-major M (rows × columns) and feature-major A, Z: the bits of
    /// <see cref="FeatureMajorEvaluator.CombineRows"/>.</summary>
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
        PolynomialLeakyRelu? relu = activation as PolynomialLeakyRelu;
        bool fused = activation is null || relu is not null;
        for (int j = 0; j < rows; j += 4)
        {
            int count = Math.Min(4, rows - j);
            ReadOnlySpan<double> mj = m.Slice(j * columns, count * columns);
            Span<double> zj = z.Slice(j * n, count * n);
            Span<double> vj = relu is null ? default : value.Slice(j * n, count * n);
            Span<double> dj = relu is null ? default : derivative.Slice(j * n, count * n);
            switch (count)
            {
                case 4: CombineBlock<Four>(mj, columns, a, zj, n, relu, vj, dj); break;
                case 3: CombineBlock<Three>(mj, columns, a, zj, n, relu, vj, dj); break;
                case 2: CombineBlock<Two>(mj, columns, a, zj, n, relu, vj, dj); break;
                default: CombineBlock<One>(mj, columns, a, zj, n, relu, vj, dj); break;
            }
        }
        if (!fused) activation!.Evaluate<double>(z[..(rows * n)], value, derivative);
    }

    /// <summary>A block size known to the compiler, so that the block kernel has no branches on it.</summary>
    private interface IRows
    {
        static abstract int Count { get; }
    }

    private readonly struct One : IRows
    {
        public static int Count => 1;
    }

    private readonly struct Two : IRows
    {
        public static int Count => 2;
    }

    private readonly struct Three : IRows
    {
        public static int Count => 3;
    }

    private readonly struct Four : IRows
    {
        public static int Count => 4;
    }

    /// <summary>
    /// TRows.Count ≤ 4 rows of Z, sharing the loads of A, each sum kept in a register over all columns; with an
    /// activation, σ and σ′ of them instead of Z (Z only for the tail samples, which <see cref="IActivation.Evaluate{T}"/>
    /// then takes).
    /// </summary>
    private static void CombineBlock<TRows>(ReadOnlySpan<double> m, int columns, ReadOnlySpan<double> a, Span<double> z, int n,
        PolynomialLeakyRelu? activation, Span<double> value, Span<double> derivative) where TRows : struct, IRows
    {
        int rows = TRows.Count;
        int groups = columns / 4, wide = n - n % 8;
        ref double a0 = ref MemoryMarshal.GetReference(a);
        ref double z0 = ref MemoryMarshal.GetReference(z);
        ref double v0 = ref MemoryMarshal.GetReference(value);
        ref double d0 = ref MemoryMarshal.GetReference(derivative);
        Vector512<double> alpha = Vector512.Create(activation?.Alpha ?? 0.0);
        int power = activation?.Power ?? 1;
        int c1 = columns, c2 = 2 * columns, c3 = 3 * columns;
        for (int i = 0; i < wide; i += 8)
        {
            Vector512<double> s0 = Vector512<double>.Zero, s1 = Vector512<double>.Zero, s2 = Vector512<double>.Zero, s3 = Vector512<double>.Zero;
            for (int g = 0; g < groups; g++)
            {
                int k = 4 * g;
                Vector512<double> x0 = Vector512.LoadUnsafe(ref a0, (nuint)(k * n + i)), x1 = Vector512.LoadUnsafe(ref a0, (nuint)((k + 1) * n + i));
                Vector512<double> x2 = Vector512.LoadUnsafe(ref a0, (nuint)((k + 2) * n + i)), x3 = Vector512.LoadUnsafe(ref a0, (nuint)((k + 3) * n + i));
                s0 += (x0 * m[k] + x1 * m[k + 1]) + (x2 * m[k + 2] + x3 * m[k + 3]);
                if (rows > 1) s1 += (x0 * m[c1 + k] + x1 * m[c1 + k + 1]) + (x2 * m[c1 + k + 2] + x3 * m[c1 + k + 3]);
                if (rows > 2) s2 += (x0 * m[c2 + k] + x1 * m[c2 + k + 1]) + (x2 * m[c2 + k + 2] + x3 * m[c2 + k + 3]);
                if (rows > 3) s3 += (x0 * m[c3 + k] + x1 * m[c3 + k + 1]) + (x2 * m[c3 + k + 2] + x3 * m[c3 + k + 3]);
            }
            for (int k = 4 * groups; k < columns; k++)
            {
                Vector512<double> x = Vector512.LoadUnsafe(ref a0, (nuint)(k * n + i));
                s0 = Vector512.FusedMultiplyAdd(Vector512.Create(m[k]), x, s0);
                if (rows > 1) s1 = Vector512.FusedMultiplyAdd(Vector512.Create(m[c1 + k]), x, s1);
                if (rows > 2) s2 = Vector512.FusedMultiplyAdd(Vector512.Create(m[c2 + k]), x, s2);
                if (rows > 3) s3 = Vector512.FusedMultiplyAdd(Vector512.Create(m[c3 + k]), x, s3);
            }
            if (activation is null)
            {
                s0.StoreUnsafe(ref z0, (nuint)i);
                if (rows > 1) s1.StoreUnsafe(ref z0, (nuint)(n + i));
                if (rows > 2) s2.StoreUnsafe(ref z0, (nuint)(2 * n + i));
                if (rows > 3) s3.StoreUnsafe(ref z0, (nuint)(3 * n + i));
                continue;
            }
            Activate(s0, alpha, power, ref v0, ref d0, (nuint)i);
            if (rows > 1) Activate(s1, alpha, power, ref v0, ref d0, (nuint)(n + i));
            if (rows > 2) Activate(s2, alpha, power, ref v0, ref d0, (nuint)(2 * n + i));
            if (rows > 3) Activate(s3, alpha, power, ref v0, ref d0, (nuint)(3 * n + i));
        }
        for (int r = 0; r < rows; r++)
        {
            for (int i = wide; i < n; i++) z[r * n + i] = Scalar(m.Slice(r * columns, columns), columns, a, n, i);
            if (activation is not null && wide < n)
                activation.Evaluate<double>(z.Slice(r * n + wide, n - wide), value.Slice(r * n + wide, n - wide), derivative.Slice(r * n + wide, n - wide));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Activate(Vector512<double> z, Vector512<double> alpha, int power, ref double value, ref double derivative, nuint at)
    {
        PolynomialLeakyRelu.Evaluate(z, alpha, power, out Vector512<double> v, out Vector512<double> d);
        v.StoreUnsafe(ref value, at);
        d.StoreUnsafe(ref derivative, at);
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

    /// <summary>Z[i] for one sample, in the reference's order (its scalar tail).</summary>
    private static double Scalar(ReadOnlySpan<double> m, int columns, ReadOnlySpan<double> a, int n, int i)
    {
        double s = 0.0;
        int k = 0;
        for (; k + 3 < columns; k += 4)
            s += (a[k * n + i] * m[k] + a[(k + 1) * n + i] * m[k + 1]) + (a[(k + 2) * n + i] * m[k + 2] + a[(k + 3) * n + i] * m[k + 3]);
        for (; k < columns; k++) s = Math.FusedMultiplyAdd(m[k], a[k * n + i], s);
        return s;
    }

    /// <summary>
    /// ∇W[j, k] = ⟨G[j, ·], A[k, ·]⟩ for the <see cref="PairedColumns"/> columns k, with the bits of the reference's
    /// four-column inner products (DotFour): 4-lane sums of the products in chunk order, <see cref="Vector.Sum{T}(Vector{T})"/>,
    /// then the last n mod 4 samples one by one.
    /// </summary>
    /// <param name="signal">G, feature-major rows × n.</param>
    /// <param name="rows">Rows of G.</param>
    /// <param name="a">A, feature-major columns × n (for the tail samples).</param>
    /// <param name="pairs">A's rows interleaved by <see cref="Interleave"/>.</param>
    /// <param name="columns">Rows of A (the row length of the gradient block).</param>
    /// <param name="gradient">The gradient block, row-major rows × columns; the paired columns are written.</param>
    /// <param name="n">Samples.</param>
    public static void Gradient(ReadOnlySpan<double> signal, int rows, ReadOnlySpan<double> a, ReadOnlySpan<double> pairs, int columns,
        Span<double> gradient, int n)
    {
        int j = 0;
        for (; j + 1 < rows; j += 2) GradientRows<Two>(signal, j, a, pairs, columns, gradient, n);
        if (j < rows) GradientRows<One>(signal, j, a, pairs, columns, gradient, n);
    }

    /// <summary><see cref="Gradient"/> for row j of G and, when TRows.Count is 2, row j + 1: against up to four pairs of
    /// A's rows, eight accumulators, one broadcast chunk of G per four products. The count is known to the compiler, so a
    /// last single row computes no products for a second one.</summary>
    private static void GradientRows<TRows>(ReadOnlySpan<double> signal, int j, ReadOnlySpan<double> a, ReadOnlySpan<double> pairs,
        int columns, Span<double> gradient, int n) where TRows : struct, IRows
    {
        int chunks = n / 4, pairCount = PairedColumns(columns) / 2;
        ref double g0 = ref MemoryMarshal.GetReference(signal);
        ref double p0 = ref MemoryMarshal.GetReference(pairs);
        bool two = TRows.Count == 2;
        for (int p = 0; p < pairCount; p += 4)
        {
            int block = Math.Min(4, pairCount - p);
            Vector512<double> s00 = default, s01 = default, s02 = default, s03 = default;
            Vector512<double> s10 = default, s11 = default, s12 = default, s13 = default;
            nuint stride = (nuint)(chunks * 8);
            nuint b0 = (nuint)(p * chunks * 8);
            for (int c = 0; c < chunks; c++)
            {
                Vector512<double> x = Vector512.Create(Vector256.LoadUnsafe(ref g0, (nuint)(j * n + 4 * c)));
                Vector512<double> y = two ? Vector512.Create(Vector256.LoadUnsafe(ref g0, (nuint)((j + 1) * n + 4 * c))) : default;
                nuint at = b0 + (nuint)(8 * c);
                Vector512<double> q0 = Vector512.LoadUnsafe(ref p0, at);
                s00 += x * q0;
                if (two) s10 += y * q0;
                if (block > 1)
                {
                    Vector512<double> q1 = Vector512.LoadUnsafe(ref p0, at + stride);
                    s01 += x * q1;
                    if (two) s11 += y * q1;
                }
                if (block > 2)
                {
                    Vector512<double> q2 = Vector512.LoadUnsafe(ref p0, at + 2 * stride);
                    s02 += x * q2;
                    if (two) s12 += y * q2;
                }
                if (block > 3)
                {
                    Vector512<double> q3 = Vector512.LoadUnsafe(ref p0, at + 3 * stride);
                    s03 += x * q3;
                    if (two) s13 += y * q3;
                }
            }
            Finish(s00, j, 2 * p, signal, a, columns, gradient, n);
            if (block > 1) Finish(s01, j, 2 * p + 2, signal, a, columns, gradient, n);
            if (block > 2) Finish(s02, j, 2 * p + 4, signal, a, columns, gradient, n);
            if (block > 3) Finish(s03, j, 2 * p + 6, signal, a, columns, gradient, n);
            if (!two) continue;
            Finish(s10, j + 1, 2 * p, signal, a, columns, gradient, n);
            if (block > 1) Finish(s11, j + 1, 2 * p + 2, signal, a, columns, gradient, n);
            if (block > 2) Finish(s12, j + 1, 2 * p + 4, signal, a, columns, gradient, n);
            if (block > 3) Finish(s13, j + 1, 2 * p + 6, signal, a, columns, gradient, n);
        }
    }

    /// <summary>The two inner products of one accumulator pair (columns k, k + 1 of row j): lane sums, then the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(Vector512<double> s, int j, int k, ReadOnlySpan<double> signal, ReadOnlySpan<double> a, int columns,
        Span<double> gradient, int n)
    {
        double r0 = Vector.Sum(s.GetLower().AsVector()), r1 = Vector.Sum(s.GetUpper().AsVector());
        for (int i = n - n % 4; i < n; i++)
        {
            r0 += signal[j * n + i] * a[k * n + i];
            r1 += signal[j * n + i] * a[(k + 1) * n + i];
        }
        gradient[j * columns + k] = r0;
        gradient[j * columns + k + 1] = r1;
    }
}
