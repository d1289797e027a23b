// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Models;

/// <summary>
/// Where one weight matrix W_l (Rows × Columns, row-major) lies in the parameter vector.
/// Layer numbers follow the papers: W₁ acts on the input, W_L produces the output.
/// </summary>
/// <param name="Layer">Layer number l, from 1 (input side) to L (output).</param>
/// <param name="Name">Display name, e.g. "W1" or, for the two-layer net, "W" and "v".</param>
/// <param name="Rows">k_l, the number of neurons the layer feeds (1 for the output layer).</param>
/// <param name="Columns">k_{l−1}, the width of the layer's input (d for the first layer).</param>
/// <param name="Offset">Index of W_l[0, 0] in the parameter vector.</param>
public readonly record struct LayerBlock(int Layer, string Name, int Rows, int Columns, int Offset)
{
    /// <summary>Number of weights in the block, Rows × Columns.</summary>
    public int Count => Rows * Columns;

    /// <summary>Index of W_l[row, column] in the parameter vector.</summary>
    /// <param name="row">Row (the neuron fed), 0-based.</param>
    /// <param name="column">Column (the input neuron), 0-based.</param>
    /// <returns>The flat index.</returns>
    public int Index(int row, int column) => Offset + row * Columns + column;
}
