// SPDX-License-Identifier: MIT
using System.Numerics;
using System.Runtime.InteropServices;
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// ℒ(w) = (1/(2n)) Σᵢ (H(xᵢ; w) − yᵢ)² and ∇ℒ(w) = (1/n) Σᵢ (H(xᵢ; w) − yᵢ) ∇H(xᵢ; w) of a feed-forward network,
/// the loss of Neuron Pursuit's reference simulation (docs/claims.md NP-3), on a
/// <see cref="FeatureMajorEvaluator"/>: one forward and one backward pass, allocation-free. The sum Σᵢ eᵢ² of the errors
/// eᵢ = H(xᵢ; w) − yᵢ is <see cref="DenseKernels.Dot{T}"/>(e, e), whose vector accumulators let the additions overlap: a sum
/// in sample order would be a chain of n dependent additions, on the critical path of every epoch.
/// </summary>
public sealed class SquareLossKernel : ITrainingLoss
{
    private readonly double[] _labels;
    private readonly AlignedDoubles _cotangent; // on a 64-byte boundary, as the evaluator's rows
    private readonly double[] _errors;

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
        _cotangent = new AlignedDoubles(data.Count);
        _errors = new double[data.Count];
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
        Errors(h);
        return 0.5 * DenseKernels.Dot<double>(_errors, _errors) / h.Length;
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
        Errors(h);
        double sum = DenseKernels.Dot<double>(_errors, _errors);
        ReadOnlySpan<Vector<double>> ev = MemoryMarshal.Cast<double, Vector<double>>(_errors.AsSpan());
        Span<double> c = _cotangent.Span;
        Span<Vector<double>> cv = MemoryMarshal.Cast<double, Vector<double>>(c);
        for (int v = 0; v < ev.Length; v++) cv[v] = inverse * ev[v];
        for (int i = ev.Length * Vector<double>.Count; i < n; i++) c[i] = inverse * _errors[i];
        Evaluator.Backward(w, c, gradient);
        return 0.5 * sum * inverse;
    }

    /// <summary>eᵢ = H(xᵢ; w) − yᵢ into the errors' buffer.</summary>
    private void Errors(ReadOnlySpan<double> h)
    {
        ReadOnlySpan<Vector<double>> hv = MemoryMarshal.Cast<double, Vector<double>>(h);
        ReadOnlySpan<Vector<double>> yv = MemoryMarshal.Cast<double, Vector<double>>(_labels.AsSpan());
        Span<Vector<double>> ev = MemoryMarshal.Cast<double, Vector<double>>(_errors.AsSpan());
        for (int v = 0; v < hv.Length; v++) ev[v] = hv[v] - yv[v];
        for (int i = hv.Length * Vector<double>.Count; i < h.Length; i++) _errors[i] = h[i] - _labels[i];
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
