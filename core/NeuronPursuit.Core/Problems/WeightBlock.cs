// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Problems;

/// <summary>
/// A named set of weights of a problem's parameter vector: a layer W_l (name <c>W1</c> … or the layout's own
/// names), or a hidden neuron j of layer l with its incoming and outgoing weights (name <c>l1n0</c>): the
/// blocks whose zero set gradient flow preserves and whose norms the papers' sparsity claims are about
/// (Kumar &amp; Haupt, arXiv 2502.15952; docs/claims.md #11, #16).
/// </summary>
/// <param name="Name">Display name.</param>
/// <param name="Layer">Layer l, from 1.</param>
/// <param name="Neuron">Neuron j (0-based) for a neuron block, null for a layer block.</param>
/// <param name="Indices">Indices into the parameter vector, ascending within each part (incoming, then outgoing).</param>
public sealed record WeightBlock(string Name, int Layer, int? Neuron, int[] Indices)
{
    /// <summary>‖w restricted to the block‖₂.</summary>
    /// <param name="w">The parameter vector.</param>
    /// <returns>The block norm.</returns>
    public double Norm(ReadOnlySpan<double> w)
    {
        double sum = 0.0;
        foreach (int k in Indices) sum += w[k] * w[k];
        return Math.Sqrt(sum);
    }
}
