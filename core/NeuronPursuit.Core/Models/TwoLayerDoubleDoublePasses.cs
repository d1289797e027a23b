// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Models;

/// <summary>
/// The forward and backward passes of <see cref="TwoLayerNetwork"/> with the ReLU² activation in double-double, on
/// one data set, about 5× faster than the network's generic passes (the reference). The per-sample rows zᵢ, σ(zᵢ),
/// σ′(zᵢ) and δᵢ = (cᵢ·v) ⊙ σ′(zᵢ) and the accumulators of ∇v and (∇W)ᵀ are stored as structures of arrays (leading
/// and trailing words apart, m padded to a multiple of <see cref="SplitDoubleDoubleKernels.Lanes"/> with zero weights)
/// so that the work over the neurons runs in whole 512-bit vectors (<see cref="SplitDoubleDoubleKernels"/>):
/// <code>
///   zᵢ = Σₖ xᵢₖ Wᵀₖ,  hᵢ = ⟨v, σ(zᵢ)⟩,  ∇v = Σᵢ cᵢ σ(zᵢ),  (∇W)ᵀₖ = Σᵢ xᵢₖ δᵢ
/// </code>
/// The sums run in the compensated accumulation of <see cref="SplitDoubleDoubleKernels.AccumulateProducts"/> (a
/// double-double leading sum by TwoSum, the lower-order parts in one double, one renormalisation per result), whose
/// error is at most (3N + 1)(N + 4)·u²·Σ|terms|/(1 − 3Nu) for N terms (u = 2^-53; N = d for z, n for the gradient,
/// m̄ + 8 for h); σ, σ′ and δ are the scalar operators' values bit for bit (DWTimesDW3). Compared with the reference
/// (AccurateDWPlusDW after each term, bound ≈ 3N·u²·Σ|terms|) the worst-case bound of a sum grows by a factor ≈ N, to
/// ≈ 10⁻²⁷ of Σ|terms| at n = 200, far below the tolerances a double-double flow is run at. The sums run in
/// <see cref="SplitDoubleDoubleKernels.AccumulateProductColumns"/>, up to four at a time over all their terms (the zᵢ of
/// four samples over the inputs, four columns of (∇W)ᵀ over the samples), so that each row it reads serves four sums
/// and the accumulators stay in registers; inputs that are all non-zero doubles (a data set read from a file) take the
/// one-word term with no test per term. The split rows start on 64-byte boundaries (<see cref="AlignedDoubles"/>; m̄ is a multiple of 8), so no
/// 512-bit load spans two cache lines. A pass that meets a non-finite value reports it, and the caller runs the reference. Allocates nothing per
/// pass. Not thread-safe.
/// </summary>
internal sealed class TwoLayerDoubleDoublePasses
{
    /// <summary>The samples whose zᵢ one call of <see cref="SplitDoubleDoubleKernels.AccumulateProductColumns"/> sums (each row of Wᵀ loaded once for them).</summary>
    private const int Block = 4;

    private readonly int _n, _d, _m, _width;   // _width = m̄, m padded
    private readonly DoubleDouble[] _x;        // n × d, sample-major (the data's layout)
    private readonly DoubleDouble[] _xt;       // Xᵀ, d × n
    private readonly bool _oneWordInputs;      // every xᵢₖ a non-zero double: the sums over the inputs take the one-word term untested
    private readonly AlignedDoubles _wtHi, _wtLo;    // Wᵀ, d × m̄
    private readonly AlignedDoubles _vHi, _vLo;      // v, m̄
    private readonly AlignedDoubles _zHi, _zLo;      // the rows zᵢ of a block of samples, Block × m̄
    private readonly AlignedDoubles _sigmaHi, _sigmaLo, _slopeHi, _slopeLo;   // σ(zᵢ), σ′(zᵢ), n × m̄
    private readonly AlignedDoubles _deltaHi, _deltaLo;  // δ, n × m̄
    private readonly AlignedDoubles _gvHi, _gvLo;    // ∇v, m̄, as the accumulation's (S, E) and then normalised
    private readonly AlignedDoubles _gwtHi, _gwtLo;  // (∇W)ᵀ, d × m̄, the same

