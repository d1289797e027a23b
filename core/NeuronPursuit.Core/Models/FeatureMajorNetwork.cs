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
/// number of threads; they equal the networks' generic loops (the reference) up to rounding. The loss gradient of a
/// two-layer network with a polynomial leaky ReLU runs instead the fused kernel of <see cref="TwoLayerFusedKernel"/>
/// on blocks of each part of the samples, which writes nothing of size m × n (the same bits as these passes whenever
/// both run one chunk).
/// This is the fast path of <see cref="LossObjective{T}"/> for double. Binds the data once; an evaluation allocates
/// nothing. Not thread-safe.
/// </summary>
internal sealed class FeatureMajorNetwork
{
    /// <summary>Floating-point operations of one evaluation (<see cref="EvaluationWork"/>) from which the samples are split
    /// in two halves.</summary>
    internal const double SplitWork = 4e6;

    /// <summary>Floating-point operations of one loss and gradient of a network with P weights on n samples, ≈ 6nP
    /// (forward 2nP, backward 4nP): the estimate by which evaluations decide whether a second thread pays.</summary>
    /// <param name="n">Samples.</param>
    /// <param name="parameterCount">P.</param>
    /// <returns>6nP.</returns>
    internal static double EvaluationWork(int n, int parameterCount) => 6.0 * n * parameterCount;

    /// <summary>Doubles of intermediates per chunk of samples (768 kB, inside the second-level cache).</summary>
    private const int ChunkBudget = 96 * 1024;

    /// <summary>The fewest samples per chunk, whatever <see cref="ChunkBudget"/> allows: every chunk streams all the
    /// weights twice (forward and backward), so a wide layer whose weights leave the caches must serve enough samples per
    /// pass. Measured on one core (bench/RESULTS.md, "Chunks of at least 64 samples" and "… 128 samples"): a three-layer
    /// network of widths (1000, 1000), whose budget gave chunks of 8 samples, 19 % of the FMA peak with those and 44–45 %
    /// with 64; with today's kernels (d = 20, alternating runs) 128 beats 64 on every shape it changes: widths (1000, 1000)
    /// at n = 1000 85–87 against 91–98 ms, widths (200, 200) at n = 1000 3.3–3.4 against 3.7–5.2 ms and at n = 10⁴ 31.7–32.9
    /// against 35.9–36.8 ms; 256 lost again at widths (1000, 1000).</summary>
    private const int MinimumChunk = 128;

    private readonly HomogeneousNetwork _network;
    private readonly IReadOnlyList<LayerBlock> _blocks;
    private readonly int[] _widths;          // k₀ = d, k₁ … k_{L−1}
    private readonly AlignedDoubles _inputs; // d × n̄ (every buffer of the passes starts on a 64-byte boundary)
    private readonly double[] _labels;
    private readonly AlignedDoubles _outputs; // n̄
    private readonly double[] _ones;
    private readonly double[] _w;
    private readonly Part[] _parts;
    private readonly TwoWaySplit? _split;
    private readonly PolynomialLeakyRelu? _relu;
    private readonly FusedTwoLayer? _fused;
    private ILoss? _loss;
    private bool _backward;

