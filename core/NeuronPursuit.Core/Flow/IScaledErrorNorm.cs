// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow;

/// <summary>
/// A stepper whose error measure is not the RMS of one error vector — DOP853 combines two embedded
/// estimates — implements this, and the integrator uses it instead of the error vector.
/// </summary>
public interface IScaledErrorNorm
{
    /// <summary>The error of the last step in units of the tolerance (accept when ≤ 1).</summary>
    /// <param name="scale">Per component, atolᵢ + rtol·max(|yᵢ|, |y_newᵢ|); 0 where a component has no scale.</param>
    /// <returns>The scaled error norm.</returns>
    double ScaledErrorNorm(ReadOnlySpan<double> scale);
}

/// <summary>Scaling of error components shared by the integrator and the steppers.</summary>
internal static class ErrorScaling
{
    /// <summary>|e|/scale; a component that is exactly 0 under pure relative control has no scale, so any error there fails.</summary>
    internal static double Ratio(double e, double scale) =>
        e == 0.0 ? 0.0 : scale > 0.0 ? Math.Abs(e) / scale : double.PositiveInfinity;
}
