// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// The eigenpairs of largest magnitude of a dense symmetric n × n matrix M: M ≈ Σᵢ μᵢ uᵢuᵢᵀ over an orthonormal set
/// of b vectors, by block subspace iteration with Rayleigh–Ritz (Golub &amp; Van Loan, Matrix Computations, 4th ed.,
/// §8.2.4 and §8.1.3; Saad, Numerical Methods for Large Eigenvalue Problems, 2011, §5.2): V ← orth(M V) a few times,
/// then the b × b matrix VᵀMV is diagonalised (<see cref="HouseholderQl"/>) and its eigenvectors rotate V. The pairs
/// whose |μ| stands far above the rest converge at the rate |μ_{b+1}/μᵢ| per iteration, and the iteration starts
/// from the previous basis, so a matrix that changed a little needs one or two iterations. Whatever the accuracy of
/// the pairs, Σμᵢuᵢuᵢᵀ is the best approximation of M on span(V) (VᵀMV is its restriction), which is what a stiff
/// method's Newton matrix needs. When b reaches n (or n is small) the whole matrix is diagonalised instead.
/// M is given as a dense matrix (its products M V run in the SIMD kernels of <see cref="FeatureMajorKernels"/>) or as
/// an operator that applies it to a block of vectors (<see cref="IBlockProduct"/>: a Hessian never formed). Not thread-safe.
/// </summary>
internal sealed class DominantEigenspace
{
    /// <summary>A symmetric n × n operator applied to a block of vectors.</summary>
    internal interface IBlockProduct
    {
        /// <summary>wᵣ = M vᵣ for r &lt; count; rows of <paramref name="leading"/> entries, n of them used.</summary>
        void Apply(ReadOnlySpan<double> v, int count, int leading, Span<double> w);
    }

    /// <summary>Up to this n the whole matrix is diagonalised.</summary>
    internal const int FullLimit = 48;

    private readonly int _n, _leading;
    private readonly double[] _matrix;   // n × n̄
    private IBlockProduct? _operator;
    private double[] _basis;             // b × n̄, orthonormal rows
    private double[] _product;           // b × n̄
    private double[] _values;
    private int _count;
    private readonly SeededRandom _random = new(20240611);

    /// <summary>Allocates the buffers for n × n matrices.</summary>
    /// <param name="n">n ≥ 1.</param>
    internal DominantEigenspace(int n)
    {
        _n = n;
        _leading = FeatureMajorKernels.Padded(n);
        _matrix = new double[n * _leading];
        _basis = [];
        _product = [];
        _values = [];
    }

    /// <summary>The number of pairs b of the last computation.</summary>
    internal int Count => _count;

    /// <summary>μ₁ … μ_b, by decreasing |μ|.</summary>
    internal ReadOnlySpan<double> Values => _values.AsSpan(0, _count);

    /// <summary>The distance between the vectors in <see cref="Vectors"/> (n padded to a multiple of 8; the padding is 0).</summary>
    internal int Leading => _leading;

    /// <summary>The vectors u₁ … u_b as rows of <see cref="Leading"/> entries.</summary>
    internal ReadOnlySpan<double> Vectors => _basis.AsSpan(0, _count * _leading);

    /// <summary>Whether the last result holds every eigenpair (M = Σμᵢuᵢuᵢᵀ exactly).</summary>
    internal bool IsComplete => _count == _n;

    /// <summary>The b dominant eigenpairs of a dense M, starting from the previous basis when there is one.</summary>
    /// <param name="matrix">M, n × n row-major; only its symmetric part is used (it is not modified).</param>
    /// <param name="blockSize">b, clamped to [1, n].</param>
    /// <param name="iterations">Subspace iterations before the Rayleigh–Ritz step (more when starting cold).</param>
    internal void Compute(ReadOnlySpan<double> matrix, int blockSize, int iterations)
    {
        int n = _n, ld = _leading;
        for (int i = 0; i < n; i++)
        {
            Span<double> row = _matrix.AsSpan(i * ld, n);
            for (int j = 0; j < n; j++) row[j] = 0.5 * (matrix[i * n + j] + matrix[j * n + i]);
        }
        _operator = null;
        Iterate(blockSize, iterations);
    }

