// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// The two matrix products of a network's forward and backward passes on feature-major blocks (row r holds one
/// neuron's or input's values on all samples, the samples contiguous), register-tiled for SIMD vectors of the
/// widest native width (<see cref="Simd512"/> where AVX-512 runs, else <see cref="Simd256"/>), with fused
/// multiply–adds and no allocation:
/// <list type="bullet">
/// <item><see cref="CombineRows"/>: Z = C·A, each row of Z a combination of rows of A (pre-activations
/// Z_l = W_l A_{l−1}, back-propagated signals W_lᵀ G_l); a tile of 6 rows × 3 vectors of samples keeps 18
/// accumulators in registers and loads each vector of A once per six rows.</item>
/// <item><see cref="InnerProducts"/>: C = G·Aᵀ, the inner products of every row of G with every row of A over the
/// samples (weight gradients ∇W_l = G_l A_{l−1}ᵀ); a tile of 4 × 6 rows keeps 24 vector accumulators, summed
/// across lanes once at the end.</item>
/// </list>
/// Each block has its own distance between rows, and the number of samples is a multiple of
/// <see cref="SampleMultiple"/>: callers pad the samples with zeros. The summation order of each output element is
/// fixed by the shapes and the vector width alone (inner products: lane-wise over the vectors in order, then
/// <see cref="ISimdDouble{TSelf}.Sum"/>), so results do not depend on anything else; they differ from the generic
/// loops of <see cref="DenseKernels"/> by rounding only (both are backward stable). Both kernels are blocked for the
/// caches (the inner dimension of <see cref="CombineRows"/> in blocks of 256, the samples of
/// <see cref="InnerProducts"/> in blocks of 1 MB of A, at least 16 vectors) so that large layers stream from cache, not
/// memory. The row combination can finish each tile while it is in cache (<see cref="ITileEpilogue{TV}"/>: the
/// activation and its derivative, the network's readout, the product by σ′ of the backward pass).
/// </summary>
internal static class FeatureMajorKernels
{
    /// <summary>Sample counts are padded to a multiple of this (the lanes of the widest vector).</summary>
    internal const int SampleMultiple = 8;

    /// <summary>Lanes of the vectors the kernels use on this processor.</summary>
    internal static int Lanes => Simd512.IsSupported ? Simd512.Count : Simd256.Count;

    /// <summary>The width name for reports: "512-bit" or "256-bit".</summary>
    internal static string Width => Simd512.IsSupported ? "512-bit" : "256-bit";

    /// <summary>n rounded up to a multiple of <see cref="SampleMultiple"/>.</summary>
    internal static int Padded(int n) => (n + SampleMultiple - 1) / SampleMultiple * SampleMultiple;

    /// <summary>
    /// Z[r, ·] = Σₖ c(r, k)·A[k, ·] (or += when <paramref name="accumulate"/>) for r &lt; rows, k &lt; inner, over
    /// <paramref name="samples"/> samples (a multiple of <see cref="SampleMultiple"/>), where
    /// c(r, k) = coefficients[r·rowStride + k·columnStride] (row-major M: strides (inner, 1); its transpose:
    /// (1, rows of M)). Row k of A starts at a[k·lda] and row r of Z at z[r·ldz].
    /// </summary>
    internal static void CombineRows(ReadOnlySpan<double> coefficients, int rowStride, int columnStride, int rows, int inner,
        ReadOnlySpan<double> a, int lda, Span<double> z, int ldz, int samples, bool accumulate)
    {
        ref double c = ref MemoryMarshal.GetReference(coefficients);
        ref double aRef = ref MemoryMarshal.GetReference(a);
        ref double zRef = ref MemoryMarshal.GetReference(z);
        if (Simd512.IsSupported) CombineRows<Simd512, KeepTile<Simd512>>(ref c, rowStride, columnStride, rows, inner, ref aRef, lda, ref zRef, ldz, samples / Simd512.Count, accumulate, default);
        else CombineRows<Simd256, KeepTile<Simd256>>(ref c, rowStride, columnStride, rows, inner, ref aRef, lda, ref zRef, ldz, samples / Simd256.Count, accumulate, default);
    }

