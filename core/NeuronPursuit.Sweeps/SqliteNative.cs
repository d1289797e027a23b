// SPDX-License-Identifier: MIT
using System.Reflection;
using System.Runtime.InteropServices;

namespace NeuronPursuit.Sweeps;

/// <summary>
/// Loads SQLite's native library (e_sqlite3, shipped in the package's runtimes/&lt;rid&gt;/native folder). Applications
/// find it through their deps.json; hosts that do not probe those folders (dotnet fsi loading the F# surface) get it
/// from next to this assembly, so scripts can open a results database too.
/// </summary>
internal static class SqliteNative
{
    private static readonly Lazy<bool> Done = new(() =>
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().Concat(Candidates()))
        {
            if (assembly.GetName().Name is not ("SQLitePCLRaw.provider.e_sqlite3" or "SQLitePCLRaw.provider.dynamic_cdecl")) continue;
            try
            {
                NativeLibrary.SetDllImportResolver(assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // A resolver is already set (by the host or an earlier call): the host's probing goes on.
            }
        }
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private static IEnumerable<Assembly> Candidates()
    {
        Assembly? provider = null;
        try
        {
            provider = Assembly.Load("SQLitePCLRaw.provider.e_sqlite3");
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
        }
        return provider is null ? [] : [provider];
    }

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3000",
        Justification = "An empty location (np compiled ahead of time) is handled.")]
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        // Compiled into the executable (native AOT) the assembly has no location: the library lies beside the executable,
        // where the runtime's own probing finds it.
        string? managed = Path.GetDirectoryName(typeof(SqliteNative).Assembly.Location);
        if (string.IsNullOrEmpty(managed)) return IntPtr.Zero;
        string folder = Path.Combine(managed, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");
        foreach (string file in new[] { name, $"lib{name}.so", $"{name}.so", $"lib{name}.dylib", $"{name}.dll" })
        {
            string candidate = Path.Combine(folder, file);
            if (File.Exists(candidate)) return NativeLibrary.Load(candidate);
        }
        return IntPtr.Zero;
    }

    /// <summary>Sets the resolver and initialises SQLitePCL once.</summary>
    public static void Initialise() => _ = Done.Value;
}
