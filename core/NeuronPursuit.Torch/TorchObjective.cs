// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuronPursuit.Torch;

/// <summary>
/// The training loss ℒ(w) = ℓ(H(X; w), y) of a core network evaluated by libtorch: values and
/// gradients by autograd, Hessian–vector products by double backward (Pearlmutter 1994, through
/// <c>create_graph</c>), and full-batch gradient descent. It is the independent oracle for the core's
/// hand-written derivatives, and a backend for larger float32/float64 runs.
/// <para>
/// Every argument is validated before any libtorch call (a shape error inside libtorch 0.107 can abort
/// the whole process), and every operation runs inside a dispose scope, so no native tensor outlives
/// the call. Not thread-safe.
/// </para>
/// </summary>
public sealed class TorchObjective : IDisposable
{
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly ScalarType _type;
    private bool _disposed;

    /// <summary>Binds a network, a loss and data, copying the data into libtorch.</summary>
    /// <param name="network">The network; its activation must be of the polynomial leaky ReLU family.</param>
    /// <param name="loss">A <see cref="SquareLoss"/> or <see cref="LogisticLoss"/>.</param>
    /// <param name="data">The data; its d must equal the network's.</param>
    /// <param name="precision">float64 (default) or float32.</param>
    /// <exception cref="TorchUnavailableException">libtorch cannot be loaded.</exception>
    /// <exception cref="ArgumentException">The data's dimension differs from the network's.</exception>
    /// <exception cref="NotSupportedException">An activation or loss without a torch form.</exception>
    public TorchObjective(HomogeneousNetwork network, ILoss loss, DataSet<double> data, TorchPrecision precision = TorchPrecision.Float64)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputDimension != network.InputDimension)
            throw new ArgumentException($"data: has d = {data.InputDimension} inputs, but the network expects d = {network.InputDimension}.", nameof(data));
        if (loss is not (SquareLoss or LogisticLoss))
            throw new NotSupportedException($"loss: {loss.Specification} has no torch form.");
        TorchNetworkGraph.RequireSupported(network);
        TorchRuntime.EnsureAvailable();
        Network = network;
        Loss = loss;
        Precision = precision;
        SampleCount = data.Count;
        _type = precision == TorchPrecision.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        _x = torch.tensor(data.X.ToArray(), [data.Count, data.InputDimension], ScalarType.Float64).to_type(_type);
        _y = torch.tensor(data.Y.ToArray(), [data.Count], ScalarType.Float64).to_type(_type);
    }

    /// <summary>The network.</summary>
    public HomogeneousNetwork Network { get; }

    /// <summary>The loss.</summary>
    public ILoss Loss { get; }

    /// <summary>The precision libtorch computes in.</summary>
    public TorchPrecision Precision { get; }

    /// <summary>Number of samples n.</summary>
    public int SampleCount { get; }

    /// <summary>H(X; w).</summary>
    /// <param name="w">Weights, length P.</param>
    /// <returns>The n outputs, in double.</returns>
    /// <exception cref="ArgumentException">Wrong length or non-finite weights.</exception>
    public double[] Outputs(ReadOnlySpan<double> w)
    {
        ValidateWeights(w, nameof(w));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return ToArray(TorchNetworkGraph.Outputs(Network, _x, Parameters(w, requiresGrad: false)));
    }

    /// <summary>ℒ(w) and ∇ℒ(w) by autograd.</summary>
    /// <param name="w">Weights, length P.</param>
    /// <param name="gradient">Receives ∇ℒ(w), length P.</param>
    /// <returns>ℒ(w).</returns>
    /// <exception cref="ArgumentException">A wrong length or non-finite weights.</exception>
    public double ValueAndGradient(ReadOnlySpan<double> w, Span<double> gradient)
    {
        ValidateWeights(w, nameof(w));
        Guard.Length(gradient.Length, Network.ParameterCount, nameof(gradient), "one per weight of the network");
        using var scope = torch.NewDisposeScope();
        Tensor parameters = Parameters(w, requiresGrad: true);
        Tensor value = LossOf(parameters);
        Tensor g = torch.autograd.grad([value], [parameters])[0];
        CopyTo(g, gradient);
        return value.to_type(ScalarType.Float64).item<double>();
    }

    /// <summary>∇²ℒ(w) v by double backward: the gradient of ⟨∇ℒ(w), v⟩ with the graph of ∇ℒ kept.</summary>
    /// <param name="w">Weights, length P.</param>
    /// <param name="v">Direction, length P.</param>
    /// <param name="product">Receives ∇²ℒ(w) v, length P.</param>
    /// <exception cref="ArgumentException">A wrong length or non-finite values.</exception>
    public void HessianVectorProduct(ReadOnlySpan<double> w, ReadOnlySpan<double> v, Span<double> product)
    {
        ValidateWeights(w, nameof(w));
        ValidateWeights(v, nameof(v));
        Guard.Length(product.Length, Network.ParameterCount, nameof(product), "one per weight of the network");
        using var scope = torch.NewDisposeScope();
        Tensor parameters = Parameters(w, requiresGrad: true);
        Tensor direction = Parameters(v, requiresGrad: false);
        Tensor value = LossOf(parameters);
        Tensor g = torch.autograd.grad([value], [parameters], retain_graph: true, create_graph: true)[0];
        Tensor hv = torch.autograd.grad([(g * direction).sum()], [parameters])[0];
        CopyTo(hv, product);
    }

    /// <summary>Full-batch gradient descent w_{k+1} = w_k − η ∇ℒ(w_k) for K steps, in libtorch.</summary>
    /// <param name="w0">Initial weights, length P.</param>
    /// <param name="stepSize">η &gt; 0.</param>
    /// <param name="steps">K ≥ 0.</param>
    /// <returns>The final weights and the loss before each step.</returns>
    /// <exception cref="ArgumentException">A wrong length, non-finite weights, η ≤ 0 or K &lt; 0.</exception>
    public GradientDescentRun GradientDescent(ReadOnlySpan<double> w0, double stepSize, int steps)
    {
        ValidateWeights(w0, nameof(w0));
        if (!(stepSize > 0.0) || !double.IsFinite(stepSize))
            throw new ArgumentException($"stepSize: must be positive and finite, got {stepSize}.", nameof(stepSize));
        if (steps < 0) throw new ArgumentException($"steps: must be non-negative, got {steps}.", nameof(steps));
        var losses = new double[steps];
        using var scope = torch.NewDisposeScope();
        Tensor parameters = Parameters(w0, requiresGrad: false);
        for (int k = 0; k < steps; k++)
        {
            using var stepScope = torch.NewDisposeScope();
            Tensor current = parameters.detach().requires_grad_(true);
            Tensor value = LossOf(current);
            Tensor g = torch.autograd.grad([value], [current])[0];
            losses[k] = value.to_type(ScalarType.Float64).item<double>();
            using (torch.no_grad())
            {
                parameters = (current.detach() - g * stepSize).MoveToOuterDisposeScope();
            }
        }
        return new GradientDescentRun(ToArray(parameters), losses);
    }

    private Tensor LossOf(Tensor parameters)
    {
        Tensor h = TorchNetworkGraph.Outputs(Network, _x, parameters);
        double scale = Loss.Normalisation == LossNormalisation.Sum ? 1.0 : 1.0 / SampleCount;
        if (Loss is SquareLoss)
        {
            Tensor e = h - _y;
            return (e * e).sum() * (0.5 * scale);
        }
        // ln(1 + e^{−z}) = max(−z, 0) + ln(1 + e^{−|z|}), z = y h, as in the core's LogisticLoss.
        Tensor z = _y * h;
        return ((-z).relu() + torch.log1p(torch.exp(-z.abs()))).sum() * scale;
    }

    private Tensor Parameters(ReadOnlySpan<double> w, bool requiresGrad) =>
        torch.tensor(w.ToArray(), [w.Length], ScalarType.Float64).to_type(_type).requires_grad_(requiresGrad);

    private static double[] ToArray(Tensor t) => t.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();

    private static void CopyTo(Tensor t, Span<double> destination)
    {
        double[] values = ToArray(t);
        Guard.Length(values.Length, destination.Length, nameof(destination), "one value per element of the result");
        values.CopyTo(destination);
    }

    private void ValidateWeights(ReadOnlySpan<double> w, string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Guard.Length(w.Length, Network.ParameterCount, name, "one per weight of the network");
        Guard.Finite(w, name);
    }

    /// <summary>Releases the data tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _x.Dispose();
        _y.Dispose();
    }
}
