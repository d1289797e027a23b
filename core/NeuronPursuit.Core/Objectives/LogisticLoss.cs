// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Objectives;

/// <summary>
/// Logistic loss ℒ = s·Σᵢ ln(1 + exp(−yᵢ hᵢ)) (or divided by n), for labels yᵢ ∈ {−1, +1}
/// (Kumar &amp; Haupt, arXiv 2402.09226, which shows it yields the same early direction as the square
/// loss; with s = 2, −∂ℓ/∂h at h = 0 is y, so the early flow matches the square loss's in time too: docs/claims.md #15).
/// Evaluated as max(−z, 0) + ln(1 + exp(−|z|)) with z = y h, which never overflows.
/// </summary>
/// <param name="normalisation">Sum (default) or mean.</param>
/// <param name="factor">The factor s (default 1), positive and finite.</param>
public sealed class LogisticLoss(LossNormalisation normalisation = LossNormalisation.Sum, double factor = 1.0) : ILoss
{
    /// <inheritdoc/>
    public LossNormalisation Normalisation { get; } = normalisation;

    /// <summary>The factor s in s·Σᵢ ln(1 + exp(−yᵢ hᵢ)).</summary>
    public double Factor { get; } = double.IsFinite(factor) && factor > 0.0
        ? factor
        : throw new ArgumentException($"factor: the logistic loss's factor must be positive and finite, got {factor}.", nameof(factor));

    /// <inheritdoc/>
    public string Name => (Normalisation == LossNormalisation.Sum ? "logistic" : "logistic-mean")
                          + (Factor == 1.0 ? "" : ":" + Factor.ToString("R", System.Globalization.CultureInfo.InvariantCulture));

    /// <inheritdoc/>
    public string Specification => (Factor == 1.0 ? "" : Factor.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "·")
                                   + (Normalisation == LossNormalisation.Sum ? "logistic (Σ)" : "logistic (mean)");

    /// <inheritdoc/>
    public T Evaluate<T>(ReadOnlySpan<T> h, ReadOnlySpan<T> y, Span<T> derivative)
        where T : struct, INumber<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
    {
        LossChecks.Validate(h, y, derivative);
        T scale = Scale<T>(h.Length);
        T sum = T.Zero;
        for (int i = 0; i < h.Length; i++)
        {
            T z = y[i] * h[i];
            // e = exp(−|z|) ∈ (0, 1]: ln(1 + e^{−z}) = max(−z, 0) + ln(1 + e), and the sigmoid from the same e.
            T e = T.Exp(-T.Abs(z));
            sum += T.Max(-z, T.Zero) + CompensatedElementary.LogOnePlus(e);
            if (!derivative.IsEmpty) derivative[i] = SampleDerivative(scale, y[i], z, e);
        }
        return scale * sum;
    }

    /// <inheritdoc/>
    public void Derivative<T>(ReadOnlySpan<T> h, ReadOnlySpan<T> y, Span<T> derivative, int sampleCount)
        where T : struct, INumber<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
    {
        LossChecks.ValidateRange(h, y, derivative, sampleCount);
        T scale = Scale<T>(sampleCount);
        for (int i = 0; i < h.Length; i++)
        {
            T z = y[i] * h[i];
            derivative[i] = SampleDerivative(scale, y[i], z, T.Exp(-T.Abs(z)));
        }
    }

    /// <summary>∂ℓ/∂h = −y / (1 + e^{z}) = −y·s with s = 1/(1 + e^{z}), from e = exp(−|z|), z = y h.</summary>
    private static T SampleDerivative<T>(T scale, T y, T z, T e) where T : struct, INumber<T>
    {
        T s = z >= T.Zero ? e / (T.One + e) : T.One / (T.One + e);
        return -scale * y * s;
    }

    private T Scale<T>(int sampleCount) where T : struct, INumber<T> =>
        T.CreateTruncating(Factor) * (Normalisation == LossNormalisation.Sum ? T.One : T.One / T.CreateTruncating(sampleCount));
}
