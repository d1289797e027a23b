// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Flow.Methods;

/// <summary>
/// The three-stage Radau IIA collocation method of order 5, L-stable and stiffly accurate, after Hairer's RADAU5
/// (Hairer &amp; Wanner, Solving ODEs II, 2nd ed., 1996, §IV.8): the stage increments Zᵢ = Yᵢ − y₀ solve
/// Z = h(A ⊗ I)F(Z) by a simplified Newton iteration (I − hA ⊗ J)ΔZ = −Z + h(A ⊗ I)F(Z), started from the previous
/// step's collocation polynomial and stopped by Hairer's contraction test η‖ΔZ‖ ≤ κ (η = θ/(1 − θ),
/// κ = max(10u/rtol, min(0.03, √rtol))); the error estimate is (γ/h I − J)⁻¹(f(y₀) + Σeᵢ Zᵢ/h), refined once by a
/// further evaluation after a rejection; the dense output is the collocation polynomial (order 3).
/// <para>
/// The coefficients are computed in the scalar type (<see cref="RadauIIA5Tableau{T}"/>), and the Newton matrix only
/// decides how fast the iteration converges, so a double-double integration is accurate to double-double precision
/// while the Jacobian and its model stay in double (<see cref="NewtonJacobian{T}"/>). A symmetric Jacobian (the
/// gradient flow's −∇²ℒ) is modelled by its dominant eigenpairs, so no matrix is factored and a new step size costs
/// nothing; J is evaluated again only when the iteration converged slowly (more than four iterations at a rate above
/// 0.1; RADAU5 re-evaluates after two at 10⁻³, but here J costs hundreds of evaluations of f) or failed with an older J. The system must implement <see cref="IJacobian{T}"/>. The
/// method drops no ∂f/∂t term (it is implicit, not Rosenbrock), so it is also exact in order for non-autonomous systems.
/// An iteration's three stage evaluations are independent: for a system that can replicate itself (a training loss's
/// flow) and an evaluation of at least <c>ConcurrentStagesWork</c> flop, the third runs on a replica on a second thread
/// while this thread evaluates the first two, with the same bits as on one thread.
/// </para>
/// </summary>
public sealed class RadauIIA5 : IRungeKuttaMethod
{
    /// <inheritdoc/>
    public string Name => "radau5";

    /// <inheritdoc/>
    public int Order => 5;

    /// <inheritdoc/>
    public int? EmbeddedOrder => 3;

    /// <inheritdoc/>
    public int DenseOutputOrder => 3;

    /// <inheritdoc/>
    public string Reference => "Radau IIA (Ehle 1969); RADAU5 of Hairer & Wanner, Solving ODEs II, 2nd ed. (1996), §IV.8";

    /// <inheritdoc/>
    public bool RequiresJacobian => true;

    /// <inheritdoc/>
    public IRungeKuttaStepper<T> CreateStepper<T>(int dimension)
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
        => new Stepper<T>(dimension);

