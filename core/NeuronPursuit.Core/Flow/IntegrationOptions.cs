// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow;

/// <summary>
/// Step control of an integration. Defaults: rtol = 1e-8, atol = 1e-12, automatic first step, no step
/// bounds, at most 10⁶ steps. With <see cref="AbsoluteTolerance"/> = 0 the control is purely relative,
/// which keeps components many orders of magnitude below 1 (small initialisations, δ ≪ 1) accurate to
/// rtol instead of hiding their errors under atol.
/// </summary>
public sealed record IntegrationOptions
{
    /// <summary>Relative tolerance rtol &gt; 0 (adaptive methods). Default 1e-8.</summary>
    public double RelativeTolerance { get; init; } = 1e-8;

    /// <summary>Absolute tolerance atol ≥ 0 for every component (adaptive methods). Default 1e-12.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-12;

    /// <summary>Per-component absolute tolerances; overrides <see cref="AbsoluteTolerance"/> when set.</summary>
    public double[]? AbsoluteTolerances { get; init; }

    /// <summary>First step of an adaptive method; null selects it automatically (Hairer, Nørsett &amp; Wanner I, §II.4).</summary>
    public double? InitialStep { get; init; }

    /// <summary>Step of a fixed-step method (Euler: the learning rate η). Required for those methods.</summary>
    public double? FixedStep { get; init; }

    /// <summary>Largest step magnitude. Default unbounded.</summary>
    public double MaxStep { get; init; } = double.PositiveInfinity;

    /// <summary>Smallest step magnitude before the integration fails. Default 0: fails only when t + h = t.</summary>
    public double MinStep { get; init; }

    /// <summary>Largest number of steps (accepted and rejected). Default 1,000,000.</summary>
    public long MaxSteps { get; init; } = 1_000_000;

    /// <summary>Safety factor of the step controller. Default 0.9.</summary>
    public double Safety { get; init; } = 0.9;

    /// <summary>Smallest factor by which one step may shrink the next. Default 0.2.</summary>
    public double MinFactor { get; init; } = 0.2;

    /// <summary>Largest factor by which one step may grow the next. Default 10.</summary>
    public double MaxFactor { get; init; } = 10.0;

    /// <summary>
    /// When set to τ &gt; 0, integrate in the logarithmic time s = ln(1 + (t − t₀)/τ) (see
    /// <see cref="LogarithmicTimeSystem{T}"/>); observers, events and the result still speak of t, and
    /// <see cref="MaxStep"/>, <see cref="InitialStep"/> and <see cref="FixedStep"/> then apply to s. Default null (t).
    /// </summary>
    public double? LogarithmicTimeScale { get; init; }

    /// <summary>Time tolerance of event location, relative to the step. Default 1e-13.</summary>
    public double EventTolerance { get; init; } = 1e-13;

    /// <summary>Stops the integration at the next step, with <see cref="IntegrationStatus.Interrupted"/>, once
    /// signalled (e.g. by Ctrl-C); none by default.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>A copy that stops at the next step once the token is signalled (for callers without C#'s <c>with</c>).</summary>
    /// <param name="cancellation">The token.</param>
    /// <returns>The copy.</returns>
    public IntegrationOptions WithCancellation(CancellationToken cancellation) => this with { Cancellation = cancellation };

    /// <summary>A copy with other tolerances (for callers without C#'s <c>with</c>).</summary>
    /// <param name="relative">rtol.</param>
    /// <param name="absolute">atol.</param>
    /// <returns>The copy.</returns>
    public IntegrationOptions WithTolerances(double relative, double absolute) => this with { RelativeTolerance = relative, AbsoluteTolerance = absolute };

    /// <summary>A copy with another step limit.</summary>
    /// <param name="maxSteps">Accepted plus rejected steps.</param>
    /// <returns>The copy.</returns>
    public IntegrationOptions WithMaxSteps(long maxSteps) => this with { MaxSteps = maxSteps };

    /// <summary>A copy with a fixed step (for fixed-step methods).</summary>
    /// <param name="step">h &gt; 0.</param>
    /// <returns>The copy.</returns>
    public IntegrationOptions WithFixedStep(double step) => this with { FixedStep = step };

    /// <summary>A copy with a largest step.</summary>
    /// <param name="step">h_max &gt; 0.</param>
    /// <returns>The copy.</returns>
    public IntegrationOptions WithMaxStep(double step) => this with { MaxStep = step };

    /// <summary>Throws unless the options are consistent.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        if (!(RelativeTolerance > 0.0) || !double.IsFinite(RelativeTolerance))
            throw new ArgumentException($"rtol: must be positive and finite, got {RelativeTolerance}.", "rtol");
        if (!(AbsoluteTolerance >= 0.0) || !double.IsFinite(AbsoluteTolerance))
            throw new ArgumentException($"atol: must be non-negative and finite, got {AbsoluteTolerance}.", "atol");
        if (AbsoluteTolerances is { } atols && atols.Any(a => !(a >= 0.0) || !double.IsFinite(a)))
            throw new ArgumentException("atol: every per-component tolerance must be non-negative and finite.", "atol");
        if (InitialStep is { } h0 && (!(h0 > 0.0) || !double.IsFinite(h0)))
            throw new ArgumentException($"initial step: must be positive and finite, got {h0}.", "initialStep");
        if (FixedStep is { } h && (!(h > 0.0) || !double.IsFinite(h)))
            throw new ArgumentException($"step: must be positive and finite, got {h}.", "step");
        if (!(MaxStep > 0.0)) throw new ArgumentException($"max step: must be positive, got {MaxStep}.", "maxStep");
        if (!(MinStep >= 0.0) || MinStep > MaxStep) throw new ArgumentException($"min step: must lie in [0, max step], got {MinStep}.", "minStep");
        if (LogarithmicTimeScale is { } tau && (!(tau > 0.0) || !double.IsFinite(tau)))
            throw new ArgumentException($"log-time scale: must be positive and finite, got {tau}.", "logTimeScale");
        if (MaxSteps < 1) throw new ArgumentException($"max steps: must be at least 1, got {MaxSteps}.", "maxSteps");
    }
}
