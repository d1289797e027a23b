// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// The eigen-decomposition A = V diag(λ) Vᵀ of a dense symmetric n × n matrix: Householder reduction to tridiagonal
/// form, then the implicit QL iteration with Wilkinson's shift (Bowdler, Martin, Reinsch &amp; Wilkinson 1968, the
/// EISPACK routines tred2 and tql2; Golub &amp; Van Loan, Matrix Computations, 4th ed., §8.3). Backward stable: the
/// eigenvalues are those of A + E with ‖E‖ a modest multiple of n·ε‖A‖, the vectors orthonormal to a few n·ε. About
/// (4/3)n³ flops for the reduction, (4/3)n³ to accumulate it and 3n³ on average for the vectors' rotations, against
/// 30–60n³ for cyclic Jacobi: the stiff solvers' Rayleigh–Ritz steps diagonalise b × b matrices with b up to P ≈ 550.
/// </summary>
internal static class HouseholderQl
{
    /// <summary>QL iterations allowed per eigenvalue; two or three are typical (the convergence is cubic).</summary>
    internal const int IterationsPerValue = 60;

    /// <summary>The unit roundoff of double, 2⁻⁵²: a subdiagonal entry below it times the norm is negligible.</summary>
    private const double Roundoff = 1.0 / (1L << 52);

