// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;

namespace NeuronPursuit.Sweeps.Slurm;

/// <summary>
/// The sbatch array script of a submission and the command file it reads. The script's text holds no path and no name
/// a user chose: np's path and the sweep folder are in <c>slurm/command</c>, one NUL-terminated argument each, which
/// the script reads with <c>mapfile -d ''</c> and runs as an argument vector, adding <c>--index
/// $SLURM_ARRAY_TASK_ID</c>. The job runs in the sweep folder (sbatch is started there), so every path in the script is
/// relative and fixed; the #SBATCH values are integers or pass <see cref="SlurmOptions.Validate"/>.
/// </summary>
public static class SbatchScript
{
    /// <summary>The command file's path relative to the sweep folder.</summary>
    public const string CommandFile = "slurm/command";

    /// <summary>The script's text.</summary>
    /// <param name="array">The --array value, e.g. <c>0-5%2</c>.</param>
    /// <param name="options">The validated options.</param>
    /// <returns>The script.</returns>
    public static string Text(string array, SlurmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = new StringBuilder();
        s.Append("#!/bin/bash\n");
        s.Append("# np sweep: one Slurm array element per task of the sweep in this folder (written by np sweep submit).\n");
        s.Append("# np's path and the folder are read from slurm/command (NUL-separated arguments), never from this text.\n");
        s.Append("#SBATCH --job-name=np-sweep\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --array={array}\n");
        s.Append("#SBATCH --output=slurm/%A_%a.out\n");
        if (options.Partition is { } p) s.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={p}\n");
        if (options.Time is { } t) s.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={t}\n");
        if (options.CpusPerTask is int c) s.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={c}\n");
        s.Append("set -eu\n");
        s.Append("mapfile -d '' -t np < " + CommandFile + "\n");
        s.Append("exec \"${np[@]}\" --index \"$SLURM_ARRAY_TASK_ID\"\n");
        return s.ToString();
    }

    /// <summary>The command file's bytes: each argument followed by a NUL byte (a NUL cannot occur in an argument).</summary>
    /// <param name="argv">np's executable, its prefix, <c>sweep run-task</c> and the sweep folder.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentException">An argument holding a NUL character.</exception>
    public static byte[] CommandBytes(IEnumerable<string> argv)
    {
        var s = new StringBuilder();
        foreach (string a in argv)
        {
            if (a.Contains('\0')) throw new ArgumentException("an argument holds a NUL character", nameof(argv));
            s.Append(a).Append('\0');
        }
        return Encoding.UTF8.GetBytes(s.ToString());
    }
}
