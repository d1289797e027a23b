// SPDX-License-Identifier: MIT
using System.Numerics;
using System.Runtime.InteropServices;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// Forward and backward passes of a bias-free <see cref="FeedForwardNetwork"/> in double, with every
/// layer stored feature-major (k_l × n: row j holds neuron j's values on all n samples). Each
/// pre-activation row is then a SIMD combination of contiguous rows, and each weight gradient a SIMD inner
/// product of two rows, which is what makes thousands of full-batch GD epochs on a tiny net with n ≈ 1000
/// cheap. The arithmetic is the same as <see cref="HomogeneousNetwork.Forward{T}"/> and
/// <see cref="HomogeneousNetwork.Backward{T}"/> up to summation order. It also provides the candidate
/// features of Neuron Pursuit: the post-activations h_{l−1}(xᵢ) and the output sensitivities
/// J_{l+1}(xᵢ) = ∂H(xᵢ)/∂z_{l+1} (the residual NCF of docs/claims.md (Notation and background); NP-3).
/// <para>Every pre-activation is a chain of fused multiply–adds in column order (<see cref="CombineRows"/>) and every
/// weight gradient the inner product <see cref="DenseKernels.Dot{T}"/>. Where the machine has 512-bit vectors, the hot
/// loops run on <see cref="WideFeatureMajorKernels"/>, which give the same bits as the <see cref="Vector{T}"/> loops here
/// (the reference).</para>
/// <para>Inputs are validated once, at construction; the passes allocate nothing. Not thread-safe.</para>
/// </summary>
public sealed class FeatureMajorEvaluator
{
    // Every buffer starts on a 64-byte boundary (AlignedDoubles), and so does every row when n is a multiple of 8.
    private readonly AlignedDoubles _inputs;       // d × n
    private readonly bool _wide;                    // whether the passes use WideFeatureMajorKernels (the same bits)
    private readonly AlignedDoubles[] _activations; // per hidden layer, k_l × n
    private readonly AlignedDoubles[] _derivatives; // per hidden layer, k_l × n
    private readonly AlignedDoubles _signalA;
    private readonly AlignedDoubles _signalB;
    private readonly AlignedDoubles _outputs;

    /// <summary>Binds a network to inputs X.</summary>
    /// <param name="network">The network (bias-free feed-forward).</param>
    /// <param name="x">X, n × d row-major, finite.</param>
    /// <exception cref="ArgumentException">X's length is not a multiple of d, or X holds NaN/∞.</exception>
    public FeatureMajorEvaluator(FeedForwardNetwork network, ReadOnlySpan<double> x)
        : this(network, x, WideFeatureMajorKernels.IsSupported)
    {
    }

