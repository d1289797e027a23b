// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Models;

/// <summary>
/// The layout of a feed-forward network's weights in one contiguous parameter vector: W₁, …, W_L in
/// order, each row-major (out × in). For the two-layer net H(x; W, v) = Σⱼ vⱼ σ(wⱼᵀx) this is W (m × d)
/// then v (length m). A network whose readout weights are fixed to 1 (the sum-of-powers model
/// H(x; W) = Σⱼ σ(wⱼᵀx)) has no output block: its layout holds W₁ only.
/// </summary>
public sealed class ParameterLayout
{
    /// <summary>Builds the layout of a network with input dimension d and the given widths.</summary>
    /// <param name="inputDimension">d ≥ 1.</param>
    /// <param name="hiddenWidths">k₁ … k_{L−1}, each ≥ 1; the output width k_L = 1 is implied.</param>
    /// <param name="names">Optional display names of the blocks (defaults W1 … WL).</param>
    /// <param name="fixedReadout">True when the readout weights are fixed to 1 and are not parameters: no output block.</param>
    /// <exception cref="ArgumentException">A dimension is not positive, or the names do not match the layers.</exception>
    public ParameterLayout(int inputDimension, IReadOnlyList<int> hiddenWidths, IReadOnlyList<string>? names = null, bool fixedReadout = false)
    {
        if (inputDimension < 1)
            throw new ArgumentException($"inputDimension: must be at least 1, got {inputDimension}.", nameof(inputDimension));
        for (int l = 0; l < hiddenWidths.Count; l++)
            if (hiddenWidths[l] < 1)
                throw new ArgumentException($"hiddenWidths: width of hidden layer {l + 1} must be at least 1, got {hiddenWidths[l]}.", nameof(hiddenWidths));
        if (fixedReadout && hiddenWidths.Count == 0)
            throw new ArgumentException("hiddenWidths: a fixed readout needs a hidden layer.", nameof(hiddenWidths));
        int layerCount = fixedReadout ? hiddenWidths.Count : hiddenWidths.Count + 1;
        if (names is not null && names.Count != layerCount)
            throw new ArgumentException($"names: {names.Count} names for {layerCount} layers.", nameof(names));

        var blocks = new LayerBlock[layerCount];
        int offset = 0;
        int columns = inputDimension;
        for (int l = 0; l < layerCount; l++)
        {
            int rows = l < hiddenWidths.Count ? hiddenWidths[l] : 1;
            blocks[l] = new LayerBlock(l + 1, names?[l] ?? $"W{l + 1}", rows, columns, offset);
            offset += rows * columns;
            columns = rows;
        }
        InputDimension = inputDimension;
        FixedReadout = fixedReadout;
        HiddenWidths = hiddenWidths.ToArray();
        Blocks = blocks;
        Count = offset;
    }

    /// <summary>Input dimension d.</summary>
    public int InputDimension { get; }

    /// <summary>Hidden widths k₁ … k_{L−1}.</summary>
    public IReadOnlyList<int> HiddenWidths { get; }

    /// <summary>Whether the readout weights are fixed to 1 (no output block among the parameters).</summary>
    public bool FixedReadout { get; }

    /// <summary>The blocks W₁ … W_L in storage order.</summary>
    public IReadOnlyList<LayerBlock> Blocks { get; }

    /// <summary>Total number of weights.</summary>
    public int Count { get; }

    /// <summary>Number of weight matrices that are parameters: L, or L − 1 with a fixed readout.</summary>
    public int LayerCount => Blocks.Count;

    /// <summary>The block of W_l.</summary>
    /// <param name="layer">l, from 1 to L.</param>
    /// <returns>The block.</returns>
    public LayerBlock Block(int layer)
    {
        if (layer < 1 || layer > Blocks.Count)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layer: must lie in 1..{Blocks.Count}.");
        return Blocks[layer - 1];
    }

    /// <summary>The weights of W_l as a span of the parameter vector.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="w">Parameter vector.</param>
    /// <param name="layer">l, from 1 to L.</param>
    /// <returns>The row-major block.</returns>
    public Span<T> Matrix<T>(Span<T> w, int layer)
    {
        LayerBlock b = Block(layer);
        return w.Slice(b.Offset, b.Count);
    }

    /// <summary>Indices of the incoming weights of hidden neuron j of hidden layer l: row j of W_l.</summary>
    /// <param name="layer">Hidden layer l, from 1 to L − 1.</param>
    /// <param name="neuron">Neuron j, 0-based.</param>
    /// <returns>The indices in the parameter vector.</returns>
    public int[] IncomingIndices(int layer, int neuron)
    {
        LayerBlock b = HiddenBlock(layer, neuron);
        var result = new int[b.Columns];
        for (int k = 0; k < b.Columns; k++) result[k] = b.Index(neuron, k);
        return result;
    }

    /// <summary>Indices of the outgoing weights of hidden neuron j of hidden layer l: column j of W_{l+1}
    /// (none when l is the last hidden layer of a network with a fixed readout).</summary>
    /// <param name="layer">Hidden layer l, from 1 to L − 1.</param>
    /// <param name="neuron">Neuron j, 0-based.</param>
    /// <returns>The indices in the parameter vector.</returns>
    public int[] OutgoingIndices(int layer, int neuron)
    {
        HiddenBlock(layer, neuron);
        if (layer == Blocks.Count) return [];
        LayerBlock next = Blocks[layer];
        var result = new int[next.Rows];
        for (int r = 0; r < next.Rows; r++) result[r] = next.Index(r, neuron);
        return result;
    }

    private LayerBlock HiddenBlock(int layer, int neuron)
    {
        if (layer < 1 || layer > HiddenWidths.Count)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layer: hidden layers are 1..{HiddenWidths.Count}.");
        LayerBlock b = Blocks[layer - 1];
        if (neuron < 0 || neuron >= b.Rows)
            throw new ArgumentOutOfRangeException(nameof(neuron), neuron, $"neuron: layer {layer} has neurons 0..{b.Rows - 1}.");
        return b;
    }
}
