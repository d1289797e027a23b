// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Analysis;

/// <summary>An ordinary least-squares line y ≈ a + b·x with standard errors.</summary>
/// <param name="Slope">b.</param>
/// <param name="Intercept">a.</param>
/// <param name="SlopeStandardError">se(b) = s/√Σ(x − x̄)², s² = RSS/(n − 2); 0 for n = 2.</param>
/// <param name="InterceptStandardError">se(a).</param>
/// <param name="Count">n.</param>
/// <param name="TQuantile">t_{0.975, n−2}, the multiplier of the 95 % two-sided interval (∞ for n = 2).</param>
public sealed record LinearFitResult(double Slope, double Intercept, double SlopeStandardError, double InterceptStandardError, int Count, double TQuantile)
{
    /// <summary>Lower end of the 95 % confidence interval of the slope.</summary>
    public double SlopeLower => Slope - TQuantile * SlopeStandardError;

    /// <summary>Upper end of the 95 % confidence interval of the slope.</summary>
    public double SlopeUpper => Slope + TQuantile * SlopeStandardError;

    /// <summary>Lower end of the 95 % confidence interval of the intercept.</summary>
    public double InterceptLower => Intercept - TQuantile * InterceptStandardError;

    /// <summary>Upper end of the 95 % confidence interval of the intercept.</summary>
    public double InterceptUpper => Intercept + TQuantile * InterceptStandardError;

    /// <summary>Whether a value lies in the slope's 95 % interval.</summary>
    /// <param name="value">The predicted slope.</param>
    /// <returns>True when SlopeLower ≤ value ≤ SlopeUpper.</returns>
    public bool SlopeIntervalContains(double value) => SlopeLower <= value && value <= SlopeUpper;
}

/// <summary>
/// Least-squares line fits with Student-t confidence intervals, for the scaling claims (escape time against
/// ln(1/δ), log–log slopes against δ), which are judged by fitted slopes over several δ, not by one run.
/// </summary>
public static class LinearFit
{
    // t_{0.975, ν} for ν = 1 … 30 (standard tables).
    private static readonly double[] T975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>t_{0.975, ν}: a table for ν ≤ 30, the Cornish–Fisher expansion about z = 1.95996 above.</summary>
    /// <param name="degreesOfFreedom">ν ≥ 1.</param>
    /// <returns>The quantile.</returns>
    public static double TQuantile975(int degreesOfFreedom)
    {
        if (degreesOfFreedom < 1) return double.PositiveInfinity;
        if (degreesOfFreedom <= 30) return T975[degreesOfFreedom - 1];
        double z = 1.959963984540054, v = degreesOfFreedom;
        return z + (z * z * z + z) / (4 * v) + (5 * Math.Pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v);
    }

    /// <summary>Fits y ≈ a + b·x by least squares.</summary>
    /// <param name="x">Abscissae (at least two distinct).</param>
    /// <param name="y">Ordinates, same length.</param>
    /// <returns>The fit.</returns>
    /// <exception cref="ArgumentException">Fewer than two points, different lengths, or all x equal.</exception>
    public static LinearFitResult Fit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int n = x.Count;
        if (n < 2 || y.Count != n) throw new ArgumentException($"x, y: need at least two points of equal count, got {x.Count} and {y.Count}.", nameof(x));
        double mx = x.Average(), my = y.Average();
        double sxx = 0, sxy = 0;
        for (int i = 0; i < n; i++)
        {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        if (sxx == 0.0) throw new ArgumentException("x: all abscissae are equal; no slope can be fitted.", nameof(x));
        double b = sxy / sxx, a = my - b * mx;
        double rss = 0;
        for (int i = 0; i < n; i++)
        {
            double r = y[i] - a - b * x[i];
            rss += r * r;
        }
        double s2 = n > 2 ? rss / (n - 2) : 0.0;
        double seB = Math.Sqrt(s2 / sxx);
        double seA = Math.Sqrt(s2 * (1.0 / n + mx * mx / sxx));
        return new LinearFitResult(b, a, seB, seA, n, TQuantile975(n - 2));
    }
}
