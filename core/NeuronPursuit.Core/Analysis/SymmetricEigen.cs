// SPDX-License-Identifier: MIT
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
        double total = 0.0;
        foreach (double x in a) total += x * x;
        for (int sweep = 0; sweep < maxSweeps; sweep++)
        {
            double off = 0.0;
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++) off += a[i, j] * a[i, j];
            if (off <= 1e-30 * total || off == 0.0) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p, q];
                    if (apq == 0.0) continue;
                    // Rotation angle from θ = (a_qq − a_pp)/(2 a_pq), t = sign(θ)/(|θ| + √(θ² + 1)).
                    double theta = (a[q, q] - a[p, p]) / (2.0 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1.0));
                    if (theta == 0.0) t = 1.0;
                    double c = 1.0 / Math.Sqrt(t * t + 1.0), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                }
        }
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i, i];
        Array.Sort(values);
        return values;
    }
}
