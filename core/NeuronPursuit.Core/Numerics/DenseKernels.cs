// SPDX-License-Identifier: MIT
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// The few dense linear-algebra kernels the networks need, on spans (no allocation, no length checks:
/// callers validate shapes at their public boundary). Written once over the generic scalar; for
/// <see cref="double"/> the inner products and axpys use SIMD vectors and fused multiply–adds, so
/// their summation order differs from the generic loop's (both are backward stable). For
/// <see cref="DoubleDouble"/> they run four elements per 256-bit vector (<see cref="DoubleDoubleKernels"/>)
/// with results identical bit for bit to the generic loops.
/// </summary>
public static class DenseKernels
{
    /// <summary>Inner product Σₖ xₖ yₖ over the length of <paramref name="x"/>.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="x">First vector.</param>
    /// <param name="y">Second vector, at least as long as <paramref name="x"/>.</param>
    /// <returns>⟨x, y⟩.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : struct, INumber<T>
    {
        // typeof tests on a struct type parameter are constants to the JIT: only one branch is compiled.
        if (typeof(T) == typeof(double))
        {
            double result = DotDouble(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
            return Unsafe.As<double, T>(ref result);
        }
        if (typeof(T) == typeof(DoubleDouble) && DoubleDoubleKernels.IsSupported)
        {
            DoubleDouble result = DoubleDoubleKernels.Dot(MemoryMarshal.Cast<T, DoubleDouble>(x), MemoryMarshal.Cast<T, DoubleDouble>(y));
            return Unsafe.As<DoubleDouble, T>(ref result);
        }
        // Four accumulators let the additions of independent terms overlap in the pipeline.
        T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
        int k = 0;
        int n = x.Length;
        y = y[..n];
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

    /// <summary>y ← y + a·x over the length of <paramref name="x"/>.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="a">Scale factor.</param>
    /// <param name="x">Vector added.</param>
    /// <param name="y">Vector updated in place, at least as long as <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy<T>(T a, ReadOnlySpan<T> x, Span<T> y) where T : struct, INumber<T>
    {
        if (typeof(T) == typeof(double))
        {
            AxpyDouble(Unsafe.As<T, double>(ref a), MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
            return;
        }
        if (typeof(T) == typeof(DoubleDouble) && DoubleDoubleKernels.IsSupported)
        {
            DoubleDoubleKernels.Axpy(Unsafe.As<T, DoubleDouble>(ref a), MemoryMarshal.Cast<T, DoubleDouble>(x), MemoryMarshal.Cast<T, DoubleDouble>(y));
            return;
        }
        int n = x.Length;
        y = y[..n];
        for (int k = 0; k < n; k++) y[k] += a * x[k];
    }

    /// <summary>
    /// ⟨x, A[r, ·]⟩ for the rows r of a row-major A (result.Length × x.Length), each with the bits of
    /// <see cref="Dot{T}"/>: up to four rows share the loads of x, and their accumulators are independent chains of
    /// fused multiply–adds that overlap in the pipeline (one inner product is a chain of n/8 dependent ones).
    /// </summary>
    /// <param name="x">x, length n.</param>
    /// <param name="rows">A, at least result.Length × n values.</param>
    /// <param name="result">Receives the inner products.</param>
    public static void DotRows(ReadOnlySpan<double> x, ReadOnlySpan<double> rows, Span<double> result)
    {
        int n = x.Length, count = result.Length, r = 0;
        if (n >= 8 && Vector<double>.Count == 4 && Vector512.IsHardwareAccelerated)
            for (; r < count; r += 4)
                DotRowsWide(x, rows.Slice(r * n, Math.Min(4, count - r) * n), result.Slice(r, Math.Min(4, count - r)));
        for (; r < count; r++) result[r] = DotDouble(x, rows.Slice(r * n, n));
    }

    /// <summary>Up to four rows of <see cref="DotRows"/> with the operations of <see cref="DotDouble"/>'s 512-bit loop.</summary>
    private static void DotRowsWide(ReadOnlySpan<double> x, ReadOnlySpan<double> rows, Span<double> result)
    {
        int n = x.Length, count = result.Length, pairs = n / 8;
        ref double x0 = ref MemoryMarshal.GetReference(x);
        ref double a0 = ref MemoryMarshal.GetReference(rows);
        nuint a1 = (nuint)n, a2 = (nuint)(2 * n), a3 = (nuint)(3 * n);
        Vector512<double> s0 = Vector512<double>.Zero, s1 = Vector512<double>.Zero, s2 = Vector512<double>.Zero, s3 = Vector512<double>.Zero;
        for (int p = 0; p < pairs; p++)
        {
            nuint at = (nuint)(8 * p);
            Vector512<double> v = Vector512.LoadUnsafe(ref x0, at);
            s0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref a0, at), s0);
            if (count > 1) s1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref a0, a1 + at), s1);
            if (count > 2) s2 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref a0, a2 + at), s2);
            if (count > 3) s3 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref a0, a3 + at), s3);
        }
        result[0] = FinishWide(x, rows[..n], s0);
        if (count > 1) result[1] = FinishWide(x, rows.Slice(n, n), s1);
        if (count > 2) result[2] = FinishWide(x, rows.Slice(2 * n, n), s2);
        if (count > 3) result[3] = FinishWide(x, rows.Slice(3 * n, n), s3);
    }

    /// <summary>The end of <see cref="DotDouble"/>'s 512-bit loop from its accumulator: the last chunk of four, the lane
    /// sum, then the last elements one by one.</summary>
    /// <param name="x">x, length n ≥ 8.</param>
    /// <param name="y">y, length n.</param>
    /// <param name="s">The accumulator after the ⌊n/8⌋ fused multiply–adds of 8-element vectors, in order.</param>
    /// <returns>⟨x, y⟩ with the bits of <see cref="Dot{T}"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double FinishWide(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Vector512<double> s)
    {
        int n = x.Length, pairs = n / 8;
        Vector256<double> s0 = s.GetLower(), s1 = s.GetUpper();
        if (n % 8 >= 4)
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(x), (nuint)(8 * pairs)),
                Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(y), (nuint)(8 * pairs)), s0);
        double sum = Vector.Sum((s0 + s1).AsVector());
        for (int k = n - n % 4; k < n; k++) sum = Math.FusedMultiplyAdd(x[k], y[k], sum);
        return sum;
    }

    /// <summary>⟨x, y⟩ for doubles with SIMD vectors of <see cref="Vector{T}.Count"/> lanes, two accumulators (on one
    /// 512-bit register where the machine has them, with the same bits).</summary>
    private static double DotDouble(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length;
        y = y[..n];
        int lanes = Vector<double>.Count;
        int k = 0;
        double sum = 0.0;
        if (n >= 2 * lanes && lanes == 4 && Vector512.IsHardwareAccelerated)
        {
            // Vectors v and v + 1 are contiguous: one 512-bit register holds both accumulators, s0 in its lower and s1
            // in its upper half, with the operations of the loop below (the same bits).
            ref double x0 = ref MemoryMarshal.GetReference(x);
            ref double y0 = ref MemoryMarshal.GetReference(y);
            Vector512<double> s = Vector512<double>.Zero;
            int pairs = n / 8;
            for (int p = 0; p < pairs; p++)
                s = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, (nuint)(8 * p)), Vector512.LoadUnsafe(ref y0, (nuint)(8 * p)), s);
            Vector256<double> s0 = s.GetLower(), s1 = s.GetUpper();
            if (n % 8 >= 4) s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x0, (nuint)(8 * pairs)), Vector256.LoadUnsafe(ref y0, (nuint)(8 * pairs)), s0);
            sum = Vector.Sum((s0 + s1).AsVector());
            k = n - n % 4;
        }
        else if (n >= 2 * lanes)
        {
            ReadOnlySpan<Vector<double>> xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            ReadOnlySpan<Vector<double>> yv = MemoryMarshal.Cast<double, Vector<double>>(y);
            Vector<double> s0 = Vector<double>.Zero, s1 = Vector<double>.Zero;
            int v = 0;
            for (; v + 1 < xv.Length; v += 2)
            {
                s0 = Vector.FusedMultiplyAdd(xv[v], yv[v], s0);
                s1 = Vector.FusedMultiplyAdd(xv[v + 1], yv[v + 1], s1);
            }
            if (v < xv.Length) s0 = Vector.FusedMultiplyAdd(xv[v], yv[v], s0);
            sum = Vector.Sum(s0 + s1);
            k = xv.Length * lanes;
        }
        for (; k < n; k++) sum = Math.FusedMultiplyAdd(x[k], y[k], sum);
        return sum;
    }

    /// <summary>y ← y + a·x for doubles with SIMD vectors.</summary>
    private static void AxpyDouble(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length;
        y = y[..n];
        ReadOnlySpan<Vector<double>> xv = MemoryMarshal.Cast<double, Vector<double>>(x);
        Span<Vector<double>> yv = MemoryMarshal.Cast<double, Vector<double>>(y);
        var av = new Vector<double>(a);
        for (int v = 0; v < xv.Length; v++) yv[v] = Vector.FusedMultiplyAdd(av, xv[v], yv[v]);
        for (int k = xv.Length * Vector<double>.Count; k < n; k++) y[k] = Math.FusedMultiplyAdd(a, x[k], y[k]);
    }

    /// <summary>Euclidean norm ‖x‖₂ (no scaling against overflow: the values here are O(1)).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="x">Vector.</param>
    /// <returns>√⟨x, x⟩.</returns>
    public static T Norm<T>(ReadOnlySpan<T> x) where T : struct, INumber<T>, IRootFunctions<T> => T.Sqrt(Dot(x, x));

    /// <summary>
    /// C = A Bᵀ (or C += A Bᵀ) for row-major A (rows × inner) and B (columns × inner), written to
    /// row-major C (rows × columns). B is first transposed into <paramref name="scratch"/>, so that each
    /// row of C accumulates contiguous rows of Bᵀ, four at a time, with the columns of C as the innermost
    /// loop. When C has fewer columns than the inner dimension, inner products are used instead.
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="a">A, rows × inner.</param>
    /// <param name="b">B, columns × inner.</param>
    /// <param name="c">C, rows × columns.</param>
    /// <param name="rows">Rows of A and C.</param>
    /// <param name="columns">Rows of B, columns of C.</param>
    /// <param name="inner">Columns of A and B.</param>
    /// <param name="scratch">At least columns × inner elements, overwritten with Bᵀ.</param>
    /// <param name="accumulate">When true, C += A Bᵀ instead of C = A Bᵀ.</param>
    public static void MultiplyTransposed<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int rows, int columns, int inner, Span<T> scratch, bool accumulate = false)
        where T : struct, INumber<T>
    {
        if (columns < inner)
        {
            // Few long rows of B (e.g. the output layer, columns = 1): inner products are the long loops.
            for (int i = 0; i < rows; i++)
            {
                ReadOnlySpan<T> ai = a.Slice(i * inner, inner);
                Span<T> ci = c.Slice(i * columns, columns);
                for (int j = 0; j < columns; j++)
                    ci[j] = accumulate ? ci[j] + Dot(ai, b.Slice(j * inner, inner)) : Dot(ai, b.Slice(j * inner, inner));
            }
            return;
        }
        Span<T> bTransposed = scratch[..(columns * inner)];
        Transpose(b, bTransposed, columns, inner);
        for (int i = 0; i < rows; i++)
        {
            Span<T> ci = c.Slice(i * columns, columns);
            if (!accumulate) ci.Clear();
            AddRowCombination(a.Slice(i * inner, inner), bTransposed, ci);
        }
    }

    /// <summary>y ← y + Σₚ aₚ·Mₚ over the rows Mₚ (each of y's length) of row-major M, four rows at a time.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="coefficients">a, one per row of M.</param>
    /// <param name="m">M, coefficients.Length × y.Length, row-major.</param>
    /// <param name="y">Accumulated into.</param>
    public static void AddRowCombination<T>(ReadOnlySpan<T> coefficients, ReadOnlySpan<T> m, Span<T> y) where T : struct, INumber<T>
    {
        int length = y.Length;
        int count = coefficients.Length;
        int p = 0;
        if (typeof(T) == typeof(double))
        {
            ReadOnlySpan<double> cd = MemoryMarshal.Cast<T, double>(coefficients);
            ReadOnlySpan<double> md = MemoryMarshal.Cast<T, double>(m);
            Span<double> yd = MemoryMarshal.Cast<T, double>(y);
            for (; p + 3 < count; p += 4)
                AxpyFourDouble(cd[p], cd[p + 1], cd[p + 2], cd[p + 3], md.Slice(p * length, 4 * length), yd);
        }
        for (; p < count; p++)
        {
            T coefficient = coefficients[p];
            if (!Scalar.IsExactZero(coefficient)) Axpy(coefficient, m.Slice(p * length, length), y);
        }
    }

    /// <summary>y ← y + a₀x₀ + a₁x₁ + a₂x₂ + a₃x₃ for the four consecutive rows xₖ of <paramref name="x"/>.</summary>
    private static void AxpyFourDouble(double a0, double a1, double a2, double a3, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = y.Length;
        ReadOnlySpan<double> x0 = x[..n], x1 = x.Slice(n, n), x2 = x.Slice(2 * n, n), x3 = x.Slice(3 * n, n);
        ReadOnlySpan<Vector<double>> v0 = MemoryMarshal.Cast<double, Vector<double>>(x0);
        ReadOnlySpan<Vector<double>> v1 = MemoryMarshal.Cast<double, Vector<double>>(x1);
        ReadOnlySpan<Vector<double>> v2 = MemoryMarshal.Cast<double, Vector<double>>(x2);
        ReadOnlySpan<Vector<double>> v3 = MemoryMarshal.Cast<double, Vector<double>>(x3);
        Span<Vector<double>> yv = MemoryMarshal.Cast<double, Vector<double>>(y);
        var b0 = new Vector<double>(a0);
        var b1 = new Vector<double>(a1);
        var b2 = new Vector<double>(a2);
        var b3 = new Vector<double>(a3);
        for (int v = 0; v < yv.Length; v++)
            yv[v] = Vector.FusedMultiplyAdd(b3, v3[v], Vector.FusedMultiplyAdd(b2, v2[v], Vector.FusedMultiplyAdd(b1, v1[v], Vector.FusedMultiplyAdd(b0, v0[v], yv[v]))));
        for (int k = yv.Length * Vector<double>.Count; k < n; k++)
            y[k] += a0 * x0[k] + a1 * x1[k] + a2 * x2[k] + a3 * x3[k];
    }

    /// <summary>Bᵀ (columns × rows) of row-major B (rows × columns).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="b">B, rows × columns.</param>
    /// <param name="transposed">Receives Bᵀ, columns × rows.</param>
    /// <param name="rows">Rows of B.</param>
    /// <param name="columns">Columns of B.</param>
    public static void Transpose<T>(ReadOnlySpan<T> b, Span<T> transposed, int rows, int columns)
    {
        // Eight rows at a time: each column's eight values are written side by side (one cache line of doubles) instead of
        // one value per row of the transpose, while the eight rows read stay in the first-level cache.
        const int tile = 8;
        for (int r0 = 0; r0 < rows; r0 += tile)
        {
            int end = Math.Min(r0 + tile, rows);
            for (int k = 0; k < columns; k++)
                for (int r = r0; r < end; r++)
                    transposed[k * rows + r] = b[r * columns + k];
        }
    }

    /// <summary>
    /// C = A B for row-major A (rows × inner) and B (inner × columns), written to row-major C
    /// (rows × columns), accumulated row by row as axpys over the contiguous rows of B.
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="a">A, rows × inner.</param>
    /// <param name="b">B, inner × columns.</param>
    /// <param name="c">C, rows × columns; overwritten.</param>
    /// <param name="rows">Rows of A and C.</param>
    /// <param name="columns">Columns of B and C.</param>
    /// <param name="inner">Columns of A, rows of B.</param>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int rows, int columns, int inner)
        where T : struct, INumber<T>
    {
        for (int i = 0; i < rows; i++)
        {
            Span<T> ci = c.Slice(i * columns, columns);
            ci.Clear();
            AddRowCombination(a.Slice(i * inner, inner), b, ci);
        }
    }

    /// <summary>
    /// C += Aᵀ B for row-major A (rows × columnsA) and B (rows × columnsB), accumulating into
    /// row-major C (columnsA × columnsB): the weight-gradient product Δᵀ A of backpropagation.
    /// Accumulates along the longer of the two column counts (through Cᵀ in <paramref name="scratch"/>
    /// when columnsA is the longer), so that the innermost loop is long.
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="a">A, rows × columnsA.</param>
    /// <param name="b">B, rows × columnsB.</param>
    /// <param name="c">C, columnsA × columnsB; accumulated into.</param>
    /// <param name="rows">Rows of A and B (the samples).</param>
    /// <param name="columnsA">Columns of A, rows of C.</param>
    /// <param name="columnsB">Columns of B and C.</param>
    /// <param name="scratch">At least columnsA × columnsB elements, overwritten.</param>
    public static void AddTransposedTimes<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int rows, int columnsA, int columnsB, Span<T> scratch)
        where T : struct, INumber<T>
    {
        if (columnsB >= columnsA)
        {
            // C[j, :] += Σᵢ A[i, j] B[i, :].
            AddOuterProducts(a, b, c, rows, columnsA, columnsB);
            return;
        }
        // Cᵀ[k, :] += Σᵢ B[i, k] A[i, :], rows of length columnsA, then C += (Cᵀ)ᵀ.
        Span<T> cTransposed = scratch[..(columnsA * columnsB)];
        cTransposed.Clear();
        AddOuterProducts(b, a, cTransposed, rows, columnsB, columnsA);
        for (int j = 0; j < columnsA; j++)
            for (int k = 0; k < columnsB; k++)
                c[j * columnsB + k] += cTransposed[k * columnsA + j];
    }

    /// <summary>
    /// D[j, :] += Σᵢ P[i, j] Q[i, :] for row-major P (rows × p), Q (rows × q), D (p × q): four samples
    /// at a time for doubles (four consecutive rows of Q are one contiguous block), one at a time otherwise.
    /// </summary>
    private static void AddOuterProducts<T>(ReadOnlySpan<T> coefficients, ReadOnlySpan<T> rowsOfQ, Span<T> d, int rows, int p, int q)
        where T : struct, INumber<T>
    {
        int i = 0;
        if (typeof(T) == typeof(double))
        {
            ReadOnlySpan<double> pd = MemoryMarshal.Cast<T, double>(coefficients);
            ReadOnlySpan<double> qd = MemoryMarshal.Cast<T, double>(rowsOfQ);
            Span<double> dd = MemoryMarshal.Cast<T, double>(d);
            for (; i + 3 < rows; i += 4)
            {
                ReadOnlySpan<double> block = qd.Slice(i * q, 4 * q);
                for (int j = 0; j < p; j++)
                    AxpyFourDouble(pd[i * p + j], pd[(i + 1) * p + j], pd[(i + 2) * p + j], pd[(i + 3) * p + j], block, dd.Slice(j * q, q));
            }
        }
        for (; i < rows; i++)
        {
            ReadOnlySpan<T> coefficientRow = coefficients.Slice(i * p, p);
            ReadOnlySpan<T> qi = rowsOfQ.Slice(i * q, q);
            for (int j = 0; j < p; j++)
            {
                T coefficient = coefficientRow[j];
                if (!Scalar.IsExactZero(coefficient)) Axpy(coefficient, qi, d.Slice(j * q, q));
            }
        }
    }
}
