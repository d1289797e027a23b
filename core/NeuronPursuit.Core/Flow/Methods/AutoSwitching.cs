// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Flow.Methods;

/// <summary>
/// Automatic switching between Dormand–Prince 5(4) and the stiff <see cref="RadauIIA5"/> by their predicted cost per
/// unit of time, in the spirit of LSODA (Petzold 1983), which switches when the other method's predicted step makes it
/// cheaper, not merely when stability binds. Costs are counted in evaluations of f (deterministic, so a run does not
/// depend on timing): dp5 costs 6 per step; radau5 its running mean of evaluations per step plus
/// <see cref="ProductCost"/> per Jacobian–vector product of its Jacobian updates.
/// <list type="bullet">
/// <item>While stiff, radau5 knows the spectral radius ρ of its Jacobian model; dp5 would take min(h, 3/ρ) (inside
/// its stability interval, |hλ| ≤ 3.3 on the real axis). After <see cref="Persistence"/> steps in a row in which dp5
/// at that step is predicted cheaper per unit of time by <see cref="Margin"/>, switch to dp5, remembering radau5's
/// cost per unit of time at that moment.</item>
/// <item>While explicit, the step is stability-limited when Hairer's estimate hρ of DOPRI5 (h‖k₇ − k₆‖/‖y₇ − y₆‖)
/// exceeds <see cref="StiffThreshold"/> (its error estimate then says nothing about the step accuracy would allow:
/// the controller keeps h at the stability boundary). After <see cref="Persistence"/> such steps in a row whose cost
/// per unit of time exceeds radau5's remembered one by <see cref="Margin"/> (or radau5 was never tried), switch.
/// The remembered cost goes stale (radau5's step at the moment it was left, on a plateau say, says little about the
/// step it would take in a later stiff phase), so a stability-limited explicit phase also retries radau5 once its own
/// work since the last switch exceeds <see cref="RetryFactor"/> times the work of such a trial (<see cref="Persistence"/>
/// radau5 steps at its running cost); a trial that is left again within 2·<see cref="Persistence"/> steps doubles
/// that budget, so failed trials cost at most a small fraction of the explicit work (LSODA re-examines its choice
/// continually for the same reason).</item>
/// </list>
/// The system must provide its Jacobian (<see cref="IJacobian{T}"/>): the solver refuses this method on a system
/// without one before integrating, rather than silently staying explicit.
/// </summary>
public sealed class AutoSwitching : IRungeKuttaMethod
{
    /// <summary>hρ above which an explicit step counts as stability-limited.</summary>
    public const double StiffThreshold = 2.5;

    /// <summary>hρ of dp5 that is safely inside its stability interval, for the step it would take.</summary>
    public const double ExplicitStability = 3.0;

    /// <summary>Consecutive accepted steps in favour of the other method before a switch.</summary>
    public const int Persistence = 8;

    /// <summary>How much cheaper the other method must be predicted to be.</summary>
    public const double Margin = 1.5;

    /// <summary>Evaluations of f that one Jacobian–vector product of radau5's Jacobian updates counts as.</summary>
    public const double ProductCost = 2.5;

    /// <summary>How many times the work of a radau5 trial a stability-limited explicit phase spends before retrying radau5.</summary>
    public const double RetryFactor = 10.0;

    /// <summary>radau5's evaluations per step assumed before it has taken any.</summary>
    private const double InitialStiffCost = 20.0;

    private const double ExplicitCost = 6.0;

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
        private double _stiffCost = InitialStiffCost;
        private double _stiffCostPerTime = double.NaN;
        private long _productsBefore;
        private double _explicitWork, _retryBudget = RetryFactor * Persistence * InitialStiffCost;
        private int _stiffSteps;

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
            _productsBefore = _stiff.JacobianProducts;
            IRungeKuttaStepper<T> active = _lastWasStiff ? _stiff : _explicit;
            active.Step(system, t, y, dydt, h, yNew, error, dydtNew);
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
            bool otherIsCheaper;
            if (_lastWasStiff)
            {
                // radau5's cost per step: a running mean of its evaluations and Jacobian products.
                double cost = _stiff.EvaluationsPerStep + ProductCost * (_stiff.JacobianProducts - _productsBefore);
                _stiffCost = 0.8 * _stiffCost + 0.2 * cost;
                double rho = _stiff.StiffnessRatio / Math.Max(_h, double.Epsilon);
                double explicitStep = rho > 0.0 ? Math.Min(_h, ExplicitStability / rho) : _h;
                otherIsCheaper = ExplicitCost / explicitStep * Margin < _stiffCost / _h;
                if (otherIsCheaper) _stiffCostPerTime = _stiffCost / _h;
                _stiffSteps++;
            }
            else
            {
                double hRho = ((IStiffnessEstimate)_explicit).StiffnessRatio;
                _explicitWork += ExplicitCost;
                bool retry = _explicitWork >= _retryBudget;
                otherIsCheaper = hRho > StiffThreshold && (retry || !(_stiffCostPerTime * Margin >= ExplicitCost / _h));
            }
            _streak = otherIsCheaper ? _streak + 1 : 0;
            if (_streak < Persistence) return;
            if (_lastWasStiff)
            {
                // A short stiff phase was a failed trial: wait twice as long before the next.
                double trial = RetryFactor * Persistence * _stiffCost;
                _retryBudget = _stiffSteps <= 2 * Persistence ? Math.Max(2 * _retryBudget, trial) : trial;
            }
            _stiffMode = !_stiffMode;
            _streak = 0;
            _explicitWork = 0.0;
            _stiffSteps = 0;
            Switches++;
        }

        public void Interpolate(T theta, Span<T> y) => (_lastWasStiff ? _stiff : _explicit).Interpolate(theta, y);
    }
}
