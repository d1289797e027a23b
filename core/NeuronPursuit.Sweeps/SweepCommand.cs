// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Sweeps;

/// <summary>The np subcommand every task of a sweep runs, with its positional arguments: <c>flow</c>, <c>pursue</c>,
/// or <c>check NAME…</c>.</summary>
/// <param name="Name">The subcommand.</param>
/// <param name="Positionals">Its positional arguments, e.g. the check's name.</param>
public sealed record SweepCommand(string Name, IReadOnlyList<string> Positionals)
{
    /// <summary>Reads the command text (words separated by white space) against the commands a sweep can run.</summary>
    /// <param name="text">E.g. <c>check escape-time-L2</c>.</param>
    /// <param name="commands">The commands, by name.</param>
    /// <returns>The command and the options it takes.</returns>
    /// <exception cref="SweepSpecException">An unknown command, or positional arguments it does not take.</exception>
    public static (SweepCommand Command, CommandOptions Options) Parse(string text, IReadOnlyDictionary<string, CommandOptions> commands)
    {
        string[] words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || !commands.TryGetValue(words[0], out var options))
            throw new SweepSpecException("command", $"'{text}' is not a command a sweep runs; known: {string.Join(", ", commands.Keys)}.");
        var positionals = words.Skip(1).ToList();
        if (options.Positionals is null && positionals.Count > 0)
            throw new SweepSpecException("command", $"np {options.Name} takes no arguments, got '{string.Join(" ", positionals)}'.");
        if (options.Positionals is { } allowed)
            foreach (string p in positionals)
                if (!allowed.Contains(p))
                    throw new SweepSpecException("command", $"'{p}' is not an argument of np {options.Name}; known: {string.Join(", ", allowed)}.");
        if (positionals.Count < options.MinPositionals)
            throw new SweepSpecException("command", $"np {options.Name} in a sweep needs {options.MinPositionals} argument(s), e.g. '{options.Name} {options.Positionals?.FirstOrDefault() ?? "NAME"}'.");
        return (new SweepCommand(words[0], positionals), options);
    }

    /// <summary>The command text, e.g. <c>check escape-time-L2</c>.</summary>
    /// <returns>The words joined by spaces.</returns>
    public override string ToString() => string.Join(" ", new[] { Name }.Concat(Positionals));
}
