// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text.Json;

namespace NeuronPursuit.Sweeps;

/// <summary>
/// The values a sweep passes to a task: JSON scalars (numbers, strings, booleans). Numbers are normalised once, so that
/// <c>1e-3</c> and <c>0.001</c> are the same value everywhere — in the task's arguments, its recorded parameters and
/// the sweep's identity: an integer stays an integer, any other number becomes its shortest round-trip text.
/// </summary>
public static class ParameterValue
{
    /// <summary>A JSON element holding the given JSON text.</summary>
    /// <param name="json">JSON text.</param>
    /// <returns>A detached element.</returns>
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The JSON element of a number, normalised.</summary>
    /// <param name="value">A finite double.</param>
    /// <returns>The element.</returns>
    public static JsonElement Of(double value) => Parse(NumberText(value));

    /// <summary>The JSON element of an integer.</summary>
    /// <param name="value">The integer.</param>
    /// <returns>The element.</returns>
    public static JsonElement Of(long value) => Parse(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The JSON element of a string.</summary>
    /// <param name="value">The string.</param>
    /// <returns>The element.</returns>
    public static JsonElement Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) writer.WriteStringValue(value);
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>The JSON element of a boolean.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The element.</returns>
    public static JsonElement Of(bool value) => Parse(value ? "true" : "false");

    /// <summary>Round-trip text of a double as JSON, e.g. <c>0.001</c>, <c>1E-05</c>.</summary>
    /// <param name="value">A finite double.</param>
    /// <returns>The text.</returns>
    public static string NumberText(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// A scalar with its number normalised: integers (no fraction or exponent in the text) as integers, other numbers
    /// as round-trip doubles. Strings and booleans as they are.
    /// </summary>
    /// <param name="key">Where the value is, for the error.</param>
    /// <param name="value">The value.</param>
    /// <returns>The normalised value.</returns>
    /// <exception cref="SweepSpecException">An array, object or null; or a number that is not finite in double.</exception>
    public static JsonElement Normalise(string key, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return value.Clone();
            case JsonValueKind.Number:
                string raw = value.GetRawText();
                bool integral = raw.IndexOfAny(['.', 'e', 'E']) < 0;
                if (integral && value.TryGetInt64(out long k)) return Of(k);
                if (value.TryGetDouble(out double x) && double.IsFinite(x)) return Of(x);
                throw new SweepSpecException(key, $"the number {raw} is not a finite double.");
            default:
                throw new SweepSpecException(key, $"must be a number, a string or true/false, not {Describe(value.ValueKind)}.");
        }
    }

    /// <summary>The value as a command-line argument: a string as it is, a number as its normalised text.</summary>
    /// <param name="value">A string or number.</param>
    /// <returns>The argument.</returns>
    public static string ToArgument(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    /// <summary>Short text for tables and labels: strings unquoted, everything else as JSON.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Display(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    /// <summary>The value as a double when it is a number or a string holding one (checks report their key numbers as
    /// text); null otherwise.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The number, or null.</returns>
    public static double? AsNumber(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double x) => x,
        _ => null,
    };

    /// <summary>Whether two values are the same JSON (after normalisation: same kind and text).</summary>
    /// <param name="a">One value.</param>
    /// <param name="b">The other.</param>
    /// <returns>True when equal.</returns>
    public static bool Same(JsonElement a, JsonElement b) => a.ValueKind == b.ValueKind && a.GetRawText() == b.GetRawText();

    /// <summary>"an array", "an object", "null", … for messages.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The description.</returns>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "nothing",
    };
}
