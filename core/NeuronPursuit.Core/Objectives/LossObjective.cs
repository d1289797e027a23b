// SPDX-License-Identifier: MIT
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Objectives;

/// <summary>
/// The training loss ℒ(w) = ℓ(H(X; w), y) of a network on a data set, with its exact gradient
/// ∇ℒ(w) = Jᵀ ∂ℓ/∂h by one forward and one backward pass. Gradient flow is dw/dt = −∇ℒ(w).
/// In double, networks in the feed-forward layout run the feature-major SIMD passes of
/// <see cref="FeatureMajorNetwork"/>, equal to the networks' own passes (the reference) up to rounding; in
/// double-double, two-layer ReLU² networks run the vector passes of <see cref="TwoLayerDoubleDoublePasses"/>, whose
/// sums have a proved error bound of order N²u²·Σ|terms| (a pass that meets a non-finite value is redone by the reference).
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public sealed class LossObjective<T> : IObjective<T>
    where T : struct, INumber<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
{
    private readonly NetworkWorkspace<T> _workspace;
    private readonly T[] _outputs;
    private readonly T[] _outputDerivative;
    private readonly FeatureMajorNetwork? _fast;
    private readonly TwoLayerDoubleDoublePasses? _fastDoubleDouble;

    /// <summary>Binds a network, a loss and a data set.</summary>
    /// <param name="network">The network H.</param>
    /// <param name="loss">The loss ℓ.</param>
    /// <param name="data">The data (X, y); its d must equal the network's.</param>
    /// <exception cref="ArgumentException">The data's input dimension differs from the network's.</exception>
    public LossObjective(HomogeneousNetwork network, ILoss loss, DataSet<T> data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputDimension != network.InputDimension)
            throw new ArgumentException($"data: has d = {data.InputDimension} inputs, but the network expects d = {network.InputDimension}.", nameof(data));
        Network = network;
        Loss = loss;
        Data = data;
        _workspace = network.CreateWorkspace<T>(data.Count);
        _outputs = new T[data.Count];
        _outputDerivative = new T[data.Count];
        if (typeof(T) == typeof(double) && FeatureMajorNetwork.Supports(network))
            _fast = new FeatureMajorNetwork(network, (DataSet<double>)(object)data);
        if (typeof(T) == typeof(DoubleDouble) && TwoLayerDoubleDoublePasses.Supports(network))
            _fastDoubleDouble = new TwoLayerDoubleDoublePasses((TwoLayerNetwork)network, (DataSet<DoubleDouble>)(object)data);
    }

    /// <summary>The network H.</summary>
    public HomogeneousNetwork Network { get; }

    /// <summary>The loss ℓ.</summary>
    public ILoss Loss { get; }

    /// <summary>The data.</summary>
    public DataSet<T> Data { get; }

    /// <inheritdoc/>
    public int Dimension => Network.ParameterCount;

    /// <summary>Whether an evaluation already runs on two threads (its samples split in halves, see
    /// <see cref="FeatureMajorNetwork"/>).</summary>
    internal bool SplitsSamples => _fast is { IsSplit: true };

    /// <summary>The outputs H(X; w) of the last evaluation.</summary>
    public ReadOnlySpan<T> LastOutputs => _outputs;

    /// <inheritdoc/>
    public T Value(ReadOnlySpan<T> w)
    {
        Forward(w);
        return Loss.Evaluate<T>(_outputs, Data.Y, Span<T>.Empty);
    }

    /// <inheritdoc/>
    public T ValueAndGradient(ReadOnlySpan<T> w, Span<T> gradient)
    {
        if (_fast is not null)
        {
            Guard.Length(w.Length, Dimension, nameof(w), "one per weight of the network");
            Guard.Finite(w, nameof(w));
            Guard.Length(gradient.Length, Dimension, nameof(gradient), "one per weight of the network");
            double fastValue = _fast.ValueAndGradient(MemoryMarshal.Cast<T, double>(w), Loss,
                MemoryMarshal.Cast<T, double>(_outputs.AsSpan()), MemoryMarshal.Cast<T, double>(gradient));
            return Unsafe.As<double, T>(ref fastValue);
        }
        if (_fastDoubleDouble is not null)
        {
            Guard.Length(w.Length, Dimension, nameof(w), "one per weight of the network");
            Guard.Finite(w, nameof(w));
            Guard.Length(gradient.Length, Dimension, nameof(gradient), "one per weight of the network");
            if (_fastDoubleDouble.Forward(MemoryMarshal.Cast<T, DoubleDouble>(w), MemoryMarshal.Cast<T, DoubleDouble>(_outputs.AsSpan())))
            {
                T fastValue = Loss.Evaluate<T>(_outputs, Data.Y, _outputDerivative);
                if (_fastDoubleDouble.Backward(MemoryMarshal.Cast<T, DoubleDouble>(_outputDerivative.AsSpan()), MemoryMarshal.Cast<T, DoubleDouble>(gradient)))
                    return fastValue;
            }
        }
        Network.Forward(Data.X, w, _outputs, _workspace);
        T value = Loss.Evaluate<T>(_outputs, Data.Y, _outputDerivative);
        Network.Backward(Data.X, w, _outputDerivative, gradient, _workspace);
        return value;
    }

    /// <summary>H(X; w) into the outputs, by the fast path where there is one (validated like the network's own pass).</summary>
    private void Forward(ReadOnlySpan<T> w)
    {
        if (_fast is null)
        {
            Network.Forward(Data.X, w, _outputs, _workspace);
            return;
        }
        Guard.Length(w.Length, Dimension, nameof(w), "one per weight of the network");
        Guard.Finite(w, nameof(w));
        _fast.Forward(MemoryMarshal.Cast<T, double>(w)).CopyTo(MemoryMarshal.Cast<T, double>(_outputs.AsSpan()));
    }

    /// <summary>Whether <see cref="HessianVectorProducts"/> runs (double, a network in the feed-forward layout).</summary>
    internal bool HasFastHessianProducts => _fast is not null;

    /// <summary>
    /// ∇²ℒ(w)·vᵣ for a block of directions by the SIMD forward-over-reverse passes of <see cref="FeatureMajorNetwork"/>
    /// (only when <see cref="HasFastHessianProducts"/>).
    /// </summary>
    /// <param name="w">Weights.</param>
    /// <param name="directions">The vᵣ, rows of <paramref name="leading"/> entries.</param>
    /// <param name="count">Number of directions.</param>
    /// <param name="leading">Distance between rows.</param>
    /// <param name="products">Receives ∇²ℒ(w)·vᵣ in the same layout.</param>
    internal void HessianVectorProducts(ReadOnlySpan<double> w, ReadOnlySpan<double> directions, int count, int leading, Span<double> products)
    {
        if (_fast is null) throw new InvalidOperationException("Hessian products: no fast path for this scalar type or network.");
        Guard.Length(w.Length, Dimension, nameof(w), "one per weight of the network");
        Guard.Finite(w, nameof(w));
        _fast.HessianVectorProducts(w, Loss, directions, count, leading, products);
    }

    /// <summary>The residuals rᵢ = yᵢ − H(xᵢ; w).</summary>
    /// <param name="w">Weights.</param>
    /// <param name="residual">Receives r, length n.</param>
    public void Residual(ReadOnlySpan<T> w, Span<T> residual)
    {
        Guard.Length(residual.Length, Data.Count, nameof(residual), "one residual per sample");
        Forward(w);
        for (int i = 0; i < _outputs.Length; i++) residual[i] = Data.Y[i] - _outputs[i];
    }
}
