// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Models;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// The growth step of Neuron Pursuit (docs/claims.md NP-3, step 2): a new, wider <see cref="FeedForwardNetwork"/>
/// with one more neuron in hidden layer l, the old weights copied into the new layout (old neurons keep their
/// indices), the new neuron last in its layer, with incoming row δ·a and outgoing column δ·b; and its inverse for
/// the pruning pass, a narrower network without one neuron.
/// </summary>
public static class NetworkGrowth
{
    /// <summary>Adds one neuron.</summary>
    /// <param name="network">The network.</param>
    /// <param name="w">Its weights.</param>
    /// <param name="layer">Hidden layer l, from 1 to L − 1.</param>
    /// <param name="incoming">The new row of W_l, at most k_{l−1} long (missing trailing entries are 0: a neuron
    /// added to layer l − 1 in the same iteration does not feed it yet).</param>
    /// <param name="outgoing">The new column of W_{l+1}, at most k_{l+1} long (missing entries 0, likewise).</param>
    /// <param name="grown">Receives the weights of the grown network.</param>
    /// <returns>The grown network (same d, activation and other widths).</returns>
    /// <exception cref="ArgumentException">Wrong weight count, layer out of range, or too long a row or column.</exception>
    public static FeedForwardNetwork AddNeuron(FeedForwardNetwork network, ReadOnlySpan<double> w, int layer,
        ReadOnlySpan<double> incoming, ReadOnlySpan<double> outgoing, out double[] grown)
    {
        ArgumentNullException.ThrowIfNull(network);
        Numerics.Guard.Length(w.Length, network.ParameterCount, nameof(w), "one per weight of the network");
        int hidden = network.HiddenWidths.Count;
        if (layer < 1 || layer > hidden)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layer: hidden layers are 1..{hidden}.");
        int[] widths = network.HiddenWidths.ToArray();
        widths[layer - 1]++;
        var wider = new FeedForwardNetwork(network.InputDimension, widths, network.Activation);
        IReadOnlyList<LayerBlock> oldBlocks = network.Layout.Blocks, newBlocks = wider.Layout.Blocks;
        LayerBlock into = newBlocks[layer - 1], outOf = newBlocks[layer];
        if (incoming.Length > into.Columns)
            throw new ArgumentException($"incoming: {incoming.Length} weights, but layer {layer} has {into.Columns} inputs.", nameof(incoming));
        if (outgoing.Length > outOf.Rows)
            throw new ArgumentException($"outgoing: {outgoing.Length} weights, but the neuron feeds {outOf.Rows}.", nameof(outgoing));
        grown = new double[wider.ParameterCount];
        for (int l = 0; l < oldBlocks.Count; l++)
        {
            LayerBlock o = oldBlocks[l], g = newBlocks[l];
            for (int r = 0; r < o.Rows; r++)
                w.Slice(o.Index(r, 0), o.Columns).CopyTo(grown.AsSpan(g.Index(r, 0), o.Columns));
        }
        int neuron = into.Rows - 1;
        incoming.CopyTo(grown.AsSpan(into.Index(neuron, 0), incoming.Length));
        for (int r = 0; r < outgoing.Length; r++) grown[outOf.Index(r, neuron)] = outgoing[r];
        return wider;
    }

    /// <summary>Removes one hidden neuron: its row of W_l and its column of W_{l+1}; the other weights are kept.</summary>
    /// <param name="network">The network.</param>
    /// <param name="w">Its weights.</param>
    /// <param name="layer">Hidden layer l, from 1 to L − 1; it must keep at least one neuron.</param>
    /// <param name="neuron">The neuron's index in the layer (0-based).</param>
    /// <param name="pruned">Receives the weights of the narrower network.</param>
    /// <returns>The narrower network.</returns>
    /// <exception cref="ArgumentException">Wrong weight count, layer or neuron out of range, or a layer of one neuron.</exception>
    public static FeedForwardNetwork RemoveNeuron(FeedForwardNetwork network, ReadOnlySpan<double> w, int layer, int neuron, out double[] pruned)
    {
        ArgumentNullException.ThrowIfNull(network);
        Numerics.Guard.Length(w.Length, network.ParameterCount, nameof(w), "one per weight of the network");
        int hidden = network.HiddenWidths.Count;
        if (layer < 1 || layer > hidden)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layer: hidden layers are 1..{hidden}.");
        int[] widths = network.HiddenWidths.ToArray();
        if (neuron < 0 || neuron >= widths[layer - 1])
            throw new ArgumentOutOfRangeException(nameof(neuron), neuron, $"neuron: layer {layer} has neurons 0..{widths[layer - 1] - 1}.");
        if (widths[layer - 1] == 1)
            throw new ArgumentException($"layer: layer {layer} has a single neuron, which cannot be removed.", nameof(layer));
        widths[layer - 1]--;
        var narrower = new FeedForwardNetwork(network.InputDimension, widths, network.Activation);
        IReadOnlyList<LayerBlock> oldBlocks = network.Layout.Blocks, newBlocks = narrower.Layout.Blocks;
        pruned = new double[narrower.ParameterCount];
        for (int l = 0; l < oldBlocks.Count; l++)
        {
            LayerBlock o = oldBlocks[l], g = newBlocks[l];
            bool dropRow = l == layer - 1, dropColumn = l == layer;
            for (int r = 0, rg = 0; r < o.Rows; r++)
            {
                if (dropRow && r == neuron) continue;
                for (int c = 0, cg = 0; c < o.Columns; c++)
                {
                    if (dropColumn && c == neuron) continue;
                    pruned[g.Index(rg, cg)] = w[o.Index(r, c)];
                    cg++;
                }
                rg++;
            }
        }
        return narrower;
    }
}
