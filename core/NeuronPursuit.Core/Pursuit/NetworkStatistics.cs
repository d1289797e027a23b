// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Analysis;
using NeuronPursuit.Core.Models;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>Sparsity statistics of a trained feed-forward network, for the Neuron Pursuit reports.</summary>
public static class NetworkStatistics
{
    /// <summary>Default threshold of <see cref="EffectiveNeurons"/>: 1e-2.</summary>
    public const double DefaultEffectiveThreshold = 1e-2;

    /// <summary>
    /// Neurons per hidden layer whose ‖incoming row‖·‖outgoing column‖ exceeds the threshold (default 1e-2). For a
    /// 1-homogeneous σ this product bounds the neuron's contribution per unit of its input's norm, and it is
    /// invariant under the rescaling (c·in, out/c) that leaves the function unchanged.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="w">Its weights.</param>
    /// <param name="threshold">The threshold τ.</param>
    /// <returns>The count per hidden layer.</returns>
    public static int[] EffectiveNeurons(FeedForwardNetwork network, ReadOnlySpan<double> w, double threshold = DefaultEffectiveThreshold)
    {
        ArgumentNullException.ThrowIfNull(network);
        var counts = new int[network.HiddenWidths.Count];
        foreach (NeuronBlock neuron in SparsityPattern.Blocks(network.Layout, w))
            if (neuron.IncomingNorm * neuron.OutgoingNorm > threshold) counts[neuron.Layer - 1]++;
        return counts;
    }

    /// <summary>max |W₁[j, k]| over all neurons j and the inputs k ≥ <paramref name="firstInput"/> (0-based).</summary>
    /// <param name="network">The network.</param>
    /// <param name="w">Its weights.</param>
    /// <param name="firstInput">First irrelevant input, 0-based (4 for x₅ … x₂₀).</param>
    /// <returns>The largest weight magnitude on those inputs (0 if there are none).</returns>
    public static double MaxInputWeight(FeedForwardNetwork network, ReadOnlySpan<double> w, int firstInput)
    {
        ArgumentNullException.ThrowIfNull(network);
        LayerBlock first = network.Layout.Blocks[0];
        double max = 0;
        for (int j = 0; j < first.Rows; j++)
            for (int k = firstInput; k < first.Columns; k++) max = Math.Max(max, Math.Abs(w[first.Index(j, k)]));
        return max;
    }
}
