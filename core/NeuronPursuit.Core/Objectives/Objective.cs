// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Objectives;

/// <summary>Factories that build an objective together with its Hessian–vector product.</summary>
public static class Objective
{
    /// <summary>The Hessian–vector product of the training loss ℒ(w) of a network on a data set.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="network">The network.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="data">The data.</param>
    /// <returns>An HVP operator for ℒ; for a <see cref="TwoLayerNetwork"/> its whole Hessian is assembled in closed form,
    /// for the other networks of the feed-forward layout in double from blocks of fast products (<see cref="LossHessianByBlocks"/>).</returns>
    public static HessianVectorProduct<T> LossHessian<T>(HomogeneousNetwork network, ILoss loss, DataSet<T> data)
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
    {
        IHessianMatrix<T>? matrix = network switch
        {
            TwoLayerNetwork twoLayer => new TwoLayerLossHessian<T>(twoLayer, loss, data),
            _ when typeof(T) == typeof(double) && FeatureMajorNetwork.Supports(network) =>
                (IHessianMatrix<T>)(object)new LossHessianByBlocks(network, loss, (DataSet<double>)(object)data),
            _ => null,
        };
        return new(new LossObjective<Dual<T>>(network, loss, ToDual(data)), matrix);
    }

    /// <summary>The Hessian–vector product of the NCF N(u) = yᵀH(X; u).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="network">The network.</param>
    /// <param name="data">The data; its labels weight the correlation.</param>
    /// <returns>An HVP operator for N.</returns>
    public static HessianVectorProduct<T> CorrelationHessian<T>(HomogeneousNetwork network, DataSet<T> data)
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
        => new(new NeuralCorrelationFunction<Dual<T>>(network, ToDual(data)));

    /// <summary>The data as dual numbers with zero tangents: data are constants of the differentiation.</summary>
    private static DataSet<Dual<T>> ToDual<T>(DataSet<T> data)
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
    {
        var x = new Dual<T>[data.X.Length];
        var y = new Dual<T>[data.Count];
        for (int k = 0; k < x.Length; k++) x[k] = new Dual<T>(data.X[k], T.Zero);
        for (int i = 0; i < y.Length; i++) y[i] = new Dual<T>(data.Y[i], T.Zero);
        return new DataSet<Dual<T>>(x, y, data.InputDimension);
    }
}
