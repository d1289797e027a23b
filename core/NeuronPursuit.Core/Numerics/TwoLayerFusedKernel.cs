// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// The loss gradient of the two-layer network H(x; W, v) = Σⱼ vⱼ σ(wⱼᵀx) (Kumar &amp; Haupt, arXiv 2402.09226) with the
/// polynomial leaky ReLU σ(z) = max(z, αz)ᵖ on feature-major inputs (row a of X holds input a on all samples), fused so
/// that nothing of size m × n is ever written:
/// <code>
///   hᵢ = Σⱼ vⱼ σ(zᵢⱼ),  zᵢⱼ = wⱼᵀxᵢ                                   (<see cref="Outputs"/>)
///   ∂ℒ/∂vⱼ = Σᵢ cᵢ σ(zᵢⱼ),  ∂ℒ/∂wⱼ = Σᵢ gᵢⱼ xᵢ,  gᵢⱼ = (cᵢvⱼ)·σ′(zᵢⱼ)     (<see cref="Gradient"/>)
/// </code>
/// with cᵢ = ∂ℓ/∂hᵢ. Callers run both passes block by block of samples, so that a block's z and inputs stay in the
/// second-level cache between them. The outputs pass keeps a tile of 4 neurons × 3 vectors of samples of z in registers
/// and turns it into σ and the readout there, and writes the block's z out where the caller gives it room; the gradient
/// pass reads that z, or else computes it a second time (d fused multiply–adds per element, cheaper than writing σ and
/// σ′ to memory and reading them back, which bound the unfused passes), accumulates ∂ℒ/∂vⱼ per lane (carried from
/// block to block in the scratch), and writes g only for a block of neurons small enough for the first-level cache,
/// from which <see cref="FeatureMajorKernels.InnerProducts"/> adds the block's part of ∂ℒ/∂W. Every element is computed
/// with the operations and in the order of the unfused feature-major passes (z by fused multiply–adds over the inputs
/// in order from zero; σ, σ′ as in <see cref="ActivateTile{TV}"/>; h by fused multiply–adds over the neurons in order
/// from zero; the sums over samples lane-wise in sample order, then <see cref="ISimdDouble{TSelf}.Sum"/>, for ∂ℒ/∂W
/// once per block of samples and the blocks added in order), so h and ∂ℒ/∂v do not depend on the blocks, and all
/// results equal the unfused passes' bit for bit whenever both run all samples as one block; the order is fixed by the
/// shapes alone. The neuron count must be a multiple of <see cref="NeuronTile"/> (callers pad W and v with zero rows)
/// and the sample count a multiple of <see cref="FeatureMajorKernels.SampleMultiple"/>. Allocates nothing.
/// </summary>
internal static class TwoLayerFusedKernel
{
    /// <summary>Neurons per register tile; callers pad W and v to a multiple of this with zeros.</summary>
    internal const int NeuronTile = 4;

    /// <summary>Doubles of g per block of neurons (16 kB: g and the inputs it meets stay in the first-level cache).</summary>
    private const int SignalBudget = 2048;

    /// <summary>Doubles per neuron of the lane sums of ∂ℒ/∂vⱼ carried from one block of samples to the next (the widest vector).</summary>
    private const int LaneSumStride = 8;

    /// <summary>
    /// Doubles of the scratch that <see cref="Gradient"/> needs for at most <paramref name="samples"/> samples per call
    /// and <paramref name="neurons"/> neurons: the lane sums of ∂ℒ/∂v carried between calls, then g for one block of neurons.
    /// </summary>
    internal static int SignalLength(int samples, int neurons) => Math.Max(SignalBudget, NeuronTile * samples) + LaneSumStride * neurons;

    /// <summary>Neurons per block of g for <paramref name="samples"/> samples.</summary>
    private static int SignalRows(int samples) =>
        Math.Max(NeuronTile, SignalBudget / Math.Max(samples, 1) / NeuronTile * NeuronTile);

