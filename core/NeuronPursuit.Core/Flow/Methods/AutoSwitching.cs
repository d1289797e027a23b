// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Flow.Methods;

/// <summary>
/// Automatic switching between Dormand–Prince 5(4) and the stiff <see cref="RadauIIA5"/> by their cost per unit of
/// time, in the spirit of LSODA (Petzold 1983), which switches when the other method's step makes it cheaper, not
/// merely when stability binds. Costs are counted in evaluations of f (deterministic, so a run does not depend on
/// timing) over every attempted step, rejected ones included: dp5 costs 6 per step, radau5 its evaluations, and a
/// Jacobian–vector product of radau5's Jacobian updates counts as <see cref="ProductCost"/>. A phase compares costs over
/// a window of its last accepted steps (exponential forgetting over <see cref="Persistence"/> steps), so a few small
/// steps (radau5's Newton iteration across a kink of a ReLU² flow, say) do not decide a switch, and over steps of the
/// same stretch of time, so the ratio of the two costs is the ratio of their costs per unit time.
/// <list type="bullet">
/// <item>While stiff, radau5 knows the spectral radius ρ of its Jacobian model. dp5 would cover each of its steps h in
/// max(1, hρ/κ) steps of its own, where κ is the hρ dp5 actually achieved while it felt stiffness in its last phase
/// (its mean step then times the ρ radau5 finds on taking over, between <see cref="StiffThreshold"/> and
/// <see cref="ExplicitStability"/>). At loose tolerances dp5 is held near its stability boundary; at tight ones its error
/// estimate on the stiff components holds it well inside (hρ ≈ 1 on the three-layer flow at rtol 10⁻¹³), and the
/// boundary would overrate it. Once radau5 has taken <see cref="Persistence"/> steps (to grow its step from dp5's) and
/// its windowed evaluations exceed dp5's predicted ones by <see cref="Margin"/> for <see cref="Persistence"/> steps in a
/// row, switch to dp5, remembering radau5's windowed cost per unit time. Jacobian updates are left out of that window:
/// they are an investment the following steps draw on, already paid when the question is whether to go on.</item>
/// <item>While explicit, a step feels stiffness when Hairer's estimate hρ of DOPRI5 (h‖k₇ − k₆‖/‖y₇ − y₆‖) reaches
/// <see cref="StiffThreshold"/>: an eigenvalue with |hλ| above it counts as stiff (the bound the Newton model uses),
/// and dp5's error estimate on such components, not the smooth solution, may be what limits its step. At tight
/// tolerances that happens well below the stability boundary: on the three-layer flow at rtol 10⁻¹² dp5 runs 120 k
/// steps at hρ ≈ 1–2 after the escape, its step hardly shrinks from rtol 10⁻¹² to 10⁻¹³, and radau5 needs 3–7 times
/// fewer evaluations there; a detection of the stability boundary alone (hρ above <see cref="StabilityLimited"/>) never
/// fired and auto stayed explicit. The explicit window holds only the current run of such steps (a plateau's long steps
/// say nothing about dp5's cost in the stiff phase that follows). After <see cref="Persistence"/> of them in a row,
/// switch when dp5's windowed cost per unit time exceeds radau5's remembered one by <see cref="Margin"/>, or radau5 was
/// never tried and the steps are held at the stability boundary (hρ above <see cref="StabilityLimited"/>, Hairer's
/// detection), or the explicit work since the last switch exceeds <see cref="RetryFactor"/> times the evaluations of
/// radau5's last trial (its first <see cref="Persistence"/> steps; the Jacobian model survives the switch): the
/// remembered cost goes stale (radau5's cost at a saddle says little about the stiff approach after it), and LSODA
/// re-examines its choice continually for the same reason. A radau5 phase that cost more per unit time, Jacobian updates
/// included, than the explicit phase it interrupted doubles that budget, so failed trials cost at most a small fraction
/// of the explicit work.</item>
/// </list>
/// The system must provide its Jacobian (<see cref="IJacobian{T}"/>): the solver refuses this method on a system
/// without one before integrating, rather than silently staying explicit.
/// </summary>
public sealed class AutoSwitching : IRungeKuttaMethod
{
    /// <summary>hρ of an explicit step from which it counts as feeling stiffness (the |hμ| above which NewtonJacobian counts an eigenvalue as stiff).</summary>
    public const double StiffThreshold = 0.5;

