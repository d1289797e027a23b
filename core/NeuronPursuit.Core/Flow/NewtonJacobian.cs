// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Flow;

/// <summary>
/// The Jacobian J ≈ ∂f/∂y that an implicit method's simplified Newton iteration uses, in double, with the solves the
/// three-stage Radau IIA method needs: (I − hA ⊗ J) ΔZ = R for its 3 × 3 matrix A, and (c I − J) x = b. Its accuracy
/// decides how fast the iteration converges, never what it converges to (the residual is evaluated in the integration's
/// own precision), so one J serves many steps and step sizes.
/// <para>
/// A symmetric J (a gradient flow's −∇²ℒ) is held as its dominant eigenpairs J ≈ Σₖ μₖuₖuₖᵀ
/// (<see cref="DominantEigenspace"/>; all of them for small systems). Then no matrix is factored: along uₖ the stage
/// system is the 3 × 3 system (I − hμₖA) δ = r, and on the complement of the uₖ (where the model has J = 0) ΔZ = R.
/// A change of h only recomputes the k small inverses. The eigenpairs kept must include every direction with
/// |μ| h ≳ 1 (the ones the iteration could not converge on otherwise): <see cref="IsAdequate"/> says whether they do and
/// <see cref="Grow"/> doubles their number. A nonsymmetric J is factored densely (LU of the 3n × 3n matrix).
/// </para>
/// </summary>
internal sealed class NewtonJacobian<T> : DominantEigenspace.IBlockProduct where T : struct, INumber<T>
{
    /// <summary>|μ_b|·h up to which the smallest kept eigenvalue counts as not stiff.</summary>
    private const double AdequateProduct = 0.5;

    /// <summary>The first number of eigenpairs of a large system.</summary>
    private const int InitialBlock = 16;

    private readonly int _n;
    private readonly T[] _jacobianT;
    private readonly double[] _jacobian;
    private readonly DominantEigenspace _eigen;
    private readonly double[] _point;
    private T _time;
    private bool _symmetric;
    private int _block = InitialBlock;
    private double[,]? _a;
    private double _h = double.NaN;
    private double[] _stageInverses = [];        // per eigenpair, the 3 × 3 inverse of I − hμA (row-major)
    private double[] _projection = [];           // 3 × b
    private LuDecomposition<double>? _stageLu;   // nonsymmetric: I − hA ⊗ J
    private LuDecomposition<double>? _shiftedLu; // nonsymmetric: cI − J
    private double _shift = double.NaN;
    private double[] _stacked = [];
    private ISymmetricJacobianProduct? _product;

    /// <summary>Allocates the buffers for systems of dimension n.</summary>
    internal NewtonJacobian(int n)
    {
        _n = n;
        _jacobianT = new T[n * n];
        _jacobian = new double[n * n];
        _eigen = new DominantEigenspace(n);
        _point = new double[n];
    }

    /// <summary>Whether J has been evaluated.</summary>
    internal bool HasValue { get; private set; }

    /// <summary>The number of evaluations of J.</summary>
    internal long Evaluations { get; private set; }

    /// <summary>Products of J with vectors so far, a dense J counting as n of them (the work of the model's updates).</summary>
    internal long Products { get; private set; }

    /// <summary>The largest |μ| of the model (the spectral radius for a symmetric J; ‖J‖∞ otherwise).</summary>
    internal double SpectralRadius { get; private set; }

    /// <summary>The number of eigenpairs kept (n for a nonsymmetric or fully decomposed J).</summary>
    internal int Rank => _symmetric ? _eigen.Count : _n;

    /// <summary>Whether J was evaluated at (t, y).</summary>
    internal bool IsAt(T t, ReadOnlySpan<T> y)
    {
        if (!HasValue || t != _time) return false;
        for (int i = 0; i < _n; i++)
            if (_point[i] != Scalar.ToDouble(y[i])) return false;
        return true;
    }

    /// <summary>Evaluates J at (t, y) and builds the model: from products with J when the system has them
    /// (<see cref="ISymmetricJacobianProduct"/>), else from the dense J.</summary>
    internal void Update(IJacobian<T> system, T t, ReadOnlySpan<T> y)
    {
        if (system is ISymmetricJacobianProduct { HasJacobianProduct: true } product)
        {
            for (int i = 0; i < _n; i++) _point[i] = Scalar.ToDouble(y[i]);
            _time = t;
            _product = product;
            _symmetric = true;
            HasValue = true;
            Evaluations++;
            Decompose(iterations: 2);
            return;
        }
        _product = null;
        system.Jacobian(t, y, _jacobianT);
        Products += _n;
        Evaluations++;
        double largest = 0.0, asymmetry = 0.0;
        for (int k = 0; k < _jacobian.Length; k++)
        {
            _jacobian[k] = Scalar.ToDouble(_jacobianT[k]);
            largest = Math.Max(largest, Math.Abs(_jacobian[k]));
        }
        for (int i = 0; i < _n; i++)
            for (int j = i + 1; j < _n; j++)
                asymmetry = Math.Max(asymmetry, Math.Abs(_jacobian[i * _n + j] - _jacobian[j * _n + i]));
        _symmetric = asymmetry <= 1e-12 * largest;
        for (int i = 0; i < _n; i++) _point[i] = Scalar.ToDouble(y[i]);
        _time = t;
        HasValue = true;
        _h = double.NaN;
        _shift = double.NaN;
        if (_symmetric) Decompose(iterations: 2);
        else
        {
            double rowSum = 0.0;
            for (int i = 0; i < _n; i++)
            {
                double s = 0.0;
                for (int j = 0; j < _n; j++) s += Math.Abs(_jacobian[i * _n + j]);
                rowSum = Math.Max(rowSum, s);
            }
            SpectralRadius = rowSum;
        }
    }

