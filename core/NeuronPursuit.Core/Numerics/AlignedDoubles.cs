// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// A buffer of doubles, zero on allocation, whose first element lies on a 64-byte boundary: one cache line, one 512-bit
/// vector. A 512-bit load from an address that is not a multiple of 64 spans two cache lines and costs two loads; on this
/// project's benchmark machine the first layer's weight gradient of the Neuron Pursuit demo ran twice as fast from aligned
/// rows (bench/RESULTS.md). The array lives on the pinned object heap, where the garbage collector never moves it, so the
/// boundary found at allocation holds for the buffer's life.
/// </summary>
internal sealed class AlignedDoubles
{
    /// <summary>Bytes to the boundary: 64.</summary>
    public const int Alignment = 64;

    private readonly double[] _array;
    private readonly int _offset;

    /// <summary>Allocates <paramref name="length"/> zeros.</summary>
    /// <param name="length">Number of doubles, ≥ 0.</param>
    public AlignedDoubles(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _array = GC.AllocateArray<double>(length + Alignment / sizeof(double) - 1, pinned: true);
        GCHandle handle = GCHandle.Alloc(_array, GCHandleType.Pinned);
        long address = handle.AddrOfPinnedObject();
        handle.Free();
        _offset = (int)((Alignment - address % Alignment) % Alignment) / sizeof(double);
        Length = length;
    }

    /// <summary>Number of doubles.</summary>
    public int Length { get; }

    /// <summary>The doubles, starting on the boundary.</summary>
    public Span<double> Span => _array.AsSpan(_offset, Length);

    /// <summary>Element <paramref name="index"/>.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="Length"/>.</param>
    public ref double this[int index] => ref Span[index];

    /// <summary>The doubles from <paramref name="start"/> on.</summary>
    /// <param name="start">First index.</param>
    /// <returns>The span.</returns>
    public Span<double> AsSpan(int start) => Span[start..];

    /// <summary><paramref name="length"/> doubles from <paramref name="start"/>.</summary>
    /// <param name="start">First index.</param>
    /// <param name="length">Count.</param>
    /// <returns>The span.</returns>
    public Span<double> AsSpan(int start, int length) => Span.Slice(start, length);

    /// <summary>The buffer as a span (<see cref="Span"/>).</summary>
    /// <param name="buffer">The buffer.</param>
    public static implicit operator Span<double>(AlignedDoubles buffer) => buffer.Span;

    /// <summary>The buffer as a read-only span (<see cref="Span"/>).</summary>
    /// <param name="buffer">The buffer.</param>
    public static implicit operator ReadOnlySpan<double>(AlignedDoubles buffer) => buffer.Span;
}
