// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// ℒ(w) = (1/n) Σᵢ ℓ(H(xᵢ; w), yᵢ) of a feed-forward network for any mean-normalised loss of the registry (the
/// logistic loss for labels ±1; docs/pursuit.md, "Losses"), on a <see cref="FeatureMajorEvaluator"/>: the loss and
/// ∂ℒ/∂H from <see cref="ILoss.Evaluate{T}"/>, then one backward pass. The square loss has its own kernel,
/// <see cref="SquareLossKernel"/>; this one allocates nothing per evaluation either.
/// </summary>
public sealed class LossKernel : ITrainingLoss
{
    private readonly ILoss _loss;
    private readonly double[] _labels;
    private readonly double[] _derivative;

    /// <summary>Binds a loss, a network and a data set.</summary>
    /// <param name="loss">ℓ with mean normalisation.</param>
    /// <param name="network">The network.</param>
    /// <param name="data">The data; d must match.</param>
    /// <exception cref="ArgumentException">d differs, or the loss is not mean-normalised.</exception>
    public LossKernel(ILoss loss, FeedForwardNetwork network, DataSet<double> data)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (loss.Normalisation != LossNormalisation.Mean)
            throw new ArgumentException($"loss: must be mean-normalised, got '{loss.Name}'.", nameof(loss));
        if (data.InputDimension != network.InputDimension)
            throw new ArgumentException($"data: has d = {data.InputDimension} inputs, but the network expects d = {network.InputDimension}.", nameof(data));
        _loss = loss;
        Evaluator = new FeatureMajorEvaluator(network, data.X);
        _labels = data.Y.ToArray();
        _derivative = new double[data.Count];
    }

    /// <inheritdoc/>
    public FeatureMajorEvaluator Evaluator { get; }

    /// <inheritdoc/>
    public double Value(ReadOnlySpan<double> w)
    {
        Evaluator.Forward(w);
        return _loss.Evaluate<double>(Evaluator.Outputs, _labels, Span<double>.Empty);
    }

    /// <inheritdoc/>
    public double ValueAndGradient(ReadOnlySpan<double> w, Span<double> gradient)
    {
        Evaluator.Forward(w);
        double value = _loss.Evaluate<double>(Evaluator.Outputs, _labels, _derivative);
        Evaluator.Backward(w, _derivative, gradient);
        return value;
    }

    /// <inheritdoc/>
    public void Residual(ReadOnlySpan<double> w, Span<double> residual)
    {
        Evaluator.Forward(w);
        _loss.Evaluate<double>(Evaluator.Outputs, _labels, _derivative);
        int n = _labels.Length;
        // ∂ℒ/∂hᵢ = ℓ′(hᵢ, yᵢ)/n.
        for (int i = 0; i < n; i++) residual[i] = -n * _derivative[i];
    }
}
