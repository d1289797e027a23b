// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Analysis;

/// <summary>A loss plateau: an interval where ‖∇ℒ‖ stays small, and the saddle it sits at.</summary>
/// <param name="Start">First recorded time of the plateau.</param>
/// <param name="End">Last recorded time of the plateau.</param>
/// <param name="Loss">The loss at the time of the smallest gradient norm (the saddle's loss).</param>
/// <param name="MinGradientNorm">The smallest ‖∇ℒ‖ on the plateau.</param>
/// <param name="SaddleTime">The time of the smallest ‖∇ℒ‖: the "saddle event".</param>
/// <param name="LossDrop">Loss at the start minus loss at the end: how flat it was.</param>
public sealed record Plateau(double Start, double End, double Loss, double MinGradientNorm, double SaddleTime, double LossDrop)
{
    /// <summary>End − Start.</summary>
    public double Duration => End - Start;
}

/// <summary>
/// Plateau and saddle detection along a recorded series (docs/claims.md #7–#9: loss plateaus at the origin and at
/// the first saddle p*). A plateau is a maximal run of consecutive samples with ‖∇ℒ‖ ≤ threshold whose duration is
/// at least <c>minDuration</c>; its saddle event is the sample with the smallest gradient norm. The threshold is
/// absolute: choose it relative to the scale of the problem (e.g. 1e-3·max‖∇ℒ‖). For a small initialisation the
/// first plateau is the origin itself, where ‖∇ℒ‖ = O(δ^{L−1}).
/// </summary>
public static class PlateauDetection
{
    /// <summary>Finds the plateaus.</summary>
    /// <param name="times">Times, ascending.</param>
    /// <param name="loss">ℒ at those times.</param>
    /// <param name="gradientNorm">‖∇ℒ‖ at those times.</param>
    /// <param name="threshold">Gradient-norm threshold (absolute).</param>
    /// <param name="minDuration">Shortest plateau reported (default 0).</param>
    /// <returns>The plateaus in time order.</returns>
    /// <exception cref="ArgumentException">The lengths differ or the threshold is not positive.</exception>
    public static IReadOnlyList<Plateau> Detect(IReadOnlyList<double> times, IReadOnlyList<double> loss, IReadOnlyList<double> gradientNorm,
        double threshold, double minDuration = 0.0)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(gradientNorm);
        if (loss.Count != times.Count || gradientNorm.Count != times.Count)
            throw new ArgumentException($"loss, gradientNorm: need one value per time ({times.Count}).", nameof(loss));
        if (!(threshold > 0.0)) throw new ArgumentException($"threshold: must be positive, got {threshold}.", nameof(threshold));
        var result = new List<Plateau>();
        int i = 0;
        while (i < times.Count)
        {
            if (!(gradientNorm[i] <= threshold)) { i++; continue; }
            int start = i, best = i;
            while (i < times.Count && gradientNorm[i] <= threshold)
            {
                if (gradientNorm[i] < gradientNorm[best]) best = i;
                i++;
            }
            int end = i - 1;
            if (times[end] - times[start] >= minDuration)
                result.Add(new Plateau(times[start], times[end], loss[best], gradientNorm[best], times[best], loss[start] - loss[end]));
        }
        return result;
    }
}
