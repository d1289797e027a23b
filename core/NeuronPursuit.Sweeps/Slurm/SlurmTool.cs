// SPDX-License-Identifier: MIT
using System.ComponentModel;
using System.Diagnostics;

namespace NeuronPursuit.Sweeps.Slurm;

/// <summary>Runs a Slurm client command (sbatch, squeue, sacct) with an argument list and a time limit.</summary>
internal static class SlurmTool
{
    /// <summary>Runs the tool; null when it cannot be started (not installed).</summary>
    public static (int ExitCode, string Stdout, string Stderr)? Run(string tool, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(tool)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (string a in arguments) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info);
            if (process is null) return null;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "", $"{tool} did not answer within 60 s");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (Win32Exception)
        {
            return null;
        }
    }

    /// <summary>The first non-empty line of a text, trimmed.</summary>
    public static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
}