    /// <summary>Binds a network to a data set.</summary>
    /// <param name="network">A network in the feed-forward layout (see <see cref="Supports"/>).</param>
    /// <param name="data">The data; its d must equal the network's (checked by the caller).</param>
    /// <param name="fuse">Whether a two-layer network with a polynomial leaky ReLU in <see cref="FusedTwoLayer.Fits"/> runs
    /// the fused loss gradient of <see cref="TwoLayerFusedKernel"/> (false: the layer-by-layer passes, for tests).</param>
    /// <param name="keepPreActivations">Whether the fused kernel keeps z of a block of samples from its outputs pass for its
    /// gradient pass (false: z is computed again, for tests).</param>
    /// <param name="fusedBlock">Samples per block of the fused kernel, a multiple of
    /// <see cref="FeatureMajorKernels.SampleMultiple"/> (0: from its budgets; others for tests).</param>
    internal FeatureMajorNetwork(HomogeneousNetwork network, DataSet<double> data, bool fuse = true, bool keepPreActivations = true, int fusedBlock = 0)
    {
        _network = network;
        _blocks = network.Layout.Blocks;
        int n = data.Count, d = network.InputDimension;
        SampleCount = n;
        int padded = FeatureMajorKernels.Padded(n);
        Leading = padded;
        IReadOnlyList<int> hidden = network.HiddenWidths;
        _widths = [d, .. hidden];
        _inputs = new AlignedDoubles(d * padded);
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++) _inputs[a * padded + i] = data.X[i * d + a];
        _labels = data.Y.ToArray();
        _outputs = new AlignedDoubles(padded);
        int widest = hidden.Max();
        _ones = new double[widest];
        Array.Fill(_ones, 1.0);
        _w = new double[network.ParameterCount];
        _relu = network.Activation as PolynomialLeakyRelu;

        bool split = EvaluationWork(n, network.ParameterCount) >= SplitWork && padded >= 2 * FeatureMajorKernels.SampleMultiple;
        int half = FeatureMajorKernels.Padded(padded / 2);
        split &= half < padded;
        int perSample = 3 * hidden.Sum() + 2 * widest + 1;
        int chunk = Math.Max(MinimumChunk, ChunkBudget / perSample / FeatureMajorKernels.SampleMultiple * FeatureMajorKernels.SampleMultiple);
        _parts = split
            ? [new Part(this, 0, half, chunk), new Part(this, half, padded - half, chunk)]
            : [new Part(this, 0, padded, chunk)];
        ChunkSize = _parts[0].Chunk;
        if (split) _split = new TwoWaySplit(RunPart);
        if (fuse && network is TwoLayerNetwork twoLayer && _relu is not null && FusedTwoLayer.Fits(n, twoLayer.Width, d))
            _fused = new FusedTwoLayer(twoLayer, _parts.Select(p => p.Count).Max(), keepPreActivations, fusedBlock);
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

    /// <summary>Whether the loss gradient runs the fused two-layer kernel.</summary>
    internal bool IsFused => _fused is not null;

    /// <summary>Whether the fused kernel's gradient pass reads z kept by its outputs pass.</summary>
    internal bool KeepsPreActivations => _fused is { KeepsPreActivations: true };

