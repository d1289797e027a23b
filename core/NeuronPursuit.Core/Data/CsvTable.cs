// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Data;

/// <summary>
/// Named numeric columns read from a CSV file (<see cref="CsvDataReader.ReadTable(string)"/>): the header's names and
/// the values row-major. A data set is its first columns as inputs and its last as the label.
/// </summary>
/// <param name="Source">The file, for error messages.</param>
/// <param name="Names">The column names, in order.</param>
/// <param name="Values">Rows × columns values, row-major, all finite.</param>
/// <param name="Rows">The number of rows.</param>
public sealed record CsvTable(string Source, IReadOnlyList<string> Names, double[] Values, int Rows)
{
    /// <summary>The number of columns.</summary>
    public int Columns => Names.Count;

    /// <summary>The columns 0 … count − 1 (the inputs), row-major.</summary>
    /// <param name="count">How many leading columns.</param>
    /// <returns>Rows × count values.</returns>
    public double[] Leading(int count)
    {
        if (count < 1 || count > Columns) throw new ArgumentOutOfRangeException(nameof(count), count, $"count: the table has {Columns} columns.");
        var x = new double[Rows * count];
        for (int i = 0; i < Rows; i++) Values.AsSpan(i * Columns, count).CopyTo(x.AsSpan(i * count, count));
        return x;
    }

    /// <summary>Column c.</summary>
    /// <param name="column">0-based index.</param>
    /// <returns>Its values, one per row.</returns>
    public double[] Column(int column)
    {
        if (column < 0 || column >= Columns) throw new ArgumentOutOfRangeException(nameof(column), column, $"column: the table has {Columns} columns.");
        var v = new double[Rows];
        for (int i = 0; i < Rows; i++) v[i] = Values[i * Columns + column];
        return v;
    }

    /// <summary>The data set: all columns but the last as inputs, the last as the label.</summary>
    /// <returns>The data set.</returns>
    /// <exception cref="InputFormatException">Fewer than two columns.</exception>
    public DataSet<double> ToDataSet()
    {
        if (Columns < 2) throw new InputFormatException(Source, $"the header has {Columns} column; expected x1,…,xd,y with d ≥ 1.");
        return new DataSet<double>(Leading(Columns - 1), Column(Columns - 1), Columns - 1);
    }
}
