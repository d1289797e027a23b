// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Flow;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Analysis;

/// <summary>
/// Escape from the origin: the first time a norm reaches a level (docs/claims.md #5 and #6: T_esc is the first
/// time ‖w‖ = 0.5 or 0.3). During an integration use <see cref="NormEvent"/> (located by
/// root finding on the dense output); on a recorded series use <see cref="FirstCrossing"/>.
/// </summary>
public static class EscapeTime
{
    /// <summary>A terminal event at the first time ‖w‖ rises through the level.</summary>
    /// <param name="level">The level r &gt; 0.</param>
    /// <param name="terminal">Whether it stops the integration (default true).</param>
    /// <returns>The event "escape".</returns>
    public static FlowEvent NormEvent(double level, bool terminal = true) =>
        FlowEvents.NormCrosses(level, CrossingDirection.Rising, terminal, name: "escape");

    /// <summary>
    /// The first time a recorded series reaches the level from below, linearly interpolated between the two samples
    /// that bracket it; null when it never does. A series that starts at or above the level gives its first time.
    /// </summary>
    /// <param name="times">Times, ascending.</param>
    /// <param name="values">Values at those times.</param>
    /// <param name="level">The level.</param>
    /// <returns>The crossing time, or null.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static double? FirstCrossing(IReadOnlyList<double> times, IReadOnlyList<double> values, double level)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(values);
        if (times.Count != values.Count) throw new ArgumentException($"values: {values.Count} values for {times.Count} times.", nameof(values));
        for (int i = 0; i < values.Count; i++)
        {
            if (values[i] < level) continue;
            if (i == 0) return times[0];
            double f = (level - values[i - 1]) / (values[i] - values[i - 1]);
            return times[i - 1] + f * (times[i] - times[i - 1]);
        }
        return null;
    }
}
