// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Flow;

/// <summary>
/// Integrates dy/dt = f(t, y) with a Runge–Kutta method: adaptive steps with a PI controller for
/// embedded pairs (Gustafsson 1991; Hairer &amp; Wanner II, §IV.2), fixed steps otherwise; dense output
/// for observers and events; events located on accepted steps only. Generic over the scalar, so a
/// double-double integration uses double-double in every stage.
/// </summary>
public static class FlowSolver
{
    /// <summary>Integrates from t₀ to t_end.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="system">f.</param>
    /// <param name="method">The method.</param>
    /// <param name="t0">Start time.</param>
    /// <param name="y0">Initial state.</param>
    /// <param name="tEnd">End time, ≥ t₀.</param>
    /// <param name="options">Step control.</param>
    /// <param name="events">Events to locate, or null.</param>
    /// <param name="observers">Observers, or null.</param>
    /// <param name="progress">Receives the fraction (t − t₀)/(t_end − t₀) now and then, or null.</param>
    /// <returns>The final state, statistics, events and status.</returns>
    /// <exception cref="ArgumentException">Bad shapes, non-finite y₀, t_end &lt; t₀, invalid options, a fixed-step method
    /// without a step, or a method that <see cref="IRungeKuttaMethod.RequiresJacobian"/> on a system without one.</exception>
    public static FlowSolution<T> Solve<T>(
        IOdeSystem<T> system, IRungeKuttaMethod method, T t0, ReadOnlySpan<T> y0, T tEnd, IntegrationOptions options,
        IReadOnlyList<FlowEvent>? events = null, IReadOnlyList<IFlowObserver>? observers = null, IProgress<double>? progress = null)
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int n = system.Dimension;
        Guard.Length(y0.Length, n, nameof(y0), "the dimension of the system");
        Guard.Finite(y0, nameof(y0));
        if (!T.IsFinite(t0) || !T.IsFinite(tEnd) || tEnd < t0)
            throw new ArgumentException($"t-end: must be finite and ≥ t0 = {Scalar.ToDouble(t0)}, got {Scalar.ToDouble(tEnd)}.", nameof(tEnd));
        if (options.AbsoluteTolerances is { } atols) Guard.Length(atols.Length, n, "atol", "one per component");
        bool adaptive = method.EmbeddedOrder is not null;
        if (!adaptive && options.FixedStep is null)
            throw new ArgumentException($"step: the fixed-step method {method.Name} needs a step size.", "step");
        if (method.RequiresJacobian && system is not IJacobian<T> { HasJacobian: true })
            throw new ArgumentException(
                $"method: {method.Name} needs the Jacobian of the system, which this system does not provide (a gradient flow needs its objective's Hessian–vector product).",
                "method");
        if (method.RequiresJacobian && options.LogarithmicTimeScale is not null)
            throw new ArgumentException(
                $"method: {method.Name} assumes an autonomous system (it drops ∂f/∂t), and logarithmic time makes the flow non-autonomous; use an explicit method with logarithmic time.",
                "method");

        if (options.LogarithmicTimeScale is not { } tau)
            return new Run<T>(system, method, options, n, events ?? [], observers ?? [], progress).Integrate(t0, y0, tEnd);