    /// <summary>Binds a network to a data set (see <see cref="Supports"/>).</summary>
    /// <param name="network">A two-layer ReLU² network with d &lt; m.</param>
    /// <param name="data">The data; its d equals the network's (checked by the caller).</param>
    internal TwoLayerDoubleDoublePasses(TwoLayerNetwork network, DataSet<DoubleDouble> data)
    {
        _n = data.Count;
        _d = network.InputDimension;
        _m = network.Width;
        _width = (_m + SplitDoubleDoubleKernels.Lanes - 1) / SplitDoubleDoubleKernels.Lanes * SplitDoubleDoubleKernels.Lanes;
        _x = data.X.ToArray();
        _oneWordInputs = Array.TrueForAll(_x, v => v.Lo == 0.0 && v.Hi != 0.0);
        _xt = new DoubleDouble[_d * _n];
        for (int i = 0; i < _n; i++)
            for (int k = 0; k < _d; k++) _xt[k * _n + i] = _x[i * _d + k];
        _wtHi = new AlignedDoubles(_d * _width);
        _wtLo = new AlignedDoubles(_d * _width);
        _vHi = new AlignedDoubles(_width);
        _vLo = new AlignedDoubles(_width);
        _zHi = new AlignedDoubles(Block * _width);
        _zLo = new AlignedDoubles(Block * _width);
        _sigmaHi = new AlignedDoubles(_n * _width);
        _sigmaLo = new AlignedDoubles(_n * _width);
        _slopeHi = new AlignedDoubles(_n * _width);
        _slopeLo = new AlignedDoubles(_n * _width);
        _deltaHi = new AlignedDoubles(_n * _width);
        _deltaLo = new AlignedDoubles(_n * _width);
        _gvHi = new AlignedDoubles(_width);
        _gvLo = new AlignedDoubles(_width);
        _gwtHi = new AlignedDoubles(_d * _width);
        _gwtLo = new AlignedDoubles(_d * _width);
    }

    /// <summary>
    /// Whether these passes evaluate the network: a <see cref="TwoLayerNetwork"/> with σ = ReLU² and d &lt; m (lanes
    /// over the neurons fill the vectors; a few wide neurons fill them poorly), on a processor with the vector kernels.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <returns>True when <see cref="TwoLayerDoubleDoublePasses(TwoLayerNetwork, DataSet{DoubleDouble})"/> applies.</returns>
    internal static bool Supports(HomogeneousNetwork network) =>
        DoubleDoubleKernels.IsSupported
        && network is TwoLayerNetwork { Activation: PolynomialLeakyRelu { Alpha: 0.0, Power: 2 } } twoLayer
        && twoLayer.InputDimension < twoLayer.Width;

    /// <summary>H(X; w), keeping σ and σ′ for <see cref="Backward"/>.</summary>
    /// <param name="w">Weights (W row-major, then v; validated by the caller).</param>
    /// <param name="h">Receives the n outputs.</param>
    /// <returns>False when a value was not finite (<paramref name="h"/> is then undefined).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal bool Forward(ReadOnlySpan<DoubleDouble> w, Span<DoubleDouble> h)
    {
        int n = _n, d = _d, m = _m, width = _width;
        Span<double> wtHi = _wtHi, wtLo = _wtLo, vHi = _vHi, vLo = _vLo;
        for (int j = 0; j < m; j++)
        {
            ReadOnlySpan<DoubleDouble> wj = w.Slice(j * d, d);
            for (int k = 0; k < d; k++)
            {
                wtHi[k * width + j] = wj[k].Hi;
                wtLo[k * width + j] = wj[k].Lo;
            }
            vHi[j] = w[m * d + j].Hi;
            vLo[j] = w[m * d + j].Lo;
        }
        Span<double> zHi = _zHi, zLo = _zLo;
        for (int i0 = 0; i0 < n; i0 += Block)
        {
            // zᵢ = Σₖ xᵢₖ Wᵀₖ in (S, E) = (zₕ, E) for a block of samples, then normalised; then σ and σ′.
            int count = Math.Min(Block, n - i0);
            zHi[..(count * width)].Clear();
            zLo[..(count * width)].Clear();
            SplitDoubleDoubleKernels.AccumulateProductColumns(_xt.AsSpan(i0), n, count, d, wtHi, wtLo, width, zHi, zLo, width, _oneWordInputs);
            for (int c = 0; c < count; c++)
            {
                int i = i0 + c;
                Span<double> ziHi = zHi.Slice(c * width, width), ziLo = zLo.Slice(c * width, width);
                SplitDoubleDoubleKernels.Normalize(ziHi, ziLo, ziHi, ziLo);
                Span<double> sigmaHi = _sigmaHi.AsSpan(i * width, width), sigmaLo = _sigmaLo.AsSpan(i * width, width);
                SplitDoubleDoubleKernels.ReluSquare(ziHi, ziLo, sigmaHi, sigmaLo, _slopeHi.AsSpan(i * width, width), _slopeLo.AsSpan(i * width, width));
                h[i] = SplitDoubleDoubleKernels.Dot(vHi, vLo, sigmaHi, sigmaLo);
            }
        }
        // A non-finite partial sum makes z non-finite, and a non-finite z makes σ non-finite (σ′ = 2z is finite when σ = z²
        // is). A non-finite σᵢⱼ makes hᵢ = ⟨v, σᵢ⟩ NaN or infinite: its product with vⱼ is ±∞ or NaN (0·∞), and the TwoSum
        // that takes it yields a NaN error. So finite outputs mean finite σ and σ′, and only h is checked.
        return SplitDoubleDoubleKernels.AllFinite(MemoryMarshal.Cast<DoubleDouble, double>(h[..n]));
    }

