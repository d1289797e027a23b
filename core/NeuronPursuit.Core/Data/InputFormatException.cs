// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Data;

/// <summary>
/// A file given as input is malformed. The message is one line that names the file, the place
/// (line, column) and the problem, fit to be printed as it is by the CLI.
/// </summary>
public sealed class InputFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file (or other input) name.</param>
    /// <param name="problem">What is wrong, with its place.</param>
    public InputFormatException(string source, string problem)
        : base($"{source}: {problem}")
    {
        Source = source;
        Problem = problem;
    }

    /// <summary>The file or input name.</summary>
    public new string Source { get; }

    /// <summary>What is wrong, with its place.</summary>
    public string Problem { get; }
}
