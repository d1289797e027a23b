// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Models;

/// <summary>
/// The two-layer network H(x; W, v) = Σⱼ vⱼ σ(wⱼᵀx) with m hidden neurons and no biases
/// (Kumar &amp; Haupt, arXiv 2402.09226), homogeneous of degree 1 + p. Parameters: W (m × d, row wⱼ
/// is neuron j's incoming weights) then v (length m). Written sample by sample in the paper's
/// notation, independently of <see cref="FeedForwardNetwork"/>, which computes the same function
/// with one hidden layer; tests compare the two.
/// </summary>
public sealed class TwoLayerNetwork : HomogeneousNetwork
{
    /// <summary>Creates H(x; W, v) = Σⱼ vⱼ σ(wⱼᵀx).</summary>
    /// <param name="inputDimension">d ≥ 1.</param>
    /// <param name="width">m ≥ 1 hidden neurons.</param>
    /// <param name="activation">σ.</param>
    /// <exception cref="ArgumentException">d or m is not positive.</exception>
    public TwoLayerNetwork(int inputDimension, int width, IActivation activation)
        : base(new ParameterLayout(inputDimension, [width], ["W", "v"]), activation)
    {
        Width = width;
    }

    /// <summary>Number of hidden neurons m.</summary>
    public int Width { get; }

    /// <inheritdoc/>
    public override string Specification => $"two-layer d={InputDimension} m={Width} {Activation.Specification}";

    /// <inheritdoc/>
    protected override void ForwardCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> h, NetworkWorkspace<T> workspace)
    {
        int d = InputDimension, m = Width, n = h.Length;
        ReadOnlySpan<T> weightsW = w[..(m * d)];
        ReadOnlySpan<T> v = w.Slice(m * d, m);
        Span<T> z = workspace.ScratchA.AsSpan(0, n * m);
        T[] sigma = workspace.Activations[0];
        T[] sigmaPrime = workspace.Derivatives[0];

        // zᵢⱼ = wⱼᵀxᵢ for all samples and neurons, then σ and σ′ in one pass.
        DenseKernels.MultiplyTransposed(x, weightsW, z, n, m, d, workspace.BlockScratch);
        Activation.Evaluate<T>(z, sigma, sigmaPrime);
        for (int i = 0; i < n; i++) h[i] = DenseKernels.Dot<T>(v, sigma.AsSpan(i * m, m));
    }

    /// <inheritdoc/>
    protected override void BackwardCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> c, Span<T> gradient, NetworkWorkspace<T> workspace)
    {
        int d = InputDimension, m = Width, n = c.Length;
        ReadOnlySpan<T> v = w.Slice(m * d, m);
        Span<T> gradW = gradient[..(m * d)];
        Span<T> gradV = gradient.Slice(m * d, m);
        T[] sigma = workspace.Activations[0];
        T[] sigmaPrime = workspace.Derivatives[0];
        Span<T> delta = workspace.ScratchA.AsSpan(0, n * m);
        gradient.Clear();

        // ∂/∂vⱼ = Σᵢ cᵢ σ(zᵢⱼ);  ∂/∂wⱼ = Σᵢ δᵢⱼ xᵢ with δᵢⱼ = cᵢ vⱼ σ′(zᵢⱼ).
        for (int i = 0; i < n; i++)
        {
            T ci = c[i];
            DenseKernels.Axpy<T>(ci, sigma.AsSpan(i * m, m), gradV);
            for (int j = 0; j < m; j++) delta[i * m + j] = ci * v[j] * sigmaPrime[i * m + j];
        }
        DenseKernels.AddTransposedTimes<T>(delta, x, gradW, n, m, d, workspace.BlockScratch);
    }

    /// <inheritdoc/>
    protected override void JvpCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> t, Span<T> jt, NetworkWorkspace<T> workspace)
    {
        int d = InputDimension, m = Width, n = jt.Length;
        ReadOnlySpan<T> v = w.Slice(m * d, m);
        ReadOnlySpan<T> tangentW = t[..(m * d)];
        ReadOnlySpan<T> tangentV = t.Slice(m * d, m);
        Span<T> dz = workspace.ScratchB.AsSpan(0, n * m);
        T[] sigma = workspace.Activations[0];
        T[] sigmaPrime = workspace.Derivatives[0];

        // d zᵢⱼ = t_wⱼᵀxᵢ;  d Hᵢ = Σⱼ (t_vⱼ σ(zᵢⱼ) + vⱼ σ′(zᵢⱼ) d zᵢⱼ).
        DenseKernels.MultiplyTransposed(x, tangentW, dz, n, m, d, workspace.BlockScratch);
        for (int i = 0; i < n; i++)
        {
            T sum = T.Zero;
            for (int j = 0; j < m; j++)
                sum += tangentV[j] * sigma[i * m + j] + v[j] * sigmaPrime[i * m + j] * dz[i * m + j];
            jt[i] = sum;
        }
    }
}
