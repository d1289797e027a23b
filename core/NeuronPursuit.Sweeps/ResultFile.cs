// SPDX-License-Identifier: MIT
using System.Text.Json;

namespace NeuronPursuit.Sweeps;

/// <summary>
/// A task's result file, <c>DIR/tasks/&lt;index&gt;/result.json</c>. On a cluster, SQLite must not be written from
/// several hosts over a network file system, so each task writes this file instead and the submitting host ingests it.
/// It is written atomically (<see cref="AtomicFile"/>), so a reader sees the old file, the new file, or none, never a
/// torn one.
/// </summary>
public static class ResultFile
{
    /// <summary>The file's name in the task's folder.</summary>
    public const string Name = "result.json";

    /// <summary>Writes the outcome atomically.</summary>
    /// <param name="path">The result file's path.</param>
    /// <param name="outcome">The outcome.</param>
    public static void Write(string path, TaskOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        AtomicFile.Write(path, outcome.ToJson());
    }

    /// <summary>Reads a result file, or null when there is none or it cannot be read (a partial copy on a network
    /// file system is read again later).</summary>
    /// <param name="path">The path.</param>
    /// <returns>The outcome or null.</returns>
    public static TaskOutcome? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? TaskOutcome.FromJson(File.ReadAllText(path)) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }
}
