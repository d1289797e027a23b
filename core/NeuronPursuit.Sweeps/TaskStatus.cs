// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Sweeps;

/// <summary>The states of a task in the results database, as stored (lower case).</summary>
public static class TaskStatus
{
    /// <summary>Not run yet (or reset after an interrupted run).</summary>
    public const string Pending = "pending";

    /// <summary>Submitted to Slurm and waiting in its queue.</summary>
    public const string Queued = "queued";

    /// <summary>Running now (a local worker, or a Slurm array element).</summary>
    public const string Running = "running";

    /// <summary>Finished: np exited 0 and its run record was read.</summary>
    public const string Done = "done";

    /// <summary>Finished without a result: np failed (the error says why), or Slurm reported a failure.</summary>
    public const string Failed = "failed";

    /// <summary>Slurm stopped it at its time limit.</summary>
    public const string TimedOut = "timed_out";

    /// <summary>Cancelled in Slurm (scancel).</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Every state, in the order status tables list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Done, Running, Queued, Pending, Failed, TimedOut, Cancelled];

    /// <summary>Whether the task ended without a result (failed, timed out or cancelled): a rerun retries it.</summary>
    /// <param name="status">A state.</param>
    /// <returns>True for failed, timed_out and cancelled.</returns>
    public static bool IsFailure(string status) => status is Failed or TimedOut or Cancelled;

    /// <summary>Whether Slurm holds the task now (queued or running under a job).</summary>
    /// <param name="status">A state.</param>
    /// <returns>True for queued and running.</returns>
    public static bool IsActive(string status) => status is Queued or Running;
}
