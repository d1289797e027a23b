// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Models;

/// <summary>
/// The training loss ℒ(w) = ℓ(H(X; w), y) and its gradient for a network in the feed-forward layout
/// (<see cref="TwoLayerNetwork"/>, <see cref="FeedForwardNetwork"/>, <see cref="SumOfPowersNetwork"/>) on one data
/// set, in double, with every layer stored feature-major (k_l × S: neuron j's values on S samples in one row) so that
/// both products of backpropagation run in the register-tiled SIMD kernels of <see cref="FeatureMajorKernels"/>:
/// <code>
///   Z_l = W_l A_{l−1},  A_l = σ(Z_l),  D_l = σ′(Z_l),  h = W_L A_{L−1}           (forward, A₀ = Xᵀ)
///   cᵢ = ∂ℓ/∂hᵢ,  ∇W_l += G_l A_{l−1}ᵀ,  G_{l−1} = (W_lᵀ G_l) ⊙ D_{l−1},  G_L = cᵀ   (backward)
/// </code>
/// Forward and backward are fused per chunk of S samples (all samples when they fit): a chunk's intermediates stay
/// in cache between its forward and backward pass, and the gradient accumulates over the chunks in order. The
/// per-sample loss derivative comes from <see cref="ILoss.Derivative"/> (the values <see cref="ILoss.Evaluate"/>
/// writes) and the loss value from <see cref="ILoss.Evaluate"/> on all outputs, so both equal the reference's.
/// The samples are padded with zero samples (zero inputs, zero cotangent) to a multiple of
/// <see cref="FeatureMajorKernels.SampleMultiple"/>. When one evaluation is large (<see cref="SplitWork"/>), the
/// samples are split into two fixed halves computed in parallel (<see cref="TwoWaySplit"/>) whose gradients are
/// added in a fixed order. Every summation order is fixed by the shapes alone, so results do not depend on the
/// number of threads; they equal the networks' generic loops (the reference) up to rounding.
/// This is the fast path of <see cref="LossObjective{T}"/> for double. Binds the data once; an evaluation allocates
/// nothing. Not thread-safe.
/// </summary>
internal sealed class FeatureMajorNetwork
{
    /// <summary>Floating-point operations of one evaluation (≈ 6nP) from which the samples are split in two halves.</summary>
    internal const double SplitWork = 4e6;

    /// <summary>Doubles of intermediates per chunk of samples (768 kB, inside the second-level cache).</summary>
    private const int ChunkBudget = 96 * 1024;

    private readonly HomogeneousNetwork _network;
    private readonly IReadOnlyList<LayerBlock> _blocks;
    private readonly int[] _widths;          // k₀ = d, k₁ … k_{L−1}
    private readonly double[] _inputs;       // d × n̄
    private readonly double[] _labels;
    private readonly double[] _outputs;      // n̄
    private readonly double[] _ones;
    private readonly double[] _w;
    private readonly Part[] _parts;
    private readonly TwoWaySplit? _split;
    private ILoss? _loss;
    private bool _backward;

    /// <summary>Binds a network to a data set.</summary>
    /// <param name="network">A network in the feed-forward layout (see <see cref="Supports"/>).</param>
    /// <param name="data">The data; its d must equal the network's (checked by the caller).</param>
    internal FeatureMajorNetwork(HomogeneousNetwork network, DataSet<double> data)
    {
        _network = network;
        _blocks = network.Layout.Blocks;
        int n = data.Count, d = network.InputDimension;
        SampleCount = n;
        int padded = FeatureMajorKernels.Padded(n);
        Leading = padded;
        IReadOnlyList<int> hidden = network.HiddenWidths;
        _widths = [d, .. hidden];
        _inputs = new double[d * padded];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++) _inputs[a * padded + i] = data.X[i * d + a];
        _labels = data.Y.ToArray();
        _outputs = new double[padded];
        int widest = hidden.Max();
        _ones = new double[widest];
        Array.Fill(_ones, 1.0);
        _w = new double[network.ParameterCount];

