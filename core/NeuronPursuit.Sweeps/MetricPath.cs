// SPDX-License-Identifier: MIT
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NeuronPursuit.Sweeps;

/// <summary>
/// Where a metric sits in a task's run.json (the one run-record schema: <c>kind</c>, <c>problem</c>, <c>settings</c>,
/// <c>result</c>, …): property names separated by dots, each optionally followed by selectors — <c>[k]</c> the k-th
/// element of an array (negative k counts from the end) or <c>[name=value]</c> the first element whose property
/// <c>name</c> equals <c>value</c>. Examples: <c>result.final_loss</c>, <c>result.events[name=escape].time</c>,
/// <c>result.final_widths</c>, <c>result.checks[0].key_numbers.slope</c>, <c>result.iterations[-1].loss_after</c>.
/// </summary>
public sealed partial class MetricPath
{
    /// <summary>The top-level keys of a run record a path may start with.</summary>
    public static IReadOnlyList<string> RunRecordKeys { get; } =
        ["kind", "command", "versions", "created_utc", "problem", "settings", "result", "files"];

    private abstract record Step;
    private sealed record Property(string Name) : Step;
    private sealed record Element(int Index) : Step;
    private sealed record Where(string Name, string Value) : Step;

    private readonly List<Step> steps;

    private MetricPath(string text, List<Step> steps)
    {
        Text = text;
        this.steps = steps;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9_\-]+)(?<selectors>(\[[^\[\]]+\])*)$")]
    private static partial Regex SegmentPattern();

    [GeneratedRegex(@"\[(?<selector>[^\[\]]+)\]")]
    private static partial Regex SelectorPattern();

    /// <summary>Parses a path.</summary>
    /// <param name="key">Where the path is, for errors (e.g. <c>metrics.escape_time</c>).</param>
    /// <param name="text">The path.</param>
    /// <returns>The path.</returns>
    /// <exception cref="SweepSpecException">Malformed, or not starting at a run-record key.</exception>
    public static MetricPath Parse(string key, string text)
    {
        var steps = new List<Step>();
        foreach (string segment in text.Split('.'))
        {
            var m = SegmentPattern().Match(segment);
            if (!m.Success) throw new SweepSpecException(key, $"'{text}' is not a path such as result.final_loss or result.events[name=escape].time (at '{segment}').");
            steps.Add(new Property(m.Groups["name"].Value));
            foreach (Match s in SelectorPattern().Matches(m.Groups["selectors"].Value))
            {
                string selector = s.Groups["selector"].Value.Trim();
                int eq = selector.IndexOf('=');
                if (eq > 0) steps.Add(new Where(selector[..eq].Trim(), selector[(eq + 1)..].Trim()));
                else if (int.TryParse(selector, out int k)) steps.Add(new Element(k));
                else throw new SweepSpecException(key, $"'[{selector}]' in '{text}' is neither an index [k] nor a filter [name=value].");
            }
        }
        string first = ((Property)steps[0]).Name;
        if (!RunRecordKeys.Contains(first))
            throw new SweepSpecException(key, $"'{text}' must start at a key of run.json: {string.Join(", ", RunRecordKeys)}.");
        return new MetricPath(text, steps);
    }

    /// <summary>The value at this path in a run record, or null when the record does not hold it (e.g. no escape
    /// event happened).</summary>
    /// <param name="root">The run record's root object.</param>
    /// <returns>The value, or null.</returns>
    public JsonElement? Find(JsonElement root)
    {
        JsonElement current = root;
        foreach (var step in steps)
        {
            switch (step)
            {
                case Property p:
                    if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(p.Name, out current)) return null;
                    break;
                case Element e:
                    if (current.ValueKind != JsonValueKind.Array) return null;
                    int n = current.GetArrayLength(), k = e.Index < 0 ? n + e.Index : e.Index;
                    if (k < 0 || k >= n) return null;
                    current = current[k];
                    break;
                case Where w:
                    if (current.ValueKind != JsonValueKind.Array) return null;
                    JsonElement? match = null;
                    foreach (var item in current.EnumerateArray())
                        if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty(w.Name, out var v) && ParameterValue.Display(v) == w.Value)
                        {
                            match = item;
                            break;
                        }
                    if (match is null) return null;
                    current = match.Value;
                    break;
            }
        }
        return current.ValueKind == JsonValueKind.Undefined ? null : current.Clone();
    }

    /// <summary>The path as written.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Text;
}
