// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Sweeps;

/// <summary>
/// A sweep specification (or the output folder it is run into) is unusable: <see cref="Key"/> names where, e.g.
/// <c>axes.widths</c>, <c>options.t-end</c>, <c>metrics.escape_time</c> or <c>--out</c>, and <see cref="Problem"/>
/// says what is wrong, in one line. Raised before anything is written.
/// </summary>
public sealed class SweepSpecException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">Where the problem is, e.g. <c>axes.seed</c>; empty for the document as a whole.</param>
    /// <param name="problem">What is wrong, one line.</param>
    public SweepSpecException(string key, string problem)
        : base(key.Length == 0 ? problem : $"{key}: {problem}")
    {
        Key = key;
        Problem = problem;
    }

    /// <summary>Where the problem is, e.g. <c>axes.seed</c>; empty for the document as a whole.</summary>
    public string Key { get; }

    /// <summary>What is wrong, one line.</summary>
    public string Problem { get; }
}