    /// <summary>hᵢ = Σⱼ vⱼ σ(wⱼᵀxᵢ) for i &lt; <paramref name="samples"/>.</summary>
    /// <param name="weights">W, <paramref name="neurons"/> × d row-major.</param>
    /// <param name="readout">v, <paramref name="neurons"/> entries.</param>
    /// <param name="neurons">m̄, a multiple of <see cref="NeuronTile"/>.</param>
    /// <param name="d">Inputs.</param>
    /// <param name="x">X, row a at x[a·ldx].</param>
    /// <param name="ldx">The distance between rows of X.</param>
    /// <param name="samples">A multiple of <see cref="FeatureMajorKernels.SampleMultiple"/>.</param>
    /// <param name="alpha">α.</param>
    /// <param name="power">p ≥ 1.</param>
    /// <param name="h">Receives the outputs.</param>
    /// <param name="preActivations">
    /// Empty, or <see cref="PreActivationLength"/>(neurons, samples) doubles that receive z (neuron j's row at
    /// j·samples) for a <see cref="Gradient"/> on the same weights, inputs and samples to read instead of computing z again.
    /// </param>
    internal static void Outputs(ReadOnlySpan<double> weights, ReadOnlySpan<double> readout, int neurons, int d,
        ReadOnlySpan<double> x, int ldx, int samples, double alpha, int power, Span<double> h, Span<double> preActivations)
    {
        ref double w = ref MemoryMarshal.GetReference(weights);
        ref double v = ref MemoryMarshal.GetReference(readout);
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double hr = ref MemoryMarshal.GetReference(h);
        nint ldz = preActivations.IsEmpty ? 0 : samples;
        ref double z = ref MemoryMarshal.GetReference(preActivations.IsEmpty ? preActivations : preActivations[..PreActivationLength(neurons, samples)]);
        if (Simd512.IsSupported) Outputs<Simd512>(ref w, ref v, neurons, d, ref xr, ldx, samples / Simd512.Count, alpha, power, ref hr, ref z, ldz);
        else Outputs<Simd256>(ref w, ref v, neurons, d, ref xr, ldx, samples / Simd256.Count, alpha, power, ref hr, ref z, ldz);
    }

    /// <summary>The doubles of z for <paramref name="neurons"/> (padded) neurons on <paramref name="samples"/> samples.</summary>
    internal static int PreActivationLength(int neurons, int samples) => neurons * samples;

    private static void Outputs<TV>(ref double w, ref double v, int neurons, int d, ref double x, nint ldx, int vectors, double alpha, int power, ref double h,
        ref double z, nint ldz)
        where TV : struct, ISimdDouble<TV>
    {
        // One compiled kernel per power, with the activation's constants in registers.
        if (power == 1) Outputs<TV, PowerOne<TV>>(ref w, ref v, neurons, d, ref x, ldx, vectors, new(alpha, power), ref h, ref z, ldz);
        else if (power == 2) Outputs<TV, PowerTwo<TV>>(ref w, ref v, neurons, d, ref x, ldx, vectors, new(alpha, power), ref h, ref z, ldz);
        else Outputs<TV, PowerAny<TV>>(ref w, ref v, neurons, d, ref x, ldx, vectors, new(alpha, power), ref h, ref z, ldz);
    }

