// SPDX-License-Identifier: MIT
using System.Numerics;
using System.Runtime.InteropServices;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// The residual NCF of one new neuron in hidden layer l (docs/claims.md (Notation and background); NP-3):
/// N_l(a, b) = (1/n) Σᵢ rᵢ ⟨J_{l+1}(xᵢ), b⟩ σ(aᵀh_{l−1}(xᵢ)), with u = (a, b) ∈ ℝ^{k_{l−1}} × ℝ^{k_{l+1}}, the
/// features h_{l−1} and the output sensitivities J_{l+1} = ∂H/∂z_{l+1} taken at the current network (J = 1 for
/// the last hidden layer), and the residual r = y − H(X; w). It is the leading, (1+p)-homogeneous term of
/// ⟨r, H(X; w, (a, b)) − H(X; w, 0)⟩/n, so the spherical ascent of <see cref="Kkt.SphericalAscent"/> on
/// ‖a‖² + ‖b‖² = 1 finds its KKT points. The factor 1/n follows Neuron Pursuit's reference simulation
/// (docs/claims.md NP-3).
/// <para>
/// Gradient: ∂N/∂b_m = (1/n) Σᵢ rᵢ σ(zᵢ) J_m(xᵢ), ∂N/∂a_k = (1/n) Σᵢ rᵢ qᵢ σ′(zᵢ) h_k(xᵢ), with zᵢ = aᵀh(xᵢ),
/// qᵢ = ⟨J(xᵢ), b⟩. The features are shared read-only between instances; each instance owns its buffers
/// (allocation-free evaluations, one instance per thread).
/// </para>
/// <para>
/// With <see cref="DownstreamKinks"/> (σ piecewise linear), the samples on which a downstream unit sits exactly on
/// the kink use the exact one-sided leading term instead: qᵢ = φᵢ(b) for sᵢ ≥ 0 and −φᵢ(−b) for sᵢ &lt; 0, with
/// φᵢ = D⁺H(xᵢ)[·] (so that rᵢ·φᵢ(b·sᵢ) = rᵢsᵢqᵢ), and their J columns are not used.
/// </para>
/// </summary>
public sealed class ResidualNcf : IObjective<double>
{
    private readonly double[] _features;      // k_{l−1} × n
    private readonly double[]? _sensitivities; // k_{l+1} × n, null when J ≡ 1
    private readonly double[] _weights;        // rᵢ / n
    private readonly IActivation _activation;
    private readonly int _inputs, _outputs, _n;
    private readonly double[] _z, _s, _ds, _q, _t;
    private readonly DownstreamKinks? _kinks;
    private readonly double[] _kinkGradients; // |kinks| × k_{l+1}: ∇_b qᵢ of each kink sample
    private readonly double[] _b;

    /// <summary>Binds precomputed features.</summary>
    /// <param name="features">h_{l−1}, feature-major k_{l−1} × n (shared, not copied).</param>
    /// <param name="sensitivities">J_{l+1}, feature-major k_{l+1} × n (shared), or null for J ≡ 1 (k_{l+1} = 1).</param>
    /// <param name="outputCount">k_{l+1} (1 when <paramref name="sensitivities"/> is null).</param>
    /// <param name="weights">rᵢ/n, length n (shared).</param>
    /// <param name="activation">σ.</param>
    /// <param name="kinks">The samples with a downstream unit on the kink and their exact leading term, or null (their
    /// entries of <paramref name="sensitivities"/> must then be 0, since they are not used).</param>
    /// <exception cref="ArgumentException">Inconsistent lengths.</exception>
    public ResidualNcf(double[] features, double[]? sensitivities, int outputCount, double[] weights, IActivation activation,
        DownstreamKinks? kinks = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(activation);
        _n = weights.Length;
        Guard.Positive(_n, nameof(weights));
        Guard.Positive(outputCount, nameof(outputCount));
        if (features.Length == 0 || features.Length % _n != 0)
            throw new ArgumentException($"features: length {features.Length} is not k·n for n = {_n}.", nameof(features));
        if (sensitivities is null ? outputCount != 1 : sensitivities.Length != outputCount * _n)
            throw new ArgumentException($"sensitivities: need k_(l+1)·n = {outputCount * _n} values (or none for k = 1).", nameof(sensitivities));
        _features = features;
        _sensitivities = sensitivities;
        _weights = weights;
        _activation = activation;
        _inputs = features.Length / _n;
        _outputs = outputCount;
        _z = new double[_n];
        _s = new double[_n];
        _ds = new double[_n];
        _q = new double[_n];
        _t = new double[_n];
        if (kinks is not null && kinks.OutgoingCount != outputCount)
            throw new ArgumentException($"kinks: Δz has {kinks.OutgoingCount} entries, but b has {outputCount}.", nameof(kinks));
        _kinks = kinks?.Clone();
        _kinkGradients = new double[(kinks?.Count ?? 0) * outputCount];
        _b = new double[outputCount];
    }

