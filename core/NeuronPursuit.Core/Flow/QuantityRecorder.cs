// SPDX-License-Identifier: MIT
using System.Globalization;

namespace NeuronPursuit.Core.Flow;

/// <summary>
/// An observer that records named quantities at requested times into a table (one row per time), and
/// optionally the whole state (opt-in: it costs the dimension per row).
/// </summary>
public sealed class QuantityRecorder : IFlowObserver
{
    private readonly List<double[]> _rows = [];
    private readonly List<double[]> _states = [];

    /// <summary>Creates a recorder.</summary>
    /// <param name="times">Requested times; sorted ascending here.</param>
    /// <param name="quantities">The quantities, one column each.</param>
    /// <param name="saveStates">Whether to keep the full state at each time.</param>
    public QuantityRecorder(IEnumerable<double> times, IReadOnlyList<FlowQuantity> quantities, bool saveStates = false)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(quantities);
        Times = times.Order().ToArray();
        Quantities = quantities;
        SaveStates = saveStates;
    }

    /// <inheritdoc/>
    public IReadOnlyList<double> Times { get; }

    /// <summary>The recorded quantities.</summary>
    public IReadOnlyList<FlowQuantity> Quantities { get; }

    /// <summary>Whether full states are kept.</summary>
    public bool SaveStates { get; }

    /// <summary>The rows: time, then one value per quantity.</summary>
    public IReadOnlyList<double[]> Rows => _rows;

    /// <summary>The states at the recorded times, when <see cref="SaveStates"/>.</summary>
    public IReadOnlyList<double[]> States => _states;

    /// <inheritdoc/>
    public void Observe(double t, ReadOnlySpan<double> y)
    {
        double[] state = y.ToArray();
        var row = new double[Quantities.Count + 1];
        row[0] = t;
        for (int q = 0; q < Quantities.Count; q++) row[q + 1] = Quantities[q].Evaluate(state);
        _rows.Add(row);
        if (SaveStates) _states.Add(state);
    }

    /// <summary>The column of one quantity.</summary>
    /// <param name="name">Its name, or "t".</param>
    /// <returns>The values in time order.</returns>
    /// <exception cref="ArgumentException">No such quantity.</exception>
    public double[] Column(string name)
    {
        int index = name == "t" ? 0 : Quantities.Select(q => q.Name).ToList().IndexOf(name) + 1;
        if (index <= 0 && name != "t") throw new ArgumentException($"name: no recorded quantity '{name}'.", nameof(name));
        return _rows.Select(r => r[index]).ToArray();
    }

    /// <summary>Writes the table as CSV: header t,q1,q2,…; values with round-trip precision.</summary>
    /// <param name="writer">Destination.</param>
    public void WriteCsv(TextWriter writer)
    {
        writer.WriteLine(string.Join(',', Quantities.Select(q => q.Name).Prepend("t")));
        foreach (double[] row in _rows)
            writer.WriteLine(string.Join(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
    }
}
