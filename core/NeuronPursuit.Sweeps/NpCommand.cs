// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Sweeps;

/// <summary>How to start np: the executable and the arguments before np's own (the np.dll path when np runs on the
/// dotnet host). Always started with an argument list, never through a shell.</summary>
/// <param name="File">The executable's absolute path.</param>
/// <param name="Prefix">Arguments that come first.</param>
public sealed record NpCommand(string File, IReadOnlyList<string> Prefix)
{
    /// <summary>The full argument vector: the executable, the prefix, then np's arguments.</summary>
    /// <param name="arguments">np's arguments.</param>
    /// <returns>The argument vector.</returns>
    public IReadOnlyList<string> Argv(IEnumerable<string> arguments) => new[] { File }.Concat(Prefix).Concat(arguments).ToList();
}
