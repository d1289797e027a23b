// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Numerics;

namespace NeuronPursuit.Core.Data;

/// <summary>
/// The weights file: one number per line, in the network's parameter layout (W₁, …, W_L, each
/// row-major; for the two-layer net W then v), written with round-trip precision so that reading
/// gives back the same bits. Lines starting with '#' are comments (the writer records the network
/// there); blank lines are ignored.
/// </summary>
public static class WeightsFile
{
    /// <summary>Reads a weights file.</summary>
    /// <typeparam name="T">Scalar type (double or DoubleDouble; parsed with the type's own parser).</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="expectedCount">The number of weights the network has, or null to accept any.</param>
    /// <returns>The weights.</returns>
    /// <exception cref="InputFormatException">Missing file, a line that is not a finite number, or the wrong count.</exception>
    public static T[] Read<T>(string path, int? expectedCount = null) where T : struct, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InputFormatException(path, "no such file.");
        using var reader = new StreamReader(path);
        return Read<T>(reader, path, expectedCount);
    }

    /// <summary>Reads weights from text.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="reader">The text.</param>
    /// <param name="source">A name for error messages.</param>
    /// <param name="expectedCount">The number of weights the network has, or null to accept any.</param>
    /// <returns>The weights.</returns>
    /// <exception cref="InputFormatException">A line that is not a finite number, or the wrong count.</exception>
    public static T[] Read<T>(TextReader reader, string source, int? expectedCount = null) where T : struct, INumber<T>
    {
        var values = new List<T>();
        string? line;
        int lineNumber = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            string text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            if (!T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out T value))
                throw new InputFormatException(source, $"line {lineNumber}: '{text}' is not a number (one weight per line).");
            if (!T.IsFinite(value))
                throw new InputFormatException(source, $"line {lineNumber}: '{text}' is not finite; weights must be finite.");
            values.Add(value);
        }
        if (values.Count == 0) throw new InputFormatException(source, "holds no weights.");
        if (expectedCount is int count && values.Count != count)
            throw new InputFormatException(source, $"holds {values.Count} weights, but the network has {count}.");
        return values.ToArray();
    }

    /// <summary>Writes weights, one per line with round-trip precision, after optional comment lines.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="path">The file to write.</param>
    /// <param name="weights">The weights.</param>
    /// <param name="comments">Lines written first, each prefixed by "# ".</param>
    public static void Write<T>(string path, ReadOnlySpan<T> weights, params string[] comments) where T : struct, INumber<T>
    {
        using var writer = new StreamWriter(path);
        foreach (string comment in comments) writer.WriteLine("# " + comment);
        foreach (T w in weights) writer.WriteLine(Format(w));
    }

    /// <summary>The round-trip text of one value in invariant culture.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>Text that parses back to the same value.</returns>
    public static string Format<T>(T value) where T : struct, INumber<T> =>
        value is double d ? d.ToString("R", CultureInfo.InvariantCulture) : value.ToString(null, CultureInfo.InvariantCulture);
}
