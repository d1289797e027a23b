// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Analysis;

/// <summary>
/// Singular values of small dense matrices by one-sided Jacobi (Hestenes 1958; Demmel &amp; Veselić 1992):
/// plane rotations orthogonalise the columns, whose norms are then the singular values. Unlike the eigenvalues
/// of WᵀW it keeps small singular values accurate relative to themselves, so σ₂/σ₁ of a nearly rank-one
/// matrix is resolved down to ~1e-15 (the rank-one structure of Kumar &amp; Haupt, arXiv 2403.08121;
/// docs/claims.md #12).
/// </summary>
public static class SingularValues
{
    /// <summary>The singular values of A, descending.</summary>
    /// <param name="matrix">A, rows × columns row-major.</param>
    /// <param name="rows">rows ≥ 1.</param>
    /// <param name="columns">columns ≥ 1.</param>
    /// <returns>min(rows, columns) singular values, descending.</returns>
    /// <exception cref="ArgumentException">The length is not rows·columns.</exception>
    public static double[] Of(ReadOnlySpan<double> matrix, int rows, int columns)
    {
        if (rows < 1 || columns < 1 || matrix.Length != rows * columns)
            throw new ArgumentException($"matrix: need rows·columns = {rows * columns} entries, got {matrix.Length}.", nameof(matrix));
        // Work on the orientation with fewer columns: G (m × k) with k = min(rows, columns), stored by column.
        bool transpose = columns > rows;
        int m = transpose ? columns : rows, k = transpose ? rows : columns;
        var g = new double[k][];
        for (int c = 0; c < k; c++)
        {
            g[c] = new double[m];
            for (int r = 0; r < m; r++) g[c][r] = transpose ? matrix[c * columns + r] : matrix[r * columns + c];
        }
        for (int sweep = 0; sweep < 60; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < k - 1; p++)
                for (int q = p + 1; q < k; q++)
                {
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int r = 0; r < m; r++)
                    {
                        alpha += g[p][r] * g[p][r];
                        beta += g[q][r] * g[q][r];
                        gamma += g[p][r] * g[q][r];
                    }
                    if (gamma == 0.0 || Math.Abs(gamma) <= 1e-15 * Math.Sqrt(alpha * beta)) continue;
                    rotated = true;
                    double zeta = (beta - alpha) / (2.0 * gamma);
                    double t = Math.Sign(zeta) / (Math.Abs(zeta) + Math.Sqrt(1.0 + zeta * zeta));
                    if (zeta == 0.0) t = 1.0;
                    double c = 1.0 / Math.Sqrt(1.0 + t * t), s = c * t;
                    for (int r = 0; r < m; r++)
                    {
                        double gp = g[p][r], gq = g[q][r];
                        g[p][r] = c * gp - s * gq;
                        g[q][r] = s * gp + c * gq;
                    }
                }
            if (!rotated) break;
        }
        var sigma = new double[k];
        for (int c = 0; c < k; c++) sigma[c] = DenseKernels.Norm<double>(g[c]);
        Array.Sort(sigma);
        Array.Reverse(sigma);
        return sigma;
    }

    /// <summary>σ₂/σ₁ of every weight matrix W_l with at least two rows and two columns (0 when σ₁ = 0), keyed by l.</summary>
    /// <param name="layout">The layout.</param>
    /// <param name="w">Weights.</param>
    /// <returns>(l, σ₂/σ₁) for each such layer.</returns>
    public static IReadOnlyList<(int Layer, double Ratio)> RatiosPerLayer(ParameterLayout layout, ReadOnlySpan<double> w)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Guard.Length(w.Length, layout.Count, nameof(w), "the layout's size");
        var result = new List<(int, double)>();
        foreach (LayerBlock b in layout.Blocks)
        {
            if (b.Rows < 2 || b.Columns < 2) continue;
            double[] s = Of(w.Slice(b.Offset, b.Count), b.Rows, b.Columns);
            result.Add((b.Layer, s[0] == 0.0 ? 0.0 : s[1] / s[0]));
        }
        return result;
    }
}
