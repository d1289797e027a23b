// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Analysis;

/// <summary>One hidden neuron's weights: incoming (row of W_l) and outgoing (column of W_{l+1}) norms.</summary>
/// <param name="Layer">Hidden layer l.</param>
/// <param name="Neuron">Neuron j, 0-based.</param>
/// <param name="IncomingNorm">‖in_j‖.</param>
/// <param name="OutgoingNorm">‖out_j‖.</param>
public sealed record NeuronBlock(int Layer, int Neuron, double IncomingNorm, double OutgoingNorm)
{
    /// <summary>√(‖in_j‖² + ‖out_j‖²): the norm of the neuron's zero-preserving block.</summary>
    public double BlockNorm => Math.Sqrt(IncomingNorm * IncomingNorm + OutgoingNorm * OutgoingNorm);
}

/// <summary>
/// Support and sparsity pattern of a weight vector by hidden neurons (Kumar &amp; Haupt, arXiv 2502.15952,
/// "sparsity preserved"; docs/claims.md #11): the incoming and outgoing weights of a hidden neuron together form a
/// zero-preserving set, and a neuron counts as active when its block norm exceeds a threshold. Relative to a
/// small initialisation δ the natural threshold is a multiple of δ (inactive neurons stay O(δ)); for a unit KKT
/// direction it is an absolute level such as 1e-3.
/// </summary>
public static class SparsityPattern
{
    /// <summary>The block norms of every hidden neuron, layer by layer.</summary>
    /// <param name="layout">The layout.</param>
    /// <param name="w">Weights.</param>
    /// <returns>One block per hidden neuron.</returns>
    public static IReadOnlyList<NeuronBlock> Blocks(ParameterLayout layout, ReadOnlySpan<double> w)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Guard.Length(w.Length, layout.Count, nameof(w), "the layout's size");
        var result = new List<NeuronBlock>();
        for (int l = 1; l <= layout.HiddenWidths.Count; l++)
            for (int j = 0; j < layout.HiddenWidths[l - 1]; j++)
            {
                double a = 0, b = 0;
                foreach (int k in layout.IncomingIndices(l, j)) a += w[k] * w[k];
                foreach (int k in layout.OutgoingIndices(l, j)) b += w[k] * w[k];
                result.Add(new NeuronBlock(l, j, Math.Sqrt(a), Math.Sqrt(b)));
            }
        return result;
    }

    /// <summary>Whether each hidden neuron (in <see cref="Blocks"/> order) is active: block norm &gt; threshold.</summary>
    /// <param name="layout">The layout.</param>
    /// <param name="w">Weights.</param>
    /// <param name="threshold">The level, e.g. c·δ or 1e-3 for a unit direction.</param>
    /// <returns>One flag per hidden neuron.</returns>
    public static bool[] Support(ParameterLayout layout, ReadOnlySpan<double> w, double threshold) =>
        Blocks(layout, w).Select(b => b.BlockNorm > threshold).ToArray();

    /// <summary>The number of active neurons (block norm &gt; threshold).</summary>
    /// <param name="layout">The layout.</param>
    /// <param name="w">Weights.</param>
    /// <param name="threshold">The level.</param>
    /// <returns>The count.</returns>
    public static int ActiveCount(ParameterLayout layout, ReadOnlySpan<double> w, double threshold) =>
        Support(layout, w, threshold).Count(a => a);
}
