// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text.Json;

namespace NeuronPursuit.Sweeps;

/// <summary>One axis of a sweep: a name (an option's flag without dashes, or any name for a function sweep) and its
/// values, in order.</summary>
/// <param name="Name">E.g. <c>init-scale</c>.</param>
/// <param name="Values">At least one value, each a normalised JSON scalar (<see cref="ParameterValue"/>), no two equal.</param>
public sealed record Axis(string Name, IReadOnlyList<JsonElement> Values)
{
    /// <summary>The largest number of values an integer range may give.</summary>
    public const int MaxRangeLength = 100_000;

    /// <summary>
    /// Reads an axis: a JSON array of scalars, or a string <c>A..B</c>, the integers A, A+1, …, B.
    /// </summary>
    /// <param name="key">Where the axis is, for errors (e.g. <c>axes.seed</c>).</param>
    /// <param name="name">The axis name.</param>
    /// <param name="value">The array or range.</param>
    /// <returns>The axis.</returns>
    /// <exception cref="SweepSpecException">Empty, a malformed range, or a non-scalar value (a value given twice is
    /// refused by <see cref="TaskGrid"/>).</exception>
    public static Axis Parse(string key, string name, JsonElement value)
    {
        var values = new List<JsonElement>();
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in value.EnumerateArray()) values.Add(ParameterValue.Normalise($"{key}[{i++}]", item));
                if (values.Count == 0) throw new SweepSpecException(key, "is empty; an axis needs at least one value.");
                break;
            case JsonValueKind.String:
                var (first, last) = Range(key, value.GetString()!);
                for (long k = first; k <= last; k++) values.Add(ParameterValue.Of(k));
                break;
            default:
                throw new SweepSpecException(key, $"must be a list of values or a range \"A..B\", not {ParameterValue.Describe(value.ValueKind)}.");
        }
        return new Axis(name, values);
    }

    /// <summary>An axis of the integers first..last.</summary>
    /// <param name="name">The name.</param>
    /// <param name="first">First value.</param>
    /// <param name="last">Last value (≥ first).</param>
    /// <returns>The axis.</returns>
    public static Axis Range(string name, long first, long last)
    {
        if (last < first || last - first >= MaxRangeLength)
            throw new SweepSpecException($"axes.{name}", $"the range {first}..{last} is empty or longer than {MaxRangeLength}.");
        var values = new List<JsonElement>();
        for (long k = first; k <= last; k++) values.Add(ParameterValue.Of(k));
        return new Axis(name, values);
    }

    private static (long First, long Last) Range(string key, string text)
    {
        string[] parts = text.Split("..");
        if (parts.Length == 2
            && long.TryParse(parts[0].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long first)
            && long.TryParse(parts[1].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long last))
        {
            if (last < first) throw new SweepSpecException(key, $"the range '{text}' is empty (B < A).");
            if (last - first >= MaxRangeLength) throw new SweepSpecException(key, $"the range '{text}' has more than {MaxRangeLength} values.");
            return (first, last);
        }
        throw new SweepSpecException(key, $"'{text}' is not a range of integers A..B such as 1..20; a list of values is written [\"a\", \"b\"].");
    }
}
