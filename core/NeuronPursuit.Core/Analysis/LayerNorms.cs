// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Analysis;

/// <summary>
/// Squared Frobenius norms ‖W_l‖²_F and their ratios ‖W_l‖²/‖W_{l+1}‖². At a KKT point with N ≠ 0 of a network
/// with p-homogeneous σ the ratio is p for every l (Kumar &amp; Haupt, arXiv 2403.08121; docs/claims.md #13), and
/// the conserved quantity p‖W_{l+1}‖² − ‖W_l‖² of the flow keeps it near p from a small initialisation.
/// </summary>
public static class LayerNorms
{
    /// <summary>‖W_l‖²_F for l = 1 … L.</summary>
    /// <param name="layout">The layout.</param>
    /// <param name="w">Weights.</param>
    /// <returns>L values.</returns>
    public static double[] Squared(ParameterLayout layout, ReadOnlySpan<double> w)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Guard.Length(w.Length, layout.Count, nameof(w), "the layout's size");
        var result = new double[layout.LayerCount];
        for (int l = 0; l < result.Length; l++)
        {
            ReadOnlySpan<double> block = w.Slice(layout.Blocks[l].Offset, layout.Blocks[l].Count);
            result[l] = DenseKernels.Dot(block, block);
        }
        return result;
    }

    /// <summary>‖W_l‖²/‖W_{l+1}‖² for l = 1 … L − 1 (∞ when the denominator is 0).</summary>
    /// <param name="layout">The layout.</param>
    /// <param name="w">Weights.</param>
    /// <returns>L − 1 ratios.</returns>
    public static double[] Ratios(ParameterLayout layout, ReadOnlySpan<double> w)
    {
        double[] s = Squared(layout, w);
        var r = new double[s.Length - 1];
        for (int l = 0; l < r.Length; l++) r[l] = s[l + 1] == 0.0 ? double.PositiveInfinity : s[l] / s[l + 1];
        return r;
    }
}
