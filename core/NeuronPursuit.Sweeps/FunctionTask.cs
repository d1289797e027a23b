// SPDX-License-Identifier: MIT
using System.Diagnostics;

namespace NeuronPursuit.Sweeps;

/// <summary>Runs one task of a function sweep in this process: the function of the task's parameters gives its
/// metrics; an exception fails the task with its message.</summary>
public static class FunctionTask
{
    /// <summary>Runs the function on the task's parameters.</summary>
    /// <param name="task">The task.</param>
    /// <param name="function">Parameters → metrics.</param>
    /// <returns>The outcome.</returns>
    public static TaskOutcome Run(SweepTask task, Func<SweepValues, SweepValues> function)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(function);
        string started = TaskProcess.Now();
        var clock = Stopwatch.StartNew();
        string? metrics = null, error = null;
        try
        {
            metrics = function(task.Parameters).ToJson();
        }
        catch (Exception e)
        {
            error = $"{e.GetType().Name}: {e.Message.Replace('\r', ' ').Replace('\n', ' ')}";
        }
        return new TaskOutcome
        {
            Index = task.Index,
            Status = error is null ? TaskStatus.Done : TaskStatus.Failed,
            Parameters = task.Parameters.ToJson(),
            Metrics = metrics,
            WallSeconds = clock.Elapsed.TotalSeconds,
            Error = error,
            ExitCode = null,
            Host = Environment.MachineName,
            SlurmJob = null,
            StartedUtc = started,
            FinishedUtc = TaskProcess.Now(),
        };
    }
}
