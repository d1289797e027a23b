// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Flow;
using NeuronPursuit.Core.Flow.Methods;
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Kkt;

/// <summary>Settings of <see cref="BlowUpTime.Compute"/>. Defaults: rtol 1e-11 (purely relative), switch at
/// ‖u‖ = 100·‖u₀‖, horizon τ_max = 1e6, step limit 10⁶ per phase.</summary>
public sealed record BlowUpOptions
{
    /// <summary>Relative tolerance of both phases (atol = 0). Default 1e-11.</summary>
    public double RelativeTolerance { get; init; } = 1e-11;

    /// <summary>Phase 1 ends when ‖u‖ reaches this multiple of ‖u₀‖. Default 100.</summary>
    public double SwitchRatio { get; init; } = 100.0;

    /// <summary>Give up (no blow-up found) after this much τ. Default 1e6.</summary>
    public double MaxTau { get; init; } = 1e6;

    /// <summary>Step limit of each phase. Default 1,000,000.</summary>
    public long MaxSteps { get; init; } = 1_000_000;
}

/// <summary>The result of <see cref="BlowUpTime.Compute"/>.</summary>
/// <param name="Tau">τ*, or +∞ when no blow-up was found within τ_max (collapse, or N ≤ 0 at the switch).</param>
/// <param name="SwitchTau">τ_R at which ‖u‖ reached the switch level R (NaN when never).</param>
/// <param name="FirstOrderEstimate">τ_R + ‖u(τ_R)‖^{−(L−2)}/(L(L−2)N(û(τ_R))), the linear extrapolation of
/// ‖u‖^{−(L−2)} to 0; its distance to <see cref="Tau"/> bounds the error of that simpler method.</param>
/// <param name="LimitDirection">û at the blow-up (end of phase 2), unit norm; the last direction when no blow-up.</param>
/// <param name="LimitValue">N(û) at the limit direction.</param>
/// <param name="Message">How it ended.</param>
public sealed record BlowUpResult(double Tau, double SwitchTau, double FirstOrderEstimate, double[] LimitDirection, double LimitValue, string Message)
{
    /// <summary>Whether a finite blow-up time was found.</summary>
    public bool BlewUp => double.IsFinite(Tau);
}

/// <summary>
/// The blow-up time τ* of the NCF flow du/dτ = ∇N(u) for an L-homogeneous N with L &gt; 2 (docs/claims.md,
/// Notation and background: ‖u‖^{−(L−2)} decreases at rate L(L−2)N(û); the escape time of the real flow is
/// T_esc ≈ τ*/δ^{L−2}, claim #6). Two phases:
/// <list type="number">
/// <item>integrate du/dτ = ∇N(u) (Dormand–Prince 5(4), purely relative tolerance) until ‖u‖ = R‖u₀‖ (an event);</item>
/// <item>from there integrate in the rescaled variable σ = ln(s_R/s) with s = ‖u‖^{−(L−2)}, where the flow is
/// regular up to the blow-up (σ → ∞): dû/dσ = g⊥(û)/(L(L−2)N(û)), dτ/dσ = s_R e^{−σ}/(L(L−2)N(û)), with
/// g⊥ = ∇N(û) − ⟨∇N(û), û⟩û; stop when s_R e^{−σ}/(L(L−2)N) &lt; 1e-15·τ.</item>
/// </list>
/// τ* is τ at the end of phase 2. Both phases are exact transformations of the same ODE, so the error is the
/// integration error (≈ rtol relative, as the tests confirm against the closed form τ* = 1/(L(L−2)N*c^{L−2}) for
/// u₀ = c·u* at a KKT point u*), plus the truncated tail, below 1e-15·τ*. Phase 2 needs N(û) &gt; 0 from the switch
/// on; if N(û(τ_R)) ≤ 0 no blow-up is reported.
/// </summary>
public static class BlowUpTime
{
    /// <summary>Computes τ* from u₀.</summary>
    /// <param name="ncf">N, L-homogeneous.</param>
    /// <param name="degree">L &gt; 2.</param>
    /// <param name="u0">u(0) ≠ 0.</param>
    /// <param name="options">Settings; null for defaults.</param>
    /// <returns>τ* with the diagnostics of both phases.</returns>
    /// <exception cref="ArgumentException">L ≤ 2, or u₀ has the wrong length, is zero or not finite.</exception>
    public static BlowUpResult Compute(IObjective<double> ncf, int degree, ReadOnlySpan<double> u0, BlowUpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ncf);
        options ??= new BlowUpOptions();
        if (degree <= 2) throw new ArgumentException($"degree: the NCF flow blows up in finite time only for L > 2, got L = {degree}.", nameof(degree));
        int p = ncf.Dimension;
        Guard.Length(u0.Length, p, nameof(u0), "the objective's dimension");
        Guard.Finite(u0, nameof(u0));
        double norm0 = DenseKernels.Norm(u0);
        if (norm0 == 0.0) throw new ArgumentException("u0: is the zero vector.", nameof(u0));
        int l = degree;

