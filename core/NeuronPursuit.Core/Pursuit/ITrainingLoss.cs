// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// The training loss Neuron Pursuit minimises, ℒ(w) = (1/n) Σᵢ ℓ(H(xᵢ; w), yᵢ), with its gradient and the per-sample
/// residual ρᵢ = −ℓ′(H(xᵢ; w), yᵢ) that weights the candidate NCFs (docs/pursuit.md, "Losses"): for the square loss
/// ½(h − y)² it is y − h, for the logistic loss ln(1 + e^{−yh}) it is y/(1 + e^{yh}).
/// </summary>
public interface ITrainingLoss
{
    /// <summary>The evaluator (its outputs are those of the last evaluation).</summary>
    FeatureMajorEvaluator Evaluator { get; }

    /// <summary>ℒ(w).</summary>
    /// <param name="w">Weights.</param>
    /// <returns>The loss.</returns>
    double Value(ReadOnlySpan<double> w);

    /// <summary>ℒ(w) and ∇ℒ(w).</summary>
    /// <param name="w">Weights.</param>
    /// <param name="gradient">Receives ∇ℒ(w).</param>
    /// <returns>The loss.</returns>
    double ValueAndGradient(ReadOnlySpan<double> w, Span<double> gradient);

    /// <summary>The residual ρᵢ = −ℓ′(H(xᵢ; w), yᵢ).</summary>
    /// <param name="w">Weights.</param>
    /// <param name="residual">Receives ρ, length n.</param>
    void Residual(ReadOnlySpan<double> w, Span<double> residual);
}

/// <summary>The training loss of a network on data for a loss of the registry.</summary>
public static class TrainingLoss
{
    /// <summary>
    /// The kernel of ℒ = (1/n)Σℓ: <see cref="SquareLossKernel"/> for <c>square-mean</c>, <see cref="LossKernel"/> for any
    /// other mean-normalised loss of the registry (the logistic loss).
    /// </summary>
    /// <param name="loss">The loss (mean normalisation).</param>
    /// <param name="network">The network.</param>
    /// <param name="data">The data; d must match.</param>
    /// <returns>The kernel.</returns>
    /// <exception cref="ArgumentException">The loss is not mean-normalised, or d differs.</exception>
    public static ITrainingLoss Create(ILoss loss, FeedForwardNetwork network, DataSet<double> data)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (loss.Normalisation != LossNormalisation.Mean)
            throw new ArgumentException($"loss: Neuron Pursuit minimises a mean loss (1/n)Σℓ, not '{loss.Name}'.", nameof(loss));
        return loss is SquareLoss ? new SquareLossKernel(network, data) : new LossKernel(loss, network, data);
    }
}
