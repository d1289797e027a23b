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
/// <para>Where the machine has 512-bit vectors, the hot loops run on <see cref="WideFeatureMajorKernels"/>, which give
/// the same bits as the <see cref="Vector{T}"/> loops here (the reference).</para>
/// <para>Inputs are validated once, at construction; the passes allocate nothing. Not thread-safe.</para>
/// </summary>
public sealed class FeatureMajorEvaluator
{
    private readonly double[] _inputs;       // d × n
    private readonly double[]? _inputPairs;  // the inputs' rows interleaved for the wide gradient kernel, or null
    private readonly bool _wide;              // whether the passes use WideFeatureMajorKernels (the same bits)
    private readonly double[][] _activations; // per hidden layer, k_l × n
    private readonly double[][] _derivatives; // per hidden layer, k_l × n
    private readonly double[] _signalA;
    private readonly double[] _signalB;
    private readonly double[] _outputs;

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
        _inputs = new double[d * n];
        _wide = wide && WideFeatureMajorKernels.IsSupported;
        if (_wide) _inputPairs = new double[WideFeatureMajorKernels.InterleavedLength(d, n)];
        Store(x);
        IReadOnlyList<int> widths = network.HiddenWidths;
        _activations = new double[widths.Count][];
        _derivatives = new double[widths.Count][];
        int widest = 1;
        for (int l = 0; l < widths.Count; l++)
        {
            _activations[l] = new double[widths[l] * n];
            _derivatives[l] = new double[widths[l] * n];
            widest = Math.Max(widest, widths[l]);
        }
        _signalA = new double[widest * n];
        _signalB = new double[widest * n];
        _outputs = new double[n];
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
        DenseKernels.Transpose(x, _inputs, SampleCount, d);
        if (_inputPairs is not null) WideFeatureMajorKernels.Interleave(_inputs, d, SampleCount, _inputPairs);
    }

    /// <summary>The network.</summary>
    public FeedForwardNetwork Network { get; }

    /// <summary>Number of samples n.</summary>
    public int SampleCount { get; }

    /// <summary>The outputs H(xᵢ; w) of the last <see cref="Forward"/>.</summary>
    public ReadOnlySpan<double> Outputs => _outputs;

    /// <summary>Post-activations of layer l (h₀ = X), feature-major k_l × n, from the last <see cref="Forward"/>.</summary>
    /// <param name="layer">l, from 0 (the inputs) to L − 1.</param>
    /// <returns>The k_l × n block.</returns>
    public ReadOnlySpan<double> PostActivations(int layer) => layer == 0 ? _inputs : _activations[layer - 1];

    /// <summary>H(X; w) into <see cref="Outputs"/>, keeping the intermediates for <see cref="Backward"/>.</summary>
    /// <param name="w">Weights in the network's layout (not validated).</param>
    public void Forward(ReadOnlySpan<double> w)
    {
        int n = SampleCount;
        IReadOnlyList<LayerBlock> blocks = Network.Layout.Blocks;
        ReadOnlySpan<double> input = _inputs;
        int hidden = _activations.Length;
        for (int l = 0; l < hidden; l++)
        {
            LayerBlock b = blocks[l];
            Span<double> z = _signalA.AsSpan(0, b.Rows * n);
            if (_wide)
                WideFeatureMajorKernels.CombineRowsActivate(w.Slice(b.Offset, b.Count), b.Rows, b.Columns, input, z, n, Network.Activation,
                    _activations[l], _derivatives[l]);
            else
            {
                CombineRows(w.Slice(b.Offset, b.Count), b.Rows, b.Columns, input, z, n);
                Network.Activation.Evaluate<double>(z, _activations[l], _derivatives[l]);
            }
            input = _activations[l];
        }
        LayerBlock output = blocks[hidden];
        if (_wide) WideFeatureMajorKernels.CombineRows(w.Slice(output.Offset, output.Count), 1, output.Columns, input, _outputs, n);
        else CombineRows(w.Slice(output.Offset, output.Count), 1, output.Columns, input, _outputs, n);
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
        double[] next = _signalA, spare = _signalB;
        for (int l = blocks.Count - 1; l >= 0; l--)
        {
            LayerBlock b = blocks[l];
            ReadOnlySpan<double> input = l == 0 ? _inputs : _activations[l - 1];
            // ∇W_l[j, k] = ⟨G_l[j, ·], A_{l−1}[k, ·]⟩.
            Span<double> g = gradient.Slice(b.Offset, b.Count);
            if (l == 0 && _inputPairs is not null)
            {
                // The first layer's inputs are constant: their interleaved copy feeds the wide kernel (the same bits).
                WideFeatureMajorKernels.Gradient(signal, b.Rows, input, _inputPairs, b.Columns, g, n);
                int paired = WideFeatureMajorKernels.PairedColumns(b.Columns);
                for (int r = 0; r < b.Rows; r++)
                    DenseKernels.DotRows(signal.Slice(r * n, n), input[(paired * n)..], g.Slice(r * b.Columns + paired, b.Columns - paired));
                break;
            }
            int j = 0;
            // Two rows of G at a time: one load of A's rows per two products (the same sums, in the same order).
            for (; j + 1 < b.Rows; j += 2)
            {
                ReadOnlySpan<double> g0 = signal.Slice(j * n, n), g1 = signal.Slice((j + 1) * n, n);
                int k = 0;
                for (; k + 3 < b.Columns; k += 4)
                    DotFourTwice(g0, g1, input.Slice(k * n, 4 * n), g.Slice(j * b.Columns + k, 4), g.Slice((j + 1) * b.Columns + k, 4), n);
                DenseKernels.DotRows(g0, input[(k * n)..], g.Slice(j * b.Columns + k, b.Columns - k));
                DenseKernels.DotRows(g1, input[(k * n)..], g.Slice((j + 1) * b.Columns + k, b.Columns - k));
            }
            for (; j < b.Rows; j++)
            {
                ReadOnlySpan<double> gj = signal.Slice(j * n, n);
                int k = 0;
                for (; k + 3 < b.Columns; k += 4) DotFour(gj, input.Slice(k * n, 4 * n), g.Slice(j * b.Columns + k, 4), n);
                DenseKernels.DotRows(gj, input[(k * n)..], g.Slice(j * b.Columns + k, b.Columns - k));
            }
            if (l == 0) break;
            // G_{l−1} = (W_lᵀ G_l) ⊙ σ′(Z_{l−1}).
            Span<double> previous = next.AsSpan(0, b.Columns * n);
            if (_wide)
                WideFeatureMajorKernels.CombineRowsTransposedTimes(w.Slice(b.Offset, b.Count), b.Rows, b.Columns, signal, _derivatives[l - 1], previous, n);
            else
            {
                CombineRowsTransposed(w.Slice(b.Offset, b.Count), b.Rows, b.Columns, signal, previous, n);
                Multiply(previous, _derivatives[l - 1]);
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
        double[] current = _signalA, spare = _signalB;
        current.AsSpan(0, n).Fill(1.0);
        for (int m = layers; m > hiddenLayer + 1; m--)
        {
            LayerBlock b = blocks[m - 1];
            Span<double> previous = spare.AsSpan(0, b.Columns * n);
            CombineRowsTransposed(w.Slice(b.Offset, b.Count), b.Rows, b.Columns, current.AsSpan(0, b.Rows * n), previous, n);
            Multiply(previous, _derivatives[m - 2]);
            (current, spare) = (spare, current);
        }
        int rows = hiddenLayer + 1 == layers ? 1 : blocks[hiddenLayer].Rows;
        current.AsSpan(0, rows * n).CopyTo(sensitivities);
    }

    /// <summary>Z[j, ·] = Σ_k M[j, k]·A[k, ·] for a row-major M (rows × columns) and feature-major A, Z.</summary>
    internal static void CombineRows(ReadOnlySpan<double> m, int rows, int columns, ReadOnlySpan<double> a, Span<double> z, int n)
    {
        int width = Vector<double>.Count;
        int vectorEnd = n - n % width;
        int j = 0;
        // Four rows of Z at a time: one load of A's four rows per sixteen products. Every z[j, i] gets the same sums in
        // the same order as in the one-row loop below, so the result is the same to the bit.
        for (; j + 3 < rows && columns >= 4; j += 4)
        {
            Span<double> z0 = z.Slice(j * n, n), z1 = z.Slice((j + 1) * n, n), z2 = z.Slice((j + 2) * n, n), z3 = z.Slice((j + 3) * n, n);
            Span<Vector<double>> zv0 = MemoryMarshal.Cast<double, Vector<double>>(z0), zv1 = MemoryMarshal.Cast<double, Vector<double>>(z1);
            Span<Vector<double>> zv2 = MemoryMarshal.Cast<double, Vector<double>>(z2), zv3 = MemoryMarshal.Cast<double, Vector<double>>(z3);
            z.Slice(j * n, 4 * n).Clear();
            int k = 0;
            for (; k + 3 < columns; k += 4)
            {
                ReadOnlySpan<Vector<double>> a0 = MemoryMarshal.Cast<double, Vector<double>>(a.Slice(k * n, n));
                ReadOnlySpan<Vector<double>> a1 = MemoryMarshal.Cast<double, Vector<double>>(a.Slice((k + 1) * n, n));
                ReadOnlySpan<Vector<double>> a2 = MemoryMarshal.Cast<double, Vector<double>>(a.Slice((k + 2) * n, n));
                ReadOnlySpan<Vector<double>> a3 = MemoryMarshal.Cast<double, Vector<double>>(a.Slice((k + 3) * n, n));
                int r0 = j * columns + k, r1 = r0 + columns, r2 = r1 + columns, r3 = r2 + columns;
                double c00 = m[r0], c01 = m[r0 + 1], c02 = m[r0 + 2], c03 = m[r0 + 3];
                double c10 = m[r1], c11 = m[r1 + 1], c12 = m[r1 + 2], c13 = m[r1 + 3];
                double c20 = m[r2], c21 = m[r2 + 1], c22 = m[r2 + 2], c23 = m[r2 + 3];
                double c30 = m[r3], c31 = m[r3 + 1], c32 = m[r3 + 2], c33 = m[r3 + 3];
                for (int v = 0; v < zv0.Length; v++)
                {
                    Vector<double> x0 = a0[v], x1 = a1[v], x2 = a2[v], x3 = a3[v];
                    zv0[v] += (x0 * c00 + x1 * c01) + (x2 * c02 + x3 * c03);
                    zv1[v] += (x0 * c10 + x1 * c11) + (x2 * c12 + x3 * c13);
                    zv2[v] += (x0 * c20 + x1 * c21) + (x2 * c22 + x3 * c23);
                    zv3[v] += (x0 * c30 + x1 * c31) + (x2 * c32 + x3 * c33);
                }
                for (int i = vectorEnd; i < n; i++)
                {
                    double x0 = a[k * n + i], x1 = a[(k + 1) * n + i], x2 = a[(k + 2) * n + i], x3 = a[(k + 3) * n + i];
                    z0[i] += (x0 * c00 + x1 * c01) + (x2 * c02 + x3 * c03);
                    z1[i] += (x0 * c10 + x1 * c11) + (x2 * c12 + x3 * c13);
                    z2[i] += (x0 * c20 + x1 * c21) + (x2 * c22 + x3 * c23);
                    z3[i] += (x0 * c30 + x1 * c31) + (x2 * c32 + x3 * c33);
                }
            }
            for (; k < columns; k++)
            {
                DenseKernels.Axpy(m[j * columns + k], a.Slice(k * n, n), z0);
                DenseKernels.Axpy(m[(j + 1) * columns + k], a.Slice(k * n, n), z1);
                DenseKernels.Axpy(m[(j + 2) * columns + k], a.Slice(k * n, n), z2);
                DenseKernels.Axpy(m[(j + 3) * columns + k], a.Slice(k * n, n), z3);
            }
        }
        for (; j < rows; j++)
        {
            ReadOnlySpan<double> mj = m.Slice(j * columns, columns);
            Span<double> zj = z.Slice(j * n, n);
            Span<Vector<double>> zv = MemoryMarshal.Cast<double, Vector<double>>(zj);
            // Four columns at a time: one load and one store of z per four rows of A.
            int k = 0;
            zj.Clear();
            for (; k + 3 < columns; k += 4)
            {
                ReadOnlySpan<Vector<double>> a0 = MemoryMarshal.Cast<double, Vector<double>>(a.Slice(k * n, n));
                ReadOnlySpan<Vector<double>> a1 = MemoryMarshal.Cast<double, Vector<double>>(a.Slice((k + 1) * n, n));
                ReadOnlySpan<Vector<double>> a2 = MemoryMarshal.Cast<double, Vector<double>>(a.Slice((k + 2) * n, n));
                ReadOnlySpan<Vector<double>> a3 = MemoryMarshal.Cast<double, Vector<double>>(a.Slice((k + 3) * n, n));
                double c0 = mj[k], c1 = mj[k + 1], c2 = mj[k + 2], c3 = mj[k + 3];
                for (int v = 0; v < zv.Length; v++)
                    zv[v] += (a0[v] * c0 + a1[v] * c1) + (a2[v] * c2 + a3[v] * c3);
                for (int i = vectorEnd; i < n; i++)
                    zj[i] += (a[k * n + i] * c0 + a[(k + 1) * n + i] * c1) + (a[(k + 2) * n + i] * c2 + a[(k + 3) * n + i] * c3);
            }
            for (; k < columns; k++) DenseKernels.Axpy(mj[k], a.Slice(k * n, n), zj);
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

    /// <summary>r[c] = ⟨g, A[c, ·]⟩ for four consecutive feature-major rows A[0..3, ·]: one load of g per four products.</summary>
    private static void DotFour(ReadOnlySpan<double> g, ReadOnlySpan<double> a, Span<double> r, int n)
    {
        ReadOnlySpan<Vector<double>> gv = MemoryMarshal.Cast<double, Vector<double>>(g);
        ReadOnlySpan<Vector<double>> a0 = MemoryMarshal.Cast<double, Vector<double>>(a[..n]);
        ReadOnlySpan<Vector<double>> a1 = MemoryMarshal.Cast<double, Vector<double>>(a.Slice(n, n));
        ReadOnlySpan<Vector<double>> a2 = MemoryMarshal.Cast<double, Vector<double>>(a.Slice(2 * n, n));
        ReadOnlySpan<Vector<double>> a3 = MemoryMarshal.Cast<double, Vector<double>>(a.Slice(3 * n, n));
        Vector<double> s0 = Vector<double>.Zero, s1 = Vector<double>.Zero, s2 = Vector<double>.Zero, s3 = Vector<double>.Zero;
        for (int v = 0; v < gv.Length; v++)
        {
            Vector<double> x = gv[v];
            s0 += x * a0[v];
            s1 += x * a1[v];
            s2 += x * a2[v];
            s3 += x * a3[v];
        }
        double r0 = Vector.Sum(s0), r1 = Vector.Sum(s1), r2 = Vector.Sum(s2), r3 = Vector.Sum(s3);
        for (int i = gv.Length * Vector<double>.Count; i < n; i++)
        {
            r0 += g[i] * a[i];
            r1 += g[i] * a[n + i];
            r2 += g[i] * a[2 * n + i];
            r3 += g[i] * a[3 * n + i];
        }
        r[0] = r0;
        r[1] = r1;
        r[2] = r2;
        r[3] = r3;
    }

    /// <summary><see cref="DotFour"/> for two rows g, h against the same four rows of A: one load of A per two products,
    /// each sum accumulated in the same order as <see cref="DotFour"/>'s.</summary>
    private static void DotFourTwice(ReadOnlySpan<double> g, ReadOnlySpan<double> h, ReadOnlySpan<double> a, Span<double> r, Span<double> q, int n)
    {
        ReadOnlySpan<Vector<double>> gv = MemoryMarshal.Cast<double, Vector<double>>(g);
        ReadOnlySpan<Vector<double>> hv = MemoryMarshal.Cast<double, Vector<double>>(h);
        ReadOnlySpan<Vector<double>> a0 = MemoryMarshal.Cast<double, Vector<double>>(a[..n]);
        ReadOnlySpan<Vector<double>> a1 = MemoryMarshal.Cast<double, Vector<double>>(a.Slice(n, n));
        ReadOnlySpan<Vector<double>> a2 = MemoryMarshal.Cast<double, Vector<double>>(a.Slice(2 * n, n));
        ReadOnlySpan<Vector<double>> a3 = MemoryMarshal.Cast<double, Vector<double>>(a.Slice(3 * n, n));
        Vector<double> s0 = Vector<double>.Zero, s1 = Vector<double>.Zero, s2 = Vector<double>.Zero, s3 = Vector<double>.Zero;
        Vector<double> t0 = Vector<double>.Zero, t1 = Vector<double>.Zero, t2 = Vector<double>.Zero, t3 = Vector<double>.Zero;
        for (int v = 0; v < gv.Length; v++)
        {
            Vector<double> x = gv[v], y = hv[v], c0 = a0[v], c1 = a1[v], c2 = a2[v], c3 = a3[v];
            s0 += x * c0;
            s1 += x * c1;
            s2 += x * c2;
            s3 += x * c3;
            t0 += y * c0;
            t1 += y * c1;
            t2 += y * c2;
            t3 += y * c3;
        }
        double r0 = Vector.Sum(s0), r1 = Vector.Sum(s1), r2 = Vector.Sum(s2), r3 = Vector.Sum(s3);
        double q0 = Vector.Sum(t0), q1 = Vector.Sum(t1), q2 = Vector.Sum(t2), q3 = Vector.Sum(t3);
        for (int i = gv.Length * Vector<double>.Count; i < n; i++)
        {
            r0 += g[i] * a[i];
            r1 += g[i] * a[n + i];
            r2 += g[i] * a[2 * n + i];
            r3 += g[i] * a[3 * n + i];
            q0 += h[i] * a[i];
            q1 += h[i] * a[n + i];
            q2 += h[i] * a[2 * n + i];
            q3 += h[i] * a[3 * n + i];
        }
        r[0] = r0;
        r[1] = r1;
        r[2] = r2;
        r[3] = r3;
        q[0] = q0;
        q[1] = q1;
        q[2] = q2;
        q[3] = q3;
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
