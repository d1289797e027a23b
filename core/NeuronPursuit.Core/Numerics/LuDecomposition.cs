// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// LU decomposition with partial pivoting, PA = LU, of a dense n × n matrix stored row-major, and
/// solves with it (Golub &amp; Van Loan, "Matrix Computations", 4th ed., Alg. 3.4.1), organised in
/// panels of <see cref="PanelWidth"/> columns as LAPACK's <c>getrf</c> (GVL §3.4.8, Alg. 3.4.2):
/// each panel is factored with row interchanges, the block row U₁₂ to its right is solved with the
/// panel's unit lower triangle, and the trailing matrix receives the update A₂₂ ← A₂₂ − L₂₁U₁₂ as row
/// combinations (<see cref="DenseKernels.AddRowCombination{T}"/>), so that for <see cref="double"/>
/// the O(n³) work runs in SIMD fused multiply–adds, four pivot rows per pass over a trailing row.
/// Every element receives the same updates in the same order as in the unblocked algorithm (only the
/// double kernels fuse the multiply–adds), and the pivots are the same: the largest |a_ik| in column k.
/// The factors overwrite an internal copy; buffers are reused between factorizations of the same size.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public sealed class LuDecomposition<T> where T : struct, INumber<T>
{
    /// <summary>Columns per panel of the blocked factorization.</summary>
    public const int PanelWidth = 32;

    private readonly T[] _lu;
    private readonly int[] _pivot;
    private readonly T[] _packedRows;
    private readonly T[] _multipliers;

    /// <summary>Allocates the buffers for n × n matrices.</summary>
    /// <param name="size">n ≥ 1.</param>
    public LuDecomposition(int size)
    {
        Guard.Positive(size, nameof(size));
        Size = size;
        _lu = new T[size * size];
        _pivot = new int[size];
        _packedRows = new T[PanelWidth * size];
        _multipliers = new T[PanelWidth];
    }

    /// <summary>n.</summary>
    public int Size { get; }

    /// <summary>Factors A (row-major n × n; not modified).</summary>
    /// <param name="matrix">A.</param>
    /// <returns>False when A is singular to working precision (a zero pivot); the factors are then unusable.</returns>
    public bool TryFactor(ReadOnlySpan<T> matrix)
    {
        int n = Size;
        Guard.Length(matrix.Length, n * n, nameof(matrix), "n·n entries");
        matrix.CopyTo(_lu);
        Span<T> lu = _lu;
        for (int k0 = 0; k0 < n; k0 += PanelWidth)
        {
            int panelEnd = Math.Min(k0 + PanelWidth, n);
            if (!FactorPanel(k0, panelEnd)) return false;
            int rest = n - panelEnd;
            if (rest == 0) break;

            // U₁₂: forward substitution with the panel's unit lower triangle, row by row, packed contiguously.
            int width = panelEnd - k0;
            Span<T> packed = _packedRows.AsSpan(0, width * rest);
            for (int k = k0; k < panelEnd; k++)
            {
                Span<T> rowK = lu.Slice(k * n + panelEnd, rest);
                for (int i = k0; i < k; i++)
                {
                    T l = lu[k * n + i];
                    if (!Scalar.IsExactZero(l)) DenseKernels.Axpy<T>(-l, packed.Slice((i - k0) * rest, rest), rowK);
                }
                rowK.CopyTo(packed.Slice((k - k0) * rest, rest));
            }

            // A₂₂ ← A₂₂ − L₂₁ U₁₂, one trailing row at a time.
            Span<T> negated = _multipliers.AsSpan(0, width);
            for (int i = panelEnd; i < n; i++)
            {
                for (int k = 0; k < width; k++) negated[k] = -lu[i * n + k0 + k];
                DenseKernels.AddRowCombination<T>(negated, packed, lu.Slice(i * n + panelEnd, rest));
            }
        }
        return true;
    }

    /// <summary>
    /// Unblocked elimination of the columns [k0, panelEnd) over all rows below the diagonal, with row
    /// interchanges applied to whole rows; the columns right of the panel are left for the block update.
    /// </summary>
    private bool FactorPanel(int k0, int panelEnd)
    {
        int n = Size;
        Span<T> lu = _lu;
        for (int k = k0; k < panelEnd; k++)
        {
            // Pivot: the largest |a_ik| in column k at or below the diagonal.
            int p = k;
            T largest = T.Abs(lu[k * n + k]);
            for (int i = k + 1; i < n; i++)
            {
                T candidate = T.Abs(lu[i * n + k]);
                if (candidate > largest)
                {
                    largest = candidate;
                    p = i;
                }
            }
            if (largest == T.Zero) return false;
            _pivot[k] = p;
            if (p != k)
                for (int j = 0; j < n; j++) (lu[k * n + j], lu[p * n + j]) = (lu[p * n + j], lu[k * n + j]);

            // Elimination below the pivot within the panel; the multipliers are stored in place of the zeros.
            T pivot = lu[k * n + k];
            int inPanel = panelEnd - k - 1;
            ReadOnlySpan<T> pivotRow = lu.Slice(k * n + k + 1, inPanel);
            for (int i = k + 1; i < n; i++)
            {
                T multiplier = lu[i * n + k] / pivot;
                lu[i * n + k] = multiplier;
                if (Scalar.IsExactZero(multiplier) || inPanel == 0) continue;
                DenseKernels.Axpy<T>(-multiplier, pivotRow, lu.Slice(i * n + k + 1, inPanel));
            }
        }
        return true;
    }

    /// <summary>Solves A x = b with the last factorization, in place.</summary>
    /// <param name="rightHandSide">b on entry, x on return.</param>
    public void Solve(Span<T> rightHandSide)
    {
        int n = Size;
        Guard.Length(rightHandSide.Length, n, nameof(rightHandSide), "n entries");
        ReadOnlySpan<T> lu = _lu;
        for (int k = 0; k < n; k++)
            if (_pivot[k] != k) (rightHandSide[k], rightHandSide[_pivot[k]]) = (rightHandSide[_pivot[k]], rightHandSide[k]);
        // Forward substitution with unit lower L, then back substitution with U, as inner products of rows.
        for (int i = 1; i < n; i++)
            rightHandSide[i] -= DenseKernels.Dot<T>(lu.Slice(i * n, i), rightHandSide[..i]);
        for (int i = n - 1; i >= 0; i--)
        {
            T sum = rightHandSide[i] - DenseKernels.Dot<T>(lu.Slice(i * n + i + 1, n - i - 1), rightHandSide.Slice(i + 1, n - i - 1));
            rightHandSide[i] = sum / lu[i * n + i];
        }
    }
}
