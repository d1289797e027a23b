// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// ln(1 + x) and eˣ − 1 accurate for small |x| in any scalar type. .NET's <c>double.LogP1</c> and
/// <c>double.ExpM1</c> evaluate ln(x + 1) and eˣ − 1 directly and lose all relative accuracy once
/// |x| &lt; 1e-16; these use the compensations of Goldberg (1991, "What every computer scientist should
/// know about floating-point arithmetic", Thm. 4) and Kahan (expm1 by eˣ − 1 corrected with ln eˣ).
/// </summary>
public static class CompensatedElementary
{
    /// <summary>ln(1 + x) = ln(u)·x/(u − 1) with u = 1 + x rounded; the quotient corrects the rounding of u.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="x">x &gt; −1.</param>
    /// <returns>ln(1 + x).</returns>
    public static T LogOnePlus<T>(T x) where T : struct, INumber<T>, ILogarithmicFunctions<T>
    {
        T u = T.One + x;
        T uMinusOne = u - T.One;
        // == compares values (for a Dual, its value part): the branch is chosen by the primal, as ln(1 + x) ≈ x there.
        return uMinusOne == T.Zero ? x : T.Log(u) * (x / uMinusOne);
    }

    /// <summary>eˣ − 1 = (u − 1)·x/ln u with u = eˣ rounded (Kahan); exact limits at u = 1 and u − 1 = −1.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="x">Exponent.</param>
    /// <returns>eˣ − 1.</returns>
    public static T ExpMinusOne<T>(T x) where T : struct, INumber<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
    {
        T u = T.Exp(x);
        if (u == T.One) return x;
        T uMinusOne = u - T.One;
        if (uMinusOne == -T.One) return -T.One;
        return uMinusOne * x / T.Log(u);
    }
}
