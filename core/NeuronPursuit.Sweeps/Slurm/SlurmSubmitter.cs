// SPDX-License-Identifier: MIT
using System.Globalization;

namespace NeuronPursuit.Sweeps.Slurm;

/// <summary>What a submission did.</summary>
/// <param name="Submission">The submission (job id "(dry run)" when nothing was submitted).</param>
/// <param name="Indices">The tasks submitted.</param>
/// <param name="ScriptPath">The sbatch script.</param>
public sealed record SubmitResult(Submission Submission, IReadOnlyList<int> Indices, string ScriptPath);

/// <summary>
/// Submits a sweep's unfinished tasks as one Slurm array job and brings the results database up to date with the
/// result files and Slurm's view. Only the submitting host writes the database.
/// </summary>
public static class SlurmSubmitter
{
    /// <summary>Updates the database: first Slurm's state of every task it holds (queued or running under a job), then
    /// the result files, which win. A task Slurm no longer lists that wrote no result file has failed.</summary>
    /// <param name="folder">The sweep folder.</param>
    /// <returns>A warning when Slurm could not be asked (squeue missing or failing), else null.</returns>
    public static string? Refresh(SweepFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var active = folder.Store.Tasks().Where(r => TaskStatus.IsActive(r.Status) && r.SlurmJob is not null).ToList();
        string? warning = null;
        IReadOnlyList<SlurmElement>? elements = null;
        if (active.Count > 0)
        {
            elements = SlurmQueue.Query(active.Select(r => JobOf(r.SlurmJob!)));
            if (elements is null) warning = "squeue is not available or failed; the states of queued and running tasks are the last ones seen";
        }
        folder.IngestResultFiles();
        if (elements is null) return warning;
        var byId = elements.ToDictionary(e => e.Id);
        var stillActive = folder.Store.Tasks().Where(r => TaskStatus.IsActive(r.Status) && r.SlurmJob is not null);
        var updates = new List<(int, string, string?, string)>();
        foreach (var row in stillActive)
        {
            string id = $"{JobOf(row.SlurmJob!)}_{row.Index.ToString(CultureInfo.InvariantCulture)}";
            if (byId.TryGetValue(id, out var element))
            {
                var (status, error) = SlurmQueue.Map(element);
                updates.Add((row.Index, status, error, status == TaskStatus.Queued ? JobOf(row.SlurmJob!) : id));
            }
            else
            {
                updates.Add((row.Index, TaskStatus.Failed, $"Slurm: array element {id} is no longer listed and wrote no result file", id));
            }
        }
        folder.Store.SetSlurmStates(updates);
        // A result file may have landed after the first look.
        folder.IngestResultFiles();
        return null;
    }

    /// <summary>The array job's id of <c>JOBID</c> or <c>JOBID_INDEX</c>.</summary>
    private static string JobOf(string slurmJob) => slurmJob.Split('_')[0];

    /// <summary>Writes the sbatch script for the tasks that are neither done nor held by Slurm, and submits it with
    /// <c>sbatch --parsable</c> (unless a dry run), recording the job.</summary>
    /// <param name="folder">The sweep folder (refreshed first by the caller).</param>
    /// <param name="runTask">np's argument vector for <c>np sweep run-task DIR</c> (without <c>--index</c>).</param>
    /// <param name="options">The validated options.</param>
    /// <param name="dryRun">Write the script, submit nothing.</param>
    /// <returns>What was submitted, or null when every task is done or held by Slurm.</returns>
    /// <exception cref="SlurmException">sbatch is missing or refuses the job.</exception>
    public static SubmitResult? Submit(SweepFolder folder, IReadOnlyList<string> runTask, SlurmOptions options, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(runTask);
        ArgumentNullException.ThrowIfNull(options);
        var indices = folder.Store.Tasks()
            .Where(r => r.Status != TaskStatus.Done && !(TaskStatus.IsActive(r.Status) && r.SlurmJob is not null))
            .Select(r => r.Index).ToList();
        if (indices.Count == 0) return null;
        string array = ArrayIndices.Format(indices, options.MaxParallel);
        Directory.CreateDirectory(folder.SlurmFolder);
        AtomicFile.Write(Path.Combine(folder.Path, SbatchScript.CommandFile), SbatchScript.CommandBytes(runTask));
        int number = folder.Store.Submissions().Count + 1;
        string script = Path.Combine(folder.SlurmFolder, $"submit-{number.ToString(CultureInfo.InvariantCulture)}.sbatch");
        AtomicFile.Write(script, SbatchScript.Text(array, options));
        if (dryRun) return new SubmitResult(new Submission("(dry run)", array, script, TaskProcess.Now()), indices, script);

        // A previous attempt's result file must not be read as this one's.
        foreach (int i in indices)
            if (File.Exists(folder.ResultPath(i))) File.Delete(folder.ResultPath(i));
        var result = SlurmTool.Run("sbatch", ["--parsable", script], folder.Path)
                     ?? throw new SlurmException("sbatch not found: np sweep submit --slurm needs the Slurm client commands (sbatch, squeue) on the PATH.");
        if (result.ExitCode != 0)
            throw new SlurmException($"sbatch refused the job: {SlurmTool.FirstLine(result.Stderr + "\n" + result.Stdout)}");
        string jobId = SlurmTool.FirstLine(result.Stdout).Split(';')[0];
        if (jobId.Length == 0 || !jobId.All(char.IsAsciiDigit))
            throw new SlurmException($"sbatch --parsable printed '{SlurmTool.FirstLine(result.Stdout)}', not a job id.");
        var submission = new Submission(jobId, array, script, TaskProcess.Now());
        folder.Store.Submitted(submission, indices);
        return new SubmitResult(submission, indices, script);
    }
}
