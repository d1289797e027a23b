// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// LU decomposition with partial pivoting, PA = LU, of a dense n × n matrix stored row-major, and
/// solves with it (Golub &amp; Van Loan, "Matrix Computations", 4th ed., Alg. 3.4.1). The factors overwrite
/// an internal copy; buffers are reused between factorizations of the same size.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public sealed class LuDecomposition<T> where T : struct, INumber<T>
{
    private readonly T[] _lu;
    private readonly int[] _pivot;

    /// <summary>Allocates the buffers for n × n matrices.</summary>
    /// <param name="size">n ≥ 1.</param>
    public LuDecomposition(int size)
    {
        Guard.Positive(size, nameof(size));
        Size = size;
        _lu = new T[size * size];
        _pivot = new int[size];
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
        for (int k = 0; k < n; k++)
        {
            // Pivot: the largest |a_ik| in column k at or below the diagonal.
            int p = k;
            T largest = T.Abs(_lu[k * n + k]);
            for (int i = k + 1; i < n; i++)
            {
                T candidate = T.Abs(_lu[i * n + k]);
                if (candidate > largest)
                {
                    largest = candidate;
                    p = i;
                }
            }
            if (largest == T.Zero) return false;
            _pivot[k] = p;
            if (p != k)
                for (int j = 0; j < n; j++) (_lu[k * n + j], _lu[p * n + j]) = (_lu[p * n + j], _lu[k * n + j]);
            // Elimination below the pivot; the multipliers are stored in place of the zeros.
            T pivot = _lu[k * n + k];
            for (int i = k + 1; i < n; i++)
            {
                T multiplier = _lu[i * n + k] / pivot;
                _lu[i * n + k] = multiplier;
                if (Scalar.IsExactZero(multiplier)) continue;
                for (int j = k + 1; j < n; j++) _lu[i * n + j] -= multiplier * _lu[k * n + j];
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
        for (int k = 0; k < n; k++)
            if (_pivot[k] != k) (rightHandSide[k], rightHandSide[_pivot[k]]) = (rightHandSide[_pivot[k]], rightHandSide[k]);
        // Forward substitution with unit lower L, then back substitution with U.
        for (int i = 1; i < n; i++)
        {
            T sum = rightHandSide[i];
            for (int j = 0; j < i; j++) sum -= _lu[i * n + j] * rightHandSide[j];
            rightHandSide[i] = sum;
        }
        for (int i = n - 1; i >= 0; i--)
        {
            T sum = rightHandSide[i];
            for (int j = i + 1; j < n; j++) sum -= _lu[i * n + j] * rightHandSide[j];
            rightHandSide[i] = sum / _lu[i * n + i];
        }
    }
}
