// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Sweeps;

/// <summary>One row of the tasks table of <c>results.db</c>.</summary>
/// <param name="Index">The task's index.</param>
/// <param name="Parameters">Its parameters.</param>
/// <param name="Status">Its state (<see cref="TaskStatus"/>).</param>
/// <param name="Metrics">Its metrics, or null before it is done (and for failures that left no run record).</param>
/// <param name="WallSeconds">Wall time of the last attempt, or null.</param>
/// <param name="Error">Why the last attempt failed, or null.</param>
/// <param name="ExitCode">np's exit code in the last attempt, or null.</param>
/// <param name="Attempts">How many times the task was started.</param>
/// <param name="Host">Where the last attempt ran, or null.</param>
/// <param name="SlurmJob">The Slurm job (<c>JOBID</c> when queued, <c>JOBID_INDEX</c> once it ran), or null.</param>
/// <param name="StartedUtc">Start of the last attempt, or null.</param>
/// <param name="FinishedUtc">End of the last attempt, or null.</param>
public sealed record TaskRecord(
    int Index,
    SweepValues Parameters,
    string Status,
    SweepValues? Metrics,
    double? WallSeconds,
    string? Error,
    int? ExitCode,
    int Attempts,
    string? Host,
    string? SlurmJob,
    string? StartedUtc,
    string? FinishedUtc);