    /// <summary>Diagonalises the symmetric part of A.</summary>
    /// <param name="a">A, n × n row-major; only the symmetric part is used. On return row j holds the eigenvector of
    /// <paramref name="values"/>[j] when <paramref name="vectors"/> is true, else it is overwritten with scratch.</param>
    /// <param name="n">n ≥ 1.</param>
    /// <param name="values">Receives the n eigenvalues (unsorted).</param>
    /// <param name="vectors">Whether to accumulate the eigenvectors (the eigenvalues are the same either way).</param>
    /// <exception cref="ArithmeticException">An eigenvalue took more than <see cref="IterationsPerValue"/> QL iterations.</exception>
    internal static void Diagonalise(double[] a, int n, Span<double> values, bool vectors = true)
    {
        var d = values[..n];
        var e = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) a[i * n + j] = a[j * n + i] = 0.5 * (a[i * n + j] + a[j * n + i]);
        Tridiagonalise(a, n, d, e);
        // The accumulated Householder product Q (A = Q T Qᵀ) holds the eigenvectors of T's rotations as columns; the
        // QL rotations act on pairs of columns, so transpose once and rotate rows, which are contiguous.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) (a[i * n + j], a[j * n + i]) = (a[j * n + i], a[i * n + j]);
        Ql(a, n, d, e, vectors);
    }

    /// <summary>Householder reduction A = Q T Qᵀ (tred2): on return a holds Q, d the diagonal of T and e[1..] its
    /// subdiagonal (e[0] = 0).</summary>
    private static void Tridiagonalise(double[] a, int n, Span<double> d, double[] e)
    {
        for (int j = 0; j < n; j++) d[j] = a[(n - 1) * n + j];
        // Rows i = n − 1 … 1: the Householder reflection that zeroes row i left of its subdiagonal.
        for (int i = n - 1; i > 0; i--)
        {
            double scale = 0.0, h = 0.0;
            for (int k = 0; k < i; k++) scale += Math.Abs(d[k]);
            if (scale == 0.0)
            {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++)
                {
                    d[j] = a[(i - 1) * n + j];
                    a[i * n + j] = 0.0;
                    a[j * n + i] = 0.0;
                }
            }
            else
            {
                for (int k = 0; k < i; k++)
                {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = f > 0 ? -Math.Sqrt(h) : Math.Sqrt(h);
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) e[j] = 0.0;
                // p = A u / h on the leading i × i block (its lower triangle), into e.
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    a[j * n + i] = f;
                    g = e[j] + a[j * n + j] * f;
                    for (int k = j + 1; k < i; k++)
                    {
                        g += a[k * n + j] * d[k];
                        e[k] += a[k * n + j] * f;
                    }
                    e[j] = g;
                }
                f = 0.0;
                for (int j = 0; j < i; j++)
                {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                // A ← A − u qᵀ − q uᵀ on the lower triangle.
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k < i; k++) a[k * n + j] -= f * e[k] + g * d[k];
                    d[j] = a[(i - 1) * n + j];
                    a[i * n + j] = 0.0;
                }
            }
            d[i] = h;
        }
        // Accumulate Q from the stored reflections.
        for (int i = 0; i < n - 1; i++)
        {
            a[(n - 1) * n + i] = a[i * n + i];
            a[i * n + i] = 1.0;
            double h = d[i + 1];
            if (h != 0.0)
            {
                for (int k = 0; k <= i; k++) d[k] = a[k * n + i + 1] / h;
                for (int j = 0; j <= i; j++)
                {
                    double g = 0.0;
                    for (int k = 0; k <= i; k++) g += a[k * n + i + 1] * a[k * n + j];
                    for (int k = 0; k <= i; k++) a[k * n + j] -= g * d[k];
                }
            }
            for (int k = 0; k <= i; k++) a[k * n + i + 1] = 0.0;
        }
        for (int j = 0; j < n; j++)
        {
            d[j] = a[(n - 1) * n + j];
            a[(n - 1) * n + j] = 0.0;
        }
        a[(n - 1) * n + n - 1] = 1.0;
        e[0] = 0.0;
    }

    /// <summary>Implicit QL with Wilkinson's shift on the tridiagonal (d, e) (tql2); the rotations are applied to the
    /// rows of v (v = Qᵀ on entry) when <paramref name="vectors"/> is true.</summary>
    private static void Ql(double[] v, int n, Span<double> d, double[] e, bool vectors)
    {
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0.0;
        double shift = 0.0, size = 0.0;
        for (int l = 0; l < n; l++)
        {
            // Find the first negligible subdiagonal entry e[m], m ≥ l (e[n − 1] = 0 ends the search).
            size = Math.Max(size, Math.Abs(d[l]) + Math.Abs(e[l]));
            int m = l;
            while (m < n - 1 && !(Math.Abs(e[m]) <= Roundoff * size)) m++;
            int iterations = 0;
            while (m > l)
            {
                if (++iterations > IterationsPerValue)
                    throw new ArithmeticException($"symmetric eigenproblem: the QL iteration did not converge in {IterationsPerValue} iterations for eigenvalue {l} of {n}.");
                // Wilkinson's shift from the leading 2 × 2 block.
                double g = d[l];
                double p = (d[l + 1] - g) / (2.0 * e[l]);
                double r = Math.CopySign(double.Hypot(p, 1.0), p);
                d[l] = e[l] / (p + r);
                d[l + 1] = e[l] * (p + r);
                double dl1 = d[l + 1];
                double h = g - d[l];
                for (int i = l + 2; i < n; i++) d[i] -= h;
                shift += h;
                // The implicit QL sweep from m − 1 up to l.
                p = d[m];
                double c = 1.0, c2 = 1.0, c3 = 1.0, s = 0.0, s2 = 0.0, el1 = e[l + 1];
                for (int i = m - 1; i >= l; i--)
                {
                    c3 = c2;
                    c2 = c;
                    s2 = s;
                    g = c * e[i];
                    h = c * p;
                    r = double.Hypot(p, e[i]);
                    e[i + 1] = s * r;
                    s = e[i] / r;
                    c = p / r;
                    p = c * d[i] - s * g;
                    d[i + 1] = h + s * (c * g + s * d[i]);
                    if (vectors) Rotate(v.AsSpan(i * n, n), v.AsSpan((i + 1) * n, n), c, s);
                }
                p = -s * s2 * c3 * el1 * e[l] / dl1;
                e[l] = s * p;
                d[l] = c * p;
                if (!(Math.Abs(e[l]) > Roundoff * size)) break;
            }
            d[l] += shift;
            e[l] = 0.0;
        }
    }

    /// <summary>(x, y) ← (c x − s y, s x + c y), the rows of two eigenvector estimates.</summary>
    private static void Rotate(Span<double> x, Span<double> y, double c, double s)
    {
        for (int k = 0; k < x.Length; k++)
        {
            double xk = x[k], yk = y[k];
            x[k] = c * xk - s * yk;
            y[k] = s * xk + c * yk;
        }
    }
}
