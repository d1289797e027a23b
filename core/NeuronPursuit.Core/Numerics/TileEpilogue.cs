// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// What <see cref="FeatureMajorKernels"/>' row combination Z = C·A does with each finished tile of Z (a few rows × a
/// few vectors of samples, just stored and still in the first-level cache), so that the elementwise step that follows
/// a product in a network's passes costs no second sweep over memory. The kernels take the epilogue as a struct type
/// parameter, so the JIT compiles one kernel per epilogue with the call inlined (and none at all for
/// <see cref="KeepTile{TV}"/>). Every epilogue does per element exactly the operations of the separate pass it
/// replaces, in the same order, so fusing changes no bit.
/// </summary>
/// <typeparam name="TV">The SIMD vector width.</typeparam>
internal interface ITileEpilogue<TV> where TV : struct, ISimdDouble<TV>
{
    /// <summary>Finishes rows [row, row + rows) × vectors [0, vectors) of Z from z[origin] on (row r of the tile at
    /// z[origin + r·ldz]); origin is the tile's offset in Z's layout, which the other blocks of the epilogue share.</summary>
    void Apply(ref double z, nint origin, nint ldz, int row, int rows, int vectors);
}

/// <summary>Leaves Z as computed.</summary>
internal readonly struct KeepTile<TV> : ITileEpilogue<TV> where TV : struct, ISimdDouble<TV>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref double z, nint origin, nint ldz, int row, int rows, int vectors)
    {
    }
}

/// <summary>
/// Z ← Z ⊙ F for F in Z's layout: the backward signal G_{l−1} = (W_lᵀ G_l) ⊙ σ′(Z_{l−1}), one rounding per element as in
/// <see cref="FeatureMajorKernels.MultiplyInPlace"/>.
/// </summary>
internal readonly ref struct ScaleTile<TV> : ITileEpilogue<TV> where TV : struct, ISimdDouble<TV>
{
    private readonly ReadOnlySpan<double> _factors;

    /// <summary>Multiplies by <paramref name="factors"/> (Z's layout, at least as long as the rows Z uses).</summary>
    internal ScaleTile(ReadOnlySpan<double> factors) => _factors = factors;

    public void Apply(ref double z, nint origin, nint ldz, int row, int rows, int vectors)
    {
        ref double f = ref MemoryMarshal.GetReference(_factors);
        for (int r = 0; r < rows; r++)
        {
            nuint o = (nuint)(origin + r * ldz);
            for (int v = 0; v < vectors; v++, o += (nuint)TV.Count)
                TV.Store(TV.Multiply(TV.Load(ref z, o), TV.Load(ref f, o)), ref z, o);
        }
    }
}

/// <summary>
/// A = σ(Z) and D = σ′(Z) for the polynomial leaky ReLU σ(z) = max(z, αz)ᵖ (the forward pass A_l = σ(Z_l),
/// D_l = σ′(Z_l)), with the operations of the activation's own double loop (slope = z &gt; 0 ? 1 : α, s = slope·z,
/// s^{p−1} by repeated products from 1, σ = s^{p−1}·s, σ′ = (p·s^{p−1})·slope, or slope when p = 1). When a readout is
/// given, the network's output h = Σⱼ cⱼ A[j, ·] is accumulated by fused multiply–adds in the order of j, as the row
/// combination with one row computes it (the kernel finishes the tiles of each vector of samples in increasing rows).
/// </summary>
internal readonly ref struct ActivateTile<TV> : ITileEpilogue<TV> where TV : struct, ISimdDouble<TV>
{
    private readonly double _alpha;
    private readonly int _power;
    private readonly Span<double> _values;
    private readonly Span<double> _derivatives;
    private readonly ReadOnlySpan<double> _readout; // empty: no readout
    private readonly int _readoutOffset;
    private readonly Span<double> _outputs;
    private readonly int _outputOffset;

    /// <summary>σ(z) = max(z, αz)ᵖ into <paramref name="values"/>, σ′ into <paramref name="derivatives"/> (both in Z's layout);
    /// with a readout (not empty), h[outputOffset + i] = Σⱼ readout[readoutOffset + j]·σ(Z[j, i]).</summary>
    internal ActivateTile(double alpha, int power, Span<double> values, Span<double> derivatives, ReadOnlySpan<double> readout, int readoutOffset,
        Span<double> outputs, int outputOffset)
    {
        _alpha = alpha;
        _power = power;
        _values = values;
        _derivatives = derivatives;
        _readout = readout;
        _readoutOffset = readoutOffset;
        _outputs = outputs;
        _outputOffset = outputOffset;
    }

    public void Apply(ref double z, nint origin, nint ldz, int row, int rows, int vectors)
    {
        ref double a = ref MemoryMarshal.GetReference(_values);
        ref double d = ref MemoryMarshal.GetReference(_derivatives);
        TV one = TV.Broadcast(1.0), alpha = TV.Broadcast(_alpha), power = TV.Broadcast(_power);
        int p = _power;
        for (int r = 0; r < rows; r++)
        {
            nuint o = (nuint)(origin + r * ldz);
            for (int v = 0; v < vectors; v++, o += (nuint)TV.Count)
            {
                TV zv = TV.Load(ref z, o);
                TV slope = TV.SelectPositive(zv, one, alpha);
                TV s = TV.Multiply(slope, zv);
                TV sPowerMinusOne = p > 1 ? s : one; // 1·s = s exactly
                for (int k = 2; k < p; k++) sPowerMinusOne = TV.Multiply(sPowerMinusOne, s);
                TV.Store(TV.Multiply(sPowerMinusOne, s), ref a, o);
                TV.Store(p == 1 ? slope : TV.Multiply(TV.Multiply(power, sPowerMinusOne), slope), ref d, o);
            }
        }
        if (_readout.IsEmpty) return;
        ref double c = ref Unsafe.Add(ref MemoryMarshal.GetReference(_readout), _readoutOffset + row);
        nint column = origin - row * ldz;
        ref double h = ref Unsafe.Add(ref MemoryMarshal.GetReference(_outputs), _outputOffset + column);
        for (int v = 0; v < vectors; v++)
        {
            nuint o = (nuint)(v * TV.Count);
            TV sum = row == 0 ? TV.Zero : TV.Load(ref h, o);
            for (int r = 0; r < rows; r++)
                sum = TV.MultiplyAdd(TV.Broadcast(Unsafe.Add(ref c, r)), TV.Load(ref a, (nuint)(origin + r * ldz) + o), sum);
            TV.Store(sum, ref h, o);
        }
    }
}
