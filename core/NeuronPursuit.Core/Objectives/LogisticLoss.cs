// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Objectives;

/// <summary>
/// Logistic loss ℒ = Σᵢ ln(1 + exp(−yᵢ hᵢ)) (or divided by n), for labels yᵢ ∈ {−1, +1}
/// (Kumar &amp; Haupt, TMLR 2024, §3, which shows it yields the same early direction as the square
/// loss). Evaluated as max(−z, 0) + ln(1 + exp(−|z|)) with z = y h, which never overflows.
/// </summary>
/// <param name="normalisation">Sum (default) or mean.</param>
public sealed class LogisticLoss(LossNormalisation normalisation = LossNormalisation.Sum) : ILoss
{
    /// <inheritdoc/>
    public LossNormalisation Normalisation { get; } = normalisation;

    /// <inheritdoc/>
    public string Specification => Normalisation == LossNormalisation.Sum ? "logistic (Σ)" : "logistic (mean)";

    /// <inheritdoc/>
    public T Evaluate<T>(ReadOnlySpan<T> h, ReadOnlySpan<T> y, Span<T> derivative)
        where T : struct, INumber<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
    {
        LossChecks.Validate(h, y, derivative);
        T scale = Normalisation == LossNormalisation.Sum ? T.One : T.One / T.CreateTruncating(h.Length);
        T sum = T.Zero;
        for (int i = 0; i < h.Length; i++)
        {
            T z = y[i] * h[i];
            // e = exp(−|z|) ∈ (0, 1]: ln(1 + e^{−z}) = max(−z, 0) + ln(1 + e), and the sigmoid from the same e.
            T e = T.Exp(-T.Abs(z));
            sum += T.Max(-z, T.Zero) + CompensatedElementary.LogOnePlus(e);
            if (!derivative.IsEmpty)
            {
                // ∂ℓ/∂h = −y / (1 + e^{z}) = −y·s with s = 1/(1 + e^{z}).
                T s = z >= T.Zero ? e / (T.One + e) : T.One / (T.One + e);
                derivative[i] = -scale * y[i] * s;
            }
        }
        return scale * sum;
    }
}
