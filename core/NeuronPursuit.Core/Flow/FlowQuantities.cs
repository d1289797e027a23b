// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Flow;

/// <summary>The quantities that the papers' claims are stated in, as <see cref="FlowQuantity"/> values.</summary>
public static class FlowQuantities
{
    /// <summary>ℒ(w).</summary>
    /// <param name="objective">ℒ in double.</param>
    /// <returns>The quantity "loss".</returns>
    public static FlowQuantity Loss(IObjective<double> objective) => new("loss", w => objective.Value(w));

    /// <summary>‖∇ℒ(w)‖: small on plateaus and at saddles.</summary>
    /// <param name="objective">ℒ in double.</param>
    /// <returns>The quantity "grad_norm".</returns>
    public static FlowQuantity GradientNorm(IObjective<double> objective)
    {
        var gradient = new double[objective.Dimension];
        return new("grad_norm", w =>
        {
            objective.ValueAndGradient(w, gradient);
            return Norm(gradient);
        });
    }

    /// <summary>‖w‖.</summary>
    /// <returns>The quantity "norm".</returns>
    public static FlowQuantity WeightNorm() => new("norm", Norm);

    /// <summary>‖W_l‖_F of one layer.</summary>
    /// <param name="layout">The parameter layout.</param>
    /// <param name="layer">l, 1 … L.</param>
    /// <returns>The quantity "norm_W{l}".</returns>
    public static FlowQuantity LayerNorm(ParameterLayout layout, int layer)
    {
        LayerBlock block = layout.Block(layer);
        return new($"norm_W{layer}", w => Norm(w.AsSpan(block.Offset, block.Count)));
    }

    /// <summary>The norm of hidden neuron j's incoming weights (row j of W_l).</summary>
    /// <param name="layout">The parameter layout.</param>
    /// <param name="layer">Hidden layer l.</param>
    /// <param name="neuron">j, 0-based.</param>
    /// <returns>The quantity "in_l{l}_n{j}".</returns>
    public static FlowQuantity IncomingNorm(ParameterLayout layout, int layer, int neuron)
    {
        int[] indices = layout.IncomingIndices(layer, neuron);
        return new($"in_l{layer}_n{neuron}", w => Norm(indices, w));
    }

    /// <summary>The norm of hidden neuron j's outgoing weights (column j of W_{l+1}).</summary>
    /// <param name="layout">The parameter layout.</param>
    /// <param name="layer">Hidden layer l.</param>
    /// <param name="neuron">j, 0-based.</param>
    /// <returns>The quantity "out_l{l}_n{j}".</returns>
    public static FlowQuantity OutgoingNorm(ParameterLayout layout, int layer, int neuron)
    {
        int[] indices = layout.OutgoingIndices(layer, neuron);
        return new($"out_l{layer}_n{neuron}", w => Norm(indices, w));
    }

    /// <summary>Every hidden neuron's incoming and outgoing norms.</summary>
    /// <param name="layout">The parameter layout.</param>
    /// <returns>Two quantities per hidden neuron.</returns>
    public static IEnumerable<FlowQuantity> NeuronNorms(ParameterLayout layout)
    {
        for (int l = 1; l <= layout.HiddenWidths.Count; l++)
            for (int j = 0; j < layout.HiddenWidths[l - 1]; j++)
            {
                yield return IncomingNorm(layout, l, j);
                yield return OutgoingNorm(layout, l, j);
            }
    }

    /// <summary>cos(w, u) = ⟨w, u⟩ / (‖w‖‖u‖): alignment with a reference direction such as a KKT point.</summary>
    /// <param name="reference">u ≠ 0.</param>
    /// <returns>The quantity "cosine".</returns>
    public static FlowQuantity CosineTo(double[] reference)
    {
        double referenceNorm = Norm(reference);
        if (!(referenceNorm > 0.0)) throw new ArgumentException("reference: the direction must be non-zero.", nameof(reference));
        return new("cosine", w =>
        {
            double dot = 0.0;
            for (int k = 0; k < w.Length; k++) dot += w[k] * reference[k];
            return dot / (Norm(w) * referenceNorm);
        });
    }

    /// <summary>N(w/‖w‖), the constrained NCF at the current direction (Kumar &amp; Haupt, arXiv 2402.09226).</summary>
    /// <param name="ncf">N in double.</param>
    /// <returns>The quantity "ncf_direction".</returns>
    public static FlowQuantity NcfOfDirection(IObjective<double> ncf)
    {
        var direction = new double[ncf.Dimension];
        return new("ncf_direction", w =>
        {
            double norm = Norm(w);
            for (int k = 0; k < w.Length; k++) direction[k] = w[k] / norm;
            return ncf.Value(direction);
        });
    }

    private static double Norm(double[] w) => Norm(w.AsSpan());

    private static double Norm(ReadOnlySpan<double> w)
    {
        double sum = 0.0;
        foreach (double x in w) sum += x * x;
        return Math.Sqrt(sum);
    }

    private static double Norm(int[] indices, double[] w)
    {
        double sum = 0.0;
        foreach (int k in indices) sum += w[k] * w[k];
        return Math.Sqrt(sum);
    }
}
