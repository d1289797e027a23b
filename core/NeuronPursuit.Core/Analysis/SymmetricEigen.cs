// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Analysis;

/// <summary>
/// Eigenvalues of a small dense symmetric matrix by the cyclic Jacobi method (Golub &amp; Van Loan, Matrix
/// Computations, 4th ed., §8.5): rotations annihilate off-diagonal entries until their norm is below
/// 1e-15 of the matrix's; accurate to a few ulps of ‖A‖ for sizes up to a few hundred.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>The eigenvalues of A, ascending.</summary>
    /// <param name="matrix">A, n × n row-major; only the symmetric part is used (A is not modified).</param>
    /// <param name="n">n ≥ 1.</param>
    /// <param name="maxSweeps">Sweep budget (default 100).</param>
    /// <returns>The n eigenvalues, ascending.</returns>
    /// <exception cref="ArgumentException">The length is not n².</exception>
    public static double[] Eigenvalues(ReadOnlySpan<double> matrix, int n, int maxSweeps = 100)
    {
        if (n < 1 || matrix.Length != n * n) throw new ArgumentException($"matrix: need n·n = {n * n} entries, got {matrix.Length}.", nameof(matrix));
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                a[i, j] = 0.5 * (matrix[i * n + j] + matrix[j * n + i]);
        JacobiEigen.Diagonalise(a, n, vectors: null, maxSweeps);
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i, i];
        Array.Sort(values);
        return values;
    }
}