    /// <summary>Number of samples whose leading term is the one-sided one (0 without kinks).</summary>
    public int KinkSampleCount => _kinks?.Count ?? 0;

    /// <summary>k_{l−1}, the length of a (the first part of u).</summary>
    public int IncomingCount => _inputs;

    /// <summary>k_{l+1}, the length of b (the second part of u).</summary>
    public int OutgoingCount => _outputs;

    /// <inheritdoc/>
    public int Dimension => _inputs + _outputs;

    /// <inheritdoc/>
    public double Value(ReadOnlySpan<double> u)
    {
        Prepare(u);
        return DenseKernels.Dot<double>(_t, _s);
    }

    /// <inheritdoc/>
    public double ValueAndGradient(ReadOnlySpan<double> u, Span<double> gradient)
    {
        Prepare(u);
        int n = _n;
        double value = DenseKernels.Dot<double>(_t, _s);
        // ∂N/∂b_m = Σᵢ (cᵢ σ(zᵢ)) J_m(xᵢ); with J ≡ 1 it is Σᵢ cᵢ σ(zᵢ) = value / b.
        if (_sensitivities is null)
        {
            gradient[_inputs] = DenseKernels.Dot<double>(_weights, _s);
        }
        else
        {
            for (int i = 0; i < n; i++) _z[i] = _weights[i] * _s[i];
            DenseKernels.DotRows(_z, _sensitivities, gradient.Slice(_inputs, _outputs));
            if (_kinks is not null)
            {
                ReadOnlySpan<int> samples = _kinks.Samples;
                for (int k = 0; k < samples.Length; k++)
                {
                    double cs = _z[samples[k]];
                    if (cs == 0.0) continue;
                    for (int m = 0; m < _outputs; m++) gradient[_inputs + m] += cs * _kinkGradients[k * _outputs + m];
                }
            }
        }
        // ∂N/∂a_k = Σᵢ (cᵢ qᵢ σ′(zᵢ)) h_k(xᵢ).
        FeatureMajorEvaluator.Multiply(_t, _ds);
        DenseKernels.DotRows(_t, _features, gradient[.._inputs]);
        return value;
    }

    /// <summary>qᵢ and ∇_b qᵢ of the kink samples: φᵢ(b) where sᵢ ≥ 0, −φᵢ(−b) where sᵢ &lt; 0 (leaky ReLU).</summary>
    private void OneSided(ReadOnlySpan<double> b)
    {
        ReadOnlySpan<int> samples = _kinks!.Samples;
        Span<double> minusB = _b;
        for (int m = 0; m < _outputs; m++) minusB[m] = -b[m];
        for (int k = 0; k < samples.Length; k++)
        {
            int i = samples[k];
            Span<double> g = _kinkGradients.AsSpan(k * _outputs, _outputs);
            if (_s[i] == 0.0) { _q[i] = 0.0; g.Clear(); continue; }
            _q[i] = _s[i] > 0 ? _kinks.Evaluate(k, b, g) : -_kinks.Evaluate(k, minusB, g);
        }
    }

    /// <summary>z = aᵀh, s = σ(z), ds = σ′(z), q = ⟨J, b⟩, t = c ⊙ q.</summary>
    private void Prepare(ReadOnlySpan<double> u)
    {
        int n = _n;
        ReadOnlySpan<double> a = u[.._inputs];
        ReadOnlySpan<double> b = u.Slice(_inputs, _outputs);
        FeatureMajorEvaluator.CombineRows(a, 1, _inputs, _features, _z, n);
        _activation.Evaluate<double>(_z, _s, _ds);
        if (_sensitivities is null)
        {
            double b0 = b[0];
            Span<Vector<double>> tv = MemoryMarshal.Cast<double, Vector<double>>(_t.AsSpan());
            ReadOnlySpan<Vector<double>> cv = MemoryMarshal.Cast<double, Vector<double>>(_weights.AsSpan());
            for (int v = 0; v < tv.Length; v++) tv[v] = cv[v] * b0;
            for (int i = tv.Length * Vector<double>.Count; i < n; i++) _t[i] = _weights[i] * b0;
        }
        else
        {
            FeatureMajorEvaluator.CombineRows(b, 1, _outputs, _sensitivities, _q, n);
            if (_kinks is not null) OneSided(b);
            for (int i = 0; i < n; i++) _t[i] = _weights[i] * _q[i];
        }
    }
}
