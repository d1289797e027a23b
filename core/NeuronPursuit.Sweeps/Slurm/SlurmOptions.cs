// SPDX-License-Identifier: MIT
using System.Text.RegularExpressions;

namespace NeuronPursuit.Sweeps.Slurm;

/// <summary>
/// The options of <c>np sweep submit</c> that go into the sbatch script as <c>#SBATCH</c> lines. Each is checked
/// against a strict pattern first, so that no value can add a line or a character sbatch or bash would read as
/// something else.
/// </summary>
/// <param name="Partition">--partition, or null for the cluster's default.</param>
/// <param name="Time">--time (e.g. <c>30</c>, <c>2:00:00</c>, <c>1-12:00:00</c>), or null for the partition's default.</param>
/// <param name="CpusPerTask">--cpus-per-task, or null (Slurm's default, 1).</param>
/// <param name="MaxParallel">The array's throttle K (<c>%K</c>: at most K tasks at once), or null for no limit.</param>
public sealed partial record SlurmOptions(string? Partition, string? Time, int? CpusPerTask, int? MaxParallel)
{
    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+(,[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex PartitionPattern();

    [GeneratedRegex(@"^([0-9]+-)?[0-9]+(:[0-9]+){0,2}$|^UNLIMITED$|^INFINITE$")]
    private static partial Regex TimePattern();

    /// <summary>Checks every value.</summary>
    /// <returns>This.</returns>
    /// <exception cref="SweepSpecException">Key <c>--partition</c>, <c>--time</c>, <c>--cpus-per-task</c> or
    /// <c>--max-parallel</c>: a value outside its pattern or range.</exception>
    public SlurmOptions Validate()
    {
        if (Partition is { } p && !PartitionPattern().IsMatch(p))
            throw new SweepSpecException("--partition", $"'{p}' is not a partition name (letters, digits, '_', '-', '.', comma-separated).");
        if (Time is { } t && !TimePattern().IsMatch(t))
            throw new SweepSpecException("--time", $"'{t}' is not a Slurm time limit such as 30, 2:00:00 or 1-12:00:00.");
        if (CpusPerTask is < 1) throw new SweepSpecException("--cpus-per-task", $"must be at least 1, got {CpusPerTask}.");
        if (MaxParallel is < 1) throw new SweepSpecException("--max-parallel", $"must be at least 1, got {MaxParallel}.");
        return this;
    }
}
