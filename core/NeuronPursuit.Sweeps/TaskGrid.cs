// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Sweeps;

/// <summary>
/// The axes of a sweep and how they combine. The expansion into tasks is deterministic: the same grid always gives the
/// same tasks with the same indices, on any machine, which is how a Slurm array element finds its task from its index
/// alone.
/// </summary>
public sealed record TaskGrid
{
    /// <summary>The largest number of tasks a grid may have.</summary>
    public const int MaxTasks = 1_000_000;

    /// <summary>Creates a grid.</summary>
    /// <param name="axes">At least one axis, names distinct.</param>
    /// <param name="combination">Product or zip.</param>
    /// <exception cref="SweepSpecException">No axis, a repeated name, zipped axes of different lengths, or too many tasks.</exception>
    public TaskGrid(IReadOnlyList<Axis> axes, Combination combination)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Count == 0) throw new SweepSpecException("axes", "give at least one axis.");
        var names = new HashSet<string>();
        foreach (var a in axes)
        {
            if (!names.Add(a.Name)) throw new SweepSpecException($"axes.{a.Name}", "is given twice.");
            if (a.Values.Count == 0) throw new SweepSpecException($"axes.{a.Name}", "is empty; an axis needs at least one value.");
            for (int i = 0; i < a.Values.Count; i++)
                for (int j = 0; j < i; j++)
                    if (ParameterValue.Same(a.Values[i], a.Values[j]))
                        throw new SweepSpecException($"axes.{a.Name}", $"the value {a.Values[i].GetRawText()} is given twice.");
        }
        if (combination == Combination.Zip && axes.Select(a => a.Values.Count).Distinct().Count() > 1)
            throw new SweepSpecException("combine", $"zip needs axes of equal length, got {string.Join(", ", axes.Select(a => $"{a.Name}: {a.Values.Count}"))}.");
        long count = combination == Combination.Zip ? axes[0].Values.Count : axes.Aggregate(1L, (n, a) => Math.Min(n * a.Values.Count, (long)MaxTasks + 1));
        if (count > MaxTasks) throw new SweepSpecException("axes", $"the grid has more than {MaxTasks} tasks.");
        Axes = axes;
        Combination = combination;
        Count = (int)count;
    }

    /// <summary>The axes, in order.</summary>
    public IReadOnlyList<Axis> Axes { get; }

    /// <summary>How they combine.</summary>
    public Combination Combination { get; }

    /// <summary>The number of tasks N.</summary>
    public int Count { get; }

    /// <summary>Task <paramref name="index"/>: for a product, the first axis varies slowest (row-major order); for a
    /// zip, the index-th value of every axis.</summary>
    /// <param name="index">0 … N − 1.</param>
    /// <returns>The task.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0 … N − 1.</exception>
    public SweepTask Task(int index)
    {
        if (index < 0 || index >= Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"the sweep has tasks 0..{Count - 1}.");
        var values = new KeyValuePair<string, System.Text.Json.JsonElement>[Axes.Count];
        int rest = index;
        for (int a = Axes.Count - 1; a >= 0; a--)
        {
            var axis = Axes[a];
            int k = Combination == Combination.Zip ? index : rest % axis.Values.Count;
            if (Combination == Combination.Product) rest /= axis.Values.Count;
            values[a] = KeyValuePair.Create(axis.Name, axis.Values[k]);
        }
        return new SweepTask(index, new SweepValues(values));
    }

    /// <summary>All tasks, by index.</summary>
    /// <returns>Tasks 0 … N − 1.</returns>
    public IReadOnlyList<SweepTask> Tasks() => Enumerable.Range(0, Count).Select(Task).ToList();
}