        // Phase 1: the NCF flow in τ up to ‖u‖ = R‖u₀‖.
        double level = options.SwitchRatio * norm0;
        FlowEvent escape = FlowEvents.NormCrosses(level, name: "switch");
        var integration = new IntegrationOptions { RelativeTolerance = options.RelativeTolerance, AbsoluteTolerance = 0.0, MaxSteps = options.MaxSteps };
        FlowSolution<double> first = FlowSolver.Solve(new NcfFlowSystem<double>(ncf), new DormandPrince54(), 0.0, u0, options.MaxTau, integration, [escape]);
        double[] last = first.FinalState;
        double lastNorm = DenseKernels.Norm<double>(last);
        double[] direction = last.Select(x => x / lastNorm).ToArray();
        if (first.Status != IntegrationStatus.TerminalEvent)
            return new BlowUpResult(double.PositiveInfinity, double.NaN, double.PositiveInfinity, direction, ncf.Value(direction),
                $"no blow-up: ‖u‖ did not reach {options.SwitchRatio}·‖u₀‖ by τ = {first.FinalTime:G6} ({first.Status}).");
        double tauR = first.Events[0].Time;
        double[] uR = first.Events[0].State;
        double rhoR = DenseKernels.Norm<double>(uR);
        for (int i = 0; i < p; i++) direction[i] = uR[i] / rhoR;
        double nR = ncf.Value(direction);
        double sR = Math.Pow(rhoR, -(l - 2));
        if (!(nR > 0.0))
            return new BlowUpResult(double.PositiveInfinity, tauR, double.PositiveInfinity, direction, nR,
                $"no blow-up: N(û) = {nR:G6} ≤ 0 at the switch τ = {tauR:G6}.");
        double firstOrder = tauR + sR / (l * (l - 2) * nR);

        // Phase 2: (û, τ) in σ = ln(s_R/s).
        var state = new double[p + 1];
        direction.CopyTo(state, 0);
        state[p] = tauR;
        double sigmaEnd = Math.Max(5.0, Math.Log(sR / (l * (l - 2) * nR * 1e-15 * firstOrder)) + 5.0);
        var rescaled = new RescaledSystem(ncf, l, sR);
        FlowSolution<double> second = FlowSolver.Solve(rescaled, new DormandPrince54(), 0.0, state, sigmaEnd,
            integration with { AbsoluteTolerances = Enumerable.Repeat(options.RelativeTolerance * 1e-3, p).Append(0.0).ToArray() });
        double[] end = second.FinalState;
        double endNorm = DenseKernels.Norm<double>(end.AsSpan(0, p));
        double[] limit = end.Take(p).Select(x => x / endNorm).ToArray();
        double limitValue = ncf.Value(limit);
        if (second.Status != IntegrationStatus.Completed || rescaled.SawNonPositive)
            return new BlowUpResult(double.PositiveInfinity, tauR, firstOrder, limit, limitValue,
                $"no blow-up found: phase 2 ended with {second.Status}{(rescaled.SawNonPositive ? ", N(û) ≤ 0 on the way" : "")}.");
        return new BlowUpResult(end[p], tauR, firstOrder, limit, limitValue,
            $"blow-up at τ* = {end[p]:G12} (switch at τ_R = {tauR:G6}, ‖u‖ = {rhoR:G4}; first-order estimate {firstOrder:G12}).");
    }

    /// <summary>dû/dσ = g⊥(û)/(L(L−2)N(û)), dτ/dσ = s_R e^{−σ}/(L(L−2)N(û)).</summary>
    private sealed class RescaledSystem(IObjective<double> ncf, int l, double sR) : IOdeSystem<double>
    {
        private readonly double[] _unit = new double[ncf.Dimension];
        private readonly double[] _gradient = new double[ncf.Dimension];

        public bool SawNonPositive { get; private set; }

        public int Dimension => ncf.Dimension + 1;

        public void Evaluate(double sigma, ReadOnlySpan<double> y, Span<double> dydt)
        {
            int p = ncf.Dimension;
            double norm = DenseKernels.Norm(y[..p]);
            for (int i = 0; i < p; i++) _unit[i] = y[i] / norm;
            double n = ncf.ValueAndGradient(_unit, _gradient);
            if (!(n > 0.0)) { SawNonPositive = true; n = double.Epsilon; }
            double lambda = DenseKernels.Dot<double>(_gradient, _unit);
            double rate = l * (l - 2) * n;
            for (int i = 0; i < p; i++) dydt[i] = (_gradient[i] - lambda * _unit[i]) / rate;
            dydt[p] = sR * Math.Exp(-sigma) / rate;
        }
    }
}
