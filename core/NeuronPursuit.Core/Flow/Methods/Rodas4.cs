// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Flow.Methods;

/// <summary>
/// RODAS, the L-stable, stiffly accurate Rosenbrock method of order 4(3) of Hairer &amp; Wanner (Solving
/// ODEs II, 2nd ed., 1996, §VI.4; coefficients in <see cref="Rodas4Tableau"/>), with the exact Jacobian
/// of the system (for the gradient flow −∇²ℒ). Per step: one LU factorisation of (1/(γh)) I − J, six
/// solves with it, six evaluations of f (five stages and f at the new point for the next step and the
/// dense output). The Jacobian is evaluated once per point: a rejected step retries at the same y with
/// the same J and only refactors the matrix for the new h (as rodas.f does); an accepted step moves y,
/// and J is evaluated there (RODAS is not a W-method: its order needs the exact J at each step start).
/// The ∂f/∂t terms of the method are dropped, so it is for autonomous systems such as the gradient flow
/// (a non-autonomous system loses the order). Dense output: the cubic Hermite interpolant (order 3).
/// The system must implement <see cref="IJacobian{T}"/>.
/// </summary>
public sealed class Rodas4 : IRungeKuttaMethod
{
    /// <inheritdoc/>
    public string Name => "rodas4";

    /// <inheritdoc/>
    public int Order => 4;

    /// <inheritdoc/>
    public int? EmbeddedOrder => 3;

    /// <inheritdoc/>
    public int DenseOutputOrder => 3;

    /// <inheritdoc/>
    public string Reference => "Hairer & Wanner, Solving ODEs II, 2nd ed. (1996), §VI.4: RODAS (rodas.f, METH = 1)";

    /// <inheritdoc/>
    public bool RequiresJacobian => true;

    /// <inheritdoc/>
    public IRungeKuttaStepper<T> CreateStepper<T>(int dimension)
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
        => new Stepper<T>(dimension);

    private sealed class Stepper<T> : IRungeKuttaStepper<T>, IStiffnessEstimate
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
    {
        private readonly int _n;
        private readonly T[][] _a, _c;
        private readonly T[] _nodes;
        private readonly T _gamma;
        private readonly T[][] _k;
        private readonly T[] _argument, _start, _startSlope, _end, _endSlope;
        private readonly JacobianCache<T> _jacobian;
        private T _h;

        public Stepper(int n)
        {
            _n = n;
            _a = Rodas4Tableau.A.Select(row => row.Select(T.CreateTruncating).ToArray()).ToArray();
            _c = Rodas4Tableau.C.Select(row => row.Select(T.CreateTruncating).ToArray()).ToArray();
            _nodes = Rodas4Tableau.Nodes.Select(T.CreateTruncating).ToArray();
            _gamma = T.CreateTruncating(Rodas4Tableau.Gamma);
            _k = new T[Rodas4Tableau.Stages][];
            for (int s = 0; s < _k.Length; s++) _k[s] = new T[n];
            _argument = new T[n];
            _start = new T[n];
            _startSlope = new T[n];
            _end = new T[n];
            _endSlope = new T[n];
            _jacobian = new JacobianCache<T>(n);
        }

        public double StiffnessRatio { get; private set; }

        public int EvaluationsPerStep => Rodas4Tableau.Stages;

        public void Step(IOdeSystem<T> system, T t, ReadOnlySpan<T> y, ReadOnlySpan<T> dydt, T h, Span<T> yNew, Span<T> error, Span<T> dydtNew)
        {
            if (system is not IJacobian<T> { HasJacobian: true } jacobian)
                throw new NotSupportedException("method: rodas4 needs the system's Jacobian; build the gradient flow with its Hessian–vector product.");
            _jacobian.Update(jacobian, t, y);
            StiffnessRatio = Math.Abs(Scalar.ToDouble(h)) * _jacobian.RowSumNorm;
            _jacobian.Factor(T.One / (_gamma * h));

            // Stage 1: E k₁ = f(y₀).
            dydt.CopyTo(_k[0]);
            _jacobian.Solve(_k[0]);
            for (int s = 1; s < Rodas4Tableau.Stages; s++)
            {
                // Yₛ = y₀ + Σⱼ aₛⱼ kⱼ;  E kₛ = f(Yₛ) + Σⱼ (cₛⱼ/h) kⱼ.
                T[] a = _a[s - 1], c = _c[s - 1];
                y.CopyTo(_argument);
                for (int j = 0; j < s; j++) DenseKernels.Axpy<T>(a[j], _k[j], _argument);
                Span<T> k = _k[s];
                system.Evaluate(t + _nodes[s] * h, _argument, k);
                for (int j = 0; j < s; j++) DenseKernels.Axpy<T>(c[j] / h, _k[j], k);
                _jacobian.Solve(k);
            }

            // y₁ = Y₆ + k₆, error y₁ − Y₆ = k₆.
            ReadOnlySpan<T> last = _k[Rodas4Tableau.Stages - 1];
            for (int i = 0; i < _n; i++)
            {
                yNew[i] = _argument[i] + last[i];
                error[i] = last[i];
            }
            system.Evaluate(t + h, yNew, dydtNew);

            y.CopyTo(_start);
            dydt.CopyTo(_startSlope);
            yNew.CopyTo(_end);
            dydtNew.CopyTo(_endSlope);
            _h = h;
        }

        public void Interpolate(T theta, Span<T> y) =>
            HermiteInterpolation.Cubic<T>(theta, _h, _start, _startSlope, _end, _endSlope, y[.._n]);
    }
}
