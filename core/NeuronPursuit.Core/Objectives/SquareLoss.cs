// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Objectives;

/// <summary>
/// Square loss ℒ = ½ Σᵢ (hᵢ − yᵢ)² (or divided by n), the loss of all four papers
/// (Kumar &amp; Haupt, arXiv 2402.09226). Near w = 0 its negative gradient is ≈ ∇N(w), which ties
/// small-initialisation dynamics to the NCF.
/// </summary>
/// <param name="normalisation">Sum (default, as in the papers) or mean.</param>
public sealed class SquareLoss(LossNormalisation normalisation = LossNormalisation.Sum) : ILoss
{
    /// <inheritdoc/>
    public LossNormalisation Normalisation { get; } = normalisation;

    /// <inheritdoc/>
    public string Name => Normalisation == LossNormalisation.Sum ? "square" : "square-mean";

    /// <inheritdoc/>
    public string Specification => Normalisation == LossNormalisation.Sum ? "square (½Σ)" : "square (½·mean)";

    /// <inheritdoc/>
    public T Evaluate<T>(ReadOnlySpan<T> h, ReadOnlySpan<T> y, Span<T> derivative)
        where T : struct, INumber<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
    {
        LossChecks.Validate(h, y, derivative);
        T scale = Scale<T>(h.Length);
        T half = T.CreateTruncating(0.5);
        T sum = T.Zero;
        for (int i = 0; i < h.Length; i++)
        {
            T e = h[i] - y[i];
            sum += e * e;
            if (!derivative.IsEmpty) derivative[i] = scale * e;
        }
        return half * scale * sum;
    }

    /// <inheritdoc/>
    public void Derivative<T>(ReadOnlySpan<T> h, ReadOnlySpan<T> y, Span<T> derivative, int sampleCount)
        where T : struct, INumber<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
    {
        LossChecks.ValidateRange(h, y, derivative, sampleCount);
        T scale = Scale<T>(sampleCount);
        for (int i = 0; i < h.Length; i++) derivative[i] = scale * (h[i] - y[i]);
    }

    private T Scale<T>(int sampleCount) where T : struct, INumber<T> =>
        Normalisation == LossNormalisation.Sum ? T.One : T.One / T.CreateTruncating(sampleCount);
}
