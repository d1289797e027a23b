// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Globalization;

namespace NeuronPursuit.Sweeps;

/// <summary>
/// Ends a task's np process when the sweep process that started it is gone (killed, even with SIGKILL), so a killed
/// sweep leaves no task running behind it that could write into a folder the resumed sweep reuses. The sweep sets
/// <see cref="Variable"/> to its process id in the child's environment; np calls <see cref="StartIfRequested"/> first.
/// </summary>
public static class ParentWatch
{
    /// <summary>The environment variable holding the parent's process id.</summary>
    public const string Variable = "NP_SWEEP_PARENT";

    /// <summary>The exit code of a task ended because its parent is gone.</summary>
    public const int OrphanExitCode = 130;

    /// <summary>When <see cref="Variable"/> names a process id, starts a background thread that checks every 0.2 s
    /// whether that process is still this one's parent, and exits with <see cref="OrphanExitCode"/> when not.</summary>
    public static void StartIfRequested()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int parent) || parent <= 0) return;
        // The variable must not reach processes this one starts (a sweep run inside a task watches its own parent).
        Environment.SetEnvironmentVariable(Variable, null);
        var thread = new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(200);
                if (!Alive(parent)) Environment.Exit(OrphanExitCode);
            }
        }) { IsBackground = true, Name = "np parent watch" };
        thread.Start();
    }

    /// <summary>Whether the parent is still there: on Linux, whether it is still this process's parent (an orphan is
    /// re-parented, so a recycled pid cannot fool the check); elsewhere, whether a process of that id runs.</summary>
    private static bool Alive(int parent)
    {
        try
        {
            if (File.Exists("/proc/self/stat"))
            {
                string stat = File.ReadAllText("/proc/self/stat");
                // Fields after the command name (which may hold spaces) in parentheses: state, ppid, …
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return int.Parse(fields[1], CultureInfo.InvariantCulture) == parent;
            }
            using var p = Process.GetProcessById(parent);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            return true;
        }
    }
}