    /// <summary>hρ of an explicit step above which it counts as held at dp5's stability boundary (Hairer's detection).</summary>
    public const double StabilityLimited = 2.5;

    /// <summary>The largest hρ assumed for dp5's predicted step: inside its stability interval (|hλ| ≤ 3.3 on the real axis).</summary>
    public const double ExplicitStability = 3.0;

    /// <summary>Consecutive accepted steps in favour of the other method before a switch; also the cost window's length and radau5's shortest trial.</summary>
    public const int Persistence = 8;

    /// <summary>How much cheaper the other method must be predicted to be.</summary>
    public const double Margin = 1.5;

    /// <summary>Evaluations of f that one Jacobian–vector product of radau5's Jacobian updates counts as.</summary>
    public const double ProductCost = 2.5;

    /// <summary>How many times the evaluations of a radau5 trial a stiff explicit phase spends before retrying radau5.</summary>
    public const double RetryFactor = 10.0;

    /// <summary>radau5's evaluations per step assumed before it has taken any (for the first retry budget).</summary>
    private const double InitialStiffCost = 20.0;

    private const double ExplicitCost = 6.0;

    /// <summary>The cost window's forgetting factor per accepted step.</summary>
    private const double Forgetting = 1.0 - 1.0 / Persistence;

    /// <inheritdoc/>
    public string Name => "auto";

    /// <inheritdoc/>
    public int Order => 5;

    /// <inheritdoc/>
    public int? EmbeddedOrder => 4;

    /// <inheritdoc/>
    public int DenseOutputOrder => 3;

    /// <inheritdoc/>
    public string Reference => "dp5 ⇄ radau5 by predicted cost, after Petzold (1983, LSODA) and Hairer's stiffness detection (HNW II, §IV.2)";

    /// <inheritdoc/>
    public bool RequiresJacobian => true;

    /// <inheritdoc/>
    public IRungeKuttaStepper<T> CreateStepper<T>(int dimension)
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
        => new Stepper<T>(dimension);

