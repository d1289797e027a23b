// SPDX-License-Identifier: MIT
using System.Text;
using System.Text.Json;

namespace NeuronPursuit.Sweeps;

/// <summary>
/// A task's result file, <c>DIR/tasks/&lt;index&gt;/result.json</c>. On a cluster, SQLite must not be written from
/// several hosts over a network file system, so each task writes this file instead and the submitting host ingests it.
/// It is written atomically — to a temporary file in the same folder, flushed to disk, then renamed over the old one —
/// so a reader sees the old file, the new file, or none, never a torn one.
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
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Name}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(outcome.ToJson()));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
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