    /// <summary>The RADAU5 step.</summary>
    internal sealed class Stepper<T> : IRungeKuttaStepper<T>, IAdaptiveStepper, IScaledErrorNorm, IStiffnessEstimate, IToleranceAware
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
    {
        /// <summary>Newton iterations before the step counts as failed (RADAU5's NIT).</summary>
        private const int MaxIterations = 7;

        /// <summary>
        /// A step that needed more iterations than this at a contraction rate above <see cref="SlowRate"/> asks for a new
        /// Jacobian before the next step. RADAU5 asks after 2 iterations at a rate above 10⁻³, which suits a dense LU;
        /// here a Jacobian costs hundreds of evaluations of f, and iterations that contract well are cheaper than it.
        /// </summary>
        private const int SlowIterations = 4;

        /// <summary>See <see cref="SlowIterations"/>.</summary>
        private const double SlowRate = 0.1;

        /// <summary>
        /// The increment ‖ΔZ‖ (in units of the tolerance) below which an iteration that stopped contracting is accepted
        /// rather than failed: RADAU5's largest κ (its κ at loose tolerances). The flow of a ReLU² network is C¹ but not
        /// C²: its Jacobian jumps where a pre-activation crosses 0, and a simplified Newton iteration across such a kink
        /// can cycle at an amplitude set by the jump, not by the tolerance. At tight tolerances RADAU5's κ = √rtol
        /// (3·10⁻⁵ at rtol 10⁻⁹) lies below that amplitude, so without this bound every step near a kink failed, the step
        /// size collapsed and the eigen-model grew to no avail (rtol 10⁻⁹ did not finish). A Newton error of 3 % of the
        /// tolerance is one RADAU5 accepts at loose tolerances, and the step's error estimate still decides the step.
        /// </summary>
        private const double StalledBound = 0.03;

        /// <summary>
        /// Floating-point operations of an evaluation of f from which a Newton iteration's three stage evaluations are
        /// shared with a second thread (stages 1 and 2 on this thread, stage 3 on a replica of the system, so an
        /// iteration costs two evaluations' time instead of three): handing work to a pool thread and back costs a few
        /// microseconds, about 10⁵ flop at this machine's rate.
        /// </summary>
        private const double ConcurrentStagesWork = 1e5;

        private static readonly RadauIIA5Tableau<T> Tableau = new();
        private static readonly double RoundOff = UnitRoundOff();

        private readonly int _n;
        private readonly double[,] _a = new double[3, 3];
        private readonly T[][] _z, _f, _q;
        private readonly double[][] _r;
        private readonly T[] _start, _startSlope, _argument;
        private readonly T[][] _stageArguments;
        private readonly double[] _scale, _error, _errorRight;
        private readonly NewtonJacobian<T> _jacobian;
        private double _rtol, _fnewt;
        private double[]? _atol;
        private double _atolAll;
        private double _eta = 1.0;
        private bool _stale;
        private bool _hasTrial, _retry, _first = true;
        private T _t0, _h;
        private int _evaluations, _pending;
        private IOdeSystem<T>? _system;
        private IOdeSystem<T>? _replicated, _replica;
        private TwoWaySplit? _stages;
        private T _stageTime, _stageStep;

        public Stepper(int n)
        {
            _n = n;
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) _a[i, j] = Scalar.ToDouble(Tableau.A[i, j]);
            _z = [new T[n], new T[n], new T[n]];
            _f = [new T[n], new T[n], new T[n]];
            _q = [new T[n], new T[n], new T[n]];
            _r = [new double[n], new double[n], new double[n]];
            _start = new T[n];
            _startSlope = new T[n];
            _argument = new T[n];
            _stageArguments = [new T[n], new T[n], new T[n]];
            _scale = new double[n];
            _error = new double[n];
            _errorRight = new double[n];
            _jacobian = new NewtonJacobian<T>(n);
            double tolerance = Math.Pow(RoundOff, 0.75);
            UseTolerances(tolerance, tolerance, null);
        }

        public int EvaluationsPerStep => _evaluations;

        public int ErrorOrder => 3;

        public double StiffnessRatio => _jacobian.HasValue ? Math.Abs(Scalar.ToDouble(_h)) * _jacobian.SpectralRadius : 0.0;

        /// <summary>Evaluations of the Jacobian so far.</summary>
        internal long JacobianEvaluations => _jacobian.Evaluations;

        /// <summary>Products of the Jacobian with vectors so far (the work of its model's updates).</summary>
        internal long JacobianProducts => _jacobian.Products;

        /// <summary>Eigenpairs in the Jacobian's model (n for a complete or nonsymmetric one).</summary>
        internal int JacobianRank => _jacobian.Rank;

        public void UseTolerances(double relative, double absolute, IReadOnlyList<double>? perComponent)
        {
            _rtol = relative;
            _atolAll = absolute;
            _atol = perComponent?.ToArray();
            _fnewt = Math.Max(10 * RoundOff / relative, Math.Min(0.03, Math.Sqrt(relative)));
        }

        public void Accepted() { }

