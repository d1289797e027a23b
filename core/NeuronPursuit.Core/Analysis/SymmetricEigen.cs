// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Analysis;

/// <summary>
/// Eigenvalues of a dense symmetric matrix by Householder tridiagonalisation and the implicit QL iteration
/// (Bowdler, Martin, Reinsch &amp; Wilkinson 1968; Golub &amp; Van Loan, Matrix Computations, 4th ed., §8.3): backward
/// stable, each eigenvalue within a modest multiple of n·ε‖A‖ of the exact one.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>The eigenvalues of A, ascending.</summary>
    /// <param name="matrix">A, n × n row-major; only the symmetric part is used (A is not modified).</param>
    /// <param name="n">n ≥ 1.</param>
    /// <returns>The n eigenvalues, ascending.</returns>
    /// <exception cref="ArgumentException">The length is not n².</exception>
    /// <exception cref="ArithmeticException">The QL iteration did not converge (not seen on finite matrices).</exception>
    public static double[] Eigenvalues(ReadOnlySpan<double> matrix, int n)
    {
        if (n < 1 || matrix.Length != n * n) throw new ArgumentException($"matrix: need n·n = {n * n} entries, got {matrix.Length}.", nameof(matrix));
        double[] a = matrix.ToArray();
        var values = new double[n];
        HouseholderQl.Diagonalise(a, n, values, vectors: false);
        Array.Sort(values);
        return values;
    }
}
