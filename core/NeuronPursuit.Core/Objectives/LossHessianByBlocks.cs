// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Objectives;

/// <summary>
/// The Hessian ∇²ℒ of a training loss in double for networks without a closed form (deep feed-forward nets, sums of
/// powers), assembled column by column like <see cref="HessianVectorProduct{T}.AssembleByColumns"/> but with the SIMD
/// forward-over-reverse passes of <see cref="FeatureMajorNetwork"/>, 32 unit vectors per pass: about 2P gradient
/// evaluations in double instead of P products in dual numbers through the generic loops. The result is symmetrised
/// (½(H + Hᵀ), which only removes rounding) and agrees with the reference assembly to rounding.
/// </summary>
public sealed class LossHessianByBlocks : IHessianMatrix<double>
{
    private const int Block = 32;
    private readonly LossObjective<double> _loss;
    private readonly double[] _units, _products;

    /// <summary>Binds a network in the feed-forward layout, a loss and a data set.</summary>
    /// <param name="network">The network.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="data">The data.</param>
    /// <exception cref="ArgumentException">The network has no fast passes (not in the feed-forward layout), or d differs.</exception>
    public LossHessianByBlocks(HomogeneousNetwork network, ILoss loss, DataSet<double> data)
    {
        _loss = new LossObjective<double>(network, loss, data);
        if (!_loss.HasFastHessianProducts)
            throw new ArgumentException($"network: {network.Specification} has no fast passes to assemble its Hessian from.", nameof(network));
        int p = network.ParameterCount;
        _units = new double[Block * p];
        _products = new double[Block * p];
    }

    /// <inheritdoc/>
    public int Dimension => _loss.Dimension;

    /// <inheritdoc/>
    public void Hessian(ReadOnlySpan<double> w, Span<double> hessian)
    {
        int p = Dimension;
        Guard.Length(hessian.Length, p * p, nameof(hessian), "P·P entries");
        for (int k0 = 0; k0 < p; k0 += Block)
        {
            int count = Math.Min(Block, p - k0);
            Array.Clear(_units);
            for (int r = 0; r < count; r++) _units[r * p + k0 + r] = 1.0;
            _loss.HessianVectorProducts(w, _units, count, p, _products);
            _products.AsSpan(0, count * p).CopyTo(hessian.Slice(k0 * p, count * p));
        }
        for (int i = 0; i < p; i++)
            for (int j = i + 1; j < p; j++)
            {
                double mean = 0.5 * (hessian[i * p + j] + hessian[j * p + i]);
                hessian[i * p + j] = mean;
                hessian[j * p + i] = mean;
            }
    }
}
