// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Flow;

/// <summary>
/// The built-in events of a gradient flow: a norm (of all weights or of a subset) crosses a level — escape
/// from the origin, T_esc of docs/claims.md #5 and #6 —, the loss falls below a value,
/// and ‖∇ℒ‖ falls below or rises above a level (saddle entry and exit). The gradient-norm events compare
/// log‖∇ℒ‖ with log(level): ‖∇ℒ‖ changes by orders of magnitude within a step near a saddle, and the root finder
/// locates a crossing more accurately on a function that is close to linear in t.
/// Each event owns its buffers: do not share one between concurrent integrations.
/// </summary>
public static class FlowEvents
{
    /// <summary>‖w‖ (or ‖w_S‖ for the coordinates S) crosses a level.</summary>
    /// <param name="level">The level r &gt; 0.</param>
    /// <param name="direction">Crossings that count (default rising: escape).</param>
    /// <param name="terminal">Whether the first occurrence stops the integration (default true).</param>
    /// <param name="indices">The coordinates S whose norm is taken; null for all.</param>
    /// <param name="name">Name in reports (default "norm = r").</param>
    /// <returns>The event g(t, w) = ‖w_S‖ − r.</returns>
    /// <exception cref="ArgumentException">The level is not positive and finite.</exception>
    public static FlowEvent NormCrosses(double level, CrossingDirection direction = CrossingDirection.Rising, bool terminal = true,
        IReadOnlyList<int>? indices = null, string? name = null)
    {
        PositiveLevel(level, nameof(level));
        string label = name ?? $"norm = {level}";
        if (indices is null)
            return new FlowEvent(label, (_, w) => DenseKernels.Norm(w) - level, direction, terminal);
        int[] subset = indices.ToArray();
        return new FlowEvent(label, (_, w) =>
        {
            double sum = 0.0;
            foreach (int k in subset) sum += w[k] * w[k];
            return Math.Sqrt(sum) - level;
        }, direction, terminal);
    }

    /// <summary>The loss falls below a value.</summary>
    /// <param name="loss">ℒ in double.</param>
    /// <param name="value">The value.</param>
    /// <param name="terminal">Whether it stops the integration (default true).</param>
    /// <param name="name">Name in reports (default "loss &lt; value").</param>
    /// <returns>The event g(t, w) = ℒ(w) − value, falling.</returns>
    /// <exception cref="ArgumentException">The value is not finite.</exception>
    public static FlowEvent LossBelow(IObjective<double> loss, double value, bool terminal = true, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (!double.IsFinite(value)) throw new ArgumentException($"value: must be finite, got {value}.", nameof(value));
        return new FlowEvent(name ?? $"loss < {value}", (_, w) => loss.Value(w) - value, CrossingDirection.Falling, terminal);
    }

    /// <summary>‖∇ℒ‖ falls below a level (entry into a plateau or saddle, or convergence).</summary>
    /// <param name="objective">ℒ in double.</param>
    /// <param name="level">The level &gt; 0.</param>
    /// <param name="terminal">Whether it stops the integration (default false).</param>
    /// <param name="name">Name in reports (default "grad_norm &lt; level").</param>
    /// <returns>The event g = log₁₀(‖∇ℒ‖ + 10⁻³⁰⁰) − log₁₀(level), falling.</returns>
    public static FlowEvent GradientNormBelow(IObjective<double> objective, double level, bool terminal = false, string? name = null) =>
        GradientNorm(objective, level, CrossingDirection.Falling, terminal, name ?? $"grad_norm < {level}");

    /// <summary>‖∇ℒ‖ rises above a level (exit from a plateau or saddle).</summary>
    /// <param name="objective">ℒ in double.</param>
    /// <param name="level">The level &gt; 0.</param>
    /// <param name="terminal">Whether it stops the integration (default false).</param>
    /// <param name="name">Name in reports (default "grad_norm &gt; level").</param>
    /// <returns>The event g = log₁₀(‖∇ℒ‖ + 10⁻³⁰⁰) − log₁₀(level), rising.</returns>
    public static FlowEvent GradientNormAbove(IObjective<double> objective, double level, bool terminal = false, string? name = null) =>
        GradientNorm(objective, level, CrossingDirection.Rising, terminal, name ?? $"grad_norm > {level}");

    private static FlowEvent GradientNorm(IObjective<double> objective, double level, CrossingDirection direction, bool terminal, string name)
    {
        ArgumentNullException.ThrowIfNull(objective);
        PositiveLevel(level, nameof(level));
        var gradient = new double[objective.Dimension];
        double logLevel = Math.Log10(level);
        return new FlowEvent(name, (_, w) =>
        {
            objective.ValueAndGradient(w, gradient);
            return Math.Log10(DenseKernels.Norm<double>(gradient) + 1e-300) - logLevel;
        }, direction, terminal);
    }

    private static void PositiveLevel(double level, string argument)
    {
        if (!(level > 0.0 && double.IsFinite(level)))
            throw new ArgumentException($"{argument}: must be positive and finite, got {level}.", argument);
    }
}