    /// <summary>∂ℒ/∂W and ∂ℒ/∂v from the cotangent c (zero on padding samples).</summary>
    /// <param name="weights">W, <paramref name="neurons"/> × d row-major.</param>
    /// <param name="readout">v, <paramref name="neurons"/> entries.</param>
    /// <param name="neurons">m̄, a multiple of <see cref="NeuronTile"/>.</param>
    /// <param name="width">m ≤ m̄: the neurons whose gradient is written.</param>
    /// <param name="d">Inputs.</param>
    /// <param name="x">X, row a at x[a·ldx].</param>
    /// <param name="ldx">The distance between rows of X.</param>
    /// <param name="samples">A multiple of <see cref="FeatureMajorKernels.SampleMultiple"/>.</param>
    /// <param name="alpha">α.</param>
    /// <param name="power">p ≥ 1.</param>
    /// <param name="cotangent">cᵢ = ∂ℓ/∂hᵢ, <paramref name="samples"/> entries.</param>
    /// <param name="signal">Scratch of at least <see cref="SignalLength"/>(samples, neurons) doubles, kept between the calls of one sum.</param>
    /// <param name="gradientW">Receives ∂ℒ/∂W, m × d row-major.</param>
    /// <param name="gradientV">Receives ∂ℒ/∂v, m entries.</param>
    /// <param name="preActivations">Empty (z is computed again), or the z that <see cref="Outputs"/> kept for these weights, inputs and samples.</param>
    /// <param name="first">Whether these samples are the first block of a sum: ∂ℒ/∂W is written (else added to) and the
    /// lane sums of ∂ℒ/∂v start from zero (else from those the previous call left in <paramref name="signal"/>).</param>
    /// <param name="last">Whether these samples are the last block: ∂ℒ/∂v is written (else its lane sums are left in
    /// <paramref name="signal"/> for the next call).</param>
    internal static void Gradient(ReadOnlySpan<double> weights, ReadOnlySpan<double> readout, int neurons, int width, int d,
        ReadOnlySpan<double> x, int ldx, int samples, double alpha, int power, ReadOnlySpan<double> cotangent, Span<double> signal,
        Span<double> gradientW, Span<double> gradientV, ReadOnlySpan<double> preActivations, bool first = true, bool last = true)
    {
        nint ldz = preActivations.IsEmpty ? 0 : samples;
        if (!preActivations.IsEmpty) _ = preActivations[PreActivationLength(neurons, samples) - 1];
        _ = signal[SignalLength(samples, neurons) - 1];
        Span<double> signals = signal[(LaneSumStride * neurons)..];
        int block = SignalRows(samples);
        for (int r0 = 0; r0 < width; r0 += block)
        {
            int rows = Math.Min(block, neurons - r0);
            ref double w = ref Unsafe.Add(ref MemoryMarshal.GetReference(weights), r0 * d);
            ref double v = ref Unsafe.Add(ref MemoryMarshal.GetReference(readout), r0);
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double c = ref MemoryMarshal.GetReference(cotangent);
            ref double g = ref MemoryMarshal.GetReference(signals);
            int real = Math.Min(rows, width - r0);
            var sums = new LaneSums(ref Unsafe.Add(ref MemoryMarshal.GetReference(signal), LaneSumStride * r0), first, last,
                ref Unsafe.Add(ref MemoryMarshal.GetReference(gradientV), r0));
            ref double z = ref Unsafe.Add(ref MemoryMarshal.GetReference(preActivations), r0 * ldz);
            if (Simd512.IsSupported) Signals<Simd512>(ref w, ref v, rows, real, d, ref xr, ldx, samples / Simd512.Count, alpha, power, ref c, ref g, samples, sums, ref z, ldz);
            else Signals<Simd256>(ref w, ref v, rows, real, d, ref xr, ldx, samples / Simd256.Count, alpha, power, ref c, ref g, samples, sums, ref z, ldz);
            // ∂ℒ/∂wⱼ (+)= Σᵢ gᵢⱼ xᵢ for the block's real neurons while g is in cache.
            FeatureMajorKernels.InnerProducts(signals, real, samples, x, d, ldx, samples, gradientW.Slice(r0 * d, real * d), d, accumulate: !first);
        }
    }

    /// <summary>
    /// Where the lane sums of ∂ℒ/∂vⱼ of one block of neurons start (zero on the first block of samples, else the carried
    /// ones) and go (carried to the next block of samples, or summed across lanes into ∂ℒ/∂v on the last).
    /// </summary>
    private readonly ref struct LaneSums
    {
        private readonly ref double _lanes;
        private readonly ref double _gradientV;
        private readonly bool _first, _last;

        internal LaneSums(ref double lanes, bool first, bool last, ref double gradientV)
        {
            _lanes = ref lanes;
            _first = first;
            _last = last;
            _gradientV = ref gradientV;
        }

        /// <summary>The lane sums of block neuron <paramref name="k"/> so far.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal TV Start<TV>(int k) where TV : struct, ISimdDouble<TV> =>
            _first ? TV.Zero : TV.Load(ref _lanes, (nuint)(k * LaneSumStride));

        /// <summary>Carries or sums the lane sums of block neuron <paramref name="k"/>; the sum is written only for real neurons.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal void Finish<TV>(int k, TV sums, bool real) where TV : struct, ISimdDouble<TV>
        {
            if (!_last) TV.Store(sums, ref _lanes, (nuint)(k * LaneSumStride));
            else if (real) Unsafe.Add(ref _gradientV, k) = TV.Sum(sums);
        }
    }