        public void Step(IOdeSystem<T> system, T t, ReadOnlySpan<T> y, ReadOnlySpan<T> dydt, T h, Span<T> yNew, Span<T> error, Span<T> dydtNew)
        {
            if (system is not IJacobian<T> { HasJacobian: true } jacobian)
                throw new NotSupportedException("method: radau5 needs the system's Jacobian; build the gradient flow with its Hessian–vector product.");
            _system = system;
            _evaluations = _pending;
            _pending = 0;
            _retry = _hasTrial && t == _t0 && y.SequenceEqual(_start);
            StartingValues(t, y, h);
            y.CopyTo(_start);
            dydt.CopyTo(_startSlope);
            _t0 = t;
            _h = h;
            _hasTrial = true;
            double hd = Scalar.ToDouble(h);
            for (int k = 0; k < _n; k++)
            {
                double atol = _atol?[k] ?? _atolAll;
                _scale[k] = atol + _rtol * Math.Abs(Scalar.ToDouble(y[k]));
            }

            if (!_jacobian.HasValue || _stale)
            {
                _jacobian.Update(jacobian, t, y);
                _stale = false;
            }
            while (true)
            {
                _jacobian.PrepareStages(hd, _a);
                if (Newton(system, t, h, out int iterations, out double rate))
                {
                    _stale = iterations > SlowIterations && rate > SlowRate;
                    break;
                }
                // Not converged: first a Jacobian at this point, then more eigenpairs, then a smaller step.
                if (!_jacobian.IsAt(t, y)) _jacobian.Update(jacobian, t, y);
                else if (!_jacobian.Grow())
                {
                    // A smaller step: the integrator rejects a non-finite result. The polynomial of this attempt is unusable.
                    _hasTrial = false;
                    yNew.Fill(T.CreateTruncating(double.NaN));
                    dydtNew.Fill(T.CreateTruncating(double.NaN));
                    error.Clear();
                    return;
                }
                foreach (T[] zi in _z) Array.Clear(zi);
            }

            // y₁ = y₀ + Z₃ (stiffly accurate); the collocation polynomial's coefficients q = P Z.
            for (int k = 0; k < _n; k++)
            {
                yNew[k] = y[k] + _z[2][k];
                for (int p = 0; p < 3; p++)
                    _q[p][k] = Tableau.Interpolation[p, 0] * _z[0][k] + Tableau.Interpolation[p, 1] * _z[1][k] + Tableau.Interpolation[p, 2] * _z[2][k];
            }

            // Error estimate (γ/h I − J)⁻¹ (f(y₀) + Σ eᵢZᵢ/h).
            T[] e = Tableau.ErrorWeights;
            for (int k = 0; k < _n; k++)
            {
                _errorRight[k] = Scalar.ToDouble((e[0] * _z[0][k] + e[1] * _z[1][k] + e[2] * _z[2][k]) / h);
                _error[k] = _errorRight[k] + Scalar.ToDouble(dydt[k]);
            }
            _jacobian.SolveShifted(Scalar.ToDouble(Tableau.ErrorShift) / hd, _error);
            for (int k = 0; k < _n; k++) error[k] = T.CreateTruncating(_error[k]);

            system.Evaluate(t + h, yNew, dydtNew);
            _evaluations++;
        }

        /// <summary>
        /// The RMS of the error estimate in units of the tolerance; after a rejection (or on the first step) an estimate
        /// above 1 is refined once with f at y₀ + err, which filters the stiff components the first estimate overstates.
        /// </summary>
        public double ScaledErrorNorm(ReadOnlySpan<double> scale)
        {
            double norm = Norm(scale);
            if (norm > 1.0 && (_first || _retry) && _system is not null)
            {
                for (int k = 0; k < _n; k++) _argument[k] = _start[k] + T.CreateTruncating(_error[k]);
                _system.Evaluate(_t0, _argument, _f[0]);
                _pending++;
                for (int k = 0; k < _n; k++) _error[k] = _errorRight[k] + Scalar.ToDouble(_f[0][k]);
                _jacobian.SolveShifted(Scalar.ToDouble(Tableau.ErrorShift) / Scalar.ToDouble(_h), _error);
                norm = Norm(scale);
            }
            _first = false;
            return norm;
        }

        private double Norm(ReadOnlySpan<double> scale)
        {
            double sum = 0.0;
            for (int k = 0; k < _n; k++)
            {
                double ratio = ErrorScaling.Ratio(_error[k], scale[k]);
                sum += ratio * ratio;
            }
            return Math.Sqrt(sum / _n);
        }

        public void Interpolate(T theta, Span<T> y)
        {
            for (int k = 0; k < _n; k++)
                y[k] = _start[k] + theta * (_q[0][k] + theta * (_q[1][k] + theta * _q[2][k]));
        }

        /// <summary>
        /// Zᵢ from the last step's collocation polynomial: extrapolated past its end when this step starts there, read
        /// inside it when this step retries its start with a smaller h; zero otherwise.
        /// </summary>
        private void StartingValues(T t, ReadOnlySpan<T> y, T h)
        {
            bool continues = _hasTrial && t == _t0 + _h;
            if (!_retry && !continues)
            {
                foreach (T[] zi in _z) Array.Clear(zi);
                return;
            }
            for (int i = 0; i < 3; i++)
            {
                T theta = (continues ? T.One : T.Zero) + Tableau.Nodes[i] * h / _h;
                T[] zi = _z[i];
                for (int k = 0; k < _n; k++)
                    zi[k] = _start[k] + theta * (_q[0][k] + theta * (_q[1][k] + theta * _q[2][k])) - y[k];
            }
        }

