// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Sweeps;

/// <summary>Where a sweep stands: counts of its tasks and the estimated time to the end.</summary>
/// <param name="Total">All tasks.</param>
/// <param name="Done">Finished with a result.</param>
/// <param name="Running">Running now.</param>
/// <param name="Failed">Failed (in this run or before it).</param>
/// <param name="Pending">Not started yet.</param>
/// <param name="EtaSeconds">Estimated seconds to the end (from this run's rate so far), or null before the first task ends.</param>
public sealed record SweepProgress(int Total, int Done, int Running, int Failed, int Pending, double? EtaSeconds)
{
    /// <summary>E.g. "12/48 done, 2 running, 1 failed, ETA 34 s".</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        string eta = EtaSeconds is double s ? $", ETA {(s < 100 ? $"{s:F0} s" : s < 6000 ? $"{s / 60:F0} min" : $"{s / 3600:F1} h")}" : "";
        return $"{Done}/{Total} done, {Running} running, {Failed} failed{eta}";
    }
}