    private static void Outputs<TV, TA>(ref double w, ref double v, int neurons, int d, ref double x, nint ldx, int vectors, TA act, ref double h,
        ref double z, nint ldz)
        where TV : struct, ISimdDouble<TV> where TA : struct, IActivationKernel<TV>
    {
        // Vectors of samples outside, neurons inside: the outputs of three vectors stay in registers across all neurons,
        // and each neuron adds its term in order of j, as the one-row combination of the unfused readout.
        int vector = 0;
        for (; vector + 2 < vectors; vector += 3)
        {
            ref double xv = ref Unsafe.Add(ref x, vector * TV.Count);
            TV h0 = TV.Zero, h1 = TV.Zero, h2 = TV.Zero;
            for (int r = 0; r < neurons; r += NeuronTile)
            {
                ref double wr = ref Unsafe.Add(ref w, r * d);
                PreActivations4x3<TV>(ref wr, d, ref xv, ldx, out TV z00, out TV z01, out TV z02, out TV z10, out TV z11, out TV z12,
                    out TV z20, out TV z21, out TV z22, out TV z30, out TV z31, out TV z32);
                if (ldz != 0)
                {
                    ref double zr = ref Unsafe.Add(ref z, r * ldz + vector * TV.Count);
                    Keep(ref zr, 0, z00, z01, z02); Keep(ref zr, ldz, z10, z11, z12); Keep(ref zr, 2 * ldz, z20, z21, z22); Keep(ref zr, 3 * ldz, z30, z31, z32);
                }
                ref double vr = ref Unsafe.Add(ref v, r);
                TV b = TV.Broadcast(vr);
                h0 = TV.MultiplyAdd(b, act.Value(z00), h0); h1 = TV.MultiplyAdd(b, act.Value(z01), h1); h2 = TV.MultiplyAdd(b, act.Value(z02), h2);
                b = TV.Broadcast(Unsafe.Add(ref vr, 1));
                h0 = TV.MultiplyAdd(b, act.Value(z10), h0); h1 = TV.MultiplyAdd(b, act.Value(z11), h1); h2 = TV.MultiplyAdd(b, act.Value(z12), h2);
                b = TV.Broadcast(Unsafe.Add(ref vr, 2));
                h0 = TV.MultiplyAdd(b, act.Value(z20), h0); h1 = TV.MultiplyAdd(b, act.Value(z21), h1); h2 = TV.MultiplyAdd(b, act.Value(z22), h2);
                b = TV.Broadcast(Unsafe.Add(ref vr, 3));
                h0 = TV.MultiplyAdd(b, act.Value(z30), h0); h1 = TV.MultiplyAdd(b, act.Value(z31), h1); h2 = TV.MultiplyAdd(b, act.Value(z32), h2);
            }
            TV.Store(h0, ref h, (nuint)(vector * TV.Count));
            TV.Store(h1, ref h, (nuint)((vector + 1) * TV.Count));
            TV.Store(h2, ref h, (nuint)((vector + 2) * TV.Count));
        }
        for (; vector + 1 < vectors; vector += 2)
        {
            ref double xv = ref Unsafe.Add(ref x, vector * TV.Count);
            TV h0 = TV.Zero, h1 = TV.Zero;
            for (int r = 0; r < neurons; r += NeuronTile)
            {
                ref double wr = ref Unsafe.Add(ref w, r * d);
                PreActivations4x2<TV>(ref wr, d, ref xv, ldx, out TV z00, out TV z01, out TV z10, out TV z11, out TV z20, out TV z21, out TV z30, out TV z31);
                if (ldz != 0)
                {
                    ref double zr = ref Unsafe.Add(ref z, r * ldz + vector * TV.Count);
                    Keep(ref zr, 0, z00, z01); Keep(ref zr, ldz, z10, z11); Keep(ref zr, 2 * ldz, z20, z21); Keep(ref zr, 3 * ldz, z30, z31);
                }
                ref double vr = ref Unsafe.Add(ref v, r);
                TV b = TV.Broadcast(vr);
                h0 = TV.MultiplyAdd(b, act.Value(z00), h0); h1 = TV.MultiplyAdd(b, act.Value(z01), h1);
                b = TV.Broadcast(Unsafe.Add(ref vr, 1));
                h0 = TV.MultiplyAdd(b, act.Value(z10), h0); h1 = TV.MultiplyAdd(b, act.Value(z11), h1);
                b = TV.Broadcast(Unsafe.Add(ref vr, 2));
                h0 = TV.MultiplyAdd(b, act.Value(z20), h0); h1 = TV.MultiplyAdd(b, act.Value(z21), h1);
                b = TV.Broadcast(Unsafe.Add(ref vr, 3));
                h0 = TV.MultiplyAdd(b, act.Value(z30), h0); h1 = TV.MultiplyAdd(b, act.Value(z31), h1);
            }
            TV.Store(h0, ref h, (nuint)(vector * TV.Count));
            TV.Store(h1, ref h, (nuint)((vector + 1) * TV.Count));
        }
        if (vector < vectors)
        {
            ref double xv = ref Unsafe.Add(ref x, vector * TV.Count);
            TV h0 = TV.Zero;
            for (int r = 0; r < neurons; r += NeuronTile)
            {
                ref double wr = ref Unsafe.Add(ref w, r * d);
                PreActivations4x1<TV>(ref wr, d, ref xv, ldx, out TV z0, out TV z1, out TV z2, out TV z3);
                if (ldz != 0)
                {
                    ref double zr = ref Unsafe.Add(ref z, r * ldz + vector * TV.Count);
                    Keep(ref zr, 0, z0); Keep(ref zr, ldz, z1); Keep(ref zr, 2 * ldz, z2); Keep(ref zr, 3 * ldz, z3);
                }
                ref double vr = ref Unsafe.Add(ref v, r);
                h0 = TV.MultiplyAdd(TV.Broadcast(vr), act.Value(z0), h0);
                h0 = TV.MultiplyAdd(TV.Broadcast(Unsafe.Add(ref vr, 1)), act.Value(z1), h0);
                h0 = TV.MultiplyAdd(TV.Broadcast(Unsafe.Add(ref vr, 2)), act.Value(z2), h0);
                h0 = TV.MultiplyAdd(TV.Broadcast(Unsafe.Add(ref vr, 3)), act.Value(z3), h0);
            }
            TV.Store(h0, ref h, (nuint)(vector * TV.Count));
        }
    }

