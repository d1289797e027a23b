// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Problems;

/// <summary>
/// A problem specification that cannot be built: the key that holds the bad value (a command-line flag's name
/// without its dashes, e.g. <c>widths</c>) and what is wrong with it, in one line.
/// </summary>
public sealed class SpecificationException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The specification key, e.g. <c>activation</c>.</param>
    /// <param name="problem">What is wrong, one line, without the key.</param>
    public SpecificationException(string key, string problem)
        : base($"{key}: {problem}", key)
    {
        Key = key;
        Problem = problem;
    }

    /// <summary>The specification key.</summary>
    public string Key { get; }

    /// <summary>What is wrong, without the key.</summary>
    public string Problem { get; }

    /// <summary>The message without .NET's parameter suffix: <c>key: problem</c>.</summary>
    public override string Message => $"{Key}: {Problem}";
}