    private sealed class Stepper<T> : IRungeKuttaStepper<T>, IAdaptiveStepper, IScaledErrorNorm, IToleranceAware
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
    {
        private readonly IRungeKuttaStepper<T> _explicit;
        private readonly RadauIIA5.Stepper<T> _stiff;
        private readonly double[] _error;
        private bool _stiffMode, _lastWasStiff, _canSwitch;
        private int _streak;
        private double _h;

        // The current phase: its attempts' evaluations and Jacobian products since the last accepted step; over the
        // window its cost, dp5's predicted cost (while stiff) and the time advanced; its whole cost and time.
        private double _attemptEvaluations, _attemptProducts, _windowCost, _windowOther, _windowTime, _phaseCost, _phaseTime;
        private int _phaseSteps;

        // What the phases left: the evaluations of radau5's first Persistence steps (its trial), radau5's windowed cost
        // per unit time when it was left, dp5's cost per unit time and mean step when it was left, and κ.
        private double _trialCost;
        private double _stiffCostPerTime = double.NaN;
        private double _explicitCostPerTime = double.NaN;
        private double _explicitStep = double.NaN;
        private double _kappa = ExplicitStability;
        private double _explicitWork, _retryBudget = RetryFactor * Persistence * InitialStiffCost;

        public Stepper(int dimension)
        {
            _explicit = new DormandPrince54().CreateStepper<T>(dimension);
            _stiff = new RadauIIA5.Stepper<T>(dimension);
            _error = new double[dimension];
        }

        /// <summary>How many times the method switched.</summary>
        public int Switches { get; private set; }

        public int EvaluationsPerStep => _lastWasStiff ? _stiff.EvaluationsPerStep : _explicit.EvaluationsPerStep;

        public int ErrorOrder => _lastWasStiff ? _stiff.ErrorOrder : 4;

        public void UseTolerances(double relative, double absolute, IReadOnlyList<double>? perComponent) =>
            _stiff.UseTolerances(relative, absolute, perComponent);

        public void Step(IOdeSystem<T> system, T t, ReadOnlySpan<T> y, ReadOnlySpan<T> dydt, T h, Span<T> yNew, Span<T> error, Span<T> dydtNew)
        {
            _canSwitch = system is IJacobian<T> { HasJacobian: true };
            _lastWasStiff = _stiffMode && _canSwitch;
            _h = Math.Abs(double.CreateTruncating(h));
            long productsBefore = _stiff.JacobianProducts;
            IRungeKuttaStepper<T> active = _lastWasStiff ? _stiff : _explicit;
            active.Step(system, t, y, dydt, h, yNew, error, dydtNew);
            // radau5 counts the evaluation that refines a rejected step's error estimate in its next step.
            _attemptEvaluations += active.EvaluationsPerStep;
            _attemptProducts += ProductCost * (_stiff.JacobianProducts - productsBefore);
            for (int k = 0; k < _error.Length; k++) _error[k] = double.CreateTruncating(error[k]);
        }

        public double ScaledErrorNorm(ReadOnlySpan<double> scale)
        {
            if (_lastWasStiff) return _stiff.ScaledErrorNorm(scale);
            double sum = 0.0;
            for (int k = 0; k < _error.Length; k++)
            {
                double ratio = ErrorScaling.Ratio(_error[k], scale[k]);
                sum += ratio * ratio;
            }
            return Math.Sqrt(sum / _error.Length);
        }

        public void Accepted()
        {
            if (!_canSwitch) return;
            double evaluations = _attemptEvaluations, cost = evaluations + _attemptProducts;
            _phaseCost += cost;
            _phaseTime += _h;
            _phaseSteps++;
            _attemptEvaluations = _attemptProducts = 0.0;
            bool otherIsCheaper;
            if (_lastWasStiff)
            {
                // Jacobian updates are an investment the following steps draw on (and one already paid when the
                // question is whether to go on): they count in the phase's cost, not in the window or the trial's
                // evaluations (the model survives a switch and serves the next trial unless it fails there).
                if (_phaseSteps <= Persistence) _trialCost += evaluations;
                _windowCost = Forgetting * _windowCost + evaluations;
                _windowTime = Forgetting * _windowTime + _h;
                // dp5's steps over this one: at most κ/ρ each, and no longer than radau5's (accuracy binds both).
                double rho = _stiff.StiffnessRatio / Math.Max(_h, double.Epsilon);
                if (_phaseSteps == 1 && double.IsFinite(_explicitStep) && rho > 0.0)
                    _kappa = Math.Clamp(_explicitStep * rho, StiffThreshold, ExplicitStability);
                double explicitSteps = Math.Max(1.0, _h * rho / _kappa);
                _windowOther = Forgetting * _windowOther + ExplicitCost * explicitSteps;
                otherIsCheaper = _phaseSteps >= Persistence && _windowCost > Margin * _windowOther;
            }
            else
            {
                // The window holds the current run of steps that feel stiffness only (a plateau's long steps say
                // nothing about dp5's cost in the stiff phase that follows).
                double hRho = ((IStiffnessEstimate)_explicit).StiffnessRatio;
                bool stiff = hRho >= StiffThreshold;
                _windowCost = stiff ? Forgetting * _windowCost + cost : 0.0;
                _windowTime = stiff ? Forgetting * _windowTime + _h : 0.0;
                _explicitWork += cost;
                bool retry = _explicitWork >= _retryBudget;
                double costPerTime = _windowCost / _windowTime;
                bool untried = double.IsNaN(_stiffCostPerTime);
                otherIsCheaper = stiff && (retry || (untried ? hRho > StabilityLimited : _stiffCostPerTime * Margin < costPerTime));
            }
            _streak = otherIsCheaper ? _streak + 1 : 0;
            if (_streak < Persistence) return;
            if (_lastWasStiff)
            {
                // A trial that found radau5 dearer than the explicit phase it interrupted: wait twice as long before the next.
                _stiffCostPerTime = _windowCost / _windowTime;
                double trial = RetryFactor * _trialCost;
                _retryBudget = _phaseCost / _phaseTime > _explicitCostPerTime ? Math.Max(2 * _retryBudget, trial) : trial;
                _trialCost = 0.0;
            }
            else
            {
                _explicitCostPerTime = _windowCost / _windowTime;
                _explicitStep = _windowTime * ExplicitCost / _windowCost;
            }
            _stiffMode = !_stiffMode;
            _streak = 0;
            _explicitWork = 0.0;
            _phaseSteps = 0;
            _windowCost = _windowOther = _windowTime = _phaseCost = _phaseTime = 0.0;
            Switches++;
        }

        public void Interpolate(T theta, Span<T> y) => (_lastWasStiff ? _stiff : _explicit).Interpolate(theta, y);
    }
}