    /// <summary>
    /// For a block of <paramref name="rows"/> neurons: g (row k of the block at g[k·ldg]) and ∂ℒ/∂vⱼ for the first
    /// <paramref name="real"/> of them.
    /// </summary>
    private static void Signals<TV>(ref double w, ref double v, int rows, int real, int d, ref double x, nint ldx, int vectors,
        double alpha, int power, ref double c, ref double g, nint ldg, LaneSums sums, ref double z, nint ldz)
        where TV : struct, ISimdDouble<TV>
    {
        if (power == 1) Signals<TV, PowerOne<TV>>(ref w, ref v, rows, real, d, ref x, ldx, vectors, new(alpha, power), ref c, ref g, ldg, sums, ref z, ldz);
        else if (power == 2) Signals<TV, PowerTwo<TV>>(ref w, ref v, rows, real, d, ref x, ldx, vectors, new(alpha, power), ref c, ref g, ldg, sums, ref z, ldz);
        else Signals<TV, PowerAny<TV>>(ref w, ref v, rows, real, d, ref x, ldx, vectors, new(alpha, power), ref c, ref g, ldg, sums, ref z, ldz);
    }

    private static void Signals<TV, TA>(ref double w, ref double v, int rows, int real, int d, ref double x, nint ldx, int vectors,
        TA act, ref double c, ref double g, nint ldg, LaneSums sums, ref double z, nint ldz)
        where TV : struct, ISimdDouble<TV> where TA : struct, IActivationKernel<TV>
    {
        // Neurons outside, samples inside: the lane sums of ∂ℒ/∂vⱼ stay in registers across all samples. Tiles of 2 vectors,
        // not 3 as in the outputs pass: with σ, σ′, c and the four lane sums, 3 vectors spill registers (measured slower).
        for (int r = 0; r < rows; r += NeuronTile)
        {
            ref double wr = ref Unsafe.Add(ref w, r * d);
            ref double vr = ref Unsafe.Add(ref v, r);
            ref double gr = ref Unsafe.Add(ref g, r * ldg);
            TV v0 = TV.Broadcast(vr), v1 = TV.Broadcast(Unsafe.Add(ref vr, 1)), v2 = TV.Broadcast(Unsafe.Add(ref vr, 2)), v3 = TV.Broadcast(Unsafe.Add(ref vr, 3));
            TV s0 = sums.Start<TV>(r), s1 = sums.Start<TV>(r + 1), s2 = sums.Start<TV>(r + 2), s3 = sums.Start<TV>(r + 3);
            int vector = 0;
            for (; vector + 1 < vectors; vector += 2)
            {
                nuint o0 = (nuint)(vector * TV.Count), o1 = o0 + (nuint)TV.Count;
                TV z00, z01, z10, z11, z20, z21, z30, z31;
                if (ldz != 0)
                {
                    ref double zr = ref Unsafe.Add(ref z, r * ldz + (nint)o0);
                    z00 = TV.Load(ref zr, 0); z01 = TV.Load(ref zr, (nuint)TV.Count);
                    z10 = TV.Load(ref zr, (nuint)ldz); z11 = TV.Load(ref zr, (nuint)(ldz + TV.Count));
                    z20 = TV.Load(ref zr, (nuint)(2 * ldz)); z21 = TV.Load(ref zr, (nuint)(2 * ldz + TV.Count));
                    z30 = TV.Load(ref zr, (nuint)(3 * ldz)); z31 = TV.Load(ref zr, (nuint)(3 * ldz + TV.Count));
                }
                else
                    PreActivations4x2<TV>(ref wr, d, ref Unsafe.Add(ref x, (nint)o0), ldx, out z00, out z01, out z10, out z11, out z20, out z21, out z30, out z31);
                TV c0 = TV.Load(ref c, o0), c1 = TV.Load(ref c, o1);
                s0 = Signal(act, z00, c0, v0, s0, ref gr, o0); s0 = Signal(act, z01, c1, v0, s0, ref gr, o1);
                s1 = Signal(act, z10, c0, v1, s1, ref gr, (nuint)ldg + o0); s1 = Signal(act, z11, c1, v1, s1, ref gr, (nuint)ldg + o1);
                s2 = Signal(act, z20, c0, v2, s2, ref gr, (nuint)(2 * ldg) + o0); s2 = Signal(act, z21, c1, v2, s2, ref gr, (nuint)(2 * ldg) + o1);
                s3 = Signal(act, z30, c0, v3, s3, ref gr, (nuint)(3 * ldg) + o0); s3 = Signal(act, z31, c1, v3, s3, ref gr, (nuint)(3 * ldg) + o1);
            }
            if (vector < vectors)
            {
                nuint o0 = (nuint)(vector * TV.Count);
                TV z0, z1, z2, z3;
                if (ldz != 0)
                {
                    ref double zr = ref Unsafe.Add(ref z, r * ldz + (nint)o0);
                    z0 = TV.Load(ref zr, 0); z1 = TV.Load(ref zr, (nuint)ldz); z2 = TV.Load(ref zr, (nuint)(2 * ldz)); z3 = TV.Load(ref zr, (nuint)(3 * ldz));
                }
                else
                    PreActivations4x1<TV>(ref wr, d, ref Unsafe.Add(ref x, (nint)o0), ldx, out z0, out z1, out z2, out z3);
                TV c0 = TV.Load(ref c, o0);
                s0 = Signal(act, z0, c0, v0, s0, ref gr, o0);
                s1 = Signal(act, z1, c0, v1, s1, ref gr, (nuint)ldg + o0);
                s2 = Signal(act, z2, c0, v2, s2, ref gr, (nuint)(2 * ldg) + o0);
                s3 = Signal(act, z3, c0, v3, s3, ref gr, (nuint)(3 * ldg) + o0);
            }
            // Padding neurons (past the real ones) are computed but not written.
            sums.Finish(r, s0, r < real);
            sums.Finish(r + 1, s1, r + 1 < real);
            sums.Finish(r + 2, s2, r + 2 < real);
            sums.Finish(r + 3, s3, r + 3 < real);
        }
    }

