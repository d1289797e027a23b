// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using TorchSharp;

namespace NeuronPursuit.Torch;

/// <summary>
/// Initialises libtorch once, or explains in one line why it cannot. TorchSharp's own error on a
/// failed load names a missing package even when the real cause is the dynamic loader refusing
/// libLibTorchSharp.so; this class asks the loader directly for its reason.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lazy<Exception?> Failure = new(TryInitialise, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether libtorch is loaded and usable.</summary>
    public static bool IsAvailable => Failure.Value is null;

    /// <summary>Ensures libtorch is initialised.</summary>
    /// <exception cref="TorchUnavailableException">libtorch cannot be loaded; the message names the cause.</exception>
    public static void EnsureAvailable()
    {
        if (Failure.Value is { } failure) throw failure;
    }

    /// <summary>The number of threads libtorch uses for intra-op parallelism.</summary>
    public static int Threads
    {
        get
        {
            EnsureAvailable();
            return torch.get_num_threads();
        }
        set
        {
            EnsureAvailable();
            if (value < 1) throw new ArgumentException($"value: the thread count must be at least 1, got {value}.", nameof(value));
            torch.set_num_threads(value);
        }
    }

    private static Exception? TryInitialise()
    {
        try
        {
            if (torch.TryInitializeDeviceType(DeviceType.CPU)) return null;
            return new TorchUnavailableException($"libtorch could not be initialised: {LoaderDiagnosis()}");
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or EntryPointNotFoundException or BadImageFormatException)
        {
            return new TorchUnavailableException($"libtorch could not be initialised: {LoaderDiagnosis()}", e);
        }
    }

    /// <summary>The dynamic loader's own message for libLibTorchSharp.so, with the remedy.</summary>
    private static string LoaderDiagnosis()
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
            Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
        ];
        foreach (string candidate in candidates)
        {
            if (!File.Exists(candidate)) continue;
            try
            {
                NativeLibrary.Free(NativeLibrary.Load(candidate));
            }
            catch (DllNotFoundException e)
            {
                string reason = e.Message.Replace('\n', ' ');
                string remedy = reason.Contains("GLIBCXX", StringComparison.Ordinal)
                    ? " The build's TorchSharp native compatibility step did not run or was turned off (-p:NeuronPursuitTorchNativeCompat=false); rebuild without turning it off (README, 'TorchSharp on Debian 12')."
                    : "";
                return reason + remedy;
            }
            return $"{candidate} loads, but TorchSharp failed to initialise libtorch from it.";
        }
        return "libLibTorchSharp.so is not in the application folder; reference TorchSharp and the platform's libtorch-cpu-<rid> package from the application project (as core/NeuronPursuit.Torch does).";
    }
}
