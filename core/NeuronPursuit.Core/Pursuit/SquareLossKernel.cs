// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// ℒ(w) = (1/(2n)) Σᵢ (H(xᵢ; w) − yᵢ)² and ∇ℒ(w) = (1/n) Σᵢ (H(xᵢ; w) − yᵢ) ∇H(xᵢ; w) of a feed-forward network,
/// the loss of Neuron Pursuit's reference simulation (docs/claims.md NP-3), on a
/// <see cref="FeatureMajorEvaluator"/>: one forward and one backward pass, allocation-free.
/// </summary>
public sealed class SquareLossKernel : ITrainingLoss
{
    private readonly double[] _labels;
    private readonly double[] _cotangent;

    /// <summary>Binds a network and a data set.</summary>
    /// <param name="network">The network.</param>
    /// <param name="data">The data; d must match.</param>
    /// <exception cref="ArgumentException">d differs.</exception>
    public SquareLossKernel(FeedForwardNetwork network, DataSet<double> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputDimension != network.InputDimension)
            throw new ArgumentException($"data: has d = {data.InputDimension} inputs, but the network expects d = {network.InputDimension}.", nameof(data));
        Evaluator = new FeatureMajorEvaluator(network, data.X);
        _labels = data.Y.ToArray();
        _cotangent = new double[data.Count];
    }

    /// <inheritdoc/>
    public FeatureMajorEvaluator Evaluator { get; }

    /// <summary>The labels y.</summary>
    public ReadOnlySpan<double> Labels => _labels;

    /// <summary>ℒ(w).</summary>
    /// <param name="w">Weights.</param>
    /// <returns>The loss.</returns>
    public double Value(ReadOnlySpan<double> w)
    {
        Evaluator.Forward(w);
        ReadOnlySpan<double> h = Evaluator.Outputs;
        double sum = 0;
        for (int i = 0; i < h.Length; i++)
        {
            double e = h[i] - _labels[i];
            sum += e * e;
        }
        return 0.5 * sum / h.Length;
    }

    /// <summary>ℒ(w) and ∇ℒ(w).</summary>
    /// <param name="w">Weights.</param>
    /// <param name="gradient">Receives ∇ℒ(w).</param>
    /// <returns>The loss.</returns>
    public double ValueAndGradient(ReadOnlySpan<double> w, Span<double> gradient)
    {
        Evaluator.Forward(w);
        ReadOnlySpan<double> h = Evaluator.Outputs;
        int n = h.Length;
        double inverse = 1.0 / n;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double e = h[i] - _labels[i];
            sum += e * e;
            _cotangent[i] = inverse * e;
        }
        Evaluator.Backward(w, _cotangent, gradient);
        return 0.5 * sum * inverse;
    }

    /// <summary>The residual rᵢ = yᵢ − H(xᵢ; w) (= −ℓ′ for ℓ = ½(h − y)²).</summary>
    /// <param name="w">Weights.</param>
    /// <param name="residual">Receives r, length n.</param>
    public void Residual(ReadOnlySpan<double> w, Span<double> residual)
    {
        Evaluator.Forward(w);
        ReadOnlySpan<double> h = Evaluator.Outputs;
        for (int i = 0; i < h.Length; i++) residual[i] = _labels[i] - h[i];
    }
}
