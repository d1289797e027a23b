// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// The eigen-decomposition A = V diag(λ) Vᵀ of a small dense symmetric matrix by the cyclic Jacobi method (Golub &amp;
/// Van Loan, Matrix Computations, 4th ed., §8.5): rotations annihilate off-diagonal entries until their norm is below
/// 1e-15 of the matrix's; accurate to a few ulps of ‖A‖ for sizes up to a few hundred. The rotations are the same
/// with or without the eigenvectors, so the eigenvalues do not depend on whether the vectors are asked for.
/// </summary>
internal static class JacobiEigen
{
    /// <summary>Diagonalises the symmetric part of A in place: on return its diagonal holds the eigenvalues (unsorted).</summary>
    /// <param name="a">A, n × n; overwritten.</param>
    /// <param name="n">n.</param>
    /// <param name="vectors">When not null, an n × n array that receives V (column j is the eigenvector of a[j, j]).</param>
    /// <param name="maxSweeps">Sweep budget.</param>
    internal static void Diagonalise(double[,] a, int n, double[,]? vectors, int maxSweeps = 100)
    {
        if (vectors is not null)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) vectors[i, j] = i == j ? 1.0 : 0.0;
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
                    if (vectors is null) continue;
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = vectors[k, p], vkq = vectors[k, q];
                        vectors[k, p] = c * vkp - s * vkq;
                        vectors[k, q] = s * vkp + c * vkq;
                    }
                }
        }
    }
}