    /// <summary>Whether the model resolves every stiff direction for steps of size h: complete, or its smallest kept |μ| is below 1/(2h).</summary>
    internal bool IsAdequate(double h) =>
        !_symmetric || _eigen.IsComplete || Math.Abs(_eigen.Values[^1]) * Math.Abs(h) <= AdequateProduct;

    /// <summary>Keeps twice as many eigenpairs of the same J; false when the model is already complete.</summary>
    internal bool Grow()
    {
        if (!_symmetric || _eigen.IsComplete || _block >= MaxBlock(_n)) return false;
        _block = Math.Min(MaxBlock(_n), 2 * _block);
        Decompose(iterations: 2);
        return true;
    }

    /// <summary>The most eigenpairs kept: all for small systems, else a quarter of n (beyond that a smaller step is cheaper).</summary>
    private static int MaxBlock(int n) => n <= DominantEigenspace.FullLimit ? n : Math.Max(DominantEigenspace.FullLimit, n / 4);

    /// <summary>J(y)·vᵣ at the model's point, for the eigen-solver.</summary>
    void DominantEigenspace.IBlockProduct.Apply(ReadOnlySpan<double> v, int count, int leading, Span<double> w)
    {
        _product!.JacobianProducts(_point, v, count, leading, w);
        Products += count;
    }

    private void Decompose(int iterations)
    {
        if (_product is not null) _eigen.Compute(this, _block, iterations);
        else _eigen.Compute(_jacobian, _block, iterations);
        if (_projection.Length < 3 * _eigen.Count) _projection = new double[3 * _eigen.Count];
        _h = double.NaN;
        _shift = double.NaN;
        SpectralRadius = Math.Abs(_eigen.Values[0]);
    }

