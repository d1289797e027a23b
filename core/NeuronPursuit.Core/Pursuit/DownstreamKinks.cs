// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Models;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// The samples at which a piecewise-linear network (σ = ReLU or leaky ReLU, p = 1) sits exactly on a kink downstream
/// of layer l + 1, and the exact leading term of the output there. A new neuron in hidden layer l moves the
/// pre-activations of layer l + 1 by Δz = b·σ(aᵀh_{l−1}(x)); where no downstream pre-activation is 0, the output
/// moves by ⟨J_{l+1}(x), Δz⟩ to first order (<see cref="ResidualNcf"/>). Where one is exactly 0 — in a bias-free
/// ReLU network every layer-(l+1) pre-activation of a sample on which all layer-l neurons are inactive is an exact 0
/// — the output moves by the one-sided directional derivative φₓ(Δz) = D⁺H(x)[Δz], a positively 1-homogeneous but
/// not linear function of Δz: through a unit on the kink, Δh = σ(Δz) instead of σ′(0)·Δz = 0 (ReLU) or α·Δz (leaky
/// ReLU). φₓ is evaluated by a forward pass of Δz through the downstream layers with those one-sided slopes, and its
/// gradient in Δz by the backward pass through the same linear pieces. So the residual NCF keeps its homogeneity
/// (1 + p = 2) and becomes the exact leading term of ⟨r, H(X; w, (a, b)) − H(X; w, 0)⟩/n (docs/pursuit.md, "The
/// leading term at ReLU kinks").
/// <para>Instances are not thread-safe (one per objective); the data they hold are shared read-only.</para>
/// </summary>
public sealed class DownstreamKinks
{
    private readonly int[] _samples;
    private readonly int[] _widths;            // k_{l+1} … k_{L−1}
    private readonly double[][] _slopes;       // per downstream layer: sample-major σ′(z), used off the kink
    private readonly bool[][] _onKink;         // per downstream layer: sample-major, z on the kink
    private readonly double[][] _matrices;     // W_{l+2} … W_L, row-major
    private readonly IActivation _activation;
    private readonly double _slopeAbove, _slopeBelow, _slopeAtZero, _slopeAtNegativeZero; // σ′(1), σ′(−1), σ′(+0), σ′(−0)
    private readonly double[][] _delta, _deltaSlope;

