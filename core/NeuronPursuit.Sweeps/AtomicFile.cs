// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Sweeps;

/// <summary>Writes a file so that a reader — on this host or another over a shared file system — sees the old file,
/// the new one, or none, never a torn one: the bytes go to a temporary file in the same folder, flushed to disk, which
/// is then renamed over the target. Used for the sweeps' result files and for np predict's output.</summary>
public static class AtomicFile
{
    /// <summary>Writes the bytes atomically (creating the folder when missing).</summary>
    public static void Write(string path, byte[] bytes)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes the text (UTF-8) atomically.</summary>
    public static void Write(string path, string text) => Write(path, System.Text.Encoding.UTF8.GetBytes(text));
}