    /// <summary>Binds a network to inputs X, with the 512-bit kernels or the reference <see cref="Vector{T}"/> ones (the
    /// same bits; tests compare them).</summary>
    /// <param name="network">The network (bias-free feed-forward).</param>
    /// <param name="x">X, n × d row-major, finite.</param>
    /// <param name="wide">Whether to use <see cref="WideFeatureMajorKernels"/> (only where they are supported).</param>
    internal FeatureMajorEvaluator(FeedForwardNetwork network, ReadOnlySpan<double> x, bool wide)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
        int d = network.InputDimension;
        int n = network.SampleCountOf(x);
        SampleCount = n;
        _inputs = new AlignedDoubles(d * n);
        _wide = wide && WideFeatureMajorKernels.IsSupported;
        Store(x);
        IReadOnlyList<int> widths = network.HiddenWidths;
        _activations = new AlignedDoubles[widths.Count];
        _derivatives = new AlignedDoubles[widths.Count];
        int widest = 1;
        for (int l = 0; l < widths.Count; l++)
        {
            _activations[l] = new AlignedDoubles(widths[l] * n);
            _derivatives[l] = new AlignedDoubles(widths[l] * n);
            widest = Math.Max(widest, widths[l]);
        }
        _signalA = new AlignedDoubles(widest * n);
        _signalB = new AlignedDoubles(widest * n);
        _outputs = new AlignedDoubles(n);
    }

    /// <summary>Binds the evaluator to other inputs X of the same shape, reusing its storage (as a new evaluator on them
    /// would compute).</summary>
    /// <param name="x">X, n × d row-major, finite, with the n of construction.</param>
    /// <exception cref="ArgumentException">X's shape differs from the one bound at construction, or X holds NaN/∞.</exception>
    public void Load(ReadOnlySpan<double> x)
    {
        if (Network.SampleCountOf(x) != SampleCount)
            throw new ArgumentException($"x: holds {x.Length / Network.InputDimension} samples; this evaluator was made for n = {SampleCount}.", nameof(x));
        Store(x);
    }

    private void Store(ReadOnlySpan<double> x)
    {
        int d = Network.InputDimension;
        DenseKernels.Transpose(x, _inputs.Span, SampleCount, d);
    }

    /// <summary>The network.</summary>
    public FeedForwardNetwork Network { get; }

    /// <summary>Number of samples n.</summary>
    public int SampleCount { get; }

    /// <summary>The outputs H(xᵢ; w) of the last <see cref="Forward"/>.</summary>
    public ReadOnlySpan<double> Outputs => _outputs.Span;

    /// <summary>Post-activations of layer l (h₀ = X), feature-major k_l × n, from the last <see cref="Forward"/>.</summary>
    /// <param name="layer">l, from 0 (the inputs) to L − 1.</param>
    /// <returns>The k_l × n block.</returns>
    public ReadOnlySpan<double> PostActivations(int layer) => layer == 0 ? _inputs.Span : _activations[layer - 1].Span;

    /// <summary>H(X; w) into <see cref="Outputs"/>, keeping the intermediates for <see cref="Backward"/>.</summary>
    /// <param name="w">Weights in the network's layout (not validated).</param>
    public void Forward(ReadOnlySpan<double> w)
    {
        int n = SampleCount;
        IReadOnlyList<LayerBlock> blocks = Network.Layout.Blocks;
        ReadOnlySpan<double> input = _inputs.Span;
        int hidden = _activations.Length;
        for (int l = 0; l < hidden; l++)
        {
            LayerBlock b = blocks[l];
            Span<double> z = _signalA.Span[..(b.Rows * n)];
            if (_wide)
                WideFeatureMajorKernels.CombineRowsActivate(w.Slice(b.Offset, b.Count), b.Rows, b.Columns, input, z, n, Network.Activation,
                    _activations[l].Span, _derivatives[l].Span);
            else
            {
                ReferenceCombineRows(w.Slice(b.Offset, b.Count), b.Rows, b.Columns, input, z, n);
                Network.Activation.Evaluate<double>(z, _activations[l].Span, _derivatives[l].Span);
            }
            input = _activations[l].Span;
        }
        LayerBlock output = blocks[hidden];
        if (_wide) WideFeatureMajorKernels.CombineRows(w.Slice(output.Offset, output.Count), 1, output.Columns, input, _outputs.Span, n);
        else ReferenceCombineRows(w.Slice(output.Offset, output.Count), 1, output.Columns, input, _outputs.Span, n);
    }

    /// <summary>
    /// The gradient Jᵀc = ∇_w Σᵢ cᵢ H(xᵢ; w) from the intermediates of the last <see cref="Forward"/> at the same w.
    /// </summary>
    /// <param name="w">Weights (as passed to <see cref="Forward"/>).</param>
    /// <param name="c">Cotangent, length n.</param>
    /// <param name="gradient">Receives Jᵀc, length P.</param>
    public void Backward(ReadOnlySpan<double> w, ReadOnlySpan<double> c, Span<double> gradient)
    {
        int n = SampleCount;
        IReadOnlyList<LayerBlock> blocks = Network.Layout.Blocks;
        ReadOnlySpan<double> signal = c;
        AlignedDoubles next = _signalA, spare = _signalB;
        for (int l = blocks.Count - 1; l >= 0; l--)
        {
            LayerBlock b = blocks[l];
            ReadOnlySpan<double> input = l == 0 ? _inputs.Span : _activations[l - 1].Span;
            // ∇W_l[j, k] = ⟨G_l[j, ·], A_{l−1}[k, ·]⟩.
            Span<double> g = gradient.Slice(b.Offset, b.Count);
            if (_wide) WideFeatureMajorKernels.Gradient(signal, b.Rows, input, b.Columns, g, n);
            else
                for (int j = 0; j < b.Rows; j++)
                    DenseKernels.DotRows(signal.Slice(j * n, n), input, g.Slice(j * b.Columns, b.Columns));
            if (l == 0) break;
            // G_{l−1} = (W_lᵀ G_l) ⊙ σ′(Z_{l−1}).
            Span<double> previous = next.Span[..(b.Columns * n)];
            if (_wide)
                WideFeatureMajorKernels.CombineRowsTransposedTimes(w.Slice(b.Offset, b.Count), b.Rows, b.Columns, signal, _derivatives[l - 1].Span, previous, n);
            else
            {
                CombineRowsTransposed(w.Slice(b.Offset, b.Count), b.Rows, b.Columns, signal, previous, n);
                Multiply(previous, _derivatives[l - 1].Span);
            }
            signal = previous;
            (next, spare) = (spare, next);
        }
    }

    /// <summary>
    /// The output sensitivities J_{l+1}(xᵢ) = ∂H(xᵢ)/∂z_{l+1} of every sample, feature-major k_{l+1} × n,
    /// from the last <see cref="Forward"/>: the rows of (W_Lᵀ … ) back-propagated with cotangent 1. For the
    /// last hidden layer (l = L − 1) it is the row of ones.
    /// </summary>
    /// <param name="w">Weights (as passed to <see cref="Forward"/>).</param>
    /// <param name="hiddenLayer">l, from 1 to L − 1: the layer a new neuron would join.</param>
    /// <param name="sensitivities">Receives k_{l+1} × n values.</param>
    public void OutputSensitivities(ReadOnlySpan<double> w, int hiddenLayer, Span<double> sensitivities)
    {
        int n = SampleCount;
        IReadOnlyList<LayerBlock> blocks = Network.Layout.Blocks;
        int layers = blocks.Count;
        if (hiddenLayer < 1 || hiddenLayer > layers - 1)
            throw new ArgumentOutOfRangeException(nameof(hiddenLayer), hiddenLayer, $"hiddenLayer: must lie in 1..{layers - 1}.");
        // G_L = 1; G_{m−1} = (W_mᵀ G_m) ⊙ σ′(Z_{m−1}), down to m − 1 = l + 1.
        AlignedDoubles current = _signalA, spare = _signalB;
        current.Span[..n].Fill(1.0);
        for (int m = layers; m > hiddenLayer + 1; m--)
        {
            LayerBlock b = blocks[m - 1];
            Span<double> previous = spare.Span[..(b.Columns * n)];
            CombineRowsTransposed(w.Slice(b.Offset, b.Count), b.Rows, b.Columns, current.Span[..(b.Rows * n)], previous, n);
            Multiply(previous, _derivatives[m - 2].Span);
            (current, spare) = (spare, current);
        }
        int rows = hiddenLayer + 1 == layers ? 1 : blocks[hiddenLayer].Rows;
        current.Span[..(rows * n)].CopyTo(sensitivities);
    }

    /// <summary>
    /// Z[j, ·] = Σ_k M[j, k]·A[k, ·] for a row-major M (rows × columns) and feature-major A, Z, each element the chain
    /// z = 0, z = fma(M[j, k], A[k, i], z) for k in order (<see cref="ReferenceCombineRows"/>), on
    /// <see cref="WideFeatureMajorKernels"/> where they are supported (the same bits).
    /// </summary>
    internal static void CombineRows(ReadOnlySpan<double> m, int rows, int columns, ReadOnlySpan<double> a, Span<double> z, int n)
    {
        if (WideFeatureMajorKernels.IsSupported) WideFeatureMajorKernels.CombineRows(m, rows, columns, a, z, n);
        else ReferenceCombineRows(m, rows, columns, a, z, n);
    }

    /// <summary>
    /// <see cref="CombineRows"/> on <see cref="Vector{T}"/>: for each row, blocks of four vectors of samples, each
    /// element's chain z = fma(M[j, k], A[k, i], z) kept in a register over all columns (four independent chains), then
    /// single vectors, then the samples after the last full vector one by one.
    /// </summary>
    internal static void ReferenceCombineRows(ReadOnlySpan<double> m, int rows, int columns, ReadOnlySpan<double> a, Span<double> z, int n)
    {
        int lanes = Vector<double>.Count, vectorEnd = n - n % lanes, blockEnd = n - n % (4 * lanes);
        for (int j = 0; j < rows; j++)
        {
            ReadOnlySpan<double> mj = m.Slice(j * columns, columns);
            Span<double> zj = z.Slice(j * n, n);
            int i = 0;
            for (; i < blockEnd; i += 4 * lanes)
            {
                Vector<double> s0 = Vector<double>.Zero, s1 = Vector<double>.Zero, s2 = Vector<double>.Zero, s3 = Vector<double>.Zero;
                for (int k = 0; k < columns; k++)
                {
                    var c = new Vector<double>(mj[k]);
                    ReadOnlySpan<double> ak = a.Slice(k * n + i, 4 * lanes);
                    s0 = Vector.FusedMultiplyAdd(c, new Vector<double>(ak), s0);
                    s1 = Vector.FusedMultiplyAdd(c, new Vector<double>(ak[lanes..]), s1);
                    s2 = Vector.FusedMultiplyAdd(c, new Vector<double>(ak[(2 * lanes)..]), s2);
                    s3 = Vector.FusedMultiplyAdd(c, new Vector<double>(ak[(3 * lanes)..]), s3);
                }
                s0.CopyTo(zj[i..]);
                s1.CopyTo(zj[(i + lanes)..]);
                s2.CopyTo(zj[(i + 2 * lanes)..]);
                s3.CopyTo(zj[(i + 3 * lanes)..]);
            }
            for (; i < vectorEnd; i += lanes)
            {
                Vector<double> s = Vector<double>.Zero;
                for (int k = 0; k < columns; k++) s = Vector.FusedMultiplyAdd(new Vector<double>(mj[k]), new Vector<double>(a.Slice(k * n + i, lanes)), s);
                s.CopyTo(zj[i..]);
            }
            for (; i < n; i++)
            {
                double s = 0.0;
                for (int k = 0; k < columns; k++) s = Math.FusedMultiplyAdd(mj[k], a[k * n + i], s);
                zj[i] = s;
            }
        }
    }

    /// <summary>P[k, ·] = Σ_j M[j, k]·G[j, ·] for a row-major M (rows × columns) and feature-major G, P.</summary>
    internal static void CombineRowsTransposed(ReadOnlySpan<double> m, int rows, int columns, ReadOnlySpan<double> g, Span<double> p, int n)
    {
        for (int k = 0; k < columns; k++)
        {
            Span<double> pk = p.Slice(k * n, n);
            pk.Clear();
            for (int j = 0; j < rows; j++) DenseKernels.Axpy(m[j * columns + k], g.Slice(j * n, n), pk);
        }
    }

    /// <summary>x ← x ⊙ y.</summary>
    internal static void Multiply(Span<double> x, ReadOnlySpan<double> y)
    {
        Span<Vector<double>> xv = MemoryMarshal.Cast<double, Vector<double>>(x);
        ReadOnlySpan<Vector<double>> yv = MemoryMarshal.Cast<double, Vector<double>>(y[..x.Length]);
        for (int v = 0; v < xv.Length; v++) xv[v] *= yv[v];
        for (int i = xv.Length * Vector<double>.Count; i < x.Length; i++) x[i] *= y[i];
    }
}
