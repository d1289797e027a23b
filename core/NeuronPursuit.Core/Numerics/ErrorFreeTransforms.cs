// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// Error-free transformations of binary64 arithmetic: each returns the rounded result r = RN(a ∘ b)
/// together with the exact rounding error e, so that a ∘ b = r + e holds exactly in ℝ.
/// They are the building blocks of <see cref="DoubleDouble"/> arithmetic.
/// </summary>
/// <remarks>
/// All three assume IEEE 754 binary64 with round-to-nearest-even (the .NET default; no extended
/// precision on any supported platform). The identities are exact only when no intermediate result
/// overflows; for <see cref="TwoProd"/> the error term must also not underflow (see there).
/// With a non-finite input or an overflowing sum/product the error term is NaN or meaningless;
/// callers that can meet such values test the rounded result with <see cref="double.IsFinite"/>.
/// </remarks>
public static class ErrorFreeTransforms
{
    /// <summary>
    /// Knuth's branch-free TwoSum (Knuth, TAOCP vol. 2, §4.2.2, Theorem B; Møller 1965):
    /// s = RN(a + b) and e = (a + b) − s exactly, for any ordering of |a| and |b|.
    /// </summary>
    /// <param name="a">First summand.</param>
    /// <param name="b">Second summand.</param>
    /// <returns>The rounded sum and its exact rounding error; |Error| ≤ ulp(Sum)/2.</returns>
    /// <remarks>Exact for all finite a, b whose rounded sum does not overflow (underflow is harmless:
    /// sums of doubles that underflow are exact). Six floating-point operations.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Sum, double Error) TwoSum(double a, double b)
    {
        double s = a + b;
        // Recover the parts of a and b that actually entered s; their deficits are exact.
        double aVirtual = s - b;
        double bVirtual = s - aVirtual;
        double aRoundoff = a - aVirtual;
        double bRoundoff = b - bVirtual;
        return (s, aRoundoff + bRoundoff);
    }

    /// <summary>
    /// Dekker's FastTwoSum (Dekker 1971, "A floating-point technique for extending the available
    /// precision", Numer. Math. 18, Theorem 4.3): s = RN(a + b) and e = (a + b) − s exactly,
    /// in three operations, provided |a| ≥ |b| (more precisely: the exponent of a is not smaller
    /// than that of b, or a = 0).
    /// </summary>
    /// <param name="a">Summand of the larger magnitude.</param>
    /// <param name="b">Summand of the smaller magnitude.</param>
    /// <returns>The rounded sum and its exact rounding error.</returns>
    /// <remarks>If the precondition fails the error term may be inexact; no check is made because the
    /// callers in double-word algorithms guarantee the ordering by construction.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Sum, double Error) FastTwoSum(double a, double b)
    {
        double s = a + b;
        // s − a is exact under the exponent precondition (Sterbenz-like argument in Dekker's proof).
        double bVirtual = s - a;
        return (s, b - bVirtual);
    }

    /// <summary>
    /// TwoProd with a fused multiply-add (the FMA variant of Dekker's product, Dekker 1971, §5;
    /// see Muller et al., Handbook of Floating-Point Arithmetic, 2nd ed., Algorithm 4.8 "Fast2Mult"):
    /// p = RN(a·b) and e = a·b − p exactly.
    /// </summary>
    /// <param name="a">First factor.</param>
    /// <param name="b">Second factor.</param>
    /// <returns>The rounded product and its exact rounding error; |Error| ≤ ulp(Product)/2.</returns>
    /// <remarks>Exact when a·b does not overflow and the exponents satisfy e_a + e_b ≥ −1022 + 52
    /// (i.e. the error term is not below the subnormal range); otherwise the error term is only an
    /// approximation. Uses <see cref="Math.FusedMultiplyAdd"/>, which is a single hardware instruction
    /// on x64 with FMA3 and on Arm64 (and correctly rounded in software elsewhere).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Product, double Error) TwoProd(double a, double b)
    {
        double p = a * b;
        // The FMA evaluates a·b − p with a single rounding, and that difference is representable.
        return (p, Math.FusedMultiplyAdd(a, b, -p));
    }
}