    /// <summary>Binds the kink samples' downstream state.</summary>
    /// <param name="samples">Indices i of the samples with a downstream unit on the kink, increasing.</param>
    /// <param name="widths">k_{l+1}, …, k_{L−1}: the widths of the downstream hidden layers.</param>
    /// <param name="slopes">Per downstream layer, |samples| × width values σ′(z) (sample-major).</param>
    /// <param name="onKink">Per downstream layer, |samples| × width flags: z is on the kink.</param>
    /// <param name="matrices">W_{l+2}, …, W_L row-major (one fewer hidden layer than <paramref name="widths"/>, plus the output row).</param>
    /// <param name="activation">σ (p = 1).</param>
    /// <exception cref="ArgumentException">Inconsistent sizes, or σ not of degree 1.</exception>
    public DownstreamKinks(int[] samples, int[] widths, double[][] slopes, bool[][] onKink, double[][] matrices, IActivation activation)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(slopes);
        ArgumentNullException.ThrowIfNull(onKink);
        ArgumentNullException.ThrowIfNull(matrices);
        ArgumentNullException.ThrowIfNull(activation);
        if (activation.Degree != 1)
            throw new ArgumentException($"activation: {activation} is not positively 1-homogeneous (p = 1).", nameof(activation));
        int layers = widths.Length;
        if (layers == 0 || slopes.Length != layers || onKink.Length != layers || matrices.Length != layers)
            throw new ArgumentException("widths: one slope, flag and matrix array per downstream hidden layer is needed.", nameof(widths));
        for (int t = 0; t < layers; t++)
        {
            int rows = t + 1 < layers ? widths[t + 1] : 1;
            if (slopes[t].Length != samples.Length * widths[t] || onKink[t].Length != samples.Length * widths[t]
                || matrices[t].Length != rows * widths[t])
                throw new ArgumentException($"slopes: downstream layer {t} has inconsistent sizes.", nameof(slopes));
        }
        _samples = samples;
        _widths = widths;
        _slopes = slopes;
        _onKink = onKink;
        _matrices = matrices;
        _activation = activation;
        // σ is positively 1-homogeneous, so σ′ is constant on each side of 0: σ′(Δz) is one of four numbers.
        _slopeAbove = activation.Derivative(1.0);
        _slopeBelow = activation.Derivative(-1.0);
        _slopeAtZero = activation.Derivative(0.0);
        _slopeAtNegativeZero = activation.Derivative(-0.0);
        _delta = widths.Select(k => new double[k]).ToArray();
        _deltaSlope = widths.Select(k => new double[k]).ToArray();
    }

    /// <summary>The kink samples' indices.</summary>
    public ReadOnlySpan<int> Samples => _samples;

    /// <summary>Number of kink samples.</summary>
    public int Count => _samples.Length;

    /// <summary>k_{l+1}, the length of Δz.</summary>
    public int OutgoingCount => _widths[0];

    /// <summary>A copy with its own work buffers, sharing the data (one per thread).</summary>
    /// <returns>The copy.</returns>
    public DownstreamKinks Clone() => new(_samples, _widths, _slopes, _onKink, _matrices, _activation);

    /// <summary>
    /// φ(Δz) = D⁺H(x)[Δz] at kink sample k and its gradient ∇φ(Δz) (the gradient of the linear piece Δz lies on;
    /// on a boundary between pieces, the piece of the positive side, as the activation's σ′ at 0 states).
    /// </summary>
    /// <param name="k">Index into <see cref="Samples"/>.</param>
    /// <param name="dz">Δz, length k_{l+1}.</param>
    /// <param name="gradient">Receives ∇φ(Δz), length k_{l+1}.</param>
    /// <returns>φ(Δz).</returns>
    public double Evaluate(int k, ReadOnlySpan<double> dz, Span<double> gradient)
    {
        int layers = _widths.Length;
        dz.CopyTo(_delta[0]);
        double phi = 0;
        for (int t = 0; t < layers; t++)
        {
            int width = _widths[t];
            double[] delta = _delta[t], slope = _deltaSlope[t];
            ReadOnlySpan<double> s = _slopes[t].AsSpan(k * width, width);
            ReadOnlySpan<bool> kink = _onKink[t].AsSpan(k * width, width);
            // Δh = σ(Δz) on the kink (σ is 1-homogeneous: σ(0 + Δz) = σ(Δz)), σ′(z)·Δz off it.
            for (int j = 0; j < width; j++)
            {
                slope[j] = kink[j] ? KinkSlope(delta[j]) : s[j];
                delta[j] *= slope[j];
            }
            double[] m = _matrices[t];
            if (t + 1 < layers)
            {
                double[] next = _delta[t + 1];
                int rows = _widths[t + 1];
                for (int r = 0; r < rows; r++)
                {
                    double sum = 0;
                    for (int j = 0; j < width; j++) sum += m[r * width + j] * delta[j];
                    next[r] = sum;
                }
            }
            else
            {
                for (int j = 0; j < width; j++) phi += m[j] * delta[j];
            }
        }
        // Backward through the same pieces: g = W_L, then g ← (W_{t+1}ᵀ g) ⊙ slope_t.
        double[] g = _delta[layers - 1];
        double[] last = _matrices[layers - 1];
        for (int j = 0; j < _widths[layers - 1]; j++) g[j] = last[j] * _deltaSlope[layers - 1][j];
        for (int t = layers - 2; t >= 0; t--)
        {
            int width = _widths[t], rows = _widths[t + 1];
            double[] m = _matrices[t], into = _delta[t], slope = _deltaSlope[t];
            for (int j = 0; j < width; j++)
            {
                double sum = 0;
                for (int r = 0; r < rows; r++) sum += m[r * width + j] * g[r];
                into[j] = sum * slope[j];
            }
            g = into;
        }
        g.AsSpan(0, _widths[0]).CopyTo(gradient);
        return phi;
    }

    /// <summary>σ′(Δz) of the positively 1-homogeneous σ: σ′(1) above 0, σ′(−1) below, σ′(±0) at the signed zeros.</summary>
    private double KinkSlope(double dz) =>
        dz > 0.0 ? _slopeAbove : dz < 0.0 ? _slopeBelow : double.IsNegative(dz) ? _slopeAtNegativeZero : _slopeAtZero;
}
