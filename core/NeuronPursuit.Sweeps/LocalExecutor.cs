// SPDX-License-Identifier: MIT
using System.Diagnostics;

namespace NeuronPursuit.Sweeps;

/// <summary>
/// Runs a sweep's unfinished tasks on this machine with N workers (default: every core), recording each outcome in
/// the results database as it comes (and in the task's result file first, so a kill between the two loses nothing).
/// Resumable: tasks already done are skipped, failed ones are retried, tasks a killed run left running are run again.
/// </summary>
public static class LocalExecutor
{
    /// <summary>Runs the tasks that are not done.</summary>
    /// <param name="folder">The open sweep folder.</param>
    /// <param name="execute">Runs one task (a child np process, or a function in this process).</param>
    /// <param name="workers">Parallel workers, at least 1.</param>
    /// <param name="progress">Receives the counts on every start and end and twice a second, or null.</param>
    /// <param name="finished">Called with each outcome once recorded, or null.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="SweepSpecException">Another process is running the sweep.</exception>
    public static SweepRunSummary Run(SweepFolder folder, Func<SweepTask, TaskOutcome> execute, int workers,
                                      IProgress<SweepProgress>? progress, Action<TaskOutcome>? finished)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(execute);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        using var held = folder.Lock();
        // Results written before a kill are kept; what the killed run left running is run again.
        folder.IngestResultFiles();
        folder.Store.ResetInterrupted();
        var rows = folder.Store.Tasks();
        var todo = rows.Where(r => r.Status != TaskStatus.Done).Select(r => r.Index).ToArray();
        int total = rows.Count, skipped = total - todo.Length;
        int done = skipped, failed = rows.Count(r => TaskStatus.IsFailure(r.Status)), running = 0, next = -1, finishedCount = 0;
        var clock = Stopwatch.StartNew();
        var gate = new Lock();

        SweepProgress Snapshot()
        {
            lock (gate)
            {
                int pending = total - done - failed - running;
                double? eta = finishedCount > 0 ? clock.Elapsed.TotalSeconds / finishedCount * (todo.Length - finishedCount) : null;
                return new SweepProgress(total, done, running, failed, pending, eta);
            }
        }

        void Work()
        {
            while (true)
            {
                int k = Interlocked.Increment(ref next);
                if (k >= todo.Length) return;
                int index = todo[k];
                var task = folder.Spec.Grid.Task(index);
                lock (gate)
                {
                    // A retried failure counts as running, not failed, while it runs.
                    if (TaskStatus.IsFailure(rows[index].Status)) failed--;
                    running++;
                }
                folder.Store.Start(index, Environment.MachineName, TaskProcess.Now());
                progress?.Report(Snapshot());
                TaskOutcome outcome;
                try
                {
                    outcome = execute(task);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    outcome = new TaskOutcome
                    {
                        Index = index, Status = TaskStatus.Failed, Parameters = task.Parameters.ToJson(), WallSeconds = 0,
                        Error = e.Message, Host = Environment.MachineName, StartedUtc = TaskProcess.Now(), FinishedUtc = TaskProcess.Now(),
                    };
                }
                ResultFile.Write(folder.ResultPath(index), outcome);
                folder.Store.Record(outcome);
                lock (gate)
                {
                    running--;
                    finishedCount++;
                    if (outcome.Status == TaskStatus.Done) done++;
                    else failed++;
                }
                finished?.Invoke(outcome);
                progress?.Report(Snapshot());
            }
        }

        var threads = Enumerable.Range(0, Math.Min(workers, Math.Max(todo.Length, 1)))
            .Select(i => new Thread(Work) { IsBackground = true, Name = $"sweep worker {i}" })
            .ToList();
        foreach (var t in threads) t.Start();
        foreach (var t in threads)
            while (!t.Join(500))
                progress?.Report(Snapshot());
        return new SweepRunSummary(total, skipped, todo.Length, done, failed, clock.Elapsed.TotalSeconds);
    }
}
