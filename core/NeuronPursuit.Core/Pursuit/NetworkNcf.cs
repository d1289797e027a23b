// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// The constrained NCF of step 1 of Neuron Pursuit, N(u) = (1/n) Σᵢ yᵢ H(xᵢ; u) (Kumar &amp; Haupt, arXiv
/// 2402.09226, with the factor 1/n of Neuron Pursuit's reference simulation; docs/claims.md NP-3), on a
/// <see cref="FeatureMajorEvaluator"/>: the same function as <see cref="NeuralCorrelationFunction{T}"/> with
/// labels y/n, without per-call validation and allocation-free, for the many evaluations of a KKT search.
/// One instance per thread.
/// </summary>
public sealed class NetworkNcf : IObjective<double>
{
    private readonly FeatureMajorEvaluator _evaluator;
    private readonly double[] _weights;

    /// <summary>Binds a network and data.</summary>
    /// <param name="network">The network.</param>
    /// <param name="data">The data; d must match.</param>
    /// <param name="loss">The training loss; the labels of the NCF are its residual at H = 0, −ℓ′(0, y) (default null:
    /// square-mean, y itself; for the logistic loss ln(1 + e^{−yh}), y/2).</param>
    public NetworkNcf(FeedForwardNetwork network, DataSet<double> data, ILoss? loss = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        _evaluator = new FeatureMajorEvaluator(network, data.X);
        _weights = new double[data.Count];
        if (loss is null or SquareLoss)
        {
            for (int i = 0; i < _weights.Length; i++) _weights[i] = data.Y[i] / data.Count;
        }
        else
        {
            loss.Evaluate<double>(new double[data.Count], data.Y, _weights);
            for (int i = 0; i < _weights.Length; i++) _weights[i] = -_weights[i];
        }
    }

    /// <inheritdoc/>
    public int Dimension => _evaluator.Network.ParameterCount;

    /// <inheritdoc/>
    public double Value(ReadOnlySpan<double> u)
    {
        _evaluator.Forward(u);
        return Numerics.DenseKernels.Dot<double>(_weights, _evaluator.Outputs);
    }

    /// <inheritdoc/>
    public double ValueAndGradient(ReadOnlySpan<double> u, Span<double> gradient)
    {
        _evaluator.Forward(u);
        _evaluator.Backward(u, _weights, gradient);
        return Numerics.DenseKernels.Dot<double>(_weights, _evaluator.Outputs);
    }
}
