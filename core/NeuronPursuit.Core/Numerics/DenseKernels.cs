// SPDX-License-Identifier: MIT
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// The few dense linear-algebra kernels the networks need, on spans (no allocation, no length checks:
/// callers validate shapes at their public boundary). Written once over the generic scalar.
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
        int n = x.Length;
        y = y[..n];
        for (int k = 0; k < n; k++) y[k] += a * x[k];
    }

    /// <summary>Euclidean norm ‖x‖₂ (no scaling against overflow: the values here are O(1)).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="x">Vector.</param>
    /// <returns>√⟨x, x⟩.</returns>
    public static T Norm<T>(ReadOnlySpan<T> x) where T : struct, INumber<T>, IRootFunctions<T> => T.Sqrt(Dot(x, x));

    /// <summary>
    /// C = A Bᵀ for row-major A (rows × inner) and B (columns × inner), written to row-major C
    /// (rows × columns). Every entry is an inner product of two contiguous rows.
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="a">A, rows × inner.</param>
    /// <param name="b">B, columns × inner.</param>
    /// <param name="c">C, rows × columns; overwritten.</param>
    /// <param name="rows">Rows of A and C.</param>
    /// <param name="columns">Rows of B, columns of C.</param>
    /// <param name="inner">Columns of A and B.</param>
    /// <param name="accumulate">When true, C += A Bᵀ instead of C = A Bᵀ.</param>
    public static void MultiplyTransposed<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int rows, int columns, int inner, bool accumulate = false)
        where T : struct, INumber<T>
    {
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<T> ai = a.Slice(i * inner, inner);
            Span<T> ci = c.Slice(i * columns, columns);
            if (accumulate)
                for (int j = 0; j < columns; j++) ci[j] += Dot(ai, b.Slice(j * inner, inner));
            else
                for (int j = 0; j < columns; j++) ci[j] = Dot(ai, b.Slice(j * inner, inner));
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
            ReadOnlySpan<T> ai = a.Slice(i * inner, inner);
            for (int k = 0; k < inner; k++)
            {
                T aik = ai[k];
                if (!Scalar.IsExactZero(aik)) Axpy(aik, b.Slice(k * columns, columns), ci);
            }
        }
    }

    /// <summary>
    /// C += Aᵀ B for row-major A (rows × columnsA) and B (rows × columnsB), accumulating into
    /// row-major C (columnsA × columnsB): the weight-gradient product Δᵀ A of backpropagation.
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="a">A, rows × columnsA.</param>
    /// <param name="b">B, rows × columnsB.</param>
    /// <param name="c">C, columnsA × columnsB; accumulated into.</param>
    /// <param name="rows">Rows of A and B (the samples).</param>
    /// <param name="columnsA">Columns of A, rows of C.</param>
    /// <param name="columnsB">Columns of B and C.</param>
    public static void AddTransposedTimes<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int rows, int columnsA, int columnsB)
        where T : struct, INumber<T>
    {
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<T> ai = a.Slice(i * columnsA, columnsA);
            ReadOnlySpan<T> bi = b.Slice(i * columnsB, columnsB);
            for (int j = 0; j < columnsA; j++)
            {
                T aij = ai[j];
                if (!Scalar.IsExactZero(aij)) Axpy(aij, bi, c.Slice(j * columnsB, columnsB));
            }
        }
    }
}
