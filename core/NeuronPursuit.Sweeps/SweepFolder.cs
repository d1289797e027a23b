// SPDX-License-Identifier: MIT
using System.Globalization;

namespace NeuronPursuit.Sweeps;

/// <summary>
/// The folder of a sweep: <c>sweep.json</c> (the specification in canonical form, with the folder the tasks run in),
/// <c>results.db</c> (the results database, written on one host only), <c>tasks/&lt;index&gt;/</c> (each task's run
/// folder and its result file), <c>slurm/</c> (sbatch scripts, the command file the scripts read, Slurm's logs). A
/// folder holds one sweep: running a sweep with different tasks into it is refused before anything is written.
/// </summary>
public sealed class SweepFolder : IDisposable
{
    /// <summary>The specification's file name.</summary>
    public const string SpecFile = "sweep.json";

    /// <summary>The database's file name.</summary>
    public const string DatabaseFile = "results.db";

    private const string LockFile = ".sweep.lock";

    private SweepFolder(string path, SweepSpec spec, SweepStore store)
    {
        Path = path;
        Spec = spec;
        Store = store;
    }

    /// <summary>The folder's absolute path.</summary>
    public string Path { get; }

    /// <summary>The sweep it holds.</summary>
    public SweepSpec Spec { get; }

    /// <summary>Its results database.</summary>
    public SweepStore Store { get; }

    /// <summary>The run folder of a task.</summary>
    /// <param name="index">The task.</param>
    /// <returns><c>DIR/tasks/&lt;index&gt;</c>.</returns>
    public string TaskFolder(int index) => TaskFolderOf(Path, index);

    /// <summary>The run folder of a task of the sweep in a folder.</summary>
    /// <param name="dir">The sweep folder.</param>
    /// <param name="index">The task.</param>
    /// <returns><c>DIR/tasks/&lt;index&gt;</c>.</returns>
    public static string TaskFolderOf(string dir, int index) =>
        System.IO.Path.Combine(System.IO.Path.GetFullPath(dir), "tasks", index.ToString(CultureInfo.InvariantCulture));

    /// <summary>The result file of a task.</summary>
    /// <param name="index">The task.</param>
    /// <returns><c>DIR/tasks/&lt;index&gt;/result.json</c>.</returns>
    public string ResultPath(int index) => System.IO.Path.Combine(TaskFolder(index), ResultFile.Name);

    /// <summary>The folder of the Slurm scripts and logs.</summary>
    public string SlurmFolder => System.IO.Path.Combine(Path, "slurm");

    /// <summary>Reads the specification a sweep folder holds.</summary>
    /// <param name="dir">The folder.</param>
    /// <param name="commands">The np commands a sweep can run.</param>
    /// <returns>The specification.</returns>
    /// <exception cref="SweepSpecException">No sweep.json, or an unreadable one (the problem says so about the folder).</exception>
    public static SweepSpec ReadSpec(string dir, IReadOnlyDictionary<string, CommandOptions> commands)
    {
        string file = System.IO.Path.Combine(dir, SpecFile);
        if (!File.Exists(file)) throw new SweepSpecException("", $"holds no sweep (no {SpecFile}).");
        try
        {
            return SweepSpec.Parse(File.ReadAllText(file), commands);
        }
        catch (SweepSpecException e)
        {
            throw new SweepSpecException("", $"its {SpecFile} is not a sweep specification: {e.Message}");
        }
    }

