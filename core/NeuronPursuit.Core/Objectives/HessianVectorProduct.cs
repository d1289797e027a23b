// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Objectives;

/// <summary>
/// Exact Hessian–vector products ∇²f(w) v by forward-over-reverse differentiation
/// (Pearlmutter 1994, "Fast exact multiplication by the Hessian"): the gradient code of f is run in
/// dual numbers with w + ε v, and the ε-part of ∇f(w + ε v) is ∇²f(w) v. Costs about two to four
/// gradient evaluations; allocates nothing per product. The whole Hessian (<see cref="Hessian"/>) comes
/// from a closed-form assembler when one was attached (<see cref="Objective.LossHessian{T}"/> attaches
/// <see cref="TwoLayerLossHessian{T}"/> for two-layer networks), and otherwise column by column from P products.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public sealed class HessianVectorProduct<T> : IHessianMatrix<T>
    where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
{
    private readonly IObjective<Dual<T>> _dualObjective;
    private readonly Dual<T>[] _point;
    private readonly Dual<T>[] _dualGradient;
    private readonly IHessianMatrix<T>? _matrix;
    private readonly T[] _unit;
    private readonly T[] _column;

    /// <summary>Wraps the same objective f evaluated in dual numbers (its "dual twin").</summary>
    /// <param name="dualObjective">f over <see cref="Dual{T}"/>, built from the same network, loss and data.</param>
    /// <param name="matrix">A faster assembler of the same ∇²f for <see cref="Hessian"/>, or null to assemble by columns.</param>
    /// <exception cref="ArgumentException">The assembler's dimension differs from the objective's.</exception>
    public HessianVectorProduct(IObjective<Dual<T>> dualObjective, IHessianMatrix<T>? matrix = null)
    {
        ArgumentNullException.ThrowIfNull(dualObjective);
        if (matrix is not null && matrix.Dimension != dualObjective.Dimension)
            throw new ArgumentException($"matrix: has dimension {matrix.Dimension}, the objective {dualObjective.Dimension}.", nameof(matrix));
        _dualObjective = dualObjective;
        _matrix = matrix;
        _point = new Dual<T>[dualObjective.Dimension];
        _dualGradient = new Dual<T>[dualObjective.Dimension];
        _unit = new T[dualObjective.Dimension];
        _column = new T[dualObjective.Dimension];
    }

    /// <summary>∇²f(w) as a dense matrix: by the attached assembler, else by <see cref="AssembleByColumns"/>.</summary>
    /// <param name="w">Point, length P.</param>
    /// <param name="hessian">Receives ∇²f(w), row-major P × P.</param>
    /// <exception cref="ArgumentException">A length is wrong, or w holds NaN/∞.</exception>
    public void Hessian(ReadOnlySpan<T> w, Span<T> hessian)
    {
        if (_matrix is not null) _matrix.Hessian(w, hessian);
        else AssembleByColumns(w, hessian);
    }

    /// <summary>
    /// ∇²f(w) column by column, column k = ∇²f(w) eₖ from one forward-over-reverse product: the reference
    /// that any closed-form assembler must match (P products; ∇²f is symmetric, so column k is row k).
    /// </summary>
    /// <param name="w">Point, length P.</param>
    /// <param name="hessian">Receives ∇²f(w), row-major P × P.</param>
    /// <exception cref="ArgumentException">A length is wrong, or w holds NaN/∞.</exception>
    public void AssembleByColumns(ReadOnlySpan<T> w, Span<T> hessian)
    {
        int p = Dimension;
        Guard.Length(hessian.Length, p * p, nameof(hessian), "P·P entries");
        for (int k = 0; k < p; k++)
        {
            Array.Clear(_unit);
            _unit[k] = T.One;
            Apply(w, _unit, _column);
            _column.CopyTo(hessian.Slice(k * p, p));
        }
    }

    /// <summary>The number of weights P.</summary>
    public int Dimension => _dualObjective.Dimension;

    /// <summary>∇²f(w) v, and as by-products ∇f(w) and f(w).</summary>
    /// <param name="w">Point, length P.</param>
    /// <param name="v">Direction, length P.</param>
    /// <param name="product">Receives ∇²f(w) v, length P.</param>
    /// <param name="gradient">Receives ∇f(w), length P, or empty to skip.</param>
    /// <returns>f(w).</returns>
    /// <exception cref="ArgumentException">A length is wrong, or w or v holds NaN/∞.</exception>
    public T Apply(ReadOnlySpan<T> w, ReadOnlySpan<T> v, Span<T> product, Span<T> gradient = default)
    {
        Guard.Length(w.Length, Dimension, nameof(w), "one per weight of the objective");
        Guard.Length(v.Length, Dimension, nameof(v), "one per weight of the objective");
        Guard.Length(product.Length, Dimension, nameof(product), "one per weight of the objective");
        if (!gradient.IsEmpty) Guard.Length(gradient.Length, Dimension, nameof(gradient), "one per weight of the objective");
        Guard.Finite(v, nameof(v));
        for (int k = 0; k < _point.Length; k++) _point[k] = new Dual<T>(w[k], v[k]);
        Dual<T> value = _dualObjective.ValueAndGradient(_point, _dualGradient);
        for (int k = 0; k < _point.Length; k++) product[k] = _dualGradient[k].Tangent;
        if (!gradient.IsEmpty)
            for (int k = 0; k < _point.Length; k++) gradient[k] = _dualGradient[k].Value;
        return value.Value;
    }
}
