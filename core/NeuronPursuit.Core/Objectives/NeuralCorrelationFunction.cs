// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;

namespace NeuronPursuit.Core.Objectives;

/// <summary>
/// The neural correlation function N(u) = yᵀH(X; u) = Σᵢ yᵢ H(xᵢ; u)
/// (Kumar &amp; Haupt, arXiv 2402.09226), with gradient ∇N(u) = Jᵀy. Near w = 0 the square-loss
/// gradient flow follows the flow of N. With y replaced by a residual r = y − H(X; w̄), this is the
/// residual NCF of a saddle (construct it from <see cref="DataSet{T}.WithLabels"/>).
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public sealed class NeuralCorrelationFunction<T> : IObjective<T> where T : struct, INumber<T>
{
    private readonly NetworkWorkspace<T> _workspace;
    private readonly T[] _outputs;

    /// <summary>Binds a network and a data set whose labels weight the correlation.</summary>
    /// <param name="network">The network H.</param>
    /// <param name="data">The data (X, y); its d must equal the network's.</param>
    /// <exception cref="ArgumentException">The data's input dimension differs from the network's.</exception>
    public NeuralCorrelationFunction(HomogeneousNetwork network, DataSet<T> data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputDimension != network.InputDimension)
            throw new ArgumentException($"data: has d = {data.InputDimension} inputs, but the network expects d = {network.InputDimension}.", nameof(data));
        Network = network;
        Data = data;
        _workspace = network.CreateWorkspace<T>(data.Count);
        _outputs = new T[data.Count];
    }

    /// <summary>The network H.</summary>
    public HomogeneousNetwork Network { get; }

    /// <summary>The data; its labels are the weights y of the correlation.</summary>
    public DataSet<T> Data { get; }

    /// <inheritdoc/>
    public int Dimension => Network.ParameterCount;

    /// <inheritdoc/>
    public T Value(ReadOnlySpan<T> u)
    {
        Network.Forward(Data.X, u, _outputs, _workspace);
        return Correlation();
    }

    /// <inheritdoc/>
    public T ValueAndGradient(ReadOnlySpan<T> u, Span<T> gradient)
    {
        Network.Forward(Data.X, u, _outputs, _workspace);
        Network.Backward(Data.X, u, Data.Y, gradient, _workspace);
        return Correlation();
    }

    private T Correlation()
    {
        ReadOnlySpan<T> y = Data.Y;
        T sum = T.Zero;
        for (int i = 0; i < y.Length; i++) sum += y[i] * _outputs[i];
        return sum;
    }
}
