// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Data;

/// <summary>
/// A seeded split of a data set into a training and a held-out part: a Fisher–Yates permutation of the samples by
/// <see cref="SeededRandom"/>(seed); the held-out part is the first round(f·n) samples of the permutation (at least 1
/// and at most n − 1), each part in the original order of its samples. Reproducible from the seed.
/// </summary>
public static class DataSplit
{
    /// <summary>Splits a data set.</summary>
    /// <param name="data">The data, n ≥ 2.</param>
    /// <param name="fraction">f ∈ (0, 1), the held-out fraction.</param>
    /// <param name="seed">Seed of the permutation.</param>
    /// <returns>(training, held out).</returns>
    /// <exception cref="ArgumentException">f outside (0, 1), or n &lt; 2.</exception>
    public static (DataSet<double> Training, DataSet<double> HeldOut) Split(DataSet<double> data, double fraction, long seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentException($"fraction: must lie strictly between 0 and 1, got {fraction}.", nameof(fraction));
        int n = data.Count;
        if (n < 2) throw new ArgumentException($"data: {n} sample cannot be split.", nameof(data));
        int[] order = Enumerable.Range(0, n).ToArray();
        var random = new SeededRandom(seed);
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        int held = Math.Clamp((int)Math.Round(fraction * n), 1, n - 1);
        int[] heldOut = order[..held].Order().ToArray();
        int[] training = order[held..].Order().ToArray();
        return (Subset(data, training), Subset(data, heldOut));
    }

    /// <summary>The samples at the given indices, in that order.</summary>
    /// <param name="data">The data.</param>
    /// <param name="indices">Sample indices.</param>
    /// <returns>The subset.</returns>
    public static DataSet<double> Subset(DataSet<double> data, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(indices);
        int d = data.InputDimension;
        var x = new double[indices.Count * d];
        var y = new double[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            data.Sample(indices[k]).CopyTo(x.AsSpan(k * d, d));
            y[k] = data.Y[indices[k]];
        }
        return new DataSet<double>(x, y, d);
    }
}