    /// <summary>Stores consecutive vectors of one neuron's z at <paramref name="offset"/> from <paramref name="z"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep<TV>(ref double z, nint offset, TV z0) where TV : struct, ISimdDouble<TV> =>
        TV.Store(z0, ref z, (nuint)offset);

    /// <inheritdoc cref="Keep{TV}(ref double, nint, TV)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep<TV>(ref double z, nint offset, TV z0, TV z1) where TV : struct, ISimdDouble<TV>
    {
        TV.Store(z0, ref z, (nuint)offset);
        TV.Store(z1, ref z, (nuint)(offset + TV.Count));
    }

    /// <inheritdoc cref="Keep{TV}(ref double, nint, TV)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep<TV>(ref double z, nint offset, TV z0, TV z1, TV z2) where TV : struct, ISimdDouble<TV>
    {
        TV.Store(z0, ref z, (nuint)offset);
        TV.Store(z1, ref z, (nuint)(offset + TV.Count));
        TV.Store(z2, ref z, (nuint)(offset + 2 * TV.Count));
    }

    /// <summary>From one vector of z: stores g = (c·vⱼ)·σ′(z) and returns the lane sum s + c·σ(z) of ∂ℒ/∂vⱼ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Signal<TV, TA>(TA act, TV z, TV c, TV vj, TV s, ref double g, nuint offset)
        where TV : struct, ISimdDouble<TV> where TA : struct, IActivationKernel<TV>
    {
        TV sigma = act.ValueAndDerivative(z, out TV derivative);
        TV.Store(TV.Multiply(TV.Multiply(c, vj), derivative), ref g, offset);
        return TV.MultiplyAdd(c, sigma, s);
    }

