// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Objectives;

/// <summary>Shape checks shared by the losses.</summary>
internal static class LossChecks
{
    internal static void Validate<T>(ReadOnlySpan<T> h, ReadOnlySpan<T> y, Span<T> derivative) where T : struct, INumber<T>
    {
        if (h.Length == 0) throw new ArgumentException("h: no outputs to evaluate the loss on.", nameof(h));
        Guard.SameLength(y.Length, h.Length, nameof(y), nameof(h));
        if (!derivative.IsEmpty) Guard.SameLength(derivative.Length, h.Length, nameof(derivative), nameof(h));
    }

    internal static void ValidateRange<T>(ReadOnlySpan<T> h, ReadOnlySpan<T> y, Span<T> derivative, int sampleCount) where T : struct, INumber<T>
    {
        Guard.SameLength(y.Length, h.Length, nameof(y), nameof(h));
        Guard.SameLength(derivative.Length, h.Length, nameof(derivative), nameof(h));
        if (sampleCount < h.Length || sampleCount < 1)
            throw new ArgumentException($"sampleCount: {sampleCount} is not the size of a data set holding these {h.Length} samples.", nameof(sampleCount));
    }
}