        // Integrate in s = ln(1 + (t − t₀)/τ); translate observers, events and the result back to t.
        var map = new LogarithmicTimeMap(Scalar.ToDouble(t0), tau);
        T scale = T.CreateTruncating(tau);
        var inS = new LogarithmicTimeSystem<T>(system, t0, scale);
        T sEnd = CompensatedElementary.LogOnePlus((tEnd - t0) / scale);
        IFlowObserver[] mappedObservers = (observers ?? []).Select(o => (IFlowObserver)new LogarithmicTimeObserver(o, map)).ToArray();
        FlowEvent[] mappedEvents = (events ?? []).Select(e => e with { Function = (s, y) => e.Function(map.ToT(s), y) }).ToArray();
        FlowSolution<T> solution = new Run<T>(inS, method, options, n, mappedEvents, mappedObservers, progress).Integrate(T.Zero, y0, sEnd);
        T finalTime = t0 + scale * CompensatedElementary.ExpMinusOne(solution.FinalTime);
        if (solution.Status == IntegrationStatus.Completed) finalTime = tEnd;
        EventOccurrence[] occurred = solution.Events.Select(e => e with { Time = map.ToT(e.Time) }).ToArray();
        return solution with { FinalTime = finalTime, Events = occurred, Message = solution.Message + " (integrated in logarithmic time)" };
    }

    /// <summary>The state of one integration.</summary>
    private sealed class Run<T> where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
    {
        private readonly IOdeSystem<T> _system;
        private readonly IRungeKuttaMethod _method;
        private readonly IRungeKuttaStepper<T> _stepper;
        private readonly IntegrationOptions _options;
        private readonly int _n;
        private readonly IReadOnlyList<FlowEvent> _events;
        private readonly IReadOnlyList<IFlowObserver> _observers;
        private readonly int[] _nextObservation;
        private readonly IProgress<double>? _progress;
        private readonly T[] _y, _dydt, _yNew, _dydtNew, _error, _interpolated;
        private readonly double[] _asDouble;
        private readonly double[] _scale;
        private readonly double[] _eventValues;
        private readonly List<EventOccurrence> _occurred = [];
        private long _evaluations, _accepted, _rejected;

        public Run(IOdeSystem<T> system, IRungeKuttaMethod method, IntegrationOptions options, int n,
                   IReadOnlyList<FlowEvent> events, IReadOnlyList<IFlowObserver> observers, IProgress<double>? progress)
        {
            _system = system;
            _method = method;
            _stepper = method.CreateStepper<T>(n);
            (_stepper as IToleranceAware)?.UseTolerances(options.RelativeTolerance, options.AbsoluteTolerance, options.AbsoluteTolerances);
            _options = options;
            _n = n;
            _events = events;
            _observers = observers;
            _nextObservation = new int[observers.Count];
            _progress = progress;
            _y = new T[n];
            _dydt = new T[n];
            _yNew = new T[n];
            _dydtNew = new T[n];
            _error = new T[n];
            _interpolated = new T[n];
            _asDouble = new double[n];
            _scale = new double[n];
            _eventValues = new double[events.Count];
        }

        public FlowSolution<T> Integrate(T t0, ReadOnlySpan<T> y0, T tEnd)
        {
            y0.CopyTo(_y);
            T t = t0;
            Evaluate(t, _y, _dydt);
            ObserveUpTo(Scalar.ToDouble(t0), inclusive: true, t0, T.One, atStart: true);
            for (int e = 0; e < _events.Count; e++) _eventValues[e] = _events[e].Function(Scalar.ToDouble(t), ToDouble(_y));

            bool adaptive = _method.EmbeddedOrder is not null;
            T h = adaptive ? InitialStep(t, tEnd) : T.CreateTruncating(_options.FixedStep!.Value);
            long fixedStepIndex = 0;
            double previousErrorNorm = 1.0;
            bool lastRejected = false;
            double span = Scalar.ToDouble(tEnd - t0);
            long reportEvery = 1000;

            while (t < tEnd)
            {
                if (_options.Cancellation.IsCancellationRequested)
                    return Finish(IntegrationStatus.Interrupted, $"interrupted at t = {Format(t)} before t-end = {Format(tEnd)}.", t);
                if (_accepted + _rejected >= _options.MaxSteps)
                    return Finish(IntegrationStatus.MaxStepsReached, $"stopped after {_options.MaxSteps} steps at t = {Format(t)} before t-end = {Format(tEnd)}; raise the step limit or loosen the tolerances.", t);

                // Fixed steps are exactly η (so Euler reproduces gradient descent bit for bit) and the time is
                // t₀ + kη, computed rather than accumulated; the last step is shortened to land on t_end.
                // The last step of either kind ends exactly at t_end.
                T hStep = h;
                T tNew;
                T remaining = tEnd - t;
                if (!adaptive)
                {
                    T slack = h * T.CreateTruncating(1e-9);
                    bool last = remaining <= h + slack;
                    hStep = last && T.Abs(remaining - h) > slack ? remaining : h;
                    tNew = last ? tEnd : t0 + T.CreateTruncating(fixedStepIndex + 1) * h;
                }
                else
                {
                    hStep = T.Min(hStep, T.CreateTruncating(_options.MaxStep));
                    bool last = hStep >= remaining;
                    if (last) hStep = remaining;
                    tNew = last ? tEnd : t + hStep;
                }
                if (!T.IsFinite(hStep) || Scalar.ToDouble(T.Abs(hStep)) < _options.MinStep || t + hStep == t)
                    return Finish(IntegrationStatus.StepSizeTooSmall, $"the step size {Format(hStep)} at t = {Format(t)} fell below the minimum; the flow is too stiff or singular here for this method and tolerance.", t);

                double errorNorm;
                bool finite = TryStep(t, hStep);
                if (!finite) errorNorm = double.PositiveInfinity;
                else errorNorm = adaptive ? ErrorNorm() : 0.0;

                if (adaptive && !(errorNorm <= 1.0))
                {
                    // Rejected: shrink by the controller's I-part only, never grow after a rejection.
                    _rejected++;
                    double factor = double.IsFinite(errorNorm)
                        ? Math.Max(_options.MinFactor, _options.Safety * Math.Pow(errorNorm, -1.0 / (ErrorOrder() + 1)))
                        : _options.MinFactor;
                    h = hStep * T.CreateTruncating(factor);
                    lastRejected = true;
                    continue;
                }
                if (!finite)
                    return Finish(IntegrationStatus.Diverged, $"the fixed step {Format(hStep)} at t = {Format(t)} produced a non-finite state; the step is beyond the stability limit.", t);

                _accepted++;
                (_stepper as IAdaptiveStepper)?.Accepted();
                bool stopped = HandleEvents(t, hStep, tNew, out T stopTime);
                ObserveUpTo(Scalar.ToDouble(stopped ? stopTime : tNew), inclusive: true, t, hStep, atStart: false);
                if (stopped)
                {
                    T theta = (stopTime - t) / hStep;
                    _stepper.Interpolate(theta, _interpolated);
                    _interpolated.CopyTo(_y, 0);
                    EventOccurrence terminal = _occurred[^1];
                    return Finish(IntegrationStatus.TerminalEvent, $"terminal event '{terminal.Name}' at t = {terminal.Time.ToString("R", CultureInfo.InvariantCulture)}.", stopTime);
                }

                // Advance.
                _yNew.CopyTo(_y, 0);
                _dydtNew.CopyTo(_dydt, 0);
                t = tNew;
                fixedStepIndex++;
                if (adaptive)
                {
                    // PI controller: factor = safety · err^{−α} · err_prev^{β}, α = 0.7/k, β = 0.4/k, k = embedded order + 1.
                    int k = ErrorOrder() + 1;
                    double err = Math.Max(errorNorm, 1e-10);
                    double factor = _options.Safety * Math.Pow(err, -0.7 / k) * Math.Pow(previousErrorNorm, 0.4 / k);
                    factor = Math.Clamp(factor, _options.MinFactor, lastRejected ? 1.0 : _options.MaxFactor);
                    previousErrorNorm = err;
                    h = hStep * T.CreateTruncating(factor);
                    lastRejected = false;
                }
                if (_progress is not null && _accepted % reportEvery == 0 && span > 0)
                    _progress.Report(Scalar.ToDouble(t - t0) / span);
            }
            _progress?.Report(1.0);
            return Finish(IntegrationStatus.Completed, $"reached t-end = {Format(t)} in {_accepted} steps ({_rejected} rejected).", t);
        }

        /// <summary>The order of the current error estimate: the method's, unless the stepper switches methods.</summary>
        private int ErrorOrder() => _stepper is IAdaptiveStepper adaptive ? adaptive.ErrorOrder : _method.EmbeddedOrder!.Value;

        private void Evaluate(T t, ReadOnlySpan<T> y, Span<T> dydt)
        {
            _system.Evaluate(t, y, dydt);
            _evaluations++;
        }

        /// <summary>One trial step; false when it produced a non-finite value (a blow-up of the trial, not of the input).</summary>
        private bool TryStep(T t, T h)
        {
            try
            {
                _stepper.Step(_system, t, _y, _dydt, h, _yNew, _error, _dydtNew);
                _evaluations += _stepper.EvaluationsPerStep;
            }
            catch (ArgumentException)
            {
                // The objective rejects non-finite stage arguments: the trial step overflowed. y itself was
                // validated on entry, so this is the step's fault and a smaller step is the remedy.
                _evaluations += _stepper.EvaluationsPerStep;
                return false;
            }
            for (int k = 0; k < _n; k++)
                if (!T.IsFinite(_yNew[k]) || !T.IsFinite(_dydtNew[k])) return false;
            return true;
        }

        /// <summary>RMS of eᵢ / (atolᵢ + rtol·max(|yᵢ|, |y_newᵢ|)) (Hairer, Nørsett &amp; Wanner I, eq. II.4.11).</summary>
        private double ErrorNorm()
        {
            double rtol = _options.RelativeTolerance;
            for (int k = 0; k < _n; k++)
            {
                double atol = _options.AbsoluteTolerances?[k] ?? _options.AbsoluteTolerance;
                _scale[k] = atol + rtol * Math.Max(Math.Abs(Scalar.ToDouble(_y[k])), Math.Abs(Scalar.ToDouble(_yNew[k])));
            }
            if (_stepper is IScaledErrorNorm own) return own.ScaledErrorNorm(_scale);
            double sum = 0.0;
            for (int k = 0; k < _n; k++)
            {
                double ratio = ErrorScaling.Ratio(Scalar.ToDouble(_error[k]), _scale[k]);
                sum += ratio * ratio;
            }
            return Math.Sqrt(sum / _n);
        }

        /// <summary>First step by Hairer, Nørsett &amp; Wanner I, §II.4 (one extra evaluation), unless given.</summary>
        private T InitialStep(T t0, T tEnd)
        {
            T span = tEnd - t0;
            if (_options.InitialStep is { } given) return T.Min(T.CreateTruncating(given), span);
            int p = _method.Order;
            double d0 = ScaledNorm(_y), d1 = ScaledNorm(_dydt);
            double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
            h0 = Math.Min(h0, Scalar.ToDouble(span));
            T hTrial = T.CreateTruncating(h0);
            for (int k = 0; k < _n; k++) _yNew[k] = _y[k] + hTrial * _dydt[k];
            try
            {
                Evaluate(t0 + hTrial, _yNew, _dydtNew);
            }
            catch (ArgumentException)
            {
                return T.CreateTruncating(h0 * 1e-3);
            }
            for (int k = 0; k < _n; k++) _error[k] = _dydtNew[k] - _dydt[k];
            double d2 = ScaledNorm(_error) / h0;
            double h1 = Math.Max(d1, d2) <= 1e-15 ? Math.Max(1e-6, h0 * 1e-3) : Math.Pow(0.01 / Math.Max(d1, d2), 1.0 / (p + 1));
            double h = Math.Min(Math.Min(100 * h0, h1), _options.MaxStep);
            if (!(h > 0.0) || !double.IsFinite(h)) h = 1e-6 * Scalar.ToDouble(span);
            return T.Min(T.CreateTruncating(h), span);
        }

        /// <summary>
        /// RMS of vᵢ / (atolᵢ + rtol·|yᵢ|) over the components that have a scale: under pure relative
        /// control a component that is exactly 0 has none and is left out of the first-step estimate.
        /// </summary>
        private double ScaledNorm(ReadOnlySpan<T> v)
        {
            double sum = 0.0;
            int counted = 0;
            for (int k = 0; k < _n; k++)
            {
                double atol = _options.AbsoluteTolerances?[k] ?? _options.AbsoluteTolerance;
                double scale = atol + _options.RelativeTolerance * Math.Abs(Scalar.ToDouble(_y[k]));
                if (!(scale > 0.0)) continue;
                double ratio = Math.Abs(Scalar.ToDouble(v[k])) / scale;
                sum += ratio * ratio;
                counted++;
            }
            return counted == 0 ? 0.0 : Math.Sqrt(sum / counted);
        }

        private double[] ToDouble(ReadOnlySpan<T> y)
        {
            for (int k = 0; k < _n; k++) _asDouble[k] = Scalar.ToDouble(y[k]);
            return _asDouble;
        }

        /// <summary>The dense output at time τ of the step [t, t + h], in double.</summary>
        private double[] StateAt(T t, T h, double tau)
        {
            T theta = (T.CreateTruncating(tau) - t) / h;
            _stepper.Interpolate(T.Clamp(theta, T.Zero, T.One), _interpolated);
            return ToDouble(_interpolated);
        }

        /// <summary>
        /// Finds the crossings of every event in the accepted step [t, t + h]: g is sampled at θ = 0, ¼, ½, ¾, 1
        /// of the dense output so that two crossings within one step are both seen, each bracket is narrowed
        /// by the Illinois method, and crossings are recorded in time order. Returns whether a terminal
        /// event stops the integration, and its time.
        /// </summary>
        private bool HandleEvents(T t, T h, T tNew, out T stopTime)
        {
            stopTime = tNew;
            if (_events.Count == 0) return false;
            double ta = Scalar.ToDouble(t), hd = Scalar.ToDouble(h);
            var found = new List<(double Time, int Event, bool Rising)>();
            const int samples = 4;
            for (int e = 0; e < _events.Count; e++)
            {
                FlowEvent ev = _events[e];
                double gLeft = _eventValues[e];
                double tauLeft = ta;
                for (int s = 1; s <= samples; s++)
                {
                    double tauRight = s == samples ? Scalar.ToDouble(tNew) : ta + hd * s / samples;
                    double gRight = s == samples ? ev.Function(tauRight, ToDouble(_yNew)) : ev.Function(tauRight, StateAt(t, h, tauRight));
                    bool rising = gLeft < 0.0 && gRight >= 0.0;
                    bool falling = gLeft > 0.0 && gRight <= 0.0;
                    if ((rising && ev.Direction != CrossingDirection.Falling) || (falling && ev.Direction != CrossingDirection.Rising))
                        found.Add((LocateRoot(ev, t, h, tauLeft, gLeft, tauRight, gRight), e, rising));
                    gLeft = gRight;
                    tauLeft = tauRight;
                }
                _eventValues[e] = gLeft;
            }
            found.Sort((a, b) => a.Time.CompareTo(b.Time));
            foreach (var (time, e, rising) in found)
            {
                _occurred.Add(new EventOccurrence(_events[e].Name, time, (double[])StateAt(t, h, time).Clone(), rising));
                if (_events[e].Terminal)
                {
                    stopTime = T.CreateTruncating(time);
                    return true;
                }
            }
            return false;
        }

        /// <summary>Illinois variant of regula falsi (Dowell &amp; Jarratt 1971) on the dense output, to the event tolerance.</summary>
        private double LocateRoot(FlowEvent ev, T t, T h, double a, double ga, double b, double gb)
        {
            double tolerance = _options.EventTolerance * Math.Max(Math.Abs(Scalar.ToDouble(h)), double.Epsilon) + 4 * double.Epsilon * Math.Abs(b);
            int side = 0;
            for (int iteration = 0; iteration < 200 && Math.Abs(b - a) > tolerance; iteration++)
            {
                double c = b - gb * (b - a) / (gb - ga);
                if (!(c > Math.Min(a, b) && c < Math.Max(a, b))) c = 0.5 * (a + b);
                double gc = ev.Function(c, StateAt(t, h, c));
                if (gc == 0.0) return c;
                if (Math.Sign(gc) == Math.Sign(gb))
                {
                    b = c;
                    gb = gc;
                    if (side == -1) ga *= 0.5;
                    side = -1;
                }
                else
                {
                    a = c;
                    ga = gc;
                    if (side == 1) gb *= 0.5;
                    side = 1;
                }
            }
            // The crossing lies in [a, b] with g(a) on the old side: report the first time g has crossed.
            return b;
        }

        /// <summary>Calls every observer for its requested times up to τ (inclusive), from the dense output of the step [t, t + h].</summary>
        private void ObserveUpTo(double tau, bool inclusive, T t, T h, bool atStart)
        {
            for (int o = 0; o < _observers.Count; o++)
            {
                IFlowObserver observer = _observers[o];
                IReadOnlyList<double> times = observer.Times;
                while (_nextObservation[o] < times.Count)
                {
                    double time = times[_nextObservation[o]];
                    if (time > tau || (!inclusive && time == tau)) break;
                    double[] state = atStart ? ToDouble(_y) : StateAt(t, h, time);
                    observer.Observe(time, state);
                    _nextObservation[o]++;
                }
            }
        }

        private FlowSolution<T> Finish(IntegrationStatus status, string message, T t) =>
            new(status, message, t, (T[])_y.Clone(), new IntegrationStatistics(_evaluations, _accepted, _rejected), _occurred);

        private static string Format(T value) => Scalar.ToDouble(value).ToString("G6", CultureInfo.InvariantCulture);
    }
}
