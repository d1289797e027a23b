// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Models;

/// <summary>
/// The single-layer model H(x; W) = Σⱼ σ(wⱼᵀx) with the readout weights fixed to 1, W (m × d) row-major the
/// only parameters: Kumar &amp; Haupt's Figure-1 model in arXiv 2402.09226 ("a single-layer squared ReLU
/// network" as a reproducibility report quotes it, σ = ReLU²; see docs/claims.md). With σ p-homogeneous, H is
/// p-homogeneous in W: degree p, not p + 1 as for the two-layer network with trainable readout. With
/// σ(z) = max(z, 0)ᵖ + εz
/// (<see cref="PerturbedReluPower"/>) it is the non-homogeneous perturbation the checks' negative tests use.
/// </summary>
public sealed class SumOfPowersNetwork : HomogeneousNetwork
{
    /// <summary>Creates H(x; W) = Σⱼ σ(wⱼᵀx) with d inputs and m neurons.</summary>
    /// <param name="inputDimension">d ≥ 1.</param>
    /// <param name="width">m ≥ 1.</param>
    /// <param name="activation">σ.</param>
    /// <exception cref="ArgumentException">A dimension is not positive.</exception>
    public SumOfPowersNetwork(int inputDimension, int width, IActivation activation)
        : base(new ParameterLayout(inputDimension, [width], ["W"], fixedReadout: true), activation)
    {
        Width = width;
    }

    /// <summary>The number of neurons m.</summary>
    public int Width { get; }

    /// <summary>The degree of σ: H(x; cW) = cᵖ H(x; W); null when σ is not homogeneous.</summary>
    public override int? Degree => Activation.Degree;

    /// <inheritdoc/>
    public override string Specification => $"sum-of-powers d={InputDimension} m={Width} {Activation.Specification}";

    /// <inheritdoc/>
    protected override void ForwardCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> h, NetworkWorkspace<T> workspace)
    {
        int d = InputDimension, m = Width, n = h.Length;
        T[] z = workspace.ScratchA;
        T[] sigma = workspace.Activations[0];
        T[] sigmaPrime = workspace.Derivatives[0];

        // zᵢⱼ = wⱼᵀxᵢ, accumulated in input order; Hᵢ = Σⱼ σ(zᵢⱼ) in neuron order.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                T s = T.Zero;
                for (int k = 0; k < d; k++) s += w[j * d + k] * x[i * d + k];
                z[i * m + j] = s;
            }
        Activation.Evaluate<T>(z.AsSpan(0, n * m), sigma, sigmaPrime);
        for (int i = 0; i < n; i++)
        {
            T s = T.Zero;
            for (int j = 0; j < m; j++) s += sigma[i * m + j];
            h[i] = s;
        }
    }

    /// <inheritdoc/>
    protected override void BackwardCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> c, Span<T> gradient, NetworkWorkspace<T> workspace)
    {
        int d = InputDimension, m = Width, n = c.Length;
        T[] sigmaPrime = workspace.Derivatives[0];
        gradient.Clear();

        // ∂/∂wⱼ = Σᵢ cᵢ σ′(zᵢⱼ) xᵢ, accumulated sample by sample.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                T coefficient = c[i] * sigmaPrime[i * m + j];
                for (int k = 0; k < d; k++) gradient[j * d + k] += coefficient * x[i * d + k];
            }
    }

    /// <inheritdoc/>
    protected override void JvpCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> t, Span<T> jt, NetworkWorkspace<T> workspace)
    {
        int d = InputDimension, m = Width, n = jt.Length;
        T[] sigmaPrime = workspace.Derivatives[0];

        // d Hᵢ = Σⱼ σ′(zᵢⱼ) t_wⱼᵀxᵢ.
        for (int i = 0; i < n; i++)
        {
            T sum = T.Zero;
            for (int j = 0; j < m; j++)
            {
                T dz = T.Zero;
                for (int k = 0; k < d; k++) dz += t[j * d + k] * x[i * d + k];
                sum += sigmaPrime[i * m + j] * dz;
            }
            jt[i] = sum;
        }
    }
}
