// SPDX-License-Identifier: MIT
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace NeuronPursuit.Sweeps;

/// <summary>A Slurm submission of some of a sweep's tasks.</summary>
/// <param name="JobId">The array job's id.</param>
/// <param name="Array">The array specification, e.g. <c>0-5%2</c>.</param>
/// <param name="Script">The sbatch script's path.</param>
/// <param name="SubmittedUtc">When, ISO 8601.</param>
public sealed record Submission(string JobId, string Array, string Script, string SubmittedUtc);

/// <summary>
/// The results database of a sweep, <c>DIR/results.db</c> (SQLite): one row per task — index, parameters, status,
/// metrics, wall time, error, exit code, attempts, host, Slurm job, start and end — and the Slurm submissions.
/// Write-ahead logging with full synchronisation: every change is one transaction, so a process killed at any moment
/// leaves the database consistent and loses no committed change. One host writes it (WAL needs shared memory, so never
/// over a network file system); within the process the calls are serialised.
/// </summary>
public sealed class SweepStore : IDisposable
{
    /// <summary>The schema version written to the sweep table.</summary>
    public const int SchemaVersion = 1;

    private readonly SqliteConnection connection;
    private readonly Lock gate = new();

    private SweepStore(SqliteConnection connection) => this.connection = connection;