    /// <summary>Samples per block of the fused kernel (0 when it does not run).</summary>
    internal int FusedBlock => _fused?.Block ?? 0;

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
        _fused?.Bind(w);
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
        if (_backward && _fused is not null)
        {
            _fused.Run(this, part, index);
            return;
        }
        for (int s = 0; s < part.Count; s += part.Chunk)
        {
            int length = Math.Min(part.Chunk, part.Count - s);
            int start = part.Start + s;
            ForwardChunk(part, start, length);
            if (_backward) BackwardChunk(part, start, length, first: s == 0);
        }
    }

    private void ForwardChunk(Part part, int start, int length, AlignedDoubles[]? keepPreActivations = null)
    {
        int ld = part.Chunk;
        ReadOnlySpan<double> w = _w;
        ReadOnlySpan<double> input = _inputs.AsSpan(start);
        int lda = Leading;
        int hidden = part.Activations.Length;
        for (int l = 0; l < hidden; l++)
        {
            LayerBlock b = _blocks[l];
            AlignedDoubles z = part.SignalA;
            if (_relu is not null)
            {
                // σ, σ′ and, after the last hidden layer, the readout h = c·A_{L−1}, from each tile of Z while it is in cache.
                bool readout = l == hidden - 1;
                ReadOnlySpan<double> c = readout ? (_network.Layout.FixedReadout ? _ones : _w) : default;
                int offset = readout && !_network.Layout.FixedReadout ? _blocks[^1].Offset : 0;
                FeatureMajorKernels.CombineRowsActivated(w.Slice(b.Offset, b.Count), b.Columns, 1, b.Rows, b.Columns, input, lda, z, ld, length,
                    _relu.Alpha, _relu.Power, part.Activations[l], part.Derivatives[l], c, offset, readout ? _outputs.Span : Span<double>.Empty, start);
            }
            else
            {
                FeatureMajorKernels.CombineRows(w.Slice(b.Offset, b.Count), b.Columns, 1, b.Rows, b.Columns, input, lda, z, ld, length, accumulate: false);
                for (int j = 0; j < b.Rows; j++)
                    _network.Activation.Evaluate<double>(z.AsSpan(j * ld, length), part.Activations[l].AsSpan(j * ld, length), part.Derivatives[l].AsSpan(j * ld, length));
            }
            if (keepPreActivations is not null) z.AsSpan(0, b.Rows * ld).CopyTo(keepPreActivations[l]);
            input = part.Activations[l];
            lda = ld;
        }
        if (_relu is not null) return;
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
        AlignedDoubles signal = part.Cotangent;
        if (real > 0) _loss!.Derivative<double>(_outputs.AsSpan(start, real), _labels.AsSpan(start, real), signal.AsSpan(0, real), SampleCount);
        signal.AsSpan(real, length - real).Clear();

        AlignedDoubles next = part.SignalA, spare = part.SignalB;
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
            AlignedDoubles derivative = part.Derivatives[l - 1];
            if (hasBlock)
            {
                LayerBlock b = _blocks[l];
                FeatureMajorKernels.CombineRowsScaled(w.Slice(b.Offset, b.Count), 1, b.Columns, width, rows, signal, ld, next, ld, length, derivative);
            }
            else
                FeatureMajorKernels.CombineRowsScaled(_ones, 1, 0, width, 1, signal, ld, next, ld, length, derivative);
            signal = next;
            (next, spare) = (spare, next);
        }
    }

    /// <summary>
    /// Hessian–vector products ∇²ℒ(w)·vᵣ for a block of directions, by forward-over-reverse differentiation of the
    /// passes above written out in the same kernels (Pearlmutter 1994): the forward tangents
    /// dZ_l = W_l dA_{l−1} + V_l A_{l−1}, dA_l = D_l ⊙ dZ_l, dh = W_L dA_{L−1} + V_L A_{L−1}, dcᵢ = ℓ″ᵢ dhᵢ, then the
    /// backward tangents d∇W_l = dG_l A_{l−1}ᵀ + G_l dA_{l−1}ᵀ, dG_{l−1} = (W_lᵀ dG_l + V_lᵀ G_l) ⊙ D_{l−1} +
    /// (W_lᵀ G_l) ⊙ σ″(Z_{l−1}) ⊙ dZ_{l−1}. The loss's ℓ′ and ℓ″ come from <see cref="ILoss.Derivative"/> in dual
    /// numbers and σ″ from σ′ in dual numbers. Each direction costs about two gradients; equal to
    /// <see cref="Objectives.HessianVectorProduct{T}"/> (the reference) up to rounding. Runs on the calling thread.
    /// </summary>
    /// <param name="w">Weights (validated by the caller).</param>
    /// <param name="loss">ℓ.</param>
    /// <param name="directions">The directions vᵣ, rows of <paramref name="leading"/> entries (P used).</param>
    /// <param name="count">The number of directions.</param>
    /// <param name="leading">The distance between rows of <paramref name="directions"/> and <paramref name="products"/>.</param>
    /// <param name="products">Receives ∇²ℒ(w)·vᵣ in the same layout (the entries past P are left alone).</param>
    internal void HessianVectorProducts(ReadOnlySpan<double> w, ILoss loss, ReadOnlySpan<double> directions, int count, int leading, Span<double> products)
    {
        w.CopyTo(_w);
        _tangents ??= new TangentBuffers(this, _parts[0].Chunk);
        TangentBuffers tb = _tangents;
        Part part = _parts[0];
        int p = _w.Length;
        for (int r = 0; r < count; r++) products.Slice(r * leading, p).Clear();
        for (int part0 = 0; part0 < _parts.Length; part0++)
        {
            Part range = _parts[part0];
            for (int s = 0; s < range.Count; s += part.Chunk)
            {
                int length = Math.Min(part.Chunk, range.Count - s);
                int start = range.Start + s;
                ForwardChunk(part, start, length, tb.PreActivations);
                SecondOrderChunk(part, tb, loss, start, length);
                for (int r = 0; r < count; r++)
                    TangentChunk(part, tb, directions.Slice(r * leading, p), products.Slice(r * leading, p), start, length);
            }
        }
    }

    /// <summary>The chunk's σ″, ℓ′, ℓ″ and the backward signals G_l and W_lᵀG_l (before ⊙ D) of every layer.</summary>
    private void SecondOrderChunk(Part part, TangentBuffers tb, ILoss loss, int start, int length)
    {
        int ld = part.Chunk;
        ReadOnlySpan<double> w = _w;
        int hidden = part.Activations.Length;
        // σ″ from σ′ in dual numbers at z + ε: the tangent of σ′ (the same one-sided derivatives as the reference).
        for (int l = 0; l < hidden; l++)
        {
            int rows = _widths[l + 1];
            AlignedDoubles z = tb.PreActivations[l];
            for (int j = 0; j < rows; j++)
            {
                for (int i = 0; i < length; i++) tb.DualIn[i] = new Dual<double>(z[j * ld + i], 1.0);
                _network.Activation.Evaluate<Dual<double>>(tb.DualIn.AsSpan(0, length), tb.DualValue.AsSpan(0, length), tb.DualOut.AsSpan(0, length));
                Span<double> second = tb.SecondDerivatives[l].AsSpan(j * ld, length);
                for (int i = 0; i < length; i++) second[i] = tb.DualOut[i].Tangent;
            }
        }
        // ℓ′ᵢ and ℓ″ᵢ from the loss's derivative in dual numbers at h + ε (the loss is separable over samples).
        int real = Math.Clamp(SampleCount - start, 0, length);
        for (int i = 0; i < real; i++)
        {
            tb.DualIn[i] = new Dual<double>(_outputs[start + i], 1.0);
            tb.DualValue[i] = new Dual<double>(_labels[start + i], 0.0);
        }
        if (real > 0) loss.Derivative<Dual<double>>(tb.DualIn.AsSpan(0, real), tb.DualValue.AsSpan(0, real), tb.DualOut.AsSpan(0, real), SampleCount);
        for (int i = 0; i < length; i++)
        {
            tb.Cotangent[i] = i < real ? tb.DualOut[i].Value : 0.0;
            tb.Curvature[i] = i < real ? tb.DualOut[i].Tangent : 0.0;
        }
        // G_L = c; Ĝ_{l−1} = W_lᵀ G_l; G_{l−1} = Ĝ_{l−1} ⊙ D_{l−1}.
        AlignedDoubles signal = tb.Cotangent;
        for (int l = hidden; l >= 1; l--)
        {
            int width = _widths[l], rows = l == hidden ? 1 : _widths[l + 1];
            AlignedDoubles raw = tb.RawSignals[l - 1];
            if (l < _blocks.Count)
            {
                LayerBlock b = _blocks[l];
                FeatureMajorKernels.CombineRows(w.Slice(b.Offset, b.Count), 1, b.Columns, width, rows, signal, ld, raw, ld, length, accumulate: false);
            }
            else FeatureMajorKernels.CombineRows(_ones, 1, 0, width, 1, signal, ld, raw, ld, length, accumulate: false);
            AlignedDoubles g = tb.Signals[l - 1];
            raw.AsSpan(0, width * ld).CopyTo(g);
            for (int j = 0; j < width; j++)
                FeatureMajorKernels.MultiplyInPlace(g.AsSpan(j * ld, length), part.Derivatives[l - 1].AsSpan(j * ld, length), length);
            signal = g;
        }
    }

    /// <summary>One direction v on one chunk: accumulates the chunk's part of ∇²ℒ·v into <paramref name="product"/>.</summary>
    private void TangentChunk(Part part, TangentBuffers tb, ReadOnlySpan<double> v, Span<double> product, int start, int length)
    {
        int ld = part.Chunk;
        ReadOnlySpan<double> w = _w;
        int hidden = part.Activations.Length;
        ReadOnlySpan<double> inputs = _inputs.AsSpan(start);
        // Forward tangents.
        for (int l = 0; l < hidden; l++)
        {
            LayerBlock b = _blocks[l];
            AlignedDoubles dz = tb.TangentPre[l];
            ReadOnlySpan<double> input = l == 0 ? inputs : part.Activations[l - 1];
            int lda = l == 0 ? Leading : ld;
            FeatureMajorKernels.CombineRows(v.Slice(b.Offset, b.Count), b.Columns, 1, b.Rows, b.Columns, input, lda, dz, ld, length, accumulate: false);
            if (l > 0)
                FeatureMajorKernels.CombineRows(w.Slice(b.Offset, b.Count), b.Columns, 1, b.Rows, b.Columns, tb.TangentPost[l - 1], ld, dz, ld, length, accumulate: true);
            AlignedDoubles da = tb.TangentPost[l];
            dz.AsSpan(0, b.Rows * ld).CopyTo(da);
            for (int j = 0; j < b.Rows; j++)
                FeatureMajorKernels.MultiplyInPlace(da.AsSpan(j * ld, length), part.Derivatives[l].AsSpan(j * ld, length), length);
        }
        int last = _widths[^1];
        AlignedDoubles dh = tb.TangentSignalA;
        if (_network.Layout.FixedReadout)
            FeatureMajorKernels.CombineRows(_ones, last, 1, 1, last, tb.TangentPost[hidden - 1], ld, dh, 0, length, accumulate: false);
        else
        {
            LayerBlock output = _blocks[^1];
            FeatureMajorKernels.CombineRows(v.Slice(output.Offset, output.Count), output.Columns, 1, 1, output.Columns, part.Activations[hidden - 1], ld, dh, 0, length, accumulate: false);
            FeatureMajorKernels.CombineRows(w.Slice(output.Offset, output.Count), output.Columns, 1, 1, output.Columns, tb.TangentPost[hidden - 1], ld, dh, 0, length, accumulate: true);
        }
        // dG_L = ℓ″ ⊙ dh.
        FeatureMajorKernels.MultiplyInPlace(dh, tb.Curvature, length);
        AlignedDoubles dSignal = dh, next = tb.TangentSignalB;
        AlignedDoubles signal = tb.Cotangent;
        for (int l = hidden; l >= 0; l--)
        {
            ReadOnlySpan<double> input = l == 0 ? inputs : part.Activations[l - 1];
            int lda = l == 0 ? Leading : ld;
            int rows = l == hidden ? 1 : _widths[l + 1];
            bool hasBlock = l < _blocks.Count;
            if (hasBlock)
            {
                LayerBlock b = _blocks[l];
                Span<double> target = product.Slice(b.Offset, b.Count);
                // d∇W_l += dG_l A_{l−1}ᵀ + G_l dA_{l−1}ᵀ.
                FeatureMajorKernels.InnerProducts(dSignal, b.Rows, ld, input, b.Columns, lda, length, target, b.Columns, accumulate: true);
                if (l > 0) FeatureMajorKernels.InnerProducts(signal, b.Rows, ld, tb.TangentPost[l - 1], b.Columns, ld, length, target, b.Columns, accumulate: true);
            }
            if (l == 0) break;
            // dG_{l−1} = (W_lᵀ dG_l + V_lᵀ G_l) ⊙ D_{l−1} + Ĝ_{l−1} ⊙ σ″(Z_{l−1}) ⊙ dZ_{l−1}.
            int width = _widths[l];
            if (hasBlock)
            {
                LayerBlock b = _blocks[l];
                FeatureMajorKernels.CombineRows(w.Slice(b.Offset, b.Count), 1, b.Columns, width, rows, dSignal, ld, next, ld, length, accumulate: false);
                FeatureMajorKernels.CombineRows(v.Slice(b.Offset, b.Count), 1, b.Columns, width, rows, signal, ld, next, ld, length, accumulate: true);
            }
            else FeatureMajorKernels.CombineRows(_ones, 1, 0, width, 1, dSignal, ld, next, ld, length, accumulate: false);
            AlignedDoubles derivative = part.Derivatives[l - 1], second = tb.SecondDerivatives[l - 1], raw = tb.RawSignals[l - 1], dz = tb.TangentPre[l - 1];
            for (int j = 0; j < width; j++)
            {
                Span<double> row = next.AsSpan(j * ld, length);
                ReadOnlySpan<double> dj = derivative.AsSpan(j * ld, length), sj = second.AsSpan(j * ld, length);
                ReadOnlySpan<double> rj = raw.AsSpan(j * ld, length), zj = dz.AsSpan(j * ld, length);
                for (int i = 0; i < length; i++) row[i] = row[i] * dj[i] + rj[i] * sj[i] * zj[i];
            }
            signal = tb.Signals[l - 1];
            (dSignal, next) = (next, dSignal);
        }
    }

    private TangentBuffers? _tangents;

    /// <summary>The extra chunk buffers of the Hessian–vector products.</summary>
    private sealed class TangentBuffers
    {
        internal TangentBuffers(FeatureMajorNetwork owner, int chunk)
        {
            IReadOnlyList<int> hidden = owner._network.HiddenWidths;
            int widest = hidden.Max();
            PreActivations = new AlignedDoubles[hidden.Count];
            SecondDerivatives = new AlignedDoubles[hidden.Count];
            RawSignals = new AlignedDoubles[hidden.Count];
            Signals = new AlignedDoubles[hidden.Count];
            TangentPre = new AlignedDoubles[hidden.Count];
            TangentPost = new AlignedDoubles[hidden.Count];
            for (int l = 0; l < hidden.Count; l++)
            {
                PreActivations[l] = new AlignedDoubles(hidden[l] * chunk);
                SecondDerivatives[l] = new AlignedDoubles(hidden[l] * chunk);
                RawSignals[l] = new AlignedDoubles(hidden[l] * chunk);
                Signals[l] = new AlignedDoubles(hidden[l] * chunk);
                TangentPre[l] = new AlignedDoubles(hidden[l] * chunk);
                TangentPost[l] = new AlignedDoubles(hidden[l] * chunk);
            }
            TangentSignalA = new AlignedDoubles(widest * chunk);
            TangentSignalB = new AlignedDoubles(widest * chunk);
            Cotangent = new AlignedDoubles(chunk);
            Curvature = new AlignedDoubles(chunk);
            DualIn = new Dual<double>[chunk];
            DualValue = new Dual<double>[chunk];
            DualOut = new Dual<double>[chunk];
        }

        internal AlignedDoubles[] PreActivations { get; }
        internal AlignedDoubles[] SecondDerivatives { get; }
        internal AlignedDoubles[] RawSignals { get; }
        internal AlignedDoubles[] Signals { get; }
        internal AlignedDoubles[] TangentPre { get; }
        internal AlignedDoubles[] TangentPost { get; }
        internal AlignedDoubles TangentSignalA { get; }
        internal AlignedDoubles TangentSignalB { get; }
        internal AlignedDoubles Cotangent { get; }
        internal AlignedDoubles Curvature { get; }
        internal Dual<double>[] DualIn { get; }
        internal Dual<double>[] DualValue { get; }
        internal Dual<double>[] DualOut { get; }
    }

    /// <summary>
    /// The fused loss gradient of a two-layer network (<see cref="TwoLayerFusedKernel"/>): W and v padded with zero
    /// neurons to a multiple of <see cref="TwoLayerFusedKernel.NeuronTile"/> (a zero neuron adds vⱼσ(0) = 0 to every
    /// output after the real ones and its gradient is not written), and per part of the samples its cotangent and its
    /// block of g. Each part runs all its samples in one sweep, so the results do not depend on the threads.
    /// </summary>
    private sealed class FusedTwoLayer
    {
        private readonly int _width, _neurons, _d, _block;
        private readonly double[] _weights, _readout;
        private readonly AlignedDoubles[] _cotangents, _signals; // per part of the samples (at most two), for one block
        private readonly AlignedDoubles[]? _preActivations;       // z of one block of samples per part

        /// <summary>
        /// Doubles of z per block of samples (1 MB), which the outputs pass writes and the gradient pass reads back from the
        /// caches. Blocks instead of whole parts (loss + gradient, one core, n = 10⁴, d = 20): m = 1000 16.4–17.0 → 11.1–11.8 ms,
        /// m = 200 2.96–3.06 → 2.10–2.34 ms, m = 50 0.71–0.75 → 0.61–0.64 ms; budgets of 64 k–256 k doubles of z, 16 k–64 k
        /// of inputs and a minimum of 128–512 samples differed by less than the machine's noise (bench/RESULTS.md).
        /// </summary>
        private const int PreActivationBudget = 128 * 1024;

        /// <summary>Doubles of the inputs per block of samples (256 kB), which every block of neurons sweeps twice in the
        /// gradient pass.</summary>
        private const int InputBudget = 32 * 1024;

        /// <summary>The fewest samples per block, whatever the budgets allow: each block ends with a lane sum per element
        /// of ∂ℒ/∂W.</summary>
        private const int MinimumBlock = 256;

        internal FusedTwoLayer(TwoLayerNetwork network, int samples, bool keepPreActivations, int block)
        {
            _width = network.Width;
            _d = network.InputDimension;
            _neurons = (_width + TwoLayerFusedKernel.NeuronTile - 1) / TwoLayerFusedKernel.NeuronTile * TwoLayerFusedKernel.NeuronTile;
            _weights = new double[_neurons * _d];
            _readout = new double[_neurons];
            if (block <= 0) block = Math.Max(MinimumBlock, Math.Min(InputBudget / _d, PreActivationBudget / _neurons));
            _block = Math.Min(samples, block / FeatureMajorKernels.SampleMultiple * FeatureMajorKernels.SampleMultiple);
            _cotangents = [new AlignedDoubles(_block), new AlignedDoubles(_block)];
            int signal = TwoLayerFusedKernel.SignalLength(_block, _neurons);
            _signals = [new AlignedDoubles(signal), new AlignedDoubles(signal)];
            int kept = TwoLayerFusedKernel.PreActivationLength(_neurons, _block);
            if (keepPreActivations) _preActivations = [new AlignedDoubles(kept), new AlignedDoubles(kept)];
        }

        /// <summary>Whether the gradient pass reads z kept by the outputs pass.</summary>
        internal bool KeepsPreActivations => _preActivations is not null;

        /// <summary>Samples per block of a part.</summary>
        internal int Block => _block;

        /// <summary>
        /// Whether the fused kernel is the faster one for n samples, m neurons, d inputs: d ≤ 32. Computing z twice
        /// (beyond its budget for z) it was 1.2–2× faster than the layer-by-layer passes at d = 10 for n = 200–10⁴,
        /// m = 10–200, even at d = 20 for m ≤ 50 (0.9–1.0×) and ahead from m ≈ 100 on (1.2× at m = 200, 2× at m = 1000),
        /// where the layer-by-layer intermediates leave the second-level cache (one core, bench/RESULTS.md, 2026-11-30).
        /// Keeping z it is ahead at d = 20 for m = 10 and 50 too (loss + gradient at n = 1000: m = 10 19.2–19.6 against
        /// 14.7–14.9 µs, m = 50 75–85 against 57–59 µs; n = 10⁴, m = 50: 987–1049 against 857 µs); d = 30, m = 50:
        /// 95–106 against 77–93 µs.
        /// </summary>
        internal static bool Fits(int n, int m, int d) => n >= 1 && d <= 32;

        /// <summary>Copies W and v into the padded layout (the padding rows stay zero).</summary>
        internal void Bind(ReadOnlySpan<double> w)
        {
            w[..(_width * _d)].CopyTo(_weights);
            w.Slice(_width * _d, _width).CopyTo(_readout);
        }

        /// <summary>The outputs, the cotangent and the gradient of one part of the samples, block by block.</summary>
        internal void Run(FeatureMajorNetwork owner, Part part, int index)
        {
            PolynomialLeakyRelu relu = owner._relu!;
            Span<double> gradient = part.Gradient;
            AlignedDoubles c = _cotangents[index];
            for (int s = 0; s < part.Count; s += _block)
            {
                int count = Math.Min(_block, part.Count - s);
                int start = part.Start + s;
                ReadOnlySpan<double> x = owner._inputs.AsSpan(start);
                Span<double> z = _preActivations is null ? default : _preActivations[index].AsSpan(0, TwoLayerFusedKernel.PreActivationLength(_neurons, count));
                Span<double> h = owner._outputs.AsSpan(start, count);
                TwoLayerFusedKernel.Outputs(_weights, _readout, _neurons, _d, x, owner.Leading, count, relu.Alpha, relu.Power, h, z);

                // cᵢ = ∂ℓ/∂hᵢ for the block's real samples; the padding keeps c = 0.
                Span<double> cb = c.AsSpan(0, count);
                int real = Math.Clamp(owner.SampleCount - start, 0, count);
                if (real > 0) owner._loss!.Derivative<double>(h[..real], owner._labels.AsSpan(start, real), cb[..real], owner.SampleCount);
                cb[real..].Clear();

                TwoLayerFusedKernel.Gradient(_weights, _readout, _neurons, _width, _d, x, owner.Leading, count, relu.Alpha, relu.Power, cb,
                    _signals[index], gradient[..(_width * _d)], gradient.Slice(_width * _d, _width), z, first: s == 0, last: s + count == part.Count);
            }
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
            Activations = new AlignedDoubles[hidden.Count];
            Derivatives = new AlignedDoubles[hidden.Count];
            for (int l = 0; l < hidden.Count; l++)
            {
                Activations[l] = new AlignedDoubles(hidden[l] * Chunk);
                Derivatives[l] = new AlignedDoubles(hidden[l] * Chunk);
            }
            SignalA = new AlignedDoubles(widest * Chunk);
            SignalB = new AlignedDoubles(widest * Chunk);
            Cotangent = new AlignedDoubles(Chunk);
            Gradient = new double[owner._network.ParameterCount];
        }

        internal int Start { get; }

        internal int Count { get; }

        internal int Chunk { get; }

        internal AlignedDoubles[] Activations { get; }

        internal AlignedDoubles[] Derivatives { get; }

        internal AlignedDoubles SignalA { get; }

        internal AlignedDoubles SignalB { get; }

        internal AlignedDoubles Cotangent { get; }

        internal double[] Gradient { get; }
    }
}
