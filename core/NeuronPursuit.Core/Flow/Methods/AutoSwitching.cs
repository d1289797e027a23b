// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Flow.Methods;

/// <summary>
/// Automatic switching between Dormand–Prince 5(4) and the stiff Rosenbrock method <see cref="Rodas4"/>,
/// in the spirit of LSODA (Petzold 1983) and Hairer's stiffness detection in DOPRI5 (HNW II, §IV.2).
/// After each accepted step the active stepper estimates hρ: while explicit, Hairer's
/// h‖k₇ − k₆‖/‖y₇ − y₆‖ of DOPRI5; while stiff, h‖J‖∞ from the exact Jacobian. While explicit, hρ above
/// 2.5 (close to DP5's stability boundary, |hλ| ≈ 3.3 on the real axis) for 15 accepted steps in a row
/// means the step is held by stability, not accuracy: switch to rodas4 (order 4, L-stable; it replaced the
/// order-2 lie2 here, which needs several times more steps on the paper-size flow at the same tolerance).
/// While stiff, hρ below 1 for 15 accepted steps means an explicit step of the same size would be stable:
/// switch back. The system must provide its Jacobian (<see cref="IJacobian{T}"/>): the solver refuses this
/// method on a system without one before integrating, rather than silently staying explicit.
/// </summary>
public sealed class AutoSwitching : IRungeKuttaMethod
{
    /// <summary>hρ above which an explicit step counts as stability-limited.</summary>
    public const double StiffThreshold = 2.5;

    /// <summary>hρ below which a stiff step could be taken explicitly.</summary>
    public const double NonStiffThreshold = 1.0;

    /// <summary>Consecutive accepted steps needed before a switch.</summary>
    public const int Persistence = 15;

    /// <summary>The stiff method switched to.</summary>
    private static readonly IRungeKuttaMethod StiffMethod = new Rodas4();

    /// <inheritdoc/>
    public string Name => "auto";

    /// <inheritdoc/>
    public int Order => 5;

    /// <inheritdoc/>
    public int? EmbeddedOrder => 4;

    /// <inheritdoc/>
    public int DenseOutputOrder => 3;

    /// <inheritdoc/>
    public string Reference => "dp5 ⇄ rodas4 switching after Petzold (1983, LSODA) and Hairer's stiffness detection (HNW II, §IV.2)";

    /// <inheritdoc/>
    public bool RequiresJacobian => true;

    /// <inheritdoc/>
    public IRungeKuttaStepper<T> CreateStepper<T>(int dimension)
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
        => new Stepper<T>(dimension);

    private sealed class Stepper<T> : IRungeKuttaStepper<T>, IAdaptiveStepper
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
    {
        private readonly IRungeKuttaStepper<T> _explicit;
        private readonly IRungeKuttaStepper<T> _stiff;
        private bool _stiffMode;
        private bool _lastWasStiff;
        private bool _canSwitch;
        private double _stiffnessRatio;
        private int _streak;

        public Stepper(int dimension)
        {
            _explicit = new DormandPrince54().CreateStepper<T>(dimension);
            _stiff = StiffMethod.CreateStepper<T>(dimension);
        }

        /// <summary>How many times the method switched.</summary>
        public int Switches { get; private set; }

        public int EvaluationsPerStep => _lastWasStiff ? _stiff.EvaluationsPerStep : _explicit.EvaluationsPerStep;

        public int ErrorOrder => _lastWasStiff ? StiffMethod.EmbeddedOrder!.Value : 4;

        public void Step(IOdeSystem<T> system, T t, ReadOnlySpan<T> y, ReadOnlySpan<T> dydt, T h, Span<T> yNew, Span<T> error, Span<T> dydtNew)
        {
            _canSwitch = system is IJacobian<T> { HasJacobian: true };
            _lastWasStiff = _stiffMode && _canSwitch;
            IRungeKuttaStepper<T> active = _lastWasStiff ? _stiff : _explicit;
            active.Step(system, t, y, dydt, h, yNew, error, dydtNew);
            _stiffnessRatio = ((IStiffnessEstimate)active).StiffnessRatio;
        }

        public void Accepted()
        {
            if (!_canSwitch) return;
            bool pushesToOtherMode = _stiffMode ? _stiffnessRatio < NonStiffThreshold : _stiffnessRatio > StiffThreshold;
            _streak = pushesToOtherMode ? _streak + 1 : 0;
            if (_streak < Persistence) return;
            _stiffMode = !_stiffMode;
            _streak = 0;
            Switches++;
        }

        public void Interpolate(T theta, Span<T> y) => (_lastWasStiff ? _stiff : _explicit).Interpolate(theta, y);
    }
}
