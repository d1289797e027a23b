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

    /// <summary>Runs a parser that throws <see cref="ArgumentException"/>s worded <c>name: problem</c> (the core's
    /// registries), and rethrows them as a specification error under <paramref name="key"/>.</summary>
    /// <typeparam name="T">What the parser returns.</typeparam>
    /// <param name="key">The specification key.</param>
    /// <param name="parse">The parser.</param>
    /// <returns>What it returned.</returns>
    /// <exception cref="SpecificationException">The parser rejected its input.</exception>
    public static T Under<T>(string key, Func<T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return parse();
        }
        catch (ArgumentException e) when (e is not SpecificationException)
        {
            string message = e.Message.Replace($" (Parameter '{e.ParamName}')", "");
            int colon = message.IndexOf(": ", StringComparison.Ordinal);
            throw new SpecificationException(key, colon >= 0 && !message[..colon].Contains(' ') ? message[(colon + 2)..] : message);
        }
    }

    /// <summary>The message without .NET's parameter suffix: <c>key: problem</c>.</summary>
    public override string Message => $"{Key}: {Problem}";
}