    /// <summary>
    /// Z = (C·A) ⊙ F: <see cref="CombineRows"/> (without accumulation) with each finished tile multiplied by the same
    /// tile of <paramref name="factors"/> (Z's layout) while it is in cache; the same bits as the product followed by
    /// <see cref="MultiplyInPlace"/> on each row.
    /// </summary>
    internal static void CombineRowsScaled(ReadOnlySpan<double> coefficients, int rowStride, int columnStride, int rows, int inner,
        ReadOnlySpan<double> a, int lda, Span<double> z, int ldz, int samples, ReadOnlySpan<double> factors)
    {
        ref double c = ref MemoryMarshal.GetReference(coefficients);
        ref double aRef = ref MemoryMarshal.GetReference(a);
        ref double zRef = ref MemoryMarshal.GetReference(z);
        if (Simd512.IsSupported) CombineRows<Simd512, ScaleTile<Simd512>>(ref c, rowStride, columnStride, rows, inner, ref aRef, lda, ref zRef, ldz, samples / Simd512.Count, false, new(factors));
        else CombineRows<Simd256, ScaleTile<Simd256>>(ref c, rowStride, columnStride, rows, inner, ref aRef, lda, ref zRef, ldz, samples / Simd256.Count, false, new(factors));
    }

    /// <summary>
    /// Z = C·A (without accumulation), then from each finished tile, while it is in cache, A' = σ(Z) into <paramref name="values"/> and
    /// D = σ′(Z) into <paramref name="derivatives"/> (Z's layout) for σ(z) = max(z, αz)ᵖ, and, when
    /// <paramref name="readout"/> is given, h[outputOffset + i] = Σⱼ readout[readoutOffset + j]·σ(Z[j, i]) (the network's
    /// output, one row combination fused into the same sweep). The same bits as the product, the activation's own
    /// double loop on each row, and <see cref="CombineRows"/> of the readout (see <see cref="ActivateTile{TV}"/>).
    /// </summary>
    internal static void CombineRowsActivated(ReadOnlySpan<double> coefficients, int rowStride, int columnStride, int rows, int inner,
        ReadOnlySpan<double> a, int lda, Span<double> z, int ldz, int samples, double alpha, int power, Span<double> values, Span<double> derivatives,
        ReadOnlySpan<double> readout, int readoutOffset, Span<double> outputs, int outputOffset)
    {
        ref double c = ref MemoryMarshal.GetReference(coefficients);
        ref double aRef = ref MemoryMarshal.GetReference(a);
        ref double zRef = ref MemoryMarshal.GetReference(z);
        if (Simd512.IsSupported)
            CombineRows<Simd512, ActivateTile<Simd512>>(ref c, rowStride, columnStride, rows, inner, ref aRef, lda, ref zRef, ldz, samples / Simd512.Count, false,
                new(alpha, power, values, derivatives, readout, readoutOffset, outputs, outputOffset));
        else
            CombineRows<Simd256, ActivateTile<Simd256>>(ref c, rowStride, columnStride, rows, inner, ref aRef, lda, ref zRef, ldz, samples / Simd256.Count, false,
                new(alpha, power, values, derivatives, readout, readoutOffset, outputs, outputOffset));
    }

    /// <summary>
    /// C[r·ldc + s] = Σᵢ G[r, i]·A[s, i] (or += when <paramref name="accumulate"/>) for r &lt; rowsG, s &lt; rowsA,
    /// over <paramref name="samples"/> samples (a multiple of <see cref="SampleMultiple"/>); row r of G starts at
    /// g[r·ldg], row s of A at a[s·lda].
    /// </summary>
    internal static void InnerProducts(ReadOnlySpan<double> g, int rowsG, int ldg, ReadOnlySpan<double> a, int rowsA, int lda, int samples,
        Span<double> c, int ldc, bool accumulate)
    {
        ref double gRef = ref MemoryMarshal.GetReference(g);
        ref double aRef = ref MemoryMarshal.GetReference(a);
        ref double cRef = ref MemoryMarshal.GetReference(c);
        if (Simd512.IsSupported) InnerProducts<Simd512>(ref gRef, rowsG, ldg, ref aRef, rowsA, lda, samples / Simd512.Count, ref cRef, ldc, accumulate);
        else InnerProducts<Simd256>(ref gRef, rowsG, ldg, ref aRef, rowsA, lda, samples / Simd256.Count, ref cRef, ldc, accumulate);
    }

    /// <summary>x ← x ⊙ y over <paramref name="length"/> elements (a multiple of <see cref="SampleMultiple"/>).</summary>
    internal static void MultiplyInPlace(Span<double> x, ReadOnlySpan<double> y, int length)
    {
        ref double xRef = ref MemoryMarshal.GetReference(x);
        ref double yRef = ref MemoryMarshal.GetReference(y);
        if (Simd512.IsSupported) MultiplyInPlace<Simd512>(ref xRef, ref yRef, length);
        else MultiplyInPlace<Simd256>(ref xRef, ref yRef, length);
    }

