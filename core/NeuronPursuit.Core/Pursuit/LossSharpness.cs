// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// The sharpness of Neuron Pursuit's loss ℒ = (1/n)Σℓ (default (1/(2n))Σ(H − y)²) at a network: λ_max of ∇²ℒ by power iteration on exact
/// Hessian–vector products (<see cref="LargestHessianEigenvalue"/>). Gradient descent with step η is unstable there when
/// η ≥ 2/λ_max, which is how a diverged minimisation is explained.
/// </summary>
public static class LossSharpness
{
    /// <summary>λ_max of ∇²ℒ(w).</summary>
    /// <param name="loss">ℓ with its normalisation (<see cref="PursuitOptions.Loss"/>).</param>
    /// <param name="network">The network.</param>
    /// <param name="data">The data.</param>
    /// <param name="w">Its weights (finite).</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentException">w has the wrong length or is not finite.</exception>
    public static EigenvalueEstimate At(ILoss loss, FeedForwardNetwork network, DataSet<double> data, ReadOnlySpan<double> w) =>
        LargestHessianEigenvalue.Estimate(Objective.LossHessian(network, loss, data), w);

    /// <summary>λ_max at w, or null when w is not finite (nothing to estimate).</summary>
    internal static EigenvalueEstimate? TryAt(ILoss loss, FeedForwardNetwork network, DataSet<double> data, ReadOnlySpan<double> w)
    {
        foreach (double v in w)
            if (!double.IsFinite(v)) return null;
        return At(loss, network, data, w);
    }
}
