// SPDX-License-Identifier: MIT
using System.Numerics;

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
            sum += T.Max(-z, T.Zero) + LogOnePlus(e);
            if (!derivative.IsEmpty)
            {
                // ∂ℓ/∂h = −y / (1 + e^{z}) = −y·s with s = 1/(1 + e^{z}).
                T s = z >= T.Zero ? e / (T.One + e) : T.One / (T.One + e);
                derivative[i] = -scale * y[i] * s;
            }
        }
        return scale * sum;
    }

    /// <summary>
    /// ln(1 + x) accurate for small x, as ln(u)·x/(u − 1) with u = 1 + x rounded (Goldberg 1991, "What
    /// every computer scientist should know about floating-point arithmetic", Thm. 4): the quotient
    /// x/(u − 1) corrects the rounding of u. <c>double.LogP1</c> is not used because it evaluates
    /// ln(x + 1) directly, which loses all relative accuracy once x &lt; 1e-16.
    /// </summary>
    private static T LogOnePlus<T>(T x) where T : struct, INumber<T>, ILogarithmicFunctions<T>
    {
        T u = T.One + x;
        T uMinusOne = u - T.One;
        // == compares values (for a Dual, its value part): the branch is chosen by the primal, as ln(1 + x) ≈ x there.
        return uMinusOne == T.Zero ? x : T.Log(u) * (x / uMinusOne);
    }
}