        /// <summary>The simplified Newton iteration from the current Z; false when it diverges or would not converge in time.</summary>
        private bool Newton(IOdeSystem<T> system, T t, T h, out int iterations, out double rate)
        {
            T[,] a = Tableau.A;
            double eta = Math.Pow(Math.Max(_eta, RoundOff), 0.8);
            double previous = 0.0;
            rate = 0.0;
            ShareStages(system);
            _stageTime = t;
            _stageStep = h;
            for (iterations = 1; iterations <= MaxIterations; iterations++)
            {
                if (_stages is not null) _stages.Run();
                else
                    for (int i = 0; i < 3; i++) EvaluateStage(system, i);
                _evaluations += 3;
                for (int i = 0; i < 3; i++)
                {
                    T ai0 = h * a[i, 0], ai1 = h * a[i, 1], ai2 = h * a[i, 2];
                    T[] zi = _z[i];
                    double[] ri = _r[i];
                    for (int k = 0; k < _n; k++)
                        ri[k] = Scalar.ToDouble(ai0 * _f[0][k] + ai1 * _f[1][k] + ai2 * _f[2][k] - zi[k]);
                }
                _jacobian.SolveStages(_r[0], _r[1], _r[2]);
                double sum = 0.0;
                for (int i = 0; i < 3; i++)
                {
                    double[] ri = _r[i];
                    T[] zi = _z[i];
                    for (int k = 0; k < _n; k++)
                    {
                        double ratio = ErrorScaling.Ratio(ri[k], _scale[k]);
                        sum += ratio * ratio;
                        zi[k] += T.CreateTruncating(ri[k]);
                    }
                }
                double norm = Math.Sqrt(sum / (3 * _n));
                if (!double.IsFinite(norm)) return false;
                if (iterations > 1)
                {
                    rate = norm / previous;
                    bool slow = rate >= 0.99;
                    if (!slow)
                    {
                        eta = rate / (1.0 - rate);
                        slow = eta * norm * Math.Pow(rate, MaxIterations - iterations) > _fnewt;
                    }
                    if (slow)
                    {
                        // Stalled at a level that is already a small fraction of the tolerance: accept (see StalledBound).
                        if (norm > StalledBound) return false;
                        _eta = Math.Min(eta, 1.0);
                        return true;
                    }
                }
                if (eta * norm <= _fnewt || norm == 0.0)
                {
                    _eta = eta;
                    return true;
                }
                previous = norm;
            }
            iterations = MaxIterations;
            return false;
        }

        /// <summary>f at the stage value y₀ + Zᵢ, into Fᵢ, evaluated by <paramref name="system"/>.</summary>
        private void EvaluateStage(IOdeSystem<T> system, int i)
        {
            T[] argument = _stageArguments[i], zi = _z[i];
            for (int k = 0; k < _n; k++) argument[k] = _start[k] + zi[k];
            system.Evaluate(_stageTime + Tableau.Nodes[i] * _stageStep, argument, _f[i]);
        }

        /// <summary>
        /// Sets up, once per system, the sharing of the stage evaluations with a second thread: when the system can
        /// replicate itself and an evaluation costs at least <see cref="ConcurrentStagesWork"/>, stages 1 and 2 are
        /// evaluated by the system and stage 3 by its replica, as the two parts of a <see cref="TwoWaySplit"/> (in turn on
        /// one processor). Each stage's f is the same bits either way.
        /// </summary>
        private void ShareStages(IOdeSystem<T> system)
        {
            if (ReferenceEquals(system, _replicated)) return;
            _replicated = system;
            _replica = system is IReplicableSystem<T> replicable && replicable.EvaluationWork >= ConcurrentStagesWork
                ? replicable.CreateReplica()
                : null;
            _stages = _replica is null
                ? null
                : new TwoWaySplit(part =>
                {
                    if (part == 0)
                    {
                        EvaluateStage(_replicated!, 0);
                        EvaluateStage(_replicated!, 1);
                    }
                    else EvaluateStage(_replica!, 2);
                });
        }

        /// <summary>The unit round-off u of <typeparamref name="T"/>: 2⁻⁵³ for double, 2⁻¹⁰⁶ for double-double (whose
        /// 1 + u ≠ 1 for far smaller u, since the trailing word holds it: its precision is 106 bits, not its range).</summary>
        private static double UnitRoundOff() => typeof(T) == typeof(DoubleDouble) ? Math.ScaleB(1.0, -106) : Math.ScaleB(1.0, -53);
    }
}
