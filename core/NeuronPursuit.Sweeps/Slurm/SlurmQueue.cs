// SPDX-License-Identifier: MIT
using System.Globalization;

namespace NeuronPursuit.Sweeps.Slurm;

/// <summary>One element of an array job as Slurm reports it.</summary>
/// <param name="JobId">The array job's id.</param>
/// <param name="ArrayIndex">The element's index (= the sweep task's index).</param>
/// <param name="State">Slurm's state, e.g. PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, CANCELLED.</param>
/// <param name="Detail">The reason (squeue) or exit code (sacct), or empty.</param>
public sealed record SlurmElement(string JobId, int ArrayIndex, string State, string Detail)
{
    /// <summary><c>JOBID_INDEX</c>.</summary>
    public string Id => $"{JobId}_{ArrayIndex.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// Slurm's view of a sweep's array jobs: <c>squeue</c> for what it still holds (pending, running, and finished jobs for
/// MinJobAge), merged with <c>sacct</c> where the cluster keeps accounting (jobs squeue has forgotten).
/// </summary>
public static class SlurmQueue
{
    /// <summary>The elements of the given array jobs that squeue or sacct know; null when squeue cannot be run or fails
    /// (then nothing can be concluded about a task from its absence).</summary>
    /// <param name="jobIds">Array job ids.</param>
    /// <returns>The elements, or null.</returns>
    public static IReadOnlyList<SlurmElement>? Query(IEnumerable<string> jobIds)
    {
        var elements = new Dictionary<string, SlurmElement>();
        foreach (string job in jobIds.Distinct())
        {
            var squeue = SlurmTool.Run("squeue", ["-h", "-r", "--states=all", "-j", job, "-o", "%i|%T|%r"]);
            if (squeue is not { } q) return null;
            // An id squeue no longer knows is an error for squeue; sacct may still know it.
            if (q.ExitCode != 0 && !q.Stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)) return null;
            if (q.ExitCode == 0)
                foreach (var e in ParseSqueue(q.Stdout)) elements[e.Id] = e;
            var sacct = SlurmTool.Run("sacct", ["-n", "-P", "-X", "-j", job, "-o", "JobID,State,ExitCode"]);
            if (sacct is { ExitCode: 0 } a)
                foreach (var e in ParseSacct(a.Stdout)) elements.TryAdd(e.Id, e);
        }
        return elements.Values.ToList();
    }

    /// <summary>Parses <c>squeue -h -r -o '%i|%T|%r'</c> lines: <c>12_3|RUNNING|None</c>.</summary>
    /// <param name="output">squeue's output.</param>
    /// <returns>The array elements (lines of other jobs or unexpanded arrays are skipped).</returns>
    public static IEnumerable<SlurmElement> ParseSqueue(string output) =>
        Lines(output).Select(fields => Element(fields, fields.Length > 2 ? fields[2] : "")).OfType<SlurmElement>();

    /// <summary>Parses <c>sacct -n -P -X -o JobID,State,ExitCode</c> lines: <c>12_3|CANCELLED by 0|0:15</c>.</summary>
    /// <param name="output">sacct's output.</param>
    /// <returns>The array elements.</returns>
    public static IEnumerable<SlurmElement> ParseSacct(string output) =>
        Lines(output).Select(fields => Element(fields, fields.Length > 2 ? $"exit code {fields[2]}" : "")).OfType<SlurmElement>();

    private static IEnumerable<string[]> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split('|'));

    private static SlurmElement? Element(string[] fields, string detail)
    {
        if (fields.Length < 2) return null;
        string[] id = fields[0].Split('_');
        if (id.Length != 2 || !int.TryParse(id[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index)) return null;
        string state = fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        return new SlurmElement(id[0], index, state.TrimEnd('+'), detail);
    }

    /// <summary>The task state for a Slurm state of an element that wrote no result file, and the error to record.</summary>
    /// <param name="element">The element.</param>
    /// <returns>queued, running, timed_out, cancelled or failed (with the error).</returns>
    public static (string Status, string? Error) Map(SlurmElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        string detail = element.Detail is "" or "None" ? "" : $" ({element.Detail})";
        return element.State switch
        {
            "PENDING" or "CONFIGURING" or "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED" or "RESV_DEL_HOLD" => (TaskStatus.Queued, null),
            "RUNNING" or "COMPLETING" or "SIGNALING" or "STAGE_OUT" or "RESIZING" or "SUSPENDED" or "STOPPED" => (TaskStatus.Running, null),
            "TIMEOUT" => (TaskStatus.TimedOut, $"Slurm: array element {element.Id} reached its time limit{detail}"),
            "CANCELLED" => (TaskStatus.Cancelled, $"Slurm: array element {element.Id} was cancelled{detail}"),
            "COMPLETED" => (TaskStatus.Failed, $"Slurm: array element {element.Id} completed but wrote no result file"),
            _ => (TaskStatus.Failed, $"Slurm: array element {element.Id} ended {element.State}{detail} without a result file"),
        };
    }
}