    private static void MultiplyInPlace<TV>(ref double x, ref double y, int length) where TV : struct, ISimdDouble<TV>
    {
        for (nuint k = 0; k < (nuint)length; k += (nuint)TV.Count)
            TV.Store(TV.Multiply(TV.Load(ref x, k), TV.Load(ref y, k)), ref x, k);
    }

    /// <summary>Rows of A per block of the inner dimension: a block of A for one tile of samples stays in the first-level cache.</summary>
    private const int InnerBlock = 256;

    /// <summary>
    /// Doubles of A per block of samples of <see cref="InnerProducts"/> (1 MB, half a second-level cache): the block of
    /// every row of A stays in that cache while the tiles of G sweep it. Small A (few rows) gets long blocks, so that
    /// each output is summed across lanes once per block, not once per few vectors.
    /// </summary>
    private const int SampleBlockBudget = 128 * 1024;

    /// <summary>The fewest vectors of samples per block of <see cref="InnerProducts"/>.</summary>
    private const int SampleBlockVectors = 16;

    private static void CombineRows<TV, TE>(ref double c, nint rowStride, nint columnStride, int rows, int inner,
        ref double a, nint lda, ref double z, nint ldz, int vectors, bool accumulate, TE epilogue)
        where TV : struct, ISimdDouble<TV> where TE : struct, ITileEpilogue<TV>, allows ref struct
    {
        // Blocks of the inner dimension (each element's chain of multiply–adds runs in order across the blocks,
        // through Z), then tiles of 3 vectors of samples, then tiles of 6 rows: the block of A for one tile of
        // samples is reused by every row tile while it is in cache. In the last block the epilogue finishes each
        // tile right after it is stored, while it is in the first-level cache.
        for (int k0 = 0; k0 < inner || k0 == 0; k0 += InnerBlock)
        {
            int length = Math.Min(InnerBlock, inner - k0);
            bool add = accumulate || k0 > 0;
            bool last = k0 + InnerBlock >= inner;
            ref double ck = ref Unsafe.Add(ref c, k0 * columnStride);
            ref double ak = ref Unsafe.Add(ref a, k0 * lda);
            int v = 0;
            for (; v + 2 < vectors; v += 3)
            {
                ref double av = ref Unsafe.Add(ref ak, v * TV.Count);
                int r = 0;
                for (; r + 5 < rows; r += 6)
                    CombineTile6x3<TV, TE>(ref Unsafe.Add(ref ck, r * rowStride), rowStride, columnStride, length, ref av, lda, ref z, r * ldz + v * TV.Count, ldz, add, r, last, ref epilogue);
                for (; r < rows; r++)
                    CombineTile1x3<TV, TE>(ref Unsafe.Add(ref ck, r * rowStride), columnStride, length, ref av, lda, ref z, r * ldz + v * TV.Count, ldz, add, r, last, ref epilogue);
            }
            for (; v < vectors; v++)
            {
                ref double av = ref Unsafe.Add(ref ak, v * TV.Count);
                int r = 0;
                for (; r + 5 < rows; r += 6)
                    CombineTile6x1<TV, TE>(ref Unsafe.Add(ref ck, r * rowStride), rowStride, columnStride, length, ref av, lda, ref z, r * ldz + v * TV.Count, ldz, add, r, last, ref epilogue);
                for (; r < rows; r++)
                    CombineTile1x1<TV, TE>(ref Unsafe.Add(ref ck, r * rowStride), columnStride, length, ref av, lda, ref z, r * ldz + v * TV.Count, ldz, add, r, last, ref epilogue);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Start<TV>(ref double z, nint offset, bool accumulate) where TV : struct, ISimdDouble<TV> =>
        accumulate ? TV.Load(ref z, (nuint)offset) : TV.Zero;

    private static void CombineTile6x3<TV, TE>(ref double c, nint rs, nint cs, int inner, ref double a, nint lda, ref double z, nint origin, nint ld, bool accumulate, int row, bool finish, ref TE e)
        where TV : struct, ISimdDouble<TV> where TE : struct, ITileEpilogue<TV>, allows ref struct
    {
        nint w = TV.Count;
        TV z00 = Start<TV>(ref z, origin, accumulate), z01 = Start<TV>(ref z, origin + w, accumulate), z02 = Start<TV>(ref z, origin + 2 * w, accumulate);
        TV z10 = Start<TV>(ref z, origin + ld, accumulate), z11 = Start<TV>(ref z, origin + ld + w, accumulate), z12 = Start<TV>(ref z, origin + ld + 2 * w, accumulate);
        TV z20 = Start<TV>(ref z, origin + 2 * ld, accumulate), z21 = Start<TV>(ref z, origin + 2 * ld + w, accumulate), z22 = Start<TV>(ref z, origin + 2 * ld + 2 * w, accumulate);
        TV z30 = Start<TV>(ref z, origin + 3 * ld, accumulate), z31 = Start<TV>(ref z, origin + 3 * ld + w, accumulate), z32 = Start<TV>(ref z, origin + 3 * ld + 2 * w, accumulate);
        TV z40 = Start<TV>(ref z, origin + 4 * ld, accumulate), z41 = Start<TV>(ref z, origin + 4 * ld + w, accumulate), z42 = Start<TV>(ref z, origin + 4 * ld + 2 * w, accumulate);
        TV z50 = Start<TV>(ref z, origin + 5 * ld, accumulate), z51 = Start<TV>(ref z, origin + 5 * ld + w, accumulate), z52 = Start<TV>(ref z, origin + 5 * ld + 2 * w, accumulate);
        for (int k = 0; k < inner; k++)
        {
            ref double ak = ref Unsafe.Add(ref a, k * lda);
            TV a0 = TV.Load(ref ak, 0), a1 = TV.Load(ref ak, (nuint)w), a2 = TV.Load(ref ak, (nuint)(2 * w));
            ref double ck = ref Unsafe.Add(ref c, k * cs);
            TV b = TV.Broadcast(ck);
            z00 = TV.MultiplyAdd(b, a0, z00); z01 = TV.MultiplyAdd(b, a1, z01); z02 = TV.MultiplyAdd(b, a2, z02);
            b = TV.Broadcast(Unsafe.Add(ref ck, rs));
            z10 = TV.MultiplyAdd(b, a0, z10); z11 = TV.MultiplyAdd(b, a1, z11); z12 = TV.MultiplyAdd(b, a2, z12);
            b = TV.Broadcast(Unsafe.Add(ref ck, 2 * rs));
            z20 = TV.MultiplyAdd(b, a0, z20); z21 = TV.MultiplyAdd(b, a1, z21); z22 = TV.MultiplyAdd(b, a2, z22);
            b = TV.Broadcast(Unsafe.Add(ref ck, 3 * rs));
            z30 = TV.MultiplyAdd(b, a0, z30); z31 = TV.MultiplyAdd(b, a1, z31); z32 = TV.MultiplyAdd(b, a2, z32);
            b = TV.Broadcast(Unsafe.Add(ref ck, 4 * rs));
            z40 = TV.MultiplyAdd(b, a0, z40); z41 = TV.MultiplyAdd(b, a1, z41); z42 = TV.MultiplyAdd(b, a2, z42);
            b = TV.Broadcast(Unsafe.Add(ref ck, 5 * rs));
            z50 = TV.MultiplyAdd(b, a0, z50); z51 = TV.MultiplyAdd(b, a1, z51); z52 = TV.MultiplyAdd(b, a2, z52);
        }
        TV.Store(z00, ref z, (nuint)(origin)); TV.Store(z01, ref z, (nuint)(origin + w)); TV.Store(z02, ref z, (nuint)(origin + (2 * w)));
        TV.Store(z10, ref z, (nuint)(origin + ld)); TV.Store(z11, ref z, (nuint)(origin + (ld + w))); TV.Store(z12, ref z, (nuint)(origin + (ld + 2 * w)));
        TV.Store(z20, ref z, (nuint)(origin + (2 * ld))); TV.Store(z21, ref z, (nuint)(origin + (2 * ld + w))); TV.Store(z22, ref z, (nuint)(origin + (2 * ld + 2 * w)));
        TV.Store(z30, ref z, (nuint)(origin + (3 * ld))); TV.Store(z31, ref z, (nuint)(origin + (3 * ld + w))); TV.Store(z32, ref z, (nuint)(origin + (3 * ld + 2 * w)));
        TV.Store(z40, ref z, (nuint)(origin + (4 * ld))); TV.Store(z41, ref z, (nuint)(origin + (4 * ld + w))); TV.Store(z42, ref z, (nuint)(origin + (4 * ld + 2 * w)));
        TV.Store(z50, ref z, (nuint)(origin + (5 * ld))); TV.Store(z51, ref z, (nuint)(origin + (5 * ld + w))); TV.Store(z52, ref z, (nuint)(origin + (5 * ld + 2 * w)));
        if (finish) e.Apply(ref z, origin, ld, row, 6, 3);
    }

    private static void CombineTile6x1<TV, TE>(ref double c, nint rs, nint cs, int inner, ref double a, nint lda, ref double z, nint origin, nint ld, bool accumulate, int row, bool finish, ref TE e)
        where TV : struct, ISimdDouble<TV> where TE : struct, ITileEpilogue<TV>, allows ref struct
    {
        TV z0 = Start<TV>(ref z, origin, accumulate), z1 = Start<TV>(ref z, origin + ld, accumulate), z2 = Start<TV>(ref z, origin + 2 * ld, accumulate);
        TV z3 = Start<TV>(ref z, origin + 3 * ld, accumulate), z4 = Start<TV>(ref z, origin + 4 * ld, accumulate), z5 = Start<TV>(ref z, origin + 5 * ld, accumulate);
        for (int k = 0; k < inner; k++)
        {
            TV ak = TV.Load(ref Unsafe.Add(ref a, k * lda), 0);
            ref double ck = ref Unsafe.Add(ref c, k * cs);
            z0 = TV.MultiplyAdd(TV.Broadcast(ck), ak, z0);
            z1 = TV.MultiplyAdd(TV.Broadcast(Unsafe.Add(ref ck, rs)), ak, z1);
            z2 = TV.MultiplyAdd(TV.Broadcast(Unsafe.Add(ref ck, 2 * rs)), ak, z2);
            z3 = TV.MultiplyAdd(TV.Broadcast(Unsafe.Add(ref ck, 3 * rs)), ak, z3);
            z4 = TV.MultiplyAdd(TV.Broadcast(Unsafe.Add(ref ck, 4 * rs)), ak, z4);
            z5 = TV.MultiplyAdd(TV.Broadcast(Unsafe.Add(ref ck, 5 * rs)), ak, z5);
        }
        TV.Store(z0, ref z, (nuint)(origin)); TV.Store(z1, ref z, (nuint)(origin + ld)); TV.Store(z2, ref z, (nuint)(origin + (2 * ld)));
        TV.Store(z3, ref z, (nuint)(origin + (3 * ld))); TV.Store(z4, ref z, (nuint)(origin + (4 * ld))); TV.Store(z5, ref z, (nuint)(origin + (5 * ld)));
        if (finish) e.Apply(ref z, origin, ld, row, 6, 1);
    }

    private static void CombineTile1x3<TV, TE>(ref double c, nint cs, int inner, ref double a, nint lda, ref double z, nint origin, nint ld, bool accumulate, int row, bool finish, ref TE e)
        where TV : struct, ISimdDouble<TV> where TE : struct, ITileEpilogue<TV>, allows ref struct
    {
        nint w = TV.Count;
        TV z0 = Start<TV>(ref z, origin, accumulate), z1 = Start<TV>(ref z, origin + w, accumulate), z2 = Start<TV>(ref z, origin + 2 * w, accumulate);
        for (int k = 0; k < inner; k++)
        {
            ref double ak = ref Unsafe.Add(ref a, k * lda);
            TV b = TV.Broadcast(Unsafe.Add(ref c, k * cs));
            z0 = TV.MultiplyAdd(b, TV.Load(ref ak, 0), z0);
            z1 = TV.MultiplyAdd(b, TV.Load(ref ak, (nuint)w), z1);
            z2 = TV.MultiplyAdd(b, TV.Load(ref ak, (nuint)(2 * w)), z2);
        }
        TV.Store(z0, ref z, (nuint)(origin)); TV.Store(z1, ref z, (nuint)(origin + w)); TV.Store(z2, ref z, (nuint)(origin + (2 * w)));
        if (finish) e.Apply(ref z, origin, ld, row, 1, 3);
    }

    private static void CombineTile1x1<TV, TE>(ref double c, nint cs, int inner, ref double a, nint lda, ref double z, nint origin, nint ld, bool accumulate, int row, bool finish, ref TE e)
        where TV : struct, ISimdDouble<TV> where TE : struct, ITileEpilogue<TV>, allows ref struct
    {
        TV z0 = Start<TV>(ref z, origin, accumulate);
        for (int k = 0; k < inner; k++)
            z0 = TV.MultiplyAdd(TV.Broadcast(Unsafe.Add(ref c, k * cs)), TV.Load(ref Unsafe.Add(ref a, k * lda), 0), z0);
        TV.Store(z0, ref z, (nuint)(origin));
        if (finish) e.Apply(ref z, origin, ld, row, 1, 1);
    }

    private static void InnerProducts<TV>(ref double g, int rowsG, nint ldg, ref double a, int rowsA, nint lda, int vectors, ref double c, nint ldc, bool accumulate)
        where TV : struct, ISimdDouble<TV>
    {
        // Blocks of samples (each output adds the lane sum of each block, in block order), then tiles of 4 × 6 rows.
        int block = Math.Max(SampleBlockVectors, SampleBlockBudget / (Math.Max(rowsA, 1) * TV.Count));
        for (int v0 = 0; v0 < vectors; v0 += block)
        {
            int count = Math.Min(block, vectors - v0);
            bool add = accumulate || v0 > 0;
            ref double gb = ref Unsafe.Add(ref g, v0 * TV.Count);
            ref double ab = ref Unsafe.Add(ref a, v0 * TV.Count);
            int r = 0;
            for (; r + 3 < rowsG; r += 4)
            {
                ref double gr = ref Unsafe.Add(ref gb, r * ldg);
                ref double cr = ref Unsafe.Add(ref c, r * ldc);
                int s = 0;
                for (; s + 5 < rowsA; s += 6) InnerTile4x6<TV>(ref gr, ldg, ref Unsafe.Add(ref ab, s * lda), lda, count, ref Unsafe.Add(ref cr, s), ldc, add);
                for (; s + 2 < rowsA; s += 3) InnerTile4x3<TV>(ref gr, ldg, ref Unsafe.Add(ref ab, s * lda), lda, count, ref Unsafe.Add(ref cr, s), ldc, add);
                for (; s < rowsA; s++) InnerTile4x1<TV>(ref gr, ldg, ref Unsafe.Add(ref ab, s * lda), count, ref Unsafe.Add(ref cr, s), ldc, add);
            }
            for (; r < rowsG; r++)
            {
                ref double gr = ref Unsafe.Add(ref gb, r * ldg);
                ref double cr = ref Unsafe.Add(ref c, r * ldc);
                int s = 0;
                for (; s + 5 < rowsA; s += 6) InnerTile1x6<TV>(ref gr, ref Unsafe.Add(ref ab, s * lda), lda, count, ref Unsafe.Add(ref cr, s), add);
                for (; s < rowsA; s++) InnerTile1x1<TV>(ref gr, ref Unsafe.Add(ref ab, s * lda), count, ref Unsafe.Add(ref cr, s), add);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TV>(ref double c, nint offset, TV sum, bool accumulate) where TV : struct, ISimdDouble<TV>
    {
        ref double target = ref Unsafe.Add(ref c, offset);
        target = accumulate ? target + TV.Sum(sum) : TV.Sum(sum);
    }

    private static void InnerTile4x6<TV>(ref double g, nint ldg, ref double a, nint ld, int vectors, ref double c, nint ldc, bool accumulate)
        where TV : struct, ISimdDouble<TV>
    {
        TV s00 = TV.Zero, s01 = TV.Zero, s02 = TV.Zero, s03 = TV.Zero, s04 = TV.Zero, s05 = TV.Zero;
        TV s10 = TV.Zero, s11 = TV.Zero, s12 = TV.Zero, s13 = TV.Zero, s14 = TV.Zero, s15 = TV.Zero;
        TV s20 = TV.Zero, s21 = TV.Zero, s22 = TV.Zero, s23 = TV.Zero, s24 = TV.Zero, s25 = TV.Zero;
        TV s30 = TV.Zero, s31 = TV.Zero, s32 = TV.Zero, s33 = TV.Zero, s34 = TV.Zero, s35 = TV.Zero;
        ref double g1 = ref Unsafe.Add(ref g, ldg), g2 = ref Unsafe.Add(ref g, 2 * ldg), g3 = ref Unsafe.Add(ref g, 3 * ldg);
        ref double a1 = ref Unsafe.Add(ref a, ld), a2 = ref Unsafe.Add(ref a, 2 * ld), a3 = ref Unsafe.Add(ref a, 3 * ld);
        ref double a4 = ref Unsafe.Add(ref a, 4 * ld), a5 = ref Unsafe.Add(ref a, 5 * ld);
        nuint end = (nuint)(vectors * TV.Count);
        for (nuint i = 0; i < end; i += (nuint)TV.Count)
        {
            TV x0 = TV.Load(ref a, i), x1 = TV.Load(ref a1, i), x2 = TV.Load(ref a2, i);
            TV x3 = TV.Load(ref a3, i), x4 = TV.Load(ref a4, i), x5 = TV.Load(ref a5, i);
            TV y = TV.Load(ref g, i);
            s00 = TV.MultiplyAdd(y, x0, s00); s01 = TV.MultiplyAdd(y, x1, s01); s02 = TV.MultiplyAdd(y, x2, s02);
            s03 = TV.MultiplyAdd(y, x3, s03); s04 = TV.MultiplyAdd(y, x4, s04); s05 = TV.MultiplyAdd(y, x5, s05);
            y = TV.Load(ref g1, i);
            s10 = TV.MultiplyAdd(y, x0, s10); s11 = TV.MultiplyAdd(y, x1, s11); s12 = TV.MultiplyAdd(y, x2, s12);
            s13 = TV.MultiplyAdd(y, x3, s13); s14 = TV.MultiplyAdd(y, x4, s14); s15 = TV.MultiplyAdd(y, x5, s15);
            y = TV.Load(ref g2, i);
            s20 = TV.MultiplyAdd(y, x0, s20); s21 = TV.MultiplyAdd(y, x1, s21); s22 = TV.MultiplyAdd(y, x2, s22);
            s23 = TV.MultiplyAdd(y, x3, s23); s24 = TV.MultiplyAdd(y, x4, s24); s25 = TV.MultiplyAdd(y, x5, s25);
            y = TV.Load(ref g3, i);
            s30 = TV.MultiplyAdd(y, x0, s30); s31 = TV.MultiplyAdd(y, x1, s31); s32 = TV.MultiplyAdd(y, x2, s32);
            s33 = TV.MultiplyAdd(y, x3, s33); s34 = TV.MultiplyAdd(y, x4, s34); s35 = TV.MultiplyAdd(y, x5, s35);
        }
        Put(ref c, 0, s00, accumulate); Put(ref c, 1, s01, accumulate); Put(ref c, 2, s02, accumulate);
        Put(ref c, 3, s03, accumulate); Put(ref c, 4, s04, accumulate); Put(ref c, 5, s05, accumulate);
        Put(ref c, ldc, s10, accumulate); Put(ref c, ldc + 1, s11, accumulate); Put(ref c, ldc + 2, s12, accumulate);
        Put(ref c, ldc + 3, s13, accumulate); Put(ref c, ldc + 4, s14, accumulate); Put(ref c, ldc + 5, s15, accumulate);
        Put(ref c, 2 * ldc, s20, accumulate); Put(ref c, 2 * ldc + 1, s21, accumulate); Put(ref c, 2 * ldc + 2, s22, accumulate);
        Put(ref c, 2 * ldc + 3, s23, accumulate); Put(ref c, 2 * ldc + 4, s24, accumulate); Put(ref c, 2 * ldc + 5, s25, accumulate);
        Put(ref c, 3 * ldc, s30, accumulate); Put(ref c, 3 * ldc + 1, s31, accumulate); Put(ref c, 3 * ldc + 2, s32, accumulate);
        Put(ref c, 3 * ldc + 3, s33, accumulate); Put(ref c, 3 * ldc + 4, s34, accumulate); Put(ref c, 3 * ldc + 5, s35, accumulate);
    }

    private static void InnerTile4x3<TV>(ref double g, nint ldg, ref double a, nint ld, int vectors, ref double c, nint ldc, bool accumulate)
        where TV : struct, ISimdDouble<TV>
    {
        TV s00 = TV.Zero, s01 = TV.Zero, s02 = TV.Zero, s10 = TV.Zero, s11 = TV.Zero, s12 = TV.Zero;
        TV s20 = TV.Zero, s21 = TV.Zero, s22 = TV.Zero, s30 = TV.Zero, s31 = TV.Zero, s32 = TV.Zero;
        ref double g1 = ref Unsafe.Add(ref g, ldg), g2 = ref Unsafe.Add(ref g, 2 * ldg), g3 = ref Unsafe.Add(ref g, 3 * ldg);
        ref double a1 = ref Unsafe.Add(ref a, ld), a2 = ref Unsafe.Add(ref a, 2 * ld);
        nuint end = (nuint)(vectors * TV.Count);
        for (nuint i = 0; i < end; i += (nuint)TV.Count)
        {
            TV x0 = TV.Load(ref a, i), x1 = TV.Load(ref a1, i), x2 = TV.Load(ref a2, i);
            TV y = TV.Load(ref g, i);
            s00 = TV.MultiplyAdd(y, x0, s00); s01 = TV.MultiplyAdd(y, x1, s01); s02 = TV.MultiplyAdd(y, x2, s02);
            y = TV.Load(ref g1, i);
            s10 = TV.MultiplyAdd(y, x0, s10); s11 = TV.MultiplyAdd(y, x1, s11); s12 = TV.MultiplyAdd(y, x2, s12);
            y = TV.Load(ref g2, i);
            s20 = TV.MultiplyAdd(y, x0, s20); s21 = TV.MultiplyAdd(y, x1, s21); s22 = TV.MultiplyAdd(y, x2, s22);
            y = TV.Load(ref g3, i);
            s30 = TV.MultiplyAdd(y, x0, s30); s31 = TV.MultiplyAdd(y, x1, s31); s32 = TV.MultiplyAdd(y, x2, s32);
        }
        Put(ref c, 0, s00, accumulate); Put(ref c, 1, s01, accumulate); Put(ref c, 2, s02, accumulate);
        Put(ref c, ldc, s10, accumulate); Put(ref c, ldc + 1, s11, accumulate); Put(ref c, ldc + 2, s12, accumulate);
        Put(ref c, 2 * ldc, s20, accumulate); Put(ref c, 2 * ldc + 1, s21, accumulate); Put(ref c, 2 * ldc + 2, s22, accumulate);
        Put(ref c, 3 * ldc, s30, accumulate); Put(ref c, 3 * ldc + 1, s31, accumulate); Put(ref c, 3 * ldc + 2, s32, accumulate);
    }

    private static void InnerTile4x1<TV>(ref double g, nint ldg, ref double a, int vectors, ref double c, nint ldc, bool accumulate)
        where TV : struct, ISimdDouble<TV>
    {
        TV s0 = TV.Zero, s1 = TV.Zero, s2 = TV.Zero, s3 = TV.Zero;
        ref double g1 = ref Unsafe.Add(ref g, ldg), g2 = ref Unsafe.Add(ref g, 2 * ldg), g3 = ref Unsafe.Add(ref g, 3 * ldg);
        nuint end = (nuint)(vectors * TV.Count);
        for (nuint i = 0; i < end; i += (nuint)TV.Count)
        {
            TV x = TV.Load(ref a, i);
            s0 = TV.MultiplyAdd(TV.Load(ref g, i), x, s0);
            s1 = TV.MultiplyAdd(TV.Load(ref g1, i), x, s1);
            s2 = TV.MultiplyAdd(TV.Load(ref g2, i), x, s2);
            s3 = TV.MultiplyAdd(TV.Load(ref g3, i), x, s3);
        }
        Put(ref c, 0, s0, accumulate); Put(ref c, ldc, s1, accumulate); Put(ref c, 2 * ldc, s2, accumulate); Put(ref c, 3 * ldc, s3, accumulate);
    }

    private static void InnerTile1x6<TV>(ref double g, ref double a, nint ld, int vectors, ref double c, bool accumulate)
        where TV : struct, ISimdDouble<TV>
    {
        TV s0 = TV.Zero, s1 = TV.Zero, s2 = TV.Zero, s3 = TV.Zero, s4 = TV.Zero, s5 = TV.Zero;
        ref double a1 = ref Unsafe.Add(ref a, ld), a2 = ref Unsafe.Add(ref a, 2 * ld), a3 = ref Unsafe.Add(ref a, 3 * ld);
        ref double a4 = ref Unsafe.Add(ref a, 4 * ld), a5 = ref Unsafe.Add(ref a, 5 * ld);
        nuint end = (nuint)(vectors * TV.Count);
        for (nuint i = 0; i < end; i += (nuint)TV.Count)
        {
            TV y = TV.Load(ref g, i);
            s0 = TV.MultiplyAdd(y, TV.Load(ref a, i), s0);
            s1 = TV.MultiplyAdd(y, TV.Load(ref a1, i), s1);
            s2 = TV.MultiplyAdd(y, TV.Load(ref a2, i), s2);
            s3 = TV.MultiplyAdd(y, TV.Load(ref a3, i), s3);
            s4 = TV.MultiplyAdd(y, TV.Load(ref a4, i), s4);
            s5 = TV.MultiplyAdd(y, TV.Load(ref a5, i), s5);
        }
        Put(ref c, 0, s0, accumulate); Put(ref c, 1, s1, accumulate); Put(ref c, 2, s2, accumulate);
        Put(ref c, 3, s3, accumulate); Put(ref c, 4, s4, accumulate); Put(ref c, 5, s5, accumulate);
    }

    private static void InnerTile1x1<TV>(ref double g, ref double a, int vectors, ref double c, bool accumulate)
        where TV : struct, ISimdDouble<TV>
    {
        TV s = TV.Zero;
        nuint end = (nuint)(vectors * TV.Count);
        for (nuint i = 0; i < end; i += (nuint)TV.Count) s = TV.MultiplyAdd(TV.Load(ref g, i), TV.Load(ref a, i), s);
        Put(ref c, 0, s, accumulate);
    }
}
