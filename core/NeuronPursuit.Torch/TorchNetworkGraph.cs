// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuronPursuit.Torch;

/// <summary>
/// A core <see cref="HomogeneousNetwork"/> written as libtorch operations on one flat parameter
/// tensor with the core's layout (W₁, …, W_L, each row-major), so that libtorch's autograd
/// differentiates exactly the function the core differentiates by hand. With a fixed readout (the sum of powers
/// H(x; W) = Σⱼ σ(wⱼᵀx)) the last block is a hidden layer: σ is applied to it and its neurons are summed.
/// </summary>
internal static class TorchNetworkGraph
{
    /// <summary>Throws unless the activation has a torch form (the polynomial leaky ReLU family).</summary>
    /// <param name="network">The network.</param>
    /// <exception cref="NotSupportedException">Another activation.</exception>
    internal static void RequireSupported(HomogeneousNetwork network)
    {
        if (network.Activation is not PolynomialLeakyRelu)
            throw new NotSupportedException($"network: the activation {network.Activation.Specification} has no torch form; use the polynomial leaky ReLU family.");
    }

    /// <summary>H(X; w) as a tensor of n outputs.</summary>
    /// <param name="network">The network (validated by <see cref="RequireSupported"/>).</param>
    /// <param name="x">X, n × d.</param>
    /// <param name="w">Weights, length P.</param>
    /// <returns>The outputs, shape (n).</returns>
    internal static Tensor Outputs(HomogeneousNetwork network, Tensor x, Tensor w)
    {
        var sigma = (PolynomialLeakyRelu)network.Activation;
        Tensor input = x;
        IReadOnlyList<LayerBlock> blocks = network.Layout.Blocks;
        bool fixedReadout = network.Layout.FixedReadout;
        for (int l = 0; l < blocks.Count; l++)
        {
            LayerBlock block = blocks[l];
            Tensor weights = w.narrow(0, block.Offset, block.Count).view(block.Rows, block.Columns);
            Tensor z = input.matmul(weights.t());
            input = l < blocks.Count - 1 || fixedReadout ? Activate(sigma, z) : z;
        }
        return fixedReadout ? input.sum(1) : input.view(-1);
    }

    /// <summary>σ(z) = max(z, αz)ᵖ as where(z &gt; 0, z, αz)ᵖ: at z = 0 the α branch is taken, as in the core.</summary>
    private static Tensor Activate(PolynomialLeakyRelu sigma, Tensor z)
    {
        Tensor s = torch.where(z > 0.0, z, z * sigma.Alpha);
        return sigma.Power == 1 ? s : s.pow(sigma.Power);
    }
}
