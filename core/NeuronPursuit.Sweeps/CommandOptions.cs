// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Sweeps;

/// <summary>
/// What a sweep may set on one np subcommand, as the command line declares it (the CLI builds these from its own
/// argument declarations, so there is one list of flags): options that take a value, switches, the flags a sweep must
/// not set (with the reason), and the positional arguments the command accepts.
/// </summary>
/// <param name="Name">The subcommand, e.g. <c>flow</c>.</param>
/// <param name="ValueOptions">Flags without dashes that take a value, e.g. <c>t-end</c>, <c>init-scale</c>.</param>
/// <param name="Switches">Flags without dashes that take none, e.g. <c>full</c>.</param>
/// <param name="Reserved">Flags a sweep may not give, each with the reason (e.g. <c>out</c>: the sweep sets it).</param>
/// <param name="Positionals">The accepted positional arguments (e.g. the check names), or null when the command takes none.</param>
/// <param name="MinPositionals">How many positional arguments the command needs at least in a sweep.</param>
public sealed record CommandOptions(
    string Name,
    IReadOnlyList<string> ValueOptions,
    IReadOnlyList<string> Switches,
    IReadOnlyDictionary<string, string> Reserved,
    IReadOnlyList<string>? Positionals,
    int MinPositionals)
{
    /// <summary>Whether the flag (without dashes) is one a sweep may set.</summary>
    /// <param name="flag">E.g. <c>seed</c>.</param>
    /// <returns>True for a value option or a switch.</returns>
    public bool Accepts(string flag) => ValueOptions.Contains(flag) || Switches.Contains(flag);

    /// <summary>Whether the flag is a switch.</summary>
    /// <param name="flag">The flag without dashes.</param>
    /// <returns>True for a switch.</returns>
    public bool IsSwitch(string flag) => Switches.Contains(flag);

    /// <summary>Every flag a sweep may set, value options first, for messages.</summary>
    public IEnumerable<string> AllOptions => ValueOptions.Concat(Switches);
}