    /// <summary>z for 4 neurons × 3 vectors of samples: fused multiply–adds over the inputs in order, from zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PreActivations4x3<TV>(ref double w, int d, ref double x, nint ldx,
        out TV z00, out TV z01, out TV z02, out TV z10, out TV z11, out TV z12, out TV z20, out TV z21, out TV z22, out TV z30, out TV z31, out TV z32)
        where TV : struct, ISimdDouble<TV>
    {
        z00 = TV.Zero; z01 = TV.Zero; z02 = TV.Zero; z10 = TV.Zero; z11 = TV.Zero; z12 = TV.Zero;
        z20 = TV.Zero; z21 = TV.Zero; z22 = TV.Zero; z30 = TV.Zero; z31 = TV.Zero; z32 = TV.Zero;
        // The row pointer of X moves by ldx and the weights are indexed by a: no multiplications in the loop, whose few
        // instructions per 12 multiply–adds keep the front end from bounding it.
        ref double w1 = ref Unsafe.Add(ref w, d), w2 = ref Unsafe.Add(ref w, 2 * d), w3 = ref Unsafe.Add(ref w, 3 * d);
        ref double xa = ref x;
        for (nint a = 0; a < d; a++, xa = ref Unsafe.Add(ref xa, ldx))
        {
            TV x0 = TV.Load(ref xa, 0), x1 = TV.Load(ref xa, (nuint)TV.Count), x2 = TV.Load(ref xa, (nuint)(2 * TV.Count));
            TV b = TV.Broadcast(Unsafe.Add(ref w, a));
            z00 = TV.MultiplyAdd(b, x0, z00); z01 = TV.MultiplyAdd(b, x1, z01); z02 = TV.MultiplyAdd(b, x2, z02);
            b = TV.Broadcast(Unsafe.Add(ref w1, a));
            z10 = TV.MultiplyAdd(b, x0, z10); z11 = TV.MultiplyAdd(b, x1, z11); z12 = TV.MultiplyAdd(b, x2, z12);
            b = TV.Broadcast(Unsafe.Add(ref w2, a));
            z20 = TV.MultiplyAdd(b, x0, z20); z21 = TV.MultiplyAdd(b, x1, z21); z22 = TV.MultiplyAdd(b, x2, z22);
            b = TV.Broadcast(Unsafe.Add(ref w3, a));
            z30 = TV.MultiplyAdd(b, x0, z30); z31 = TV.MultiplyAdd(b, x1, z31); z32 = TV.MultiplyAdd(b, x2, z32);
        }
    }

    /// <summary>z for 4 neurons × 2 vectors of samples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PreActivations4x2<TV>(ref double w, int d, ref double x, nint ldx,
        out TV z00, out TV z01, out TV z10, out TV z11, out TV z20, out TV z21, out TV z30, out TV z31)
        where TV : struct, ISimdDouble<TV>
    {
        z00 = TV.Zero; z01 = TV.Zero; z10 = TV.Zero; z11 = TV.Zero; z20 = TV.Zero; z21 = TV.Zero; z30 = TV.Zero; z31 = TV.Zero;
        ref double w1 = ref Unsafe.Add(ref w, d), w2 = ref Unsafe.Add(ref w, 2 * d), w3 = ref Unsafe.Add(ref w, 3 * d);
        ref double xa = ref x;
        for (nint a = 0; a < d; a++, xa = ref Unsafe.Add(ref xa, ldx))
        {
            TV x0 = TV.Load(ref xa, 0), x1 = TV.Load(ref xa, (nuint)TV.Count);
            TV b = TV.Broadcast(Unsafe.Add(ref w, a));
            z00 = TV.MultiplyAdd(b, x0, z00); z01 = TV.MultiplyAdd(b, x1, z01);
            b = TV.Broadcast(Unsafe.Add(ref w1, a));
            z10 = TV.MultiplyAdd(b, x0, z10); z11 = TV.MultiplyAdd(b, x1, z11);
            b = TV.Broadcast(Unsafe.Add(ref w2, a));
            z20 = TV.MultiplyAdd(b, x0, z20); z21 = TV.MultiplyAdd(b, x1, z21);
            b = TV.Broadcast(Unsafe.Add(ref w3, a));
            z30 = TV.MultiplyAdd(b, x0, z30); z31 = TV.MultiplyAdd(b, x1, z31);
        }
    }

    /// <summary>z for 4 neurons × 1 vector of samples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PreActivations4x1<TV>(ref double w, int d, ref double x, nint ldx, out TV z0, out TV z1, out TV z2, out TV z3)
        where TV : struct, ISimdDouble<TV>
    {
        z0 = TV.Zero; z1 = TV.Zero; z2 = TV.Zero; z3 = TV.Zero;
        ref double w1 = ref Unsafe.Add(ref w, d), w2 = ref Unsafe.Add(ref w, 2 * d), w3 = ref Unsafe.Add(ref w, 3 * d);
        ref double xa = ref x;
        for (nint a = 0; a < d; a++, xa = ref Unsafe.Add(ref xa, ldx))
        {
            TV x0 = TV.Load(ref xa, 0);
            z0 = TV.MultiplyAdd(TV.Broadcast(Unsafe.Add(ref w, a)), x0, z0);
            z1 = TV.MultiplyAdd(TV.Broadcast(Unsafe.Add(ref w1, a)), x0, z1);
            z2 = TV.MultiplyAdd(TV.Broadcast(Unsafe.Add(ref w2, a)), x0, z2);
            z3 = TV.MultiplyAdd(TV.Broadcast(Unsafe.Add(ref w3, a)), x0, z3);
        }
    }

    /// <summary>
    /// σ(z) = max(z, αz)ᵖ and σ′ with the operations of <see cref="ActivateTile{TV}"/> (slope = z &gt; 0 ? 1 : α,
    /// s = slope·z, s^{p−1} by repeated products from 1, σ = s^{p−1}·s, σ′ = (p·s^{p−1})·slope, or slope when p = 1),
    /// one implementation per power so that the JIT keeps the constants in registers and the products unrolled.
    /// </summary>
    private interface IActivationKernel<TV> where TV : struct, ISimdDouble<TV>
    {
        /// <summary>σ(z).</summary>
        TV Value(TV z);

        /// <summary>σ(z), and σ′(z) in <paramref name="derivative"/>.</summary>
        TV ValueAndDerivative(TV z, out TV derivative);
    }

    /// <summary>p = 1: σ = s (the product 1·s of the general rule is exact), σ′ = slope.</summary>
    private readonly struct PowerOne<TV> : IActivationKernel<TV> where TV : struct, ISimdDouble<TV>
    {
        private readonly TV _one, _alpha;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal PowerOne(double alpha, int power)
        {
            _one = TV.Broadcast(1.0);
            _alpha = TV.Broadcast(alpha);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Value(TV z) => TV.Multiply(TV.SelectPositive(z, _one, _alpha), z);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV ValueAndDerivative(TV z, out TV derivative)
        {
            derivative = TV.SelectPositive(z, _one, _alpha);
            return TV.Multiply(derivative, z);
        }
    }

    /// <summary>p = 2: σ = s·s, σ′ = (2·s)·slope.</summary>
    private readonly struct PowerTwo<TV> : IActivationKernel<TV> where TV : struct, ISimdDouble<TV>
    {
        private readonly TV _one, _alpha, _two;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal PowerTwo(double alpha, int power)
        {
            _one = TV.Broadcast(1.0);
            _alpha = TV.Broadcast(alpha);
            _two = TV.Broadcast(power);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Value(TV z)
        {
            TV s = TV.Multiply(TV.SelectPositive(z, _one, _alpha), z);
            return TV.Multiply(s, s);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV ValueAndDerivative(TV z, out TV derivative)
        {
            TV slope = TV.SelectPositive(z, _one, _alpha);
            TV s = TV.Multiply(slope, z);
            derivative = TV.Multiply(TV.Multiply(_two, s), slope);
            return TV.Multiply(s, s);
        }
    }

    /// <summary>Any p ≥ 1, s^{p−1} by a loop.</summary>
    private readonly struct PowerAny<TV> : IActivationKernel<TV> where TV : struct, ISimdDouble<TV>
    {
        private readonly TV _one, _alpha, _power;
        private readonly int _p;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal PowerAny(double alpha, int power)
        {
            _one = TV.Broadcast(1.0);
            _alpha = TV.Broadcast(alpha);
            _power = TV.Broadcast(power);
            _p = power;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Value(TV z) => ValueAndDerivative(z, out _);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV ValueAndDerivative(TV z, out TV derivative)
        {
            TV slope = TV.SelectPositive(z, _one, _alpha);
            TV s = TV.Multiply(slope, z);
            TV sPowerMinusOne = _p > 1 ? s : _one;
            for (int k = 2; k < _p; k++) sPowerMinusOne = TV.Multiply(sPowerMinusOne, s);
            derivative = _p == 1 ? slope : TV.Multiply(TV.Multiply(_power, sPowerMinusOne), slope);
            return TV.Multiply(sPowerMinusOne, s);
        }
    }
}
