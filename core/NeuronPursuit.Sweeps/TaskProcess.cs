// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NeuronPursuit.Sweeps;

/// <summary>
/// Runs one task of a command sweep as a child np process — the same np, an argument list, never a shell — so that a
/// crash or a kill loses only that task. The task writes its normal run folder (<c>--out DIR/tasks/&lt;index&gt;</c>)
/// with its run.json; its metrics are read from there. np's output is kept beside it (stdout.txt, stderr.txt).
/// </summary>
public static class TaskProcess
{
    /// <summary>Runs the task and returns its outcome (not yet recorded anywhere).</summary>
    /// <param name="spec">The sweep (its working directory is where np runs).</param>
    /// <param name="sweepDir">The sweep folder.</param>
    /// <param name="task">The task.</param>
    /// <param name="np">How to start np.</param>
    /// <param name="slurmJob">The Slurm array element it runs as, or null.</param>
    /// <returns>Done when np exited 0 and wrote a readable run.json; failed otherwise, with np's message.</returns>
    public static TaskOutcome Run(SweepSpec spec, string sweepDir, SweepTask task, NpCommand np, string? slurmJob)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(np);
        string folder = SweepFolder.TaskFolderOf(sweepDir, task.Index);
        // A previous attempt's files go: np gets a folder of its own, and no stale run.json can be mistaken for this one.
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        var info = new ProcessStartInfo(np.File)
        {
            WorkingDirectory = spec.WorkingDirectory ?? sweepDir,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in np.Prefix.Concat(spec.Arguments(task, folder))) info.ArgumentList.Add(a);
        info.Environment[ParentWatch.Variable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        string started = Now();
        var clock = Stopwatch.StartNew();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        int exitCode;
        string? startError = null;
        try
        {
            using var process = new Process { StartInfo = info };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.WaitForExit();
            exitCode = process.ExitCode;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            exitCode = -1;
            startError = $"cannot start np ({np.File}): {e.Message}";
        }
        double wall = clock.Elapsed.TotalSeconds;
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "stdout.txt"), stdout.ToString());
        File.WriteAllText(Path.Combine(folder, "stderr.txt"), stderr.ToString());

        string? metrics = null;
        string? readError = null;
        string runJson = Path.Combine(folder, "run.json");
        if (File.Exists(runJson))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(runJson));
                metrics = spec.ExtractMetrics(document.RootElement).ToJson();
            }
            catch (JsonException e)
            {
                readError = $"run.json is not valid JSON: {e.Message.Split('\n')[0]}";
            }
        }
        else if (exitCode == 0) readError = "np exited 0 but wrote no run.json";
        string? error = startError ?? (exitCode != 0 ? ErrorLine(stderr.ToString(), exitCode) : readError);
        return new TaskOutcome
        {
            Index = task.Index,
            Status = exitCode == 0 && metrics is not null ? TaskStatus.Done : TaskStatus.Failed,
            Parameters = task.Parameters.ToJson(),
            Metrics = metrics,
            WallSeconds = wall,
            Error = error,
            ExitCode = startError is null ? exitCode : null,
            Host = Environment.MachineName,
            SlurmJob = slurmJob,
            StartedUtc = started,
            FinishedUtc = Now(),
        };
    }

    /// <summary>np's one-line error (the last line starting with "np: ", else the last line), or the exit code.</summary>
    private static string ErrorLine(string stderr, int exitCode)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? line = lines.LastOrDefault(l => l.StartsWith("np: ", StringComparison.Ordinal)) ?? lines.LastOrDefault();
        if (exitCode == ParentWatch.OrphanExitCode && line is null) return "np was stopped: the sweep that started it ended";
        return line is null ? $"np exited with code {exitCode}" : $"{line} (exit code {exitCode})";
    }

    /// <summary>The UTC time, ISO 8601 with fractions of a second.</summary>
    /// <returns>The time.</returns>
    public static string Now() => DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture);
}