    /// <summary>∇_w Σᵢ cᵢ H(xᵢ; w) at the weights of the last <see cref="Forward"/>.</summary>
    /// <param name="c">The cotangents cᵢ, length n.</param>
    /// <param name="gradient">Receives the gradient, length P.</param>
    /// <returns>False when a value was not finite (<paramref name="gradient"/> is then undefined).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal bool Backward(ReadOnlySpan<DoubleDouble> c, Span<DoubleDouble> gradient)
    {
        int n = _n, d = _d, m = _m, width = _width;
        if (!SplitDoubleDoubleKernels.AllFinite(MemoryMarshal.Cast<DoubleDouble, double>(c[..n]))) return false;
        _gvHi.Span.Clear();
        _gvLo.Span.Clear();
        _gwtHi.Span.Clear();
        _gwtLo.Span.Clear();
        // ∇v = Σᵢ cᵢ σᵢ; δᵢ = (cᵢ·v)·σ′ᵢ; (∇W)ᵀₖ = Σᵢ xᵢₖ δᵢ: each sum over the samples in order.
        SplitDoubleDoubleKernels.AccumulateProducts(c[..n], _sigmaHi, _sigmaLo, width, _gvHi, _gvLo);
        for (int i = 0; i < n; i++)
            SplitDoubleDoubleKernels.ScaledProduct(c[i], _vHi, _vLo, _slopeHi.AsSpan(i * width, width), _slopeLo.AsSpan(i * width, width),
                _deltaHi.AsSpan(i * width, width), _deltaLo.AsSpan(i * width, width));
        SplitDoubleDoubleKernels.AccumulateProductColumns(_x, d, d, n, _deltaHi, _deltaLo, width, _gwtHi, _gwtLo, width, _oneWordInputs);
        SplitDoubleDoubleKernels.Normalize(_gvHi, _gvLo, _gvHi, _gvLo);
        SplitDoubleDoubleKernels.Normalize(_gwtHi, _gwtLo, _gwtHi, _gwtLo);
        if (!SplitDoubleDoubleKernels.AllFinite(_gvHi) || !SplitDoubleDoubleKernels.AllFinite(_gwtHi)) return false;
        ReadOnlySpan<double> gwtHi = _gwtHi, gwtLo = _gwtLo, gvHi = _gvHi, gvLo = _gvLo;
        for (int j = 0; j < m; j++)
        {
            Span<DoubleDouble> gj = gradient.Slice(j * d, d);
            for (int k = 0; k < d; k++) gj[k] = Pair(gwtHi[k * width + j], gwtLo[k * width + j]);
            gradient[m * d + j] = Pair(gvHi[j], gvLo[j]);
        }
        return true;
    }

    /// <summary>The double-double with these words, as stored (no renormalisation).</summary>
    private static DoubleDouble Pair(double hi, double lo)
    {
        Span<double> words = [hi, lo];
        return MemoryMarshal.Cast<double, DoubleDouble>(words)[0];
    }
}