    /// <summary>The b dominant eigenpairs of M given as an operator (for small n, M is formed from n products first).</summary>
    /// <param name="product">M applied to blocks of vectors.</param>
    /// <param name="blockSize">b, clamped to [1, n].</param>
    /// <param name="iterations">Subspace iterations before the Rayleigh–Ritz step (more when starting cold).</param>
    internal void Compute(IBlockProduct product, int blockSize, int iterations)
    {
        int n = _n, ld = _leading;
        if (n <= FullLimit || blockSize >= n)
        {
            // The columns M eⱼ, symmetrised.
            var identity = new double[n * ld];
            for (int j = 0; j < n; j++) identity[j * ld + j] = 1.0;
            var columns = new double[n * ld];
            product.Apply(identity, n, ld, columns);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) _matrix[i * ld + j] = 0.5 * (columns[j * ld + i] + columns[i * ld + j]);
            _operator = null;
        }
        else _operator = product;
        Iterate(blockSize, iterations);
    }

    private void Iterate(int blockSize, int iterations)
    {
        int n = _n, ld = _leading;
        int b = Math.Clamp(blockSize, 1, n);
        if (n <= FullLimit || b == n)
        {
            ComputeAll();
            return;
        }
        int previous = _count;
        if (_basis.Length < b * ld)
        {
            var grown = new double[b * ld];
            _basis.AsSpan(0, Math.Min(_basis.Length, grown.Length)).CopyTo(grown);
            _basis = grown;
            _product = new double[b * ld];
        }
        // Start: the previous vectors (if the block did not shrink below them), then random directions.
        int kept = Math.Min(previous, b);
        for (int r = kept; r < b; r++)
        {
            Span<double> v = _basis.AsSpan(r * ld, ld);
            v.Clear();
            _random.FillGaussian(v[..n]);
        }
        Orthonormalise(_basis, b);
        if (kept == 0) iterations += 3;
        for (int it = 0; it < iterations; it++)
        {
            Multiply(_basis, _product, b);
            (_basis, _product) = (_product, _basis);
            Orthonormalise(_basis, b);
        }
        RayleighRitz(b);
    }

    /// <summary>Every eigenpair, from the decomposition of the whole matrix.</summary>
    private void ComputeAll()
    {
        int n = _n, ld = _leading;
        var a = new double[n * n];
        for (int i = 0; i < n; i++) _matrix.AsSpan(i * ld, n).CopyTo(a.AsSpan(i * n, n));
        var values = new double[n];
        HouseholderQl.Diagonalise(a, n, values);
        if (_basis.Length < n * ld) _basis = new double[n * ld];
        if (_product.Length < n * ld) _product = new double[n * ld];
        int[] order = ByDecreasingMagnitude(values);
        _values = new double[n];
        for (int r = 0; r < n; r++)
        {
            _values[r] = values[order[r]];
            Span<double> row = _basis.AsSpan(r * ld, ld);
            row.Clear();
            a.AsSpan(order[r] * n, n).CopyTo(row);
        }
        _count = n;
    }

    /// <summary>The indices of the values by decreasing |μ| (ties in index order).</summary>
    private static int[] ByDecreasingMagnitude(double[] values) =>
        Enumerable.Range(0, values.Length).OrderByDescending(i => Math.Abs(values[i])).ToArray();

    /// <summary>Rows of W = rows of V times M (M symmetric: wᵣ = M vᵣ).</summary>
    private void Multiply(double[] v, double[] w, int b)
    {
        if (_operator is not null) _operator.Apply(v.AsSpan(0, b * _leading), b, _leading, w);
        else FeatureMajorKernels.CombineRows(v, _leading, 1, b, _n, _matrix, _leading, w, _leading, _leading, accumulate: false);
        // The padding stays zero (an operator leaves it alone).
        for (int r = 0; r < b; r++) w.AsSpan(r * _leading + _n, _leading - _n).Clear();
    }

    /// <summary>Modified Gram–Schmidt, twice (Giraud et al. 2005: "twice is enough"); a row that vanishes is replaced by a random one.</summary>
    private void Orthonormalise(double[] v, int b)
    {
        int n = _n, ld = _leading;
        for (int r = 0; r < b; r++)
        {
            Span<double> row = v.AsSpan(r * ld, n);
            double original = Math.Sqrt(DenseKernels.Dot<double>(row, row));
            for (int attempt = 0; attempt < 3; attempt++)
            {
                for (int pass = 0; pass < 2; pass++)
                    for (int s = 0; s < r; s++)
                    {
                        ReadOnlySpan<double> other = v.AsSpan(s * ld, n);
                        DenseKernels.Axpy(-DenseKernels.Dot<double>(other, row), other, row);
                    }
                double norm = Math.Sqrt(DenseKernels.Dot<double>(row, row));
                if (norm > 1e-10 * original && norm > 0.0)
                {
                    double scale = 1.0 / norm;
                    for (int i = 0; i < n; i++) row[i] *= scale;
                    break;
                }
                _random.FillGaussian(row);
                original = Math.Sqrt(DenseKernels.Dot<double>(row, row));
            }
        }
    }

    /// <summary>Diagonalises VᵀMV and rotates V by its eigenvectors; the pairs are sorted by decreasing |μ|.</summary>
    private void RayleighRitz(int b)
    {
        int ld = _leading;
        Multiply(_basis, _product, b);
        var s = new double[b * b];
        FeatureMajorKernels.InnerProducts(_basis, b, ld, _product, b, ld, ld, s, b, accumulate: false);
        var values = new double[b];
        HouseholderQl.Diagonalise(s, b, values);
        int[] order = ByDecreasingMagnitude(values);
        // U = Yᵀ V: row r of U = Σₛ y[s, order[r]]·vₛ, into the product buffer, then swapped in (row j of s is now yⱼ).
        var coefficients = new double[b * b];
        for (int r = 0; r < b; r++) s.AsSpan(order[r] * b, b).CopyTo(coefficients.AsSpan(r * b, b));
        FeatureMajorKernels.CombineRows(coefficients, b, 1, b, b, _basis, ld, _product, ld, ld, accumulate: false);
        (_basis, _product) = (_product, _basis);
        _values = new double[b];
        for (int r = 0; r < b; r++) _values[r] = values[order[r]];
        _count = b;
    }
}