    /// <summary>Checks, writing nothing, that a sweep can run in a folder: the folder does not exist, is empty, or holds
    /// the same sweep (same tasks; the metrics and the report may have changed).</summary>
    /// <param name="dir">The folder.</param>
    /// <param name="spec">The sweep.</param>
    /// <param name="commands">The np commands a sweep can run.</param>
    /// <exception cref="SweepSpecException">Key <c>--out</c>: a file, a folder holding other files, or a different sweep.</exception>
    public static void Check(string dir, SweepSpec spec, IReadOnlyDictionary<string, CommandOptions> commands)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (File.Exists(dir)) throw new SweepSpecException("--out", $"'{dir}' is a file, not a folder.");
        if (!Directory.Exists(dir)) return;
        if (!File.Exists(System.IO.Path.Combine(dir, SpecFile)))
        {
            if (Directory.EnumerateFileSystemEntries(dir).Any())
                throw new SweepSpecException("--out", $"'{dir}' is not empty and holds no sweep ({SpecFile}); choose an empty or new folder.");
            return;
        }
        SweepSpec existing;
        try
        {
            existing = ReadSpec(dir, commands);
        }
        catch (SweepSpecException e)
        {
            throw new SweepSpecException("--out", $"'{dir}' {e.Problem}");
        }
        if (spec.DifferenceFrom(existing) is { } key)
            throw new SweepSpecException("--out", $"'{dir}' holds a different sweep (its {key} differ); choose another folder, or delete this one to start over.");
    }

    /// <summary>Creates the folder for a sweep, or opens it when it holds the same sweep (call <see cref="Check"/>
    /// first): writes sweep.json (keeping the working directory recorded first), opens the database and adds the
    /// tasks it lacks. When only the metrics changed, the done tasks' metrics are read again from their run.json.</summary>
    /// <param name="dir">The folder.</param>
    /// <param name="spec">The sweep.</param>
    /// <param name="workingDirectory">The folder the tasks run in, when the sweep is new.</param>
    /// <param name="commands">The np commands a sweep can run.</param>
    /// <returns>The open folder.</returns>
    public static SweepFolder Create(string dir, SweepSpec spec, string workingDirectory, IReadOnlyDictionary<string, CommandOptions> commands)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Check(dir, spec, commands);
        string path = System.IO.Path.GetFullPath(dir);
        Directory.CreateDirectory(path);
        string file = System.IO.Path.Combine(path, SpecFile);
        var existing = File.Exists(file) ? ReadSpec(path, commands) : null;
        var stored = spec.WithWorkingDirectory(existing?.WorkingDirectory ?? workingDirectory);
        string text = stored.ToJson();
        if (existing is null || File.ReadAllText(file) != text) AtomicFile.Write(file, text);
        var store = SweepStore.Open(System.IO.Path.Combine(path, DatabaseFile));
        store.SetSetting("identity", stored.Identity());
        store.AddTasks(stored.Grid.Tasks());
        var folder = new SweepFolder(path, stored, store);
        bool metricsChanged = existing is not null && !existing.Metrics.Select(m => (m.Name, m.Path.Text)).SequenceEqual(stored.Metrics.Select(m => (m.Name, m.Path.Text)));
        if (metricsChanged) folder.ExtractMetricsAgain();
        return folder;
    }

    /// <summary>Opens an existing sweep folder on the host that owns its database.</summary>
    /// <param name="dir">The folder.</param>
    /// <param name="commands">The np commands a sweep can run.</param>
    /// <returns>The open folder.</returns>
    /// <exception cref="SweepSpecException">Not a sweep folder.</exception>
    public static SweepFolder Open(string dir, IReadOnlyDictionary<string, CommandOptions> commands)
    {
        var spec = ReadSpec(dir, commands);
        string path = System.IO.Path.GetFullPath(dir);
        var store = SweepStore.Open(System.IO.Path.Combine(path, DatabaseFile));
        store.AddTasks(spec.Grid.Tasks());
        return new SweepFolder(path, spec, store);
    }

    /// <summary>Takes the folder's lock for a local run or a submission: one <c>np sweep run</c>, <c>Sweep.run</c> or
    /// <c>np sweep submit</c> at a time. The operating system releases it when the process ends, however it ends.</summary>
    /// <returns>The lock; dispose to release.</returns>
    /// <exception cref="SweepSpecException">Another process holds it.</exception>
    public IDisposable Lock()
    {
        try
        {
            return new FileStream(System.IO.Path.Combine(Path, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new SweepSpecException("--out", $"another process is running this sweep ('{Path}'); wait for it to finish.");
        }
    }

    /// <summary>Reads the result files of tasks the database does not have as finished yet (Slurm elements, or a local
    /// run killed between writing a result file and recording it) and records them.</summary>
    /// <returns>How many outcomes were recorded.</returns>
    public int IngestResultFiles()
    {
        int count = 0;
        foreach (var row in Store.Tasks())
        {
            if (row.Status == TaskStatus.Done) continue;
            if (ResultFile.TryRead(ResultPath(row.Index)) is { } outcome && outcome.Index == row.Index && outcome.FinishedUtc != row.FinishedUtc)
            {
                Store.Record(outcome);
                count++;
            }
        }
        return count;
    }

    /// <summary>Reads the metrics of every done task of a command sweep again from its run.json (after the
    /// specification's metrics changed; the tasks themselves are the same).</summary>
    private void ExtractMetricsAgain()
    {
        if (Spec.Command is null) return;
        foreach (var row in Store.Tasks())
        {
            if (row.Status != TaskStatus.Done) continue;
            string runJson = System.IO.Path.Combine(TaskFolder(row.Index), "run.json");
            if (!File.Exists(runJson)) continue;
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(runJson));
                Store.SetMetrics(row.Index, Spec.ExtractMetrics(document.RootElement).ToJson());
            }
            catch (System.Text.Json.JsonException)
            {
                // The task's run.json was damaged after it was recorded: its old metrics stay.
            }
        }
    }

    /// <summary>Closes the database.</summary>
    public void Dispose() => Store.Dispose();
}