    /// <summary>Opens (creating when missing) the database at a path and its tables.</summary>
    /// <param name="path">E.g. <c>DIR/results.db</c>.</param>
    /// <returns>The store.</returns>
    public static SweepStore Open(string path)
    {
        SqliteNative.Initialise();
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        var store = new SweepStore(connection);
        store.Execute("PRAGMA journal_mode=WAL;");
        store.Execute("PRAGMA synchronous=FULL;");
        store.Execute("PRAGMA busy_timeout=10000;");
        store.Execute("""
            CREATE TABLE IF NOT EXISTS sweep (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS tasks (
                task_index INTEGER PRIMARY KEY,
                parameters TEXT NOT NULL,
                status TEXT NOT NULL,
                metrics TEXT,
                wall_seconds REAL,
                error TEXT,
                exit_code INTEGER,
                attempts INTEGER NOT NULL DEFAULT 0,
                host TEXT,
                slurm_job TEXT,
                started_utc TEXT,
                finished_utc TEXT);
            CREATE TABLE IF NOT EXISTS submissions (
                job_id TEXT PRIMARY KEY,
                array TEXT NOT NULL,
                script TEXT NOT NULL,
                submitted_utc TEXT NOT NULL);
            """);
        store.Execute($"INSERT OR IGNORE INTO sweep (key, value) VALUES ('schema_version', '{SchemaVersion}');");
        return store;
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    private void InTransaction(Action<SqliteTransaction> body)
    {
        lock (gate)
        {
            using var transaction = connection.BeginTransaction();
            body(transaction);
            transaction.Commit();
        }
    }

    private void Run(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>A value of the sweep table, or null.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value or null.</returns>
    public string? Setting(string key)
    {
        lock (gate)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT value FROM sweep WHERE key = $key;";
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteScalar() as string;
        }
    }

    /// <summary>Sets a value of the sweep table.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void SetSetting(string key, string value) =>
        InTransaction(t => Run(t, "INSERT INTO sweep (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value;",
                               ("$key", key), ("$value", value)));

    /// <summary>Adds the tasks that are not in the table yet, as pending, in one transaction.</summary>
    /// <param name="tasks">The sweep's tasks.</param>
    public void AddTasks(IEnumerable<SweepTask> tasks) =>
        InTransaction(t =>
        {
            foreach (var task in tasks)
                Run(t, "INSERT OR IGNORE INTO tasks (task_index, parameters, status) VALUES ($i, $p, $s);",
                    ("$i", task.Index), ("$p", task.Parameters.ToJson()), ("$s", TaskStatus.Pending));
        });

    /// <summary>Every task, by index.</summary>
    /// <returns>The rows.</returns>
    public IReadOnlyList<TaskRecord> Tasks()
    {
        lock (gate)
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT task_index, parameters, status, metrics, wall_seconds, error, exit_code, attempts, host, slurm_job,
                       started_utc, finished_utc
                FROM tasks ORDER BY task_index;
                """;
            using var reader = command.ExecuteReader();
            var rows = new List<TaskRecord>();
            while (reader.Read())
            {
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                rows.Add(new TaskRecord(
                    reader.GetInt32(0),
                    SweepValues.FromJson(reader.GetString(1)),
                    reader.GetString(2),
                    Text(3) is { } metrics ? SweepValues.FromJson(metrics) : null,
                    reader.IsDBNull(4) ? null : reader.GetDouble(4),
                    Text(5),
                    reader.IsDBNull(6) ? null : reader.GetInt32(6),
                    reader.GetInt32(7),
                    Text(8),
                    Text(9),
                    Text(10),
                    Text(11)));
            }
            return rows;
        }
    }

    /// <summary>Marks a task running on this host: one more attempt, no error.</summary>
    /// <param name="index">The task.</param>
    /// <param name="host">The host.</param>
    /// <param name="startedUtc">The start time.</param>
    public void Start(int index, string host, string startedUtc) =>
        InTransaction(t => Run(t, """
            UPDATE tasks SET status = $s, attempts = attempts + 1, host = $h, started_utc = $t, finished_utc = NULL,
                             error = NULL, exit_code = NULL, slurm_job = NULL
            WHERE task_index = $i;
            """, ("$s", TaskStatus.Running), ("$h", host), ("$t", startedUtc), ("$i", index)));

    /// <summary>Records a task's outcome. An outcome the database has not seen start (a Slurm element that ran between
    /// two looks at the queue) counts as one attempt.</summary>
    /// <param name="outcome">The outcome.</param>
    public void Record(TaskOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        InTransaction(t => Run(t, """
            UPDATE tasks SET status = $s, metrics = $m, wall_seconds = $w, error = $e, exit_code = $x, host = $h,
                             slurm_job = COALESCE($j, slurm_job), started_utc = $st, finished_utc = $f,
                             attempts = CASE WHEN status IN ('queued', 'pending') THEN attempts + 1 ELSE attempts END
            WHERE task_index = $i;
            """,
            ("$s", outcome.Status), ("$m", outcome.Metrics), ("$w", outcome.WallSeconds), ("$e", outcome.Error),
            ("$x", outcome.ExitCode), ("$h", outcome.Host), ("$j", outcome.SlurmJob), ("$st", outcome.StartedUtc),
            ("$f", outcome.FinishedUtc), ("$i", outcome.Index)));
    }

    /// <summary>Replaces a task's metrics (read again from its run record).</summary>
    /// <param name="index">The task.</param>
    /// <param name="metrics">The metrics as a JSON object.</param>
    public void SetMetrics(int index, string metrics) =>
        InTransaction(t => Run(t, "UPDATE tasks SET metrics = $m WHERE task_index = $i;", ("$m", metrics), ("$i", index)));

    /// <summary>Puts tasks that a killed local run left running back to pending (Slurm's are left to Slurm).</summary>
    /// <returns>How many were reset.</returns>
    public int ResetInterrupted()
    {
        int count = 0;
        InTransaction(t =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = t;
            command.CommandText = "UPDATE tasks SET status = $p WHERE status = $r AND slurm_job IS NULL;";
            command.Parameters.AddWithValue("$p", TaskStatus.Pending);
            command.Parameters.AddWithValue("$r", TaskStatus.Running);
            count = command.ExecuteNonQuery();
        });
        return count;
    }

    /// <summary>Records a Slurm submission and marks its tasks queued under the job.</summary>
    /// <param name="submission">The submission.</param>
    /// <param name="indices">The tasks submitted.</param>
    public void Submitted(Submission submission, IEnumerable<int> indices)
    {
        ArgumentNullException.ThrowIfNull(submission);
        InTransaction(t =>
        {
            Run(t, "INSERT OR REPLACE INTO submissions (job_id, array, script, submitted_utc) VALUES ($j, $a, $s, $t);",
                ("$j", submission.JobId), ("$a", submission.Array), ("$s", submission.Script), ("$t", submission.SubmittedUtc));
            foreach (int i in indices)
                Run(t, """
                    UPDATE tasks SET status = $q, slurm_job = $j, error = NULL, exit_code = NULL, started_utc = NULL,
                                     finished_utc = NULL
                    WHERE task_index = $i;
                    """, ("$q", TaskStatus.Queued), ("$j", submission.JobId), ("$i", i));
        });
    }

    /// <summary>Sets the state Slurm reports for tasks that have written no result file.</summary>
    /// <param name="updates">Index, state, error (null unless the state is a failure), Slurm element id.</param>
    public void SetSlurmStates(IEnumerable<(int Index, string Status, string? Error, string SlurmJob)> updates) =>
        InTransaction(t =>
        {
            foreach (var (index, status, error, job) in updates)
                Run(t, """
                    UPDATE tasks SET status = $s, error = $e, slurm_job = $j,
                                     attempts = CASE WHEN status = 'queued' AND $s <> 'queued' THEN attempts + 1 ELSE attempts END
                    WHERE task_index = $i;
                    """, ("$s", status), ("$e", error), ("$j", job), ("$i", index));
        });

    /// <summary>Every Slurm submission, oldest first.</summary>
    /// <returns>The submissions.</returns>
    public IReadOnlyList<Submission> Submissions()
    {
        lock (gate)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT job_id, array, script, submitted_utc FROM submissions ORDER BY submitted_utc, job_id;";
            using var reader = command.ExecuteReader();
            var rows = new List<Submission>();
            while (reader.Read()) rows.Add(new Submission(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            return rows;
        }
    }

    /// <summary>SQLite's <c>PRAGMA integrity_check</c>: "ok" for a sound database.</summary>
    /// <returns>The first line of the check.</returns>
    public string IntegrityCheck()
    {
        lock (gate)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check;";
            return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
        }
    }

    /// <summary>Closes the connection (and checkpoints the write-ahead log).</summary>
    public void Dispose()
    {
        connection.Dispose();
    }
}