        bool split = 6.0 * n * network.ParameterCount >= SplitWork && padded >= 2 * FeatureMajorKernels.SampleMultiple;
        int half = FeatureMajorKernels.Padded(padded / 2);
        split &= half < padded;
        int perSample = 3 * hidden.Sum() + 2 * widest + 1;
        int chunk = Math.Max(FeatureMajorKernels.SampleMultiple, ChunkBudget / perSample / FeatureMajorKernels.SampleMultiple * FeatureMajorKernels.SampleMultiple);
        _parts = split
            ? [new Part(this, 0, half, chunk), new Part(this, half, padded - half, chunk)]
            : [new Part(this, 0, padded, chunk)];
        ChunkSize = _parts[0].Chunk;
        if (split) _split = new TwoWaySplit(RunPart);
    }

    /// <summary>Whether the network is one this class evaluates (the feed-forward layout: two-layer, deep, sum of powers).</summary>
    /// <param name="network">The network.</param>
    /// <returns>True for <see cref="TwoLayerNetwork"/>, <see cref="FeedForwardNetwork"/> and <see cref="SumOfPowersNetwork"/>.</returns>
    internal static bool Supports(HomogeneousNetwork network) =>
        network is TwoLayerNetwork or FeedForwardNetwork or SumOfPowersNetwork;

    /// <summary>n.</summary>
    internal int SampleCount { get; }

    /// <summary>n̄, the padded sample count (the distance between rows of the inputs).</summary>
    internal int Leading { get; }

    /// <summary>Samples per chunk (the first part's).</summary>
    internal int ChunkSize { get; }

    /// <summary>Whether the samples are split in two halves.</summary>
    internal bool IsSplit => _split is not null;

    /// <summary>H(X; w).</summary>
    /// <param name="w">Weights (validated by the caller).</param>
    /// <returns>The n outputs (valid until the next call).</returns>
    internal ReadOnlySpan<double> Forward(ReadOnlySpan<double> w)
    {
        w.CopyTo(_w);
        _backward = false;
        Run();
        return _outputs.AsSpan(0, SampleCount);
    }

    /// <summary>ℒ(w) and ∇ℒ(w) for the loss ℓ; the outputs H(X; w) are left in <paramref name="outputs"/>.</summary>
    /// <param name="w">Weights (validated by the caller).</param>
    /// <param name="loss">ℓ.</param>
    /// <param name="outputs">Receives H(X; w), length n.</param>
    /// <param name="gradient">Receives ∇ℒ(w), length P.</param>
    /// <returns>ℒ(w), by <see cref="ILoss.Evaluate"/> on all outputs.</returns>
    internal double ValueAndGradient(ReadOnlySpan<double> w, ILoss loss, Span<double> outputs, Span<double> gradient)
    {
        w.CopyTo(_w);
        _loss = loss;
        _backward = true;
        Run();
        double[] total = _parts[0].Gradient;
        if (_split is not null)
        {
            // A fixed order whatever the threads: gradient = half 0 + half 1.
            double[] second = _parts[1].Gradient;
            for (int k = 0; k < total.Length; k++) total[k] += second[k];
        }
        total.CopyTo(gradient);
        ReadOnlySpan<double> h = _outputs.AsSpan(0, SampleCount);
        h.CopyTo(outputs);
        return loss.Evaluate<double>(h, _labels, Span<double>.Empty);
    }

    private void Run()
    {
        if (_split is null) RunPart(0);
        else _split.Run();
    }

    private void RunPart(int index)
    {
        Part part = _parts[index];
        for (int s = 0; s < part.Count; s += part.Chunk)
        {
            int length = Math.Min(part.Chunk, part.Count - s);
            int start = part.Start + s;
            ForwardChunk(part, start, length);
            if (_backward) BackwardChunk(part, start, length, first: s == 0);
        }
    }

    private void ForwardChunk(Part part, int start, int length)
    {
        int ld = part.Chunk;
        ReadOnlySpan<double> w = _w;
        ReadOnlySpan<double> input = _inputs.AsSpan(start);
        int lda = Leading;
        for (int l = 0; l < part.Activations.Length; l++)
        {
            LayerBlock b = _blocks[l];
            double[] z = part.SignalA;
            FeatureMajorKernels.CombineRows(w.Slice(b.Offset, b.Count), b.Columns, 1, b.Rows, b.Columns, input, lda, z, ld, length, accumulate: false);
            for (int j = 0; j < b.Rows; j++)
                _network.Activation.Evaluate<double>(z.AsSpan(j * ld, length), part.Activations[l].AsSpan(j * ld, length), part.Derivatives[l].AsSpan(j * ld, length));
            input = part.Activations[l];
            lda = ld;
        }
        int last = _widths[^1];
        Span<double> h = _outputs.AsSpan(start);
        if (_network.Layout.FixedReadout)
            FeatureMajorKernels.CombineRows(_ones, last, 1, 1, last, input, lda, h, 0, length, accumulate: false);
        else
        {
            LayerBlock output = _blocks[^1];
            FeatureMajorKernels.CombineRows(w.Slice(output.Offset, output.Count), output.Columns, 1, 1, output.Columns, input, lda, h, 0, length, accumulate: false);
        }
    }

    private void BackwardChunk(Part part, int start, int length, bool first)
    {
        int ld = part.Chunk;
        ReadOnlySpan<double> w = _w;
        int hidden = part.Activations.Length;

        // cᵢ = ∂ℓ/∂hᵢ for the chunk's real samples; the padding keeps c = 0.
        int real = Math.Clamp(SampleCount - start, 0, length);
        double[] signal = part.Cotangent;
        if (real > 0) _loss!.Derivative<double>(_outputs.AsSpan(start, real), _labels.AsSpan(start, real), signal.AsSpan(0, real), SampleCount);
        signal.AsSpan(real, length - real).Clear();

        double[] next = part.SignalA, spare = part.SignalB;
        for (int l = hidden; l >= 0; l--)
        {
            // Block l maps layer l (A_l; A₀ = Xᵀ) to layer l + 1; G is the signal at its output.
            ReadOnlySpan<double> input = l == 0 ? _inputs.AsSpan(start) : part.Activations[l - 1];
            int lda = l == 0 ? Leading : ld;
            int rows = l == hidden ? 1 : _widths[l + 1];
            bool hasBlock = l < _blocks.Count;
            if (hasBlock)
            {
                LayerBlock b = _blocks[l];
                FeatureMajorKernels.InnerProducts(signal, b.Rows, ld, input, b.Columns, lda, length, part.Gradient.AsSpan(b.Offset, b.Count), b.Columns, accumulate: !first);
            }
            if (l == 0) break;

            // G_{l−1} = (W_lᵀ G_l) ⊙ σ′(Z_{l−1}); a fixed readout is a row of ones.
            int width = _widths[l];
            if (hasBlock)
            {
                LayerBlock b = _blocks[l];
                FeatureMajorKernels.CombineRows(w.Slice(b.Offset, b.Count), 1, b.Columns, width, rows, signal, ld, next, ld, length, accumulate: false);
            }
            else
                FeatureMajorKernels.CombineRows(_ones, 1, 0, width, 1, signal, ld, next, ld, length, accumulate: false);
            double[] derivative = part.Derivatives[l - 1];
            for (int j = 0; j < width; j++)
                FeatureMajorKernels.MultiplyInPlace(next.AsSpan(j * ld, length), derivative.AsSpan(j * ld, length), length);
            signal = next;
            (next, spare) = (spare, next);
        }
    }

    /// <summary>A fixed range of the padded samples, its chunk buffers and its gradient.</summary>
    private sealed class Part
    {
        internal Part(FeatureMajorNetwork owner, int start, int count, int chunk)
        {
            Start = start;
            Count = count;
            Chunk = Math.Min(chunk, count);
            IReadOnlyList<int> hidden = owner._network.HiddenWidths;
            int widest = hidden.Max();
            Activations = new double[hidden.Count][];
            Derivatives = new double[hidden.Count][];
            for (int l = 0; l < hidden.Count; l++)
            {
                Activations[l] = new double[hidden[l] * Chunk];
                Derivatives[l] = new double[hidden[l] * Chunk];
            }
            SignalA = new double[widest * Chunk];
            SignalB = new double[widest * Chunk];
            Cotangent = new double[Chunk];
            Gradient = new double[owner._network.ParameterCount];
        }

        internal int Start { get; }

        internal int Count { get; }

        internal int Chunk { get; }

        internal double[][] Activations { get; }

        internal double[][] Derivatives { get; }

        internal double[] SignalA { get; }

        internal double[] SignalB { get; }

        internal double[] Cotangent { get; }

        internal double[] Gradient { get; }
    }
}
