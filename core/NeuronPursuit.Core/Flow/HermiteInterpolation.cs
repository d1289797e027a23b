// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Flow;

/// <summary>The cubic Hermite interpolant on one step, the default dense output of order 3.</summary>
public static class HermiteInterpolation
{
    /// <summary>y(t + θh) from y₀, f₀ at the start and y₁, f₁ at the end of a step of size h.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="theta">θ ∈ [0, 1].</param>
    /// <param name="h">Step size.</param>
    /// <param name="y0">y at the start.</param>
    /// <param name="f0">f at the start.</param>
    /// <param name="y1">y at the end.</param>
    /// <param name="f1">f at the end.</param>
    /// <param name="y">Receives the interpolated state.</param>
    public static void Cubic<T>(T theta, T h, ReadOnlySpan<T> y0, ReadOnlySpan<T> f0, ReadOnlySpan<T> y1, ReadOnlySpan<T> f1, Span<T> y)
        where T : struct, INumber<T>
    {
        // Hermite basis on [0, 1]: h00 = (1 + 2θ)(1 − θ)², h10 = θ(1 − θ)², h01 = θ²(3 − 2θ), h11 = θ²(θ − 1).
        T one = T.One, two = one + one, three = two + one;
        T u = one - theta;
        T h00 = (one + two * theta) * u * u;
        T h10 = theta * u * u;
        T h01 = theta * theta * (three - two * theta);
        T h11 = theta * theta * (theta - one);
        for (int k = 0; k < y.Length; k++)
            y[k] = h00 * y0[k] + h10 * h * f0[k] + h01 * y1[k] + h11 * h * f1[k];
    }
}
