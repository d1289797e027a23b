// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Analysis;
using NeuronPursuit.Core.Data;
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

    /// <summary>
    /// Whether the network's output H(xᵢ; w) is exactly 0 on every sample while some label is not: the neurons of a
    /// hidden layer are all inactive on the data (for ReLU-type σ every pre-activation is ≤ 0), so the gradient of the
    /// square loss vanishes and gradient descent stands still at ℒ = (1/(2n))Σyᵢ² — a dead network, not a fit.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="data">The data.</param>
    /// <param name="w">Its weights.</param>
    /// <returns>True when the output vanishes on all of the data and y ≠ 0.</returns>
    public static bool OutputVanishes(FeedForwardNetwork network, DataSet<double> data, ReadOnlySpan<double> w)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        bool labelled = false;
        foreach (double y in data.Y) labelled |= y != 0;
        if (!labelled) return false;
        foreach (double v in w)
            if (!double.IsFinite(v)) return false;
        var h = new double[data.Count];
        network.Forward(data.X, w, h, network.CreateWorkspace<double>(data.Count));
        foreach (double v in h)
            if (v != 0) return false;
        return true;
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