    /// <summary>Prepares the stage solves for step h and the method's matrix A.</summary>
    internal void PrepareStages(double h, double[,] a)
    {
        if (h == _h && ReferenceEquals(a, _a)) return;
        _h = h;
        _a = a;
        if (_symmetric)
        {
            int b = _eigen.Count;
            if (_stageInverses.Length < 9 * b) _stageInverses = new double[9 * b];
            if (_projection.Length < 3 * b) _projection = new double[3 * b];
            ReadOnlySpan<double> mu = _eigen.Values;
            Span<double> m = stackalloc double[9];
            for (int k = 0; k < b; k++)
            {
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++) m[i * 3 + j] = (i == j ? 1.0 : 0.0) - h * mu[k] * a[i, j];
                Invert3(m, _stageInverses.AsSpan(9 * k, 9));
            }
            return;
        }
        int n = _n, size = 3 * n;
        _stageLu ??= new LuDecomposition<double>(size);
        var matrix = new double[size * size];
        for (int bi = 0; bi < 3; bi++)
            for (int bj = 0; bj < 3; bj++)
            {
                double factor = h * a[bi, bj];
                for (int i = 0; i < n; i++)
                {
                    int row = (bi * n + i) * size + bj * n;
                    for (int j = 0; j < n; j++) matrix[row + j] = -factor * _jacobian[i * n + j];
                    if (bi == bj) matrix[row + i] += 1.0;
                }
            }
        if (!_stageLu.TryFactor(matrix))
            throw new ArgumentException("step: the Newton matrix I − hA⊗J is singular for this step size.", "step");
    }

    /// <summary>Solves (I − hA ⊗ J) ΔZ = R for the three stage vectors, in place (R in, ΔZ out).</summary>
    internal void SolveStages(double[] r0, double[] r1, double[] r2)
    {
        int n = _n;
        if (!_symmetric)
        {
            if (_stacked.Length < 3 * n) _stacked = new double[3 * n];
            r0.AsSpan(0, n).CopyTo(_stacked);
            r1.AsSpan(0, n).CopyTo(_stacked.AsSpan(n));
            r2.AsSpan(0, n).CopyTo(_stacked.AsSpan(2 * n));
            _stageLu!.Solve(_stacked.AsSpan(0, 3 * n));
            _stacked.AsSpan(0, n).CopyTo(r0);
            _stacked.AsSpan(n, n).CopyTo(r1);
            _stacked.AsSpan(2 * n, n).CopyTo(r2);
            return;
        }
        // rᵢₖ = uₖᵀRᵢ; δₖ = (I − hμₖA)⁻¹ rₖ; ΔZᵢ = Rᵢ + Σₖ uₖ(δₖᵢ − rᵢₖ).
        int b = _eigen.Count, ld = _eigen.Leading;
        ReadOnlySpan<double> u = _eigen.Vectors;
        Span<double> r = _projection.AsSpan(0, 3 * b);
        for (int k = 0; k < b; k++)
        {
            ReadOnlySpan<double> uk = u.Slice(k * ld, n);
            r[k] = DenseKernels.Dot<double>(uk, r0.AsSpan(0, n));
            r[b + k] = DenseKernels.Dot<double>(uk, r1.AsSpan(0, n));
            r[2 * b + k] = DenseKernels.Dot<double>(uk, r2.AsSpan(0, n));
        }
        for (int k = 0; k < b; k++)
        {
            ReadOnlySpan<double> m = _stageInverses.AsSpan(9 * k, 9);
            double x0 = r[k], x1 = r[b + k], x2 = r[2 * b + k];
            double d0 = m[0] * x0 + m[1] * x1 + m[2] * x2;
            double d1 = m[3] * x0 + m[4] * x1 + m[5] * x2;
            double d2 = m[6] * x0 + m[7] * x1 + m[8] * x2;
            ReadOnlySpan<double> uk = u.Slice(k * ld, n);
            DenseKernels.Axpy(d0 - x0, uk, r0.AsSpan(0, n));
            DenseKernels.Axpy(d1 - x1, uk, r1.AsSpan(0, n));
            DenseKernels.Axpy(d2 - x2, uk, r2.AsSpan(0, n));
        }
    }

    /// <summary>Solves (c I − J) x = b in place.</summary>
    internal void SolveShifted(double c, double[] x)
    {
        int n = _n;
        if (!_symmetric)
        {
            if (c != _shift)
            {
                _shiftedLu ??= new LuDecomposition<double>(n);
                var matrix = new double[n * n];
                for (int k = 0; k < matrix.Length; k++) matrix[k] = -_jacobian[k];
                for (int i = 0; i < n; i++) matrix[i * n + i] += c;
                if (!_shiftedLu.TryFactor(matrix))
                    throw new ArgumentException("step: the matrix cI − J of the error estimate is singular for this step size.", "step");
                _shift = c;
            }
            _shiftedLu!.Solve(x.AsSpan(0, n));
            return;
        }
        // (cI − J)⁻¹ = I/c + Σₖ uₖ(1/(c − μₖ) − 1/c)uₖᵀ.
        int b = _eigen.Count, ld = _eigen.Leading;
        ReadOnlySpan<double> u = _eigen.Vectors;
        ReadOnlySpan<double> mu = _eigen.Values;
        Span<double> coefficients = _projection.AsSpan(0, b);
        for (int k = 0; k < b; k++)
            coefficients[k] = DenseKernels.Dot<double>(u.Slice(k * ld, n), x.AsSpan(0, n)) * (1.0 / (c - mu[k]) - 1.0 / c);
        double inverse = 1.0 / c;
        for (int i = 0; i < n; i++) x[i] *= inverse;
        for (int k = 0; k < b; k++) DenseKernels.Axpy(coefficients[k], u.Slice(k * ld, n), x.AsSpan(0, n));
    }

    /// <summary>The inverse of a 3 × 3 matrix by its adjugate.</summary>
    private static void Invert3(ReadOnlySpan<double> m, Span<double> inverse)
    {
        double c00 = m[4] * m[8] - m[5] * m[7], c01 = m[5] * m[6] - m[3] * m[8], c02 = m[3] * m[7] - m[4] * m[6];
        double determinant = m[0] * c00 + m[1] * c01 + m[2] * c02;
        if (determinant == 0.0 || !double.IsFinite(determinant))
            throw new ArgumentException("step: a 3 × 3 block I − hμA of the Newton matrix is singular for this step size.", "step");
        double s = 1.0 / determinant;
        inverse[0] = c00 * s;
        inverse[1] = (m[2] * m[7] - m[1] * m[8]) * s;
        inverse[2] = (m[1] * m[5] - m[2] * m[4]) * s;
        inverse[3] = c01 * s;
        inverse[4] = (m[0] * m[8] - m[2] * m[6]) * s;
        inverse[5] = (m[2] * m[3] - m[0] * m[5]) * s;
        inverse[6] = c02 * s;
        inverse[7] = (m[1] * m[6] - m[0] * m[7]) * s;
        inverse[8] = (m[0] * m[4] - m[1] * m[3]) * s;
    }
}
