// SPDX-License-Identifier: MIT
using System.Globalization;

namespace NeuronPursuit.Sweeps.Slurm;

/// <summary>The <c>--array</c> value of a submission: the task indices as ranges, with the throttle.</summary>
public static class ArrayIndices
{
    /// <summary>E.g. [0..5] with K = 2 → <c>0-5%2</c>; [1, 3, 4, 5, 9] → <c>1,3-5,9</c>.</summary>
    /// <param name="indices">Distinct task indices (sorted here).</param>
    /// <param name="maxParallel">The throttle K, or null.</param>
    /// <returns>The array specification.</returns>
    /// <exception cref="ArgumentException">No index.</exception>
    public static string Format(IEnumerable<int> indices, int? maxParallel)
    {
        var sorted = indices.Distinct().Order().ToList();
        if (sorted.Count == 0) throw new ArgumentException("no task to submit", nameof(indices));
        var parts = new List<string>();
        int start = sorted[0], previous = sorted[0];
        foreach (int i in sorted.Skip(1).Append(int.MinValue))
        {
            if (i == previous + 1)
            {
                previous = i;
                continue;
            }
            parts.Add(start == previous ? Text(start) : $"{Text(start)}-{Text(previous)}");
            start = previous = i;
        }
        string array = string.Join(",", parts);
        return maxParallel is int k ? $"{array}%{Text(k)}" : array;
    }

    private static string Text(int i) => i.ToString(CultureInfo.InvariantCulture);
}
