// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NeuronPursuit.Sweeps;

/// <summary>
/// Named JSON values in a fixed order: a task's parameters (axis name → value) or its metrics (metric name → value,
/// null when the run record does not hold it). Stored in the results database as one JSON object.
/// </summary>
public sealed class SweepValues
{
    private readonly List<KeyValuePair<string, JsonElement>> entries;

    /// <summary>Creates the values, in the given order.</summary>
    /// <param name="entries">Name and value pairs, names distinct.</param>
    public SweepValues(IEnumerable<KeyValuePair<string, JsonElement>> entries)
    {
        this.entries = entries.Select(e => KeyValuePair.Create(e.Key, e.Value.Clone())).ToList();
    }

    /// <summary>No values.</summary>
    public static SweepValues Empty { get; } = new([]);

    /// <summary>The names, in order.</summary>
    public IReadOnlyList<string> Names => entries.Select(e => e.Key).ToList();

    /// <summary>The pairs, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonElement>> Entries => entries;

    /// <summary>The number of values.</summary>
    public int Count => entries.Count;

    /// <summary>Whether a value of that name is present (it may be JSON null).</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when present.</returns>
    public bool Contains(string name) => entries.Any(e => e.Key == name);

    /// <summary>The value of that name, or null when absent.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The value or null.</returns>
    public JsonElement? TryGet(string name)
    {
        foreach (var e in entries)
            if (e.Key == name) return e.Value;
        return null;
    }

    /// <summary>The value of that name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">No value of that name.</exception>
    public JsonElement this[string name] =>
        TryGet(name) ?? throw new KeyNotFoundException($"'{name}' is not one of {string.Join(", ", Names)}.");

    /// <summary>The value as a double (a number, or a string holding one).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The number.</returns>
    /// <exception cref="KeyNotFoundException">Absent.</exception>
    /// <exception cref="FormatException">Not a number.</exception>
    public double Float(string name) =>
        ParameterValue.AsNumber(this[name]) ?? throw new FormatException($"'{name}' is {this[name].GetRawText()}, not a number.");

    /// <summary>The value as an integer.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The integer.</returns>
    /// <exception cref="KeyNotFoundException">Absent.</exception>
    /// <exception cref="FormatException">Not an integer.</exception>
    public long Int(string name)
    {
        var v = this[name];
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long k)) return k;
        if (v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out k)) return k;
        throw new FormatException($"'{name}' is {v.GetRawText()}, not an integer.");
    }

    /// <summary>The value as text: a string as it is, anything else as JSON.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The text.</returns>
    /// <exception cref="KeyNotFoundException">Absent.</exception>
    public string String(string name) => ParameterValue.Display(this[name]);

    /// <summary>The value as a boolean.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The boolean.</returns>
    /// <exception cref="KeyNotFoundException">Absent.</exception>
    /// <exception cref="FormatException">Not true or false.</exception>
    public bool Bool(string name) => this[name].ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new FormatException($"'{name}' is {this[name].GetRawText()}, not true or false."),
    };

    /// <summary>The values as one JSON object, in order, without white space.</summary>
    /// <returns>E.g. <c>{"init-scale":0.001,"seed":3}</c>.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var e in entries)
            {
                writer.WritePropertyName(e.Key);
                e.Value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads values written by <see cref="ToJson"/>.</summary>
    /// <param name="json">A JSON object.</param>
    /// <returns>The values in the object's order.</returns>
    /// <exception cref="JsonException">Not a JSON object.</exception>
    public static SweepValues FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("not a JSON object");
        return new SweepValues(document.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.Clone())).ToList());
    }

    /// <summary>"name=value, name=value" for messages and labels.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Join(", ", entries.Select(e => $"{e.Key}={ParameterValue.Display(e.Value)}"));
}
