// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Flow;

/// <summary>
/// The Jacobian J = ∂f/∂y of a stiff stepper and the LU factors of its iteration matrix cI − J, each
/// recomputed only when needed, as in Hairer's codes: J when (t, y) differs from the point of the last
/// evaluation (a rejected step retries from the same point and reuses J), the LU when J or c changed.
/// Also keeps ‖J‖∞ for the stiffness estimate h‖J‖∞.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
internal sealed class JacobianCache<T> where T : struct, INumber<T>
{
    private readonly int _n;
    private readonly T[] _jacobian, _matrix, _point;
    private readonly LuDecomposition<T> _lu;
    private T _time, _factoredShift;
    private bool _hasJacobian, _hasFactors;

    internal JacobianCache(int n)
    {
        _n = n;
        _jacobian = new T[n * n];
        _matrix = new T[n * n];
        _point = new T[n];
        _lu = new LuDecomposition<T>(n);
    }

    /// <summary>‖J‖∞, the largest absolute row sum of the current J.</summary>
    internal double RowSumNorm { get; private set; }

    /// <summary>Evaluates J at (t, y) unless it is already the Jacobian there.</summary>
    internal void Update(IJacobian<T> system, T t, ReadOnlySpan<T> y)
    {
        if (_hasJacobian && t == _time && y.SequenceEqual(_point)) return;
        _hasJacobian = false;
        _hasFactors = false;
        system.Jacobian(t, y, _jacobian);
        y.CopyTo(_point);
        _time = t;
        double largest = 0.0;
        for (int i = 0; i < _n; i++)
        {
            double rowSum = 0.0;
            for (int j = 0; j < _n; j++) rowSum += Math.Abs(Scalar.ToDouble(_jacobian[i * _n + j]));
            largest = Math.Max(largest, rowSum);
        }
        RowSumNorm = largest;
        _hasJacobian = true;
    }

    /// <summary>LU of cI − J, unless the factors of that matrix are current.</summary>
    /// <exception cref="ArgumentException">cI − J is singular (c at an eigenvalue of J): the step fails like an overflow.</exception>
    internal void Factor(T shift)
    {
        if (_hasFactors && shift == _factoredShift) return;
        _hasFactors = false;
        for (int i = 0; i < _n; i++)
        {
            Span<T> row = _matrix.AsSpan(i * _n, _n);
            ReadOnlySpan<T> source = _jacobian.AsSpan(i * _n, _n);
            for (int j = 0; j < _n; j++) row[j] = -source[j];
            row[i] += shift;
        }
        if (!_lu.TryFactor(_matrix))
            throw new ArgumentException("step: the iteration matrix I/(γh) − J is singular for this step size.", "step");
        _factoredShift = shift;
        _hasFactors = true;
    }

    /// <summary>Solves (cI − J) x = b in place with the current factors.</summary>
    internal void Solve(Span<T> rightHandSide) => _lu.Solve(rightHandSide);
}
