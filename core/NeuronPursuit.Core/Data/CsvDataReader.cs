// SPDX-License-Identifier: MIT
using System.Globalization;

namespace NeuronPursuit.Core.Data;

/// <summary>
/// Reads a regression data set from CSV: a header row naming the columns x1 … xd then y, and one
/// sample per row, comma-separated, numbers in invariant culture. Every problem is reported as an
/// <see cref="InputFormatException"/> naming the file, the line and the column.
/// </summary>
public static class CsvDataReader
{
    /// <summary>Reads a data set from a file.</summary>
    /// <param name="path">The CSV file.</param>
    /// <returns>The data set in double precision.</returns>
    /// <exception cref="InputFormatException">The file is missing, empty or malformed, or holds NaN/∞.</exception>
    public static DataSet<double> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InputFormatException(path, "no such file.");
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads a data set from text.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="source">A name for error messages (the file name).</param>
    /// <returns>The data set in double precision.</returns>
    /// <exception cref="InputFormatException">The text is empty or malformed, or holds NaN/∞.</exception>
    public static DataSet<double> Read(TextReader reader, string source)
    {
        CsvTable table = ReadTable(reader, source);
        if (table.Names.Count < 2)
            throw new InputFormatException(source, $"the header has {table.Names.Count} column; expected x1,…,xd,y with d ≥ 1.");
        return table.ToDataSet();
    }

    /// <summary>Reads a table of named numeric columns (a header row, then one row per sample).</summary>
    /// <param name="path">The CSV file.</param>
    /// <returns>The column names and the values.</returns>
    /// <exception cref="InputFormatException">The file is missing, empty or malformed, or holds NaN/∞.</exception>
    public static CsvTable ReadTable(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InputFormatException(path, "no such file.");
        using var reader = new StreamReader(path);
        return ReadTable(reader, path);
    }

    /// <summary>Reads a table of named numeric columns from text.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="source">A name for error messages (the file name).</param>
    /// <returns>The column names and the values.</returns>
    /// <exception cref="InputFormatException">The text is empty or malformed, or holds NaN/∞.</exception>
    public static CsvTable ReadTable(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? header = reader.ReadLine();
        int lineNumber = 1;
        while (header is not null && header.Trim().Length == 0)
        {
            header = reader.ReadLine();
            lineNumber++;
        }
        if (header is null) throw new InputFormatException(source, "the file is empty; expected a header row x1,…,xd,y.");
        string[] names = header.Split(',').Select(s => s.Trim()).ToArray();
        if (names.All(n => double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            throw new InputFormatException(source, $"line {lineNumber}: expected a header row x1,…,xd,y, found numbers.");

        var values = new List<double>();
        int rows = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string[] fields = line.Split(',');
            if (fields.Length != names.Length)
                throw new InputFormatException(source, $"line {lineNumber}: has {fields.Length} fields, but the header has {names.Length}.");
            for (int c = 0; c < fields.Length; c++)
            {
                string field = fields[c].Trim();
                if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                    throw new InputFormatException(source, $"line {lineNumber}, column {c + 1} ({names[c]}): '{field}' is not a number.");
                if (!double.IsFinite(value))
                    throw new InputFormatException(source, $"line {lineNumber}, column {c + 1} ({names[c]}): '{field}' is not finite; data must be finite.");
                values.Add(value);
            }
            rows++;
        }
        if (rows == 0) throw new InputFormatException(source, "no samples after the header row.");
        return new CsvTable(source, names, values.ToArray(), rows);
    }

    /// <summary>Writes a data set as CSV (header x1 … xd, y; round-trip precision).</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="data">The data.</param>
    public static void Write(string path, DataSet<double> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var writer = new StreamWriter(path);
        int d = data.InputDimension;
        writer.WriteLine(string.Join(',', Enumerable.Range(1, d).Select(k => $"x{k}").Append("y")));
        for (int i = 0; i < data.Count; i++)
        {
            ReadOnlySpan<double> xi = data.Sample(i);
            for (int k = 0; k < d; k++)
            {
                writer.Write(xi[k].ToString("R", CultureInfo.InvariantCulture));
                writer.Write(',');
            }
            writer.WriteLine(data.Y[i].ToString("R", CultureInfo.InvariantCulture));
        }
    }
}
