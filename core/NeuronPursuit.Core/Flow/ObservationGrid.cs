// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow;

/// <summary>Times at which to observe a flow.</summary>
public static class ObservationGrid
{
    /// <summary>count equally spaced times from t₀ to t₁ inclusive.</summary>
    /// <param name="t0">First time.</param>
    /// <param name="t1">Last time, ≥ t₀.</param>
    /// <param name="count">Number of times, ≥ 2.</param>
    /// <returns>The times.</returns>
    /// <exception cref="ArgumentException">count &lt; 2 or t₁ &lt; t₀.</exception>
    public static double[] Linear(double t0, double t1, int count)
    {
        Check(t0, t1, count);
        return Enumerable.Range(0, count).Select(i => i == count - 1 ? t1 : t0 + (t1 - t0) * i / (count - 1)).ToArray();
    }

    /// <summary>count logarithmically spaced times from t₀ &gt; 0 to t₁ inclusive (for flows whose interesting times span decades, such as escapes after ln(1/δ)).</summary>
    /// <param name="t0">First time, &gt; 0.</param>
    /// <param name="t1">Last time, ≥ t₀.</param>
    /// <param name="count">Number of times, ≥ 2.</param>
    /// <returns>The times.</returns>
    /// <exception cref="ArgumentException">t₀ ≤ 0, count &lt; 2 or t₁ &lt; t₀.</exception>
    public static double[] Logarithmic(double t0, double t1, int count)
    {
        Check(t0, t1, count);
        if (!(t0 > 0.0)) throw new ArgumentException($"t0: a logarithmic grid starts at a positive time, got {t0}.", nameof(t0));
        double l0 = Math.Log(t0), l1 = Math.Log(t1);
        return Enumerable.Range(0, count).Select(i => i == 0 ? t0 : i == count - 1 ? t1 : Math.Exp(l0 + (l1 - l0) * i / (count - 1))).ToArray();
    }

    private static void Check(double t0, double t1, int count)
    {
        if (count < 2) throw new ArgumentException($"count: a grid needs at least 2 times, got {count}.", nameof(count));
        if (!double.IsFinite(t0) || !double.IsFinite(t1) || t1 < t0)
            throw new ArgumentException($"t1: must be finite and ≥ t0 = {t0}, got {t1}.", nameof(t1));
    }
}
