// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Flow.Methods;

/// <summary>
/// A stiff method: the linearly implicit Euler method (I − hJ)Δ = h f(y) with one Richardson
/// extrapolation (Deuflhard 1985, "Recent progress in extrapolation methods for ODEs", SIAM Rev. 27;
/// Hairer &amp; Wanner, Solving ODEs II, §IV.9). One step of h and two of h/2, all with the exact
/// Jacobian J = ∂f/∂y at the start of the step, give y_h and y_{h/2}; the solution 2y_{h/2} − y_h has
/// order 2 and the error estimate y_{h/2} − y_h order 1. The stability function
/// R(z) = 2/(1 − z/2)² − 1/(1 − z) tends to 0 as z → −∞: L-stable, so steps are limited by accuracy,
/// not by the stiffness of −∇²ℒ near minima and in sharp valleys.
/// <para>Cost per step: one Jacobian (for the gradient flow, −∇²ℒ; not re-evaluated when a rejected step
/// retries from the same point), two LU factorisations of n × n matrices, two evaluations of f. The dense output is the cubic Hermite
/// interpolant. The system must implement <see cref="IJacobian{T}"/>.</para>
/// <para>For autonomous systems only, such as the gradient flow: without the ∂f/∂t term of Rosenbrock
/// methods, a non-autonomous stiff problem (e.g. Prothero–Robinson) makes the stiff limit of each
/// linearly implicit Euler step lag by O(h), and the step size collapses.</para>
/// </summary>
public sealed class LinearlyImplicitEuler2 : IRungeKuttaMethod
{
    /// <inheritdoc/>
    public string Name => "lie2";

    /// <inheritdoc/>
    public int Order => 2;

    /// <inheritdoc/>
    public int? EmbeddedOrder => 1;

    /// <inheritdoc/>
    public int DenseOutputOrder => 3;

    /// <inheritdoc/>
    public string Reference => "Deuflhard (1985); Hairer & Wanner, Solving ODEs II, §IV.9 (linearly implicit Euler extrapolation)";

    /// <inheritdoc/>
    public bool RequiresJacobian => true;

    /// <inheritdoc/>
    public IRungeKuttaStepper<T> CreateStepper<T>(int dimension)
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
        => new Stepper<T>(dimension);

    private sealed class Stepper<T> : IRungeKuttaStepper<T>, IStiffnessEstimate where T : struct, INumber<T>
    {
        /// <summary>|h|·‖J‖∞, an upper bound of |h| times the Jacobian's spectral radius.</summary>
        public double StiffnessRatio { get; private set; }

        private readonly int _n;
        private readonly T[] _full, _middle, _middleSlope, _half, _start, _startSlope, _end, _endSlope;
        private readonly JacobianCache<T> _jacobian;
        private T _h;

        public Stepper(int n)
        {
            _n = n;
            _full = new T[n];
            _middle = new T[n];
            _middleSlope = new T[n];
            _half = new T[n];
            _start = new T[n];
            _startSlope = new T[n];
            _end = new T[n];
            _endSlope = new T[n];
            _jacobian = new JacobianCache<T>(n);
        }

        public int EvaluationsPerStep => 2;

        public void Step(IOdeSystem<T> system, T t, ReadOnlySpan<T> y, ReadOnlySpan<T> dydt, T h, Span<T> yNew, Span<T> error, Span<T> dydtNew)
        {
            if (system is not IJacobian<T> { HasJacobian: true } jacobian)
                throw new NotSupportedException("method: lie2 needs the system's Jacobian; build the gradient flow with its Hessian–vector product.");
            // J at y₀ is reused when a rejected step retries from the same point.
            _jacobian.Update(jacobian, t, y);
            StiffnessRatio = Math.Abs(Scalar.ToDouble(h)) * _jacobian.RowSumNorm;
            T two = T.One + T.One;
            T halfStep = h / two;

            // One step of h: (I − hJ)Δ = h f(y₀), solved as (I/h − J)Δ = f(y₀).
            _jacobian.Factor(T.One / h);
            dydt.CopyTo(_full);
            _jacobian.Solve(_full);
            for (int k = 0; k < _n; k++) _full[k] += y[k];

            // Two steps of h/2 with the same J: (I/(h/2) − J)Δ = f(yᵢ).
            _jacobian.Factor(two / h);
            dydt.CopyTo(_middle);
            _jacobian.Solve(_middle);
            for (int k = 0; k < _n; k++) _middle[k] += y[k];
            system.Evaluate(t + halfStep, _middle, _middleSlope);
            _middleSlope.CopyTo(_half, 0);
            _jacobian.Solve(_half);

            // Extrapolation: y_new = 2 y_{h/2} − y_h, error estimate y_{h/2} − y_h.
            for (int k = 0; k < _n; k++)
            {
                T yHalf = _middle[k] + _half[k];
                yNew[k] = yHalf + (yHalf - _full[k]);
                error[k] = yHalf - _full[k];
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
