// SPDX-License-Identifier: MIT
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using static NeuronPursuit.Core.Numerics.ErrorFreeTransforms;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// Double-double ("double-word") number: the unevaluated sum <see cref="Hi"/> + <see cref="Lo"/> of two
/// binary64 numbers, normalised so that Hi = RN(Hi + Lo) (hence |Lo| ≤ ulp(Hi)/2). It carries about
/// 106 significant bits (≈ 32 decimal digits) with the exponent range of <see cref="double"/>.
/// </summary>
/// <remarks>
/// <para>Arithmetic uses the algorithms with proven relative error bounds of Joldes, Muller &amp; Popescu,
/// "Tight and rigorous error bounds for basic building blocks of double-word arithmetic", ACM TOMS 44(2),
/// 2017 (JMP), as refined by Muller &amp; Rideau, "Formalization of double-word arithmetic, and comments on
/// 'Tight and rigorous error bounds…'", ACM TOMS 48(1), 2022 (MR), and, for the square root, Lefèvre,
/// Louvet, Muller, Picot &amp; Rideau, "Accurate calculation of Euclidean norms using double-word
/// arithmetic", ACM TOMS 49(1), 2023 (LLMPR). With u = 2^-53 the bounds are (also in units of
/// <see cref="UnitRoundoff"/> = 2^-104 = 4u²):</para>
/// <list type="table">
/// <item><term>x ± y</term><description>AccurateDWPlusDW (JMP Alg. 6, Thm 3.1): 3u² + 13u³ ≈ 0.75·2^-104, including cancellation.</description></item>
/// <item><term>x ± a (a double)</term><description>DWPlusFP (JMP Alg. 4, Thm 2.2): 2u² = 0.5·2^-104.</description></item>
/// <item><term>x · y</term><description>DWTimesDW3 (JMP Alg. 12; MR Thm 2.8): 4u² = 1·2^-104.</description></item>
/// <item><term>x · a</term><description>DWTimesFP3 (JMP Alg. 9, Thm 4.3): 2u² = 0.5·2^-104.</description></item>
/// <item><term>x / y, a / y</term><description>DWDivDW2 with DWTimesFP1 (JMP Alg. 17, Thm 7.1): 15u² + 56u³ ≈ 3.75·2^-104.</description></item>
/// <item><term>x / a</term><description>DWDivFP3 (JMP Alg. 15, Thm 6.2): 3u² = 0.75·2^-104.</description></item>
/// <item><term>√x</term><description>SQRTDWtoDW (LLMPR Alg. 8): 25/8·u² ≈ 0.79·2^-104.</description></item>
/// </list>
/// <para>The bounds hold while no intermediate result overflows or underflows: full precision needs
/// 2^-969 ≲ |x| ≲ 2^1023 (below, the low word is subnormal). Infinities and NaN propagate as in
/// <see cref="double"/> arithmetic (the low word of a non-finite value is 0). Arithmetic allocates nothing;
/// parsing, formatting and some conversions are exact and use <see cref="BigInteger"/>.</para>
/// <para>The conventional "double-double epsilon" of the QD library (Hida, Li &amp; Bailey 2001,
/// "Algorithms for quad-double precision floating point arithmetic") is <see cref="UnitRoundoff"/> = 2^-104.</para>
/// </remarks>
public readonly partial struct DoubleDouble :
    INumber<DoubleDouble>,
    ISignedNumber<DoubleDouble>,
    IRootFunctions<DoubleDouble>
{
    /// <summary>Leading word: RN(Hi + Lo), i.e. the value correctly rounded to double.</summary>
    public readonly double Hi;

    /// <summary>Trailing word: the remainder (Hi + Lo) − Hi, with |Lo| ≤ ulp(Hi)/2; 0 when Hi is not finite.</summary>
    public readonly double Lo;

    /// <summary>Creates the double-double equal to <paramref name="value"/> exactly (Lo = 0).</summary>
    /// <param name="value">Any double, including NaN and infinities.</param>
    public DoubleDouble(double value)
    {
        Hi = value;
        Lo = 0.0;
    }

    /// <summary>
    /// Creates the double-double equal to hi + lo exactly, renormalised with <see cref="ErrorFreeTransforms.TwoSum"/>
    /// so that the result satisfies Hi = RN(Hi + Lo). If RN(hi + lo) is not finite the result is that value with Lo = 0.
    /// </summary>
    /// <param name="hi">First component (any magnitude order).</param>
    /// <param name="lo">Second component.</param>
    public DoubleDouble(double hi, double lo)
    {
        (double s, double e) = TwoSum(hi, lo);
        Hi = s;
        Lo = double.IsFinite(s) ? e : 0.0;
    }

    // Trusted constructor: the caller guarantees hi = RN(hi + lo) (or hi non-finite and lo = 0).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private DoubleDouble(double hi, double lo, bool _)
    {
        Hi = hi;
        Lo = lo;
    }

    // ─────────────────────────────────────────────────────────────────────────────────────────────
    // Constants
    // ─────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Unit roundoff of double-double arithmetic, 2^-104 ≈ 4.93e-32: the "epsilon" of the QD library
    /// (Hida, Li &amp; Bailey 2001). It is 4u² with u = 2^-53; the proven relative error bounds of the
    /// basic operations are between 0.5 and 3.75 of this unit (see the type's remarks).
    /// </summary>
    public const double UnitRoundoff = 4.930380657631324E-32;

    /// <summary>Zero (+0).</summary>
    public static DoubleDouble Zero => new(0.0);

    /// <summary>One.</summary>
    public static DoubleDouble One => new(1.0);

    /// <summary>Minus one.</summary>
    public static DoubleDouble NegativeOne => new(-1.0);

    /// <summary>The radix of the underlying representation, 2.</summary>
    public static int Radix => 2;

    /// <summary>Additive identity (0).</summary>
    public static DoubleDouble AdditiveIdentity => Zero;

    /// <summary>Multiplicative identity (1).</summary>
    public static DoubleDouble MultiplicativeIdentity => One;

    /// <summary>Not a number.</summary>
    public static DoubleDouble NaN => new(double.NaN);

    /// <summary>Positive infinity.</summary>
    public static DoubleDouble PositiveInfinity => new(double.PositiveInfinity);

    /// <summary>Negative infinity.</summary>
    public static DoubleDouble NegativeInfinity => new(double.NegativeInfinity);

    /// <summary>π correctly rounded to double-double: 3.141592653589793 + 1.2246467991473532e-16.</summary>
    public static DoubleDouble Pi => new(3.141592653589793, 1.2246467991473532E-16, true);

    /// <summary>Euler's number e correctly rounded to double-double: 2.718281828459045 + 1.4456468917292502e-16.</summary>
    public static DoubleDouble E => new(2.718281828459045, 1.4456468917292502E-16, true);

    /// <summary>τ = 2π correctly rounded to double-double: 6.283185307179586 + 2.4492935982947064e-16.</summary>
    public static DoubleDouble Tau => new(6.283185307179586, 2.4492935982947064E-16, true);

    // ─────────────────────────────────────────────────────────────────────────────────────────────
    // Arithmetic kernels. Each runs the published algorithm on the fast path and falls back to the
    // plain double operation when the result is zero or not finite: the error terms are NaN there,
    // and a zero result must keep the IEEE sign of zero.
    // ─────────────────────────────────────────────────────────────────────────────────────────────

    // True for finite non-zero doubles; one unsigned comparison on the magnitude bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsFiniteNonZero(double d) =>
        (ulong)(BitConverter.DoubleToInt64Bits(d) & long.MaxValue) - 1UL < 0x7FEF_FFFF_FFFF_FFFFUL;

    /// <summary>AccurateDWPlusDW (JMP Alg. 6): relative error ≤ 3u² + 13u³.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DoubleDouble Add(double xh, double xl, double yh, double yl)
    {
        // Phase 1: exact sums of the leading words and of the trailing words.
        (double sh, double sl) = TwoSum(xh, yh);
        (double th, double tl) = TwoSum(xl, yl);
        // Phase 2: fold the trailing sum into the leading one and renormalise twice.
        double c = sl + th;
        (double vh, double vl) = FastTwoSum(sh, c);
        double w = tl + vl;
        (double zh, double zl) = FastTwoSum(vh, w);
        return IsFiniteNonZero(zh) ? new DoubleDouble(zh, zl, true) : AddSpecial(xh, yh);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DoubleDouble AddSpecial(double xh, double yh)
    {
        // A zero sum is exact (x = −y, hence xh = −yh), and RN(xh + yh) carries its IEEE sign; a non-finite
        // xh + yh is the IEEE result; otherwise the renormalisation overflowed.
        double s = xh + yh;
        return new DoubleDouble(s == 0.0 || !double.IsFinite(s) ? s : double.CopySign(double.PositiveInfinity, s));
    }

    /// <summary>DWPlusFP (JMP Alg. 4): relative error ≤ 2u².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DoubleDouble Add(double xh, double xl, double a)
    {
        (double sh, double sl) = TwoSum(xh, a);
        double v = xl + sl;
        (double zh, double zl) = FastTwoSum(sh, v);
        return IsFiniteNonZero(zh) ? new DoubleDouble(zh, zl, true) : AddSpecial(xh, a);
    }

    /// <summary>DWTimesDW3 (JMP Alg. 12): relative error ≤ 4u² (MR Thm 2.8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DoubleDouble Multiply(double xh, double xl, double yh, double yl)
    {
        // Phase 1: exact product of the leading words.
        (double ch, double cl1) = TwoProd(xh, yh);
        // Phase 2: cross terms, accumulated with FMAs from the smallest (xl·yl) upwards.
        double tl0 = xl * yl;
        double tl1 = Math.FusedMultiplyAdd(xh, yl, tl0);
        double cl2 = Math.FusedMultiplyAdd(xl, yh, tl1);
        double cl3 = cl1 + cl2;
        // Phase 3: renormalise.
        (double zh, double zl) = FastTwoSum(ch, cl3);
        return IsFiniteNonZero(zh) ? new DoubleDouble(zh, zl, true) : MultiplySpecial(xh, yh);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DoubleDouble MultiplySpecial(double xh, double yh)
    {
        // RN(xh·yh) has the IEEE sign and class (0, ∞, NaN); a finite non-zero one means the
        // renormalisation overflowed.
        double p = xh * yh;
        return new DoubleDouble(p == 0.0 || !double.IsFinite(p) ? p : double.CopySign(double.PositiveInfinity, p));
    }

    /// <summary>DWTimesFP3 (JMP Alg. 9): relative error ≤ 2u².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DoubleDouble Multiply(double xh, double xl, double a)
    {
        (double ch, double cl1) = TwoProd(xh, a);
        double cl3 = Math.FusedMultiplyAdd(xl, a, cl1);
        (double zh, double zl) = FastTwoSum(ch, cl3);
        return IsFiniteNonZero(zh) ? new DoubleDouble(zh, zl, true) : MultiplySpecial(xh, a);
    }

    /// <summary>DWTimesFP1 (JMP Alg. 7): relative error ≤ 1.5u² + 4u³; the product used inside DWDivDW2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (double Hi, double Lo) MultiplyFP1(double xh, double xl, double a)
    {
        (double ch, double cl1) = TwoProd(xh, a);
        double cl2 = xl * a;
        (double th, double tl1) = FastTwoSum(ch, cl2);
        double tl2 = tl1 + cl1;
        return FastTwoSum(th, tl2);
    }

    /// <summary>DWDivDW2 (JMP Alg. 17, with DWTimesFP1 at line 2): relative error ≤ 15u² + 56u³.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DoubleDouble Divide(double xh, double xl, double yh, double yl)
    {
        // Phase 1: leading quotient digit.
        double th = xh / yh;
        if (!IsFiniteNonZero(th))
        {
            // 0, ±∞ or NaN quotient (zero or non-finite operands, or underflow/overflow of xh/yh).
            return new DoubleDouble(th);
        }

        // Phase 2: remainder δ = x − th·y; xh − rh is exact because rh ≈ xh (Sterbenz).
        (double rh, double rl) = MultiplyFP1(yh, yl, th);
        double pih = xh - rh;
        double deltaL = xl - rl;
        double delta = pih + deltaL;
        // Phase 3: second quotient digit and renormalisation.
        double tl = delta / yh;
        (double zh, double zl) = FastTwoSum(th, tl);
        // Only an overflow of y·th or of the renormalisation near the top of the range gets here.
        return double.IsFinite(zh) ? new DoubleDouble(zh, zl, true) : new DoubleDouble(th);
    }

    /// <summary>DWDivFP3 (JMP Alg. 15): relative error ≤ 3u².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DoubleDouble Divide(double xh, double xl, double a)
    {
        double th = xh / a;
        if (!IsFiniteNonZero(th))
        {
            return new DoubleDouble(th);
        }

        // Remainder x − th·a, with th·a split exactly by TwoProd and xh − πh exact (Sterbenz).
        (double pih, double pil) = TwoProd(th, a);
        double deltaH = xh - pih;
        double deltaT = deltaH - pil;
        double delta = deltaT + xl;
        double tl = delta / a;
        (double zh, double zl) = FastTwoSum(th, tl);
        return double.IsFinite(zh) ? new DoubleDouble(zh, zl, true) : new DoubleDouble(th);
    }

    // ─────────────────────────────────────────────────────────────────────────────────────────────
    // Operators
    // ─────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Sum by AccurateDWPlusDW (JMP 2017, Alg. 6); relative error ≤ 3u² + 13u³ ≈ 0.75·2^-104.</summary>
    /// <param name="left">First summand.</param>
    /// <param name="right">Second summand.</param>
    /// <returns>left + right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator +(DoubleDouble left, DoubleDouble right) => Add(left.Hi, left.Lo, right.Hi, right.Lo);

    /// <summary>Sum with a double by DWPlusFP (JMP 2017, Alg. 4); relative error ≤ 2u² = 0.5·2^-104.</summary>
    /// <param name="left">Double-double summand.</param>
    /// <param name="right">Double summand.</param>
    /// <returns>left + right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator +(DoubleDouble left, double right) => Add(left.Hi, left.Lo, right);

    /// <summary>Sum with a double by DWPlusFP (JMP 2017, Alg. 4); relative error ≤ 2u² = 0.5·2^-104.</summary>
    /// <param name="left">Double summand.</param>
    /// <param name="right">Double-double summand.</param>
    /// <returns>left + right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator +(double left, DoubleDouble right) => Add(right.Hi, right.Lo, left);

    /// <summary>Difference by AccurateDWPlusDW on (left, −right); relative error ≤ 3u² + 13u³ ≈ 0.75·2^-104.</summary>
    /// <param name="left">Minuend.</param>
    /// <param name="right">Subtrahend.</param>
    /// <returns>left − right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator -(DoubleDouble left, DoubleDouble right) => Add(left.Hi, left.Lo, -right.Hi, -right.Lo);

    /// <summary>Difference with a double by DWPlusFP; relative error ≤ 2u² = 0.5·2^-104.</summary>
    /// <param name="left">Double-double minuend.</param>
    /// <param name="right">Double subtrahend.</param>
    /// <returns>left − right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator -(DoubleDouble left, double right) => Add(left.Hi, left.Lo, -right);

    /// <summary>Difference with a double by DWPlusFP on (−right, left); relative error ≤ 2u² = 0.5·2^-104.</summary>
    /// <param name="left">Double minuend.</param>
    /// <param name="right">Double-double subtrahend.</param>
    /// <returns>left − right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator -(double left, DoubleDouble right) => Add(-right.Hi, -right.Lo, left);

    /// <summary>Product by DWTimesDW3 (JMP 2017, Alg. 12); relative error ≤ 4u² = 1·2^-104 (Muller &amp; Rideau 2022, Thm 2.8).</summary>
    /// <param name="left">First factor.</param>
    /// <param name="right">Second factor.</param>
    /// <returns>left · right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator *(DoubleDouble left, DoubleDouble right) => Multiply(left.Hi, left.Lo, right.Hi, right.Lo);

    /// <summary>Product with a double by DWTimesFP3 (JMP 2017, Alg. 9); relative error ≤ 2u² = 0.5·2^-104.</summary>
    /// <param name="left">Double-double factor.</param>
    /// <param name="right">Double factor.</param>
    /// <returns>left · right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator *(DoubleDouble left, double right) => Multiply(left.Hi, left.Lo, right);

    /// <summary>Product with a double by DWTimesFP3 (JMP 2017, Alg. 9); relative error ≤ 2u² = 0.5·2^-104.</summary>
    /// <param name="left">Double factor.</param>
    /// <param name="right">Double-double factor.</param>
    /// <returns>left · right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator *(double left, DoubleDouble right) => Multiply(right.Hi, right.Lo, left);

    /// <summary>Quotient by DWDivDW2 (JMP 2017, Alg. 17, Thm 7.1); relative error ≤ 15u² + 56u³ ≈ 3.75·2^-104.</summary>
    /// <param name="left">Dividend.</param>
    /// <param name="right">Divisor.</param>
    /// <returns>left / right (IEEE semantics for zero and non-finite operands).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator /(DoubleDouble left, DoubleDouble right) => Divide(left.Hi, left.Lo, right.Hi, right.Lo);

    /// <summary>Quotient by a double, DWDivFP3 (JMP 2017, Alg. 15, Thm 6.2); relative error ≤ 3u² = 0.75·2^-104.</summary>
    /// <param name="left">Double-double dividend.</param>
    /// <param name="right">Double divisor.</param>
    /// <returns>left / right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator /(DoubleDouble left, double right) => Divide(left.Hi, left.Lo, right);

    /// <summary>Quotient of a double by a double-double, DWDivDW2 with a zero low dividend word; relative error ≤ 15u² + 56u³.</summary>
    /// <param name="left">Double dividend.</param>
    /// <param name="right">Double-double divisor.</param>
    /// <returns>left / right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator /(double left, DoubleDouble right) => Divide(left, 0.0, right.Hi, right.Lo);

    /// <summary>
    /// Remainder with the sign of the dividend, x − trunc(x/y)·y (the C# <c>%</c> convention), evaluated in
    /// double-double arithmetic with a final correction of the quotient by ±1. Unlike IEEE fmod it is not exact:
    /// the absolute error is a few units of 2^-104·|x|, so it is accurate when |x/y| is moderate.
    /// </summary>
    /// <param name="left">Dividend x.</param>
    /// <param name="right">Divisor y.</param>
    /// <returns>The remainder; NaN if x is not finite or y is 0 or NaN; x if y is infinite.</returns>
    public static DoubleDouble operator %(DoubleDouble left, DoubleDouble right)
    {
        if (!double.IsFinite(left.Hi) || double.IsNaN(right.Hi) || right.Hi == 0.0)
        {
            return NaN;
        }

        if (double.IsInfinity(right.Hi))
        {
            return left;
        }

        DoubleDouble ax = Abs(left);
        DoubleDouble ay = Abs(right);
        DoubleDouble r = ax - Truncate(ax / ay) * ay;
        // The rounded quotient may sit on the wrong side of an integer; move the remainder into [0, |y|).
        if (r < Zero)
        {
            r += ay;
        }
        else if (r >= ay)
        {
            r -= ay;
        }

        return double.IsNegative(left.Hi) ? -r : r;
    }

    /// <summary>Negation (exact).</summary>
    /// <param name="value">Operand.</param>
    /// <returns>−value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble operator -(DoubleDouble value) => new(-value.Hi, -value.Lo, true);

    /// <summary>Unary plus (identity).</summary>
    /// <param name="value">Operand.</param>
    /// <returns>value.</returns>
    public static DoubleDouble operator +(DoubleDouble value) => value;

    /// <summary>Adds one (DWPlusFP).</summary>
    /// <param name="value">Operand.</param>
    /// <returns>value + 1.</returns>
    public static DoubleDouble operator ++(DoubleDouble value) => Add(value.Hi, value.Lo, 1.0);

    /// <summary>Subtracts one (DWPlusFP).</summary>
    /// <param name="value">Operand.</param>
    /// <returns>value − 1.</returns>
    public static DoubleDouble operator --(DoubleDouble value) => Add(value.Hi, value.Lo, -1.0);

    // ─────────────────────────────────────────────────────────────────────────────────────────────
    // Comparison and equality: componentwise on the normalised pair. Because Hi = RN(Hi + Lo) and RN
    // is monotone, Hi alone orders values with different leading words, and equal values have equal
    // pairs. NaN compares unequal and unordered, as for double.
    // ─────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Equality of values (componentwise; +0 = −0; NaN ≠ NaN).</summary>
    /// <param name="left">First operand.</param>
    /// <param name="right">Second operand.</param>
    /// <returns>True when both represent the same real number.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator ==(DoubleDouble left, DoubleDouble right) => left.Hi == right.Hi && left.Lo == right.Lo;

    /// <summary>Inequality of values (true if either is NaN).</summary>
    /// <param name="left">First operand.</param>
    /// <param name="right">Second operand.</param>
    /// <returns>The negation of <c>==</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator !=(DoubleDouble left, DoubleDouble right) => !(left == right);

    /// <summary>Strict order of values (false if either is NaN).</summary>
    /// <param name="left">First operand.</param>
    /// <param name="right">Second operand.</param>
    /// <returns>left &lt; right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator <(DoubleDouble left, DoubleDouble right) =>
        left.Hi < right.Hi || (left.Hi == right.Hi && left.Lo < right.Lo);

    /// <summary>Strict order of values (false if either is NaN).</summary>
    /// <param name="left">First operand.</param>
    /// <param name="right">Second operand.</param>
    /// <returns>left &gt; right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator >(DoubleDouble left, DoubleDouble right) =>
        left.Hi > right.Hi || (left.Hi == right.Hi && left.Lo > right.Lo);

    /// <summary>Order of values (false if either is NaN).</summary>
    /// <param name="left">First operand.</param>
    /// <param name="right">Second operand.</param>
    /// <returns>left ≤ right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator <=(DoubleDouble left, DoubleDouble right) =>
        left.Hi < right.Hi || (left.Hi == right.Hi && left.Lo <= right.Lo);

    /// <summary>Order of values (false if either is NaN).</summary>
    /// <param name="left">First operand.</param>
    /// <param name="right">Second operand.</param>
    /// <returns>left ≥ right.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator >=(DoubleDouble left, DoubleDouble right) =>
        left.Hi > right.Hi || (left.Hi == right.Hi && left.Lo >= right.Lo);

    /// <summary>Total order as <see cref="double.CompareTo(double)"/>: NaN sorts first and equals NaN; −0 = +0.</summary>
    /// <param name="other">Value to compare with.</param>
    /// <returns>Negative, zero or positive as this is less than, equal to or greater than <paramref name="other"/>.</returns>
    public int CompareTo(DoubleDouble other)
    {
        if (Hi < other.Hi)
        {
            return -1;
        }

        if (Hi > other.Hi)
        {
            return 1;
        }

        if (Hi == other.Hi)
        {
            return Lo.CompareTo(other.Lo);
        }

        // At least one NaN.
        return double.IsNaN(Hi) ? (double.IsNaN(other.Hi) ? 0 : -1) : 1;
    }

    /// <summary>Compares with a boxed <see cref="DoubleDouble"/>; null sorts first.</summary>
    /// <param name="obj">Null or a boxed <see cref="DoubleDouble"/>.</param>
    /// <returns>As <see cref="CompareTo(DoubleDouble)"/>; 1 for null.</returns>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is not a <see cref="DoubleDouble"/>.</exception>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        DoubleDouble other => CompareTo(other),
        _ => throw new ArgumentException("Object must be of type DoubleDouble.", nameof(obj)),
    };

    /// <summary>Equality as <see cref="double.Equals(double)"/>: like <c>==</c> except that NaN equals NaN.</summary>
    /// <param name="other">Value to compare with.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(DoubleDouble other) => Hi.Equals(other.Hi) && Lo.Equals(other.Lo);

    /// <summary>Equality with a boxed <see cref="DoubleDouble"/>.</summary>
    /// <param name="obj">Object to compare with.</param>
    /// <returns>True when <paramref name="obj"/> is an equal <see cref="DoubleDouble"/>.</returns>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is DoubleDouble other && Equals(other);

    /// <summary>Hash consistent with <see cref="Equals(DoubleDouble)"/> (±0 and all NaNs hash alike).</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Hi, Lo);

    // ─────────────────────────────────────────────────────────────────────────────────────────────
    // Classification (by the leading word, which carries the sign, class and magnitude)
    // ─────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Always true: every normalised pair is the canonical representation of its value.</summary>
    /// <param name="value">Ignored.</param>
    /// <returns>True.</returns>
    public static bool IsCanonical(DoubleDouble value) => true;

    /// <summary>Always false (real type).</summary>
    /// <param name="value">Ignored.</param>
    /// <returns>False.</returns>
    public static bool IsComplexNumber(DoubleDouble value) => false;

    /// <summary>Always false (real type).</summary>
    /// <param name="value">Ignored.</param>
    /// <returns>False.</returns>
    public static bool IsImaginaryNumber(DoubleDouble value) => false;

    /// <summary>True unless NaN.</summary>
    /// <param name="value">Value to test.</param>
    /// <returns>Whether the value is a real number.</returns>
    public static bool IsRealNumber(DoubleDouble value) => !double.IsNaN(value.Hi);

    /// <summary>Whether the value is finite (neither infinite nor NaN).</summary>
    /// <param name="value">Value to test.</param>
    /// <returns>True for finite values.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite(DoubleDouble value) => double.IsFinite(value.Hi);

    /// <summary>Whether the value is NaN.</summary>
    /// <param name="value">Value to test.</param>
    /// <returns>True for NaN.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNaN(DoubleDouble value) => double.IsNaN(value.Hi);

    /// <summary>Whether the value is ±∞.</summary>
    /// <param name="value">Value to test.</param>
    /// <returns>True for infinities.</returns>
    public static bool IsInfinity(DoubleDouble value) => double.IsInfinity(value.Hi);

    /// <summary>Whether the value is +∞.</summary>
    /// <param name="value">Value to test.</param>
    /// <returns>True for +∞.</returns>
    public static bool IsPositiveInfinity(DoubleDouble value) => double.IsPositiveInfinity(value.Hi);

    /// <summary>Whether the value is −∞.</summary>
    /// <param name="value">Value to test.</param>
    /// <returns>True for −∞.</returns>
    public static bool IsNegativeInfinity(DoubleDouble value) => double.IsNegativeInfinity(value.Hi);

    /// <summary>Whether the sign bit is set (true for −0 and negative values, as <see cref="double.IsNegative"/>).</summary>
    /// <param name="value">Value to test.</param>
    /// <returns>True when negative.</returns>
    public static bool IsNegative(DoubleDouble value) => double.IsNegative(value.Hi);

    /// <summary>Whether the sign bit is clear (true for +0 and positive values, as <see cref="double.IsPositive"/>).</summary>
    /// <param name="value">Value to test.</param>
    /// <returns>True when positive.</returns>
    public static bool IsPositive(DoubleDouble value) => double.IsPositive(value.Hi);

    /// <summary>Whether the value is ±0.</summary>
    /// <param name="value">Value to test.</param>
    /// <returns>True for zero.</returns>
    public static bool IsZero(DoubleDouble value) => value.Hi == 0.0;

    /// <summary>Whether the leading word is a normal double (the value is finite, non-zero and not subnormal).</summary>
    /// <param name="value">Value to test.</param>
    /// <returns>True for normal values.</returns>
    public static bool IsNormal(DoubleDouble value) => double.IsNormal(value.Hi);

    /// <summary>Whether the leading word is subnormal.</summary>
    /// <param name="value">Value to test.</param>
    /// <returns>True for subnormal values.</returns>
    public static bool IsSubnormal(DoubleDouble value) => double.IsSubnormal(value.Hi);

    /// <summary>
    /// Whether the value is an integer. If Hi is not an integer, its distance to the nearest integer is at
    /// least ulp(Hi) &gt; |Lo|, so the value is an integer exactly when both words are.
    /// </summary>
    /// <param name="value">Value to test.</param>
    /// <returns>True for finite integers.</returns>
    public static bool IsInteger(DoubleDouble value) => double.IsInteger(value.Hi) && double.IsInteger(value.Lo);

    /// <summary>Whether the value is an even integer.</summary>
    /// <param name="value">Value to test.</param>
    /// <returns>True for even integers.</returns>
    public static bool IsEvenInteger(DoubleDouble value) =>
        // A non-zero integer Lo forces ulp(Hi) ≥ 2, so Hi is even and the parity is that of Lo.
        IsInteger(value) && (value.Lo == 0.0 ? double.IsEvenInteger(value.Hi) : double.IsEvenInteger(value.Lo));

    /// <summary>Whether the value is an odd integer.</summary>
    /// <param name="value">Value to test.</param>
    /// <returns>True for odd integers.</returns>
    public static bool IsOddInteger(DoubleDouble value) => IsInteger(value) && !IsEvenInteger(value);

    // ─────────────────────────────────────────────────────────────────────────────────────────────
    // Sign, magnitude, min/max (IEEE 754-2019 semantics, mirroring System.Double)
    // ─────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Absolute value (exact).</summary>
    /// <param name="value">Operand.</param>
    /// <returns>|value|.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble Abs(DoubleDouble value) => double.IsNegative(value.Hi) ? -value : value;

    /// <summary>Sign of the value.</summary>
    /// <param name="value">Operand.</param>
    /// <returns>−1, 0 or +1.</returns>
    /// <exception cref="ArithmeticException">The value is NaN.</exception>
    public static int Sign(DoubleDouble value) => Math.Sign(value.Hi);

    /// <summary>Value with the magnitude of <paramref name="value"/> and the sign of <paramref name="sign"/>.</summary>
    /// <param name="value">Magnitude source.</param>
    /// <param name="sign">Sign source.</param>
    /// <returns>±|value|.</returns>
    public static DoubleDouble CopySign(DoubleDouble value, DoubleDouble sign) =>
        double.IsNegative(value.Hi) == double.IsNegative(sign.Hi) ? value : -value;

    /// <summary>Larger value; NaN if either is NaN; +0 is larger than −0 (IEEE 754-2019 maximum).</summary>
    /// <param name="x">First value.</param>
    /// <param name="y">Second value.</param>
    /// <returns>max(x, y).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble Max(DoubleDouble x, DoubleDouble y)
    {
        if (x != y)
        {
            return IsNaN(x) ? x : (y < x ? x : y);
        }

        return double.IsNegative(y.Hi) ? x : y;
    }

    /// <summary>Smaller value; NaN if either is NaN; −0 is smaller than +0 (IEEE 754-2019 minimum).</summary>
    /// <param name="x">First value.</param>
    /// <param name="y">Second value.</param>
    /// <returns>min(x, y).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble Min(DoubleDouble x, DoubleDouble y)
    {
        if (x != y)
        {
            return IsNaN(x) ? x : (x < y ? x : y);
        }

        return double.IsNegative(x.Hi) ? x : y;
    }

    /// <summary>Larger value, ignoring a NaN operand (IEEE 754-2019 maximumNumber).</summary>
    /// <param name="x">First value.</param>
    /// <param name="y">Second value.</param>
    /// <returns>max(x, y), or the non-NaN operand.</returns>
    public static DoubleDouble MaxNumber(DoubleDouble x, DoubleDouble y)
    {
        if (x != y)
        {
            return IsNaN(y) ? x : (y < x ? x : y);
        }

        return double.IsNegative(y.Hi) ? x : y;
    }

    /// <summary>Smaller value, ignoring a NaN operand (IEEE 754-2019 minimumNumber).</summary>
    /// <param name="x">First value.</param>
    /// <param name="y">Second value.</param>
    /// <returns>min(x, y), or the non-NaN operand.</returns>
    public static DoubleDouble MinNumber(DoubleDouble x, DoubleDouble y)
    {
        if (x != y)
        {
            return IsNaN(y) ? x : (x < y ? x : y);
        }

        return double.IsNegative(x.Hi) ? x : y;
    }

    /// <summary>Operand of larger magnitude; NaN if either is NaN; ties prefer the positive one.</summary>
    /// <param name="x">First value.</param>
    /// <param name="y">Second value.</param>
    /// <returns>x or y.</returns>
    public static DoubleDouble MaxMagnitude(DoubleDouble x, DoubleDouble y)
    {
        DoubleDouble ax = Abs(x), ay = Abs(y);
        if (ax > ay || IsNaN(ax))
        {
            return x;
        }

        if (ax == ay)
        {
            return double.IsNegative(x.Hi) ? y : x;
        }

        return y;
    }

    /// <summary>Operand of larger magnitude, ignoring a NaN operand; ties prefer the positive one.</summary>
    /// <param name="x">First value.</param>
    /// <param name="y">Second value.</param>
    /// <returns>x or y.</returns>
    public static DoubleDouble MaxMagnitudeNumber(DoubleDouble x, DoubleDouble y)
    {
        DoubleDouble ax = Abs(x), ay = Abs(y);
        if (ax > ay || IsNaN(ay))
        {
            return x;
        }

        if (ax == ay)
        {
            return double.IsNegative(x.Hi) ? y : x;
        }

        return y;
    }

    /// <summary>Operand of smaller magnitude; NaN if either is NaN; ties prefer the negative one.</summary>
    /// <param name="x">First value.</param>
    /// <param name="y">Second value.</param>
    /// <returns>x or y.</returns>
    public static DoubleDouble MinMagnitude(DoubleDouble x, DoubleDouble y)
    {
        DoubleDouble ax = Abs(x), ay = Abs(y);
        if (ax < ay || IsNaN(ax))
        {
            return x;
        }

        if (ax == ay)
        {
            return double.IsNegative(x.Hi) ? x : y;
        }

        return y;
    }

    /// <summary>Operand of smaller magnitude, ignoring a NaN operand; ties prefer the negative one.</summary>
    /// <param name="x">First value.</param>
    /// <param name="y">Second value.</param>
    /// <returns>x or y.</returns>
    public static DoubleDouble MinMagnitudeNumber(DoubleDouble x, DoubleDouble y)
    {
        DoubleDouble ax = Abs(x), ay = Abs(y);
        if (ax < ay || IsNaN(ay))
        {
            return x;
        }

        if (ax == ay)
        {
            return double.IsNegative(x.Hi) ? x : y;
        }

        return y;
    }

    /// <summary>Clamps a value to [min, max].</summary>
    /// <param name="value">Value to clamp.</param>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound.</param>
    /// <returns>min(max(value, min), max).</returns>
    /// <exception cref="ArgumentException"><paramref name="min"/> is greater than <paramref name="max"/>.</exception>
    public static DoubleDouble Clamp(DoubleDouble value, DoubleDouble min, DoubleDouble max)
    {
        if (min > max)
        {
            throw new ArgumentException("min must not be greater than max.", nameof(min));
        }

        return Min(Max(value, min), max);
    }

    // ─────────────────────────────────────────────────────────────────────────────────────────────
    // Rounding to integers (exact)
    // ─────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Largest integer ≤ value (exact).</summary>
    /// <param name="value">Operand.</param>
    /// <returns>⌊value⌋.</returns>
    public static DoubleDouble Floor(DoubleDouble value)
    {
        double fh = Math.Floor(value.Hi);
        // If Hi is not an integer, |Lo| is smaller than its distance to either neighbouring integer.
        return fh != value.Hi || !double.IsFinite(fh) ? new DoubleDouble(fh) : new DoubleDouble(fh, Math.Floor(value.Lo));
    }

    /// <summary>Smallest integer ≥ value (exact).</summary>
    /// <param name="value">Operand.</param>
    /// <returns>⌈value⌉.</returns>
    public static DoubleDouble Ceiling(DoubleDouble value)
    {
        double ch = Math.Ceiling(value.Hi);
        return ch != value.Hi || !double.IsFinite(ch) ? new DoubleDouble(ch) : new DoubleDouble(ch, Math.Ceiling(value.Lo));
    }

    /// <summary>Integer part, rounding toward zero (exact).</summary>
    /// <param name="value">Operand.</param>
    /// <returns>trunc(value).</returns>
    public static DoubleDouble Truncate(DoubleDouble value) => double.IsNegative(value.Hi) ? Ceiling(value) : Floor(value);

    /// <summary>Nearest integer, ties to even (exact).</summary>
    /// <param name="value">Operand.</param>
    /// <returns>The rounded value.</returns>
    public static DoubleDouble Round(DoubleDouble value)
    {
        double rh = Math.Round(value.Hi, MidpointRounding.ToEven);
        if (!double.IsFinite(rh))
        {
            return new DoubleDouble(rh);
        }

        if (rh == value.Hi)
        {
            // Hi is an integer. A tie Lo = ±k+½ can only occur with Hi even (normalisation rounds Hi + Lo
            // to even), so rounding Lo alone to even decides the parity of the sum correctly.
            return new DoubleDouble(rh, Math.Round(value.Lo, MidpointRounding.ToEven));
        }

        double floor = Math.Floor(value.Hi);
        if (value.Hi - floor == 0.5 && value.Lo != 0.0)
        {
            // Hi is a half-integer; the low word breaks the tie.
            return new DoubleDouble(value.Lo > 0.0 ? floor + 1.0 : floor);
        }

        return new DoubleDouble(rh);
    }

    /// <summary>value · 2^n, exact unless the result overflows or its low word underflows.</summary>
    /// <param name="value">Operand.</param>
    /// <param name="n">Binary exponent.</param>
    /// <returns>value · 2^n.</returns>
    public static DoubleDouble ScaleB(DoubleDouble value, int n) => new(Math.ScaleB(value.Hi, n), Math.ScaleB(value.Lo, n));

    // ─────────────────────────────────────────────────────────────────────────────────────────────
    // Powers and roots
    // ─────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Square root by SQRTDWtoDW (Lefèvre, Louvet, Muller, Picot &amp; Rideau 2023, Alg. 8): one Karp–Markstein
    /// correction of the double square root with the exact FMA remainder. Relative error ≤ 25/8·u² ≈ 0.79·2^-104
    /// for arguments whose words do not underflow (|x| ≳ 2^-969).
    /// </summary>
    /// <param name="x">Radicand.</param>
    /// <returns>√x; NaN for x &lt; 0, ±0 for ±0, +∞ for +∞.</returns>
    public static DoubleDouble Sqrt(DoubleDouble x)
    {
        double xh = x.Hi;
        if (!(xh > 0.0) || double.IsPositiveInfinity(xh))
        {
            return new DoubleDouble(Math.Sqrt(xh));
        }

        // Phase 1: double square root and its exact remainder xh − sh² (representable, computed by one FMA).
        double sh = Math.Sqrt(xh);
        double rho1 = Math.FusedMultiplyAdd(-sh, sh, xh);
        // Phase 2: Newton (Karp–Markstein) correction (x − sh²)/(2 sh) from the full remainder.
        double rho2 = x.Lo + rho1;
        double sl = rho2 / (2.0 * sh);
        (double zh, double zl) = FastTwoSum(sh, sl);
        return new DoubleDouble(zh, zl, true);
    }

    /// <summary>
    /// Cube root: the double <see cref="Math.Cbrt"/> c refined by one Newton step with its second-order
    /// Taylor term (see <see cref="RootN"/>), the residual x − c³ being evaluated in double-double (c² exact
    /// by TwoProd). No proven bound; the error is dominated by the rounding of c³ and the final DWPlusFP
    /// rounding: at most 0.23·2^-104 over 10^6 random samples (the tests assert 2·2^-104).
    /// </summary>
    /// <param name="x">Operand.</param>
    /// <returns>∛x (odd: ∛(−x) = −∛x).</returns>
    public static DoubleDouble Cbrt(DoubleDouble x)
    {
        double c = Math.Cbrt(x.Hi);
        if (!IsFiniteNonZero(c))
        {
            return new DoubleDouble(c);
        }

        (double c2h, double c2l) = TwoProd(c, c);
        return RefineRoot(x, c, 3, Multiply(c2h, c2l, c), Multiply(c2h, c2l, 3.0));
    }

    /// <summary>
    /// n-th root: <see cref="double.RootN"/> y refined by one Newton step with its second-order Taylor term,
    /// y + h₁ − (n−1)/2·h₁²/y with h₁ = (x − yⁿ)/(n·yⁿ⁻¹) evaluated in double-double and yⁿ from
    /// <see cref="Pow(DoubleDouble, int)"/>. The neglected terms are O(n²δ³) with δ the relative error of
    /// <see cref="double.RootN"/>, so the result carries the error of yⁿ divided by n (≲ 1·2^-104 for small n)
    /// plus the final rounding. No proven bound; for n = 5 at most 0.33·2^-104 over 10^6 random samples (the
    /// tests assert 2·2^-104). Negative n gives 1/RootN(x, −n) (adding the division error).
    /// </summary>
    /// <param name="x">Operand.</param>
    /// <param name="n">Root degree, non-zero.</param>
    /// <returns>x^(1/n); NaN for n = 0 or for x &lt; 0 with n even.</returns>
    public static DoubleDouble RootN(DoubleDouble x, int n)
    {
        switch (n)
        {
            case 0:
                return NaN;
            case 1:
                return x;
            case 2:
                return Sqrt(x);
            case 3:
                return Cbrt(x);
        }

        if (n < 0)
        {
            // −int.MinValue overflows; x^(1/2^31) = (√x)^(1/2^30).
            DoubleDouble root = n == int.MinValue ? RootN(Sqrt(x), 1 << 30) : RootN(x, -n);
            return One / root;
        }

        double y = double.RootN(x.Hi, n);
        if (!IsFiniteNonZero(y))
        {
            return new DoubleDouble(y);
        }

        DoubleDouble yPowNMinus1 = Pow(new DoubleDouble(y), n - 1);
        return RefineRoot(x, y, n, yPowNMinus1 * y, yPowNMinus1 * (double)n);
    }

    // One Newton step for yⁿ = x with the second-order term of (y + h)ⁿ = yⁿ + n·yⁿ⁻¹·h + n(n−1)/2·yⁿ⁻²·h² + …:
    // h ≈ h₁ − (n−1)/2·h₁²/y. h₁ ≈ δ·y is needed to full relative precision, hence the double-double quotient;
    // the second-order term (≈ δ²·y) only to double precision.
    private static DoubleDouble RefineRoot(DoubleDouble x, double y, int n, DoubleDouble yPowN, DoubleDouble nYPowNMinus1)
    {
        // Residual phase.
        DoubleDouble h1 = (x - yPowN) / nYPowNMinus1;
        // Correction phase.
        double h2 = 0.5 * (n - 1) * (h1.Hi * h1.Hi / y);
        return (h1 - h2) + y;
    }

    /// <summary>
    /// √(x² + y²) without undue overflow or underflow: both operands are scaled by a power of two (exact), the
    /// sum of squares is formed with DWTimesDW3 and AccurateDWPlusDW and the root with SQRTDWtoDW. Not a proven
    /// bound: composing the bounds gives about (4 + 3)/2 + 25/8 ≈ 6.6u² ≈ 1.7·2^-104; at most 0.85·2^-104 over
    /// 10^6 random samples (the tests assert 2·2^-104).
    /// </summary>
    /// <param name="x">First leg.</param>
    /// <param name="y">Second leg.</param>
    /// <returns>The hypotenuse; +∞ if either operand is infinite (even if the other is NaN).</returns>
    public static DoubleDouble Hypot(DoubleDouble x, DoubleDouble y)
    {
        if (IsInfinity(x) || IsInfinity(y))
        {
            return PositiveInfinity;
        }

        if (IsNaN(x) || IsNaN(y))
        {
            return NaN;
        }

        DoubleDouble ax = Abs(x), ay = Abs(y);
        double big = Math.Max(ax.Hi, ay.Hi);
        if (big == 0.0)
        {
            return Zero;
        }

        // Scaling phase: bring the larger leg to [1, 2) so the squares neither overflow nor underflow.
        int k = Math.ILogB(big);
        DoubleDouble sx = ScaleB(ax, -k), sy = ScaleB(ay, -k);
        return ScaleB(Sqrt(sx * sx + sy * sy), k);
    }

    /// <summary>
    /// Integer power by binary exponentiation (right-to-left square-and-multiply, Knuth TAOCP vol. 2, §4.6.3),
    /// with DWTimesDW3 products; for n &lt; 0 the reciprocal of x^|n| by DWDivDW2. Each squaring doubles the
    /// relative error carried so far, so the bound is about (|n| − 1)·2^-104 (first order), plus 3.75·2^-104
    /// for n &lt; 0; the measured errors are well below it.
    /// </summary>
    /// <param name="x">Base.</param>
    /// <param name="n">Exponent (any int; x^0 = 1 even for NaN, as <see cref="Math.Pow"/>).</param>
    /// <returns>xⁿ.</returns>
    public static DoubleDouble Pow(DoubleDouble x, int n)
    {
        if (n == 0)
        {
            return One;
        }

        ulong m = n < 0 ? (ulong)(-(long)n) : (ulong)n;
        DoubleDouble result = default;
        bool first = true;
        DoubleDouble square = x;
        while (true)
        {
            if ((m & 1UL) != 0UL)
            {
                result = first ? square : result * square;
                first = false;
            }

            m >>= 1;
            if (m == 0UL)
            {
                break;
            }

            square *= square;
        }

        return n < 0 ? One / result : result;
    }

    // ─────────────────────────────────────────────────────────────────────────────────────────────
    // Conversions
    // ─────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Exact conversion from double.</summary>
    /// <param name="value">Value to convert.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator DoubleDouble(double value) => new(value);

    /// <summary>Exact conversion from int.</summary>
    /// <param name="value">Value to convert.</param>
    public static implicit operator DoubleDouble(int value) => new(value);

    /// <summary>Exact conversion from long (every 64-bit integer is a double-double).</summary>
    /// <param name="value">Value to convert.</param>
    public static implicit operator DoubleDouble(long value) => FromInt64(value);

    /// <summary>Conversion from decimal, correctly rounded (exact for decimals with at most ~31 significant digits
    /// whose value is a dyadic rational, and in general the nearest double-double in the sense of <see cref="Parse(string)"/>).</summary>
    /// <param name="value">Value to convert.</param>
    public static explicit operator DoubleDouble(decimal value) => FromDecimal(value);

    /// <summary>Conversion to double: Hi, which is RN(Hi + Lo), i.e. the correctly rounded value.</summary>
    /// <param name="value">Value to convert.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator double(DoubleDouble value) => value.Hi;

    /// <summary>Conversion to float, correctly rounded (the low word decides ties of the leading word).</summary>
    /// <param name="value">Value to convert.</param>
    public static explicit operator float(DoubleDouble value) => ToSingle(value);

    /// <summary>Conversion to int, truncating toward zero and saturating (NaN gives 0), as for double in .NET 9+.</summary>
    /// <param name="value">Value to convert.</param>
    public static explicit operator int(DoubleDouble value) => ToInt32(value, ConversionMode.Saturating);

    /// <summary>Conversion to int, truncating toward zero.</summary>
    /// <param name="value">Value to convert.</param>
    /// <exception cref="OverflowException">The value is NaN or outside the range of int.</exception>
    public static explicit operator checked int(DoubleDouble value) => ToInt32(value, ConversionMode.Checked);

    /// <summary>Conversion to long, truncating toward zero and saturating (NaN gives 0); exact within range.</summary>
    /// <param name="value">Value to convert.</param>
    public static explicit operator long(DoubleDouble value) => ToInt64(value, ConversionMode.Saturating);

    /// <summary>Conversion to long, truncating toward zero; exact within range.</summary>
    /// <param name="value">Value to convert.</param>
    /// <exception cref="OverflowException">The value is NaN or outside the range of long.</exception>
    public static explicit operator checked long(DoubleDouble value) => ToInt64(value, ConversionMode.Checked);

    /// <summary>Conversion to decimal, correctly rounded (ties to even) to the largest scale ≤ 28 that fits 96 bits.</summary>
    /// <param name="value">Value to convert.</param>
    /// <exception cref="OverflowException">The value is NaN, infinite or outside the range of decimal.</exception>
    public static explicit operator decimal(DoubleDouble value) => ToDecimal(value, ConversionMode.Checked);

    private enum ConversionMode
    {
        Checked,
        Saturating,
    }

    private static DoubleDouble FromInt64(long value)
    {
        double hi = value;
        // |value − hi| ≤ 2^10, so the remainder is exact in Int128 and in double.
        return new DoubleDouble(hi, (double)((Int128)value - (Int128)hi), true);
    }

    private static DoubleDouble FromUInt64(ulong value)
    {
        double hi = value;
        return new DoubleDouble(hi, (double)((Int128)value - (Int128)hi), true);
    }

    private static DoubleDouble FromDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        BigInteger mantissa = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        int scale = (bits[3] >> 16) & 0xFF;
        bool negative = bits[3] < 0;
        return ExactDecimal.FromRational(negative, mantissa, BigInteger.Pow(10, scale));
    }

    private static float ToSingle(DoubleDouble value)
    {
        float f = (float)value.Hi;
        if (value.Lo == 0.0 || !float.IsFinite(f))
        {
            return f;
        }

        // Double rounding can only go wrong when Hi lies exactly halfway between two floats: then the sign of Lo
        // decides. Elsewhere |Lo| is far smaller than the distance from Hi to the nearest midpoint.
        double err = value.Hi - f;
        if (err == 0.0)
        {
            return f;
        }

        float g = err > 0.0 ? MathF.BitIncrement(f) : MathF.BitDecrement(f);
        bool isMidpoint = 2.0 * value.Hi == (double)f + g;
        return isMidpoint && (value.Lo > 0.0) == (err > 0.0) ? g : f;
    }

    private static int ToInt32(DoubleDouble value, ConversionMode mode)
    {
        if (double.IsNaN(value.Hi))
        {
            return mode == ConversionMode.Checked ? throw new OverflowException("NaN cannot be converted to Int32.") : 0;
        }

        // Below 2^53 a truncated integer has Lo = 0, so Hi decides the range.
        double t = Truncate(value).Hi;
        if (t > int.MaxValue || t < int.MinValue)
        {
            return mode == ConversionMode.Checked
                ? throw new OverflowException("Value was either too large or too small for an Int32.")
                : t > 0.0 ? int.MaxValue : int.MinValue;
        }

        return (int)t;
    }

    private static long ToInt64(DoubleDouble value, ConversionMode mode)
    {
        if (double.IsNaN(value.Hi))
        {
            return mode == ConversionMode.Checked ? throw new OverflowException("NaN cannot be converted to Int64.") : 0L;
        }

        const double TwoPow63 = 9223372036854775808.0;
        DoubleDouble t = Truncate(value);
        // long.MaxValue itself is (2^63, −1), so the low word matters at the boundary.
        bool tooLarge = t.Hi > TwoPow63 || (t.Hi == TwoPow63 && t.Lo >= 0.0);
        bool tooSmall = t.Hi < -TwoPow63 || (t.Hi == -TwoPow63 && t.Lo < 0.0);
        if (tooLarge || tooSmall)
        {
            return mode == ConversionMode.Checked
                ? throw new OverflowException("Value was either too large or too small for an Int64.")
                : tooLarge ? long.MaxValue : long.MinValue;
        }

        return (long)((Int128)t.Hi + (Int128)t.Lo);
    }

    private static decimal ToDecimal(DoubleDouble value, ConversionMode mode)
    {
        if (!double.IsFinite(value.Hi))
        {
            if (mode == ConversionMode.Checked)
            {
                throw new OverflowException("Value was either too large or too small for a Decimal.");
            }

            return double.IsNaN(value.Hi) ? 0m : value.Hi > 0.0 ? decimal.MaxValue : decimal.MinValue;
        }

        if (!ExactDecimal.TryToDecimal(value, out decimal result))
        {
            if (mode == ConversionMode.Checked)
            {
                throw new OverflowException("Value was either too large or too small for a Decimal.");
            }

            return value.Hi > 0.0 ? decimal.MaxValue : decimal.MinValue;
        }

        return result;
    }

    /// <summary>Converts from another number type; exact for every supported source except decimal, BigInteger and
    /// 128-bit integers, which are correctly rounded. Supported: double, float, Half, all primitive integers,
    /// Int128, UInt128, BigInteger, decimal and <see cref="DoubleDouble"/>; otherwise the source type is asked.</summary>
    /// <typeparam name="TOther">Source type.</typeparam>
    /// <param name="value">Value to convert.</param>
    /// <returns>The converted value.</returns>
    /// <exception cref="NotSupportedException">Neither type knows the conversion.</exception>
    public static DoubleDouble CreateChecked<TOther>(TOther value)
        where TOther : INumberBase<TOther>
    {
        if (TryConvertFrom(value, out DoubleDouble result) || TOther.TryConvertToChecked(value, out result))
        {
            return result;
        }

        throw new NotSupportedException($"Conversion from {typeof(TOther)} to DoubleDouble is not supported.");
    }

    /// <summary>Converts from another number type (same as <see cref="CreateChecked{TOther}"/>: no supported
    /// source overflows the range of double-double).</summary>
    /// <typeparam name="TOther">Source type.</typeparam>
    /// <param name="value">Value to convert.</param>
    /// <returns>The converted value.</returns>
    /// <exception cref="NotSupportedException">Neither type knows the conversion.</exception>
    public static DoubleDouble CreateSaturating<TOther>(TOther value)
        where TOther : INumberBase<TOther>
    {
        if (TryConvertFrom(value, out DoubleDouble result) || TOther.TryConvertToSaturating(value, out result))
        {
            return result;
        }

        throw new NotSupportedException($"Conversion from {typeof(TOther)} to DoubleDouble is not supported.");
    }

    /// <summary>Converts from another number type (same as <see cref="CreateChecked{TOther}"/>).</summary>
    /// <typeparam name="TOther">Source type.</typeparam>
    /// <param name="value">Value to convert.</param>
    /// <returns>The converted value.</returns>
    /// <exception cref="NotSupportedException">Neither type knows the conversion.</exception>
    public static DoubleDouble CreateTruncating<TOther>(TOther value)
        where TOther : INumberBase<TOther>
    {
        if (TryConvertFrom(value, out DoubleDouble result) || TOther.TryConvertToTruncating(value, out result))
        {
            return result;
        }

        throw new NotSupportedException($"Conversion from {typeof(TOther)} to DoubleDouble is not supported.");
    }

    static bool INumberBase<DoubleDouble>.TryConvertFromChecked<TOther>(TOther value, out DoubleDouble result) =>
        TryConvertFrom(value, out result);

    static bool INumberBase<DoubleDouble>.TryConvertFromSaturating<TOther>(TOther value, out DoubleDouble result) =>
        TryConvertFrom(value, out result);

    static bool INumberBase<DoubleDouble>.TryConvertFromTruncating<TOther>(TOther value, out DoubleDouble result) =>
        TryConvertFrom(value, out result);

    // Targets: double, float, int, long, decimal and DoubleDouble. System.Double and friends do not know this
    // type, so double.CreateTruncating(dd) and similar reach these methods.
    static bool INumberBase<DoubleDouble>.TryConvertToChecked<TOther>(DoubleDouble value, [MaybeNullWhen(false)] out TOther result) =>
        TryConvertTo(value, ConversionMode.Checked, out result);

    static bool INumberBase<DoubleDouble>.TryConvertToSaturating<TOther>(DoubleDouble value, [MaybeNullWhen(false)] out TOther result) =>
        TryConvertTo(value, ConversionMode.Saturating, out result);

    // Floating-point to integer conversions saturate in .NET 9+, so truncating equals saturating here.
    static bool INumberBase<DoubleDouble>.TryConvertToTruncating<TOther>(DoubleDouble value, [MaybeNullWhen(false)] out TOther result) =>
        TryConvertTo(value, ConversionMode.Saturating, out result);

    private static bool TryConvertFrom<TOther>(TOther value, out DoubleDouble result)
        where TOther : INumberBase<TOther>
    {
        // The typeof tests are JIT-time constants per instantiation; the boxing casts are elided.
        if (typeof(TOther) == typeof(DoubleDouble))
        {
            result = (DoubleDouble)(object)value;
        }
        else if (typeof(TOther) == typeof(double))
        {
            result = new DoubleDouble((double)(object)value);
        }
        else if (typeof(TOther) == typeof(float))
        {
            result = new DoubleDouble((float)(object)value);
        }
        else if (typeof(TOther) == typeof(Half))
        {
            result = new DoubleDouble((double)(Half)(object)value);
        }
        else if (typeof(TOther) == typeof(int))
        {
            result = new DoubleDouble((int)(object)value);
        }
        else if (typeof(TOther) == typeof(long))
        {
            result = FromInt64((long)(object)value);
        }
        else if (typeof(TOther) == typeof(short))
        {
            result = new DoubleDouble((short)(object)value);
        }
        else if (typeof(TOther) == typeof(sbyte))
        {
            result = new DoubleDouble((sbyte)(object)value);
        }
        else if (typeof(TOther) == typeof(byte))
        {
            result = new DoubleDouble((byte)(object)value);
        }
        else if (typeof(TOther) == typeof(ushort))
        {
            result = new DoubleDouble((ushort)(object)value);
        }
        else if (typeof(TOther) == typeof(uint))
        {
            result = new DoubleDouble((uint)(object)value);
        }
        else if (typeof(TOther) == typeof(ulong))
        {
            result = FromUInt64((ulong)(object)value);
        }
        else if (typeof(TOther) == typeof(nint))
        {
            result = FromInt64((nint)(object)value);
        }
        else if (typeof(TOther) == typeof(nuint))
        {
            result = FromUInt64((nuint)(object)value);
        }
        else if (typeof(TOther) == typeof(decimal))
        {
            result = FromDecimal((decimal)(object)value);
        }
        else if (typeof(TOther) == typeof(BigInteger))
        {
            result = ExactDecimal.FromInteger((BigInteger)(object)value);
        }
        else if (typeof(TOther) == typeof(Int128))
        {
            result = ExactDecimal.FromInteger((Int128)(object)value);
        }
        else if (typeof(TOther) == typeof(UInt128))
        {
            result = ExactDecimal.FromInteger((UInt128)(object)value);
        }
        else
        {
            result = default;
            return false;
        }

        return true;
    }

    private static bool TryConvertTo<TOther>(DoubleDouble value, ConversionMode mode, [MaybeNullWhen(false)] out TOther result)
        where TOther : INumberBase<TOther>
    {
        if (typeof(TOther) == typeof(double))
        {
            result = (TOther)(object)value.Hi;
        }
        else if (typeof(TOther) == typeof(float))
        {
            result = (TOther)(object)ToSingle(value);
        }
        else if (typeof(TOther) == typeof(int))
        {
            result = (TOther)(object)ToInt32(value, mode);
        }
        else if (typeof(TOther) == typeof(long))
        {
            result = (TOther)(object)ToInt64(value, mode);
        }
        else if (typeof(TOther) == typeof(decimal))
        {
            result = (TOther)(object)ToDecimal(value, mode);
        }
        else if (typeof(TOther) == typeof(DoubleDouble))
        {
            result = (TOther)(object)value;
        }
        else
        {
            result = default;
            return false;
        }

        return true;
    }

    // ─────────────────────────────────────────────────────────────────────────────────────────────
    // Parsing: exact, invariant culture
    // ─────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Parses a decimal string exactly: the digits are read as the rational m·10^e (BigInteger), then
    /// Hi = RN(m·10^e) and Lo = RN(m·10^e − Hi), so the relative error is at most about 2^-106.
    /// Grammar (invariant culture, case-insensitive, surrounding white space allowed):
    /// [sign] (digits [. [digits]] | . digits) [(e|E) [sign] digits], or [sign] (NaN | Infinity | ∞).
    /// Examples: <c>-1.25e-3</c>, <c>3</c>, <c>.5</c>, <c>1E+10</c>, <c>NaN</c>, <c>-Infinity</c>.
    /// No group separators. Magnitudes beyond the double range give ±∞ or ±0.
    /// </summary>
    /// <param name="s">Text to parse.</param>
    /// <returns>The parsed value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> does not follow the grammar.</exception>
    public static DoubleDouble Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan());
    }

    /// <summary>Parses as <see cref="Parse(string)"/>; the provider is ignored (invariant culture always).</summary>
    /// <param name="s">Text to parse.</param>
    /// <param name="provider">Ignored.</param>
    /// <returns>The parsed value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> does not follow the grammar.</exception>
    public static DoubleDouble Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <summary>Parses as <see cref="Parse(string)"/>. The grammar of <see cref="NumberStyles.Float"/> is accepted
    /// whatever the other flags; the provider is ignored (invariant culture always).</summary>
    /// <param name="s">Text to parse.</param>
    /// <param name="style">Must not contain <see cref="NumberStyles.AllowHexSpecifier"/> or <see cref="NumberStyles.AllowBinarySpecifier"/>.</param>
    /// <param name="provider">Ignored.</param>
    /// <returns>The parsed value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="style"/> is a hexadecimal or binary style.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> does not follow the grammar.</exception>
    public static DoubleDouble Parse(string s, NumberStyles style, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan(), style, provider);
    }

    /// <summary>Parses as <see cref="Parse(string)"/>.</summary>
    /// <param name="s">Characters to parse.</param>
    /// <param name="provider">Ignored.</param>
    /// <returns>The parsed value.</returns>
    /// <exception cref="FormatException"><paramref name="s"/> does not follow the grammar.</exception>
    public static DoubleDouble Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        ExactDecimal.TryParse(s, out DoubleDouble result)
            ? result
            : throw new FormatException($"The input '{s}' is not a valid DoubleDouble.");

    /// <summary>Parses as <see cref="Parse(string, NumberStyles, IFormatProvider)"/>.</summary>
    /// <param name="s">Characters to parse.</param>
    /// <param name="style">Must not be a hexadecimal or binary style.</param>
    /// <param name="provider">Ignored.</param>
    /// <returns>The parsed value.</returns>
    /// <exception cref="ArgumentException"><paramref name="style"/> is a hexadecimal or binary style.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> does not follow the grammar.</exception>
    public static DoubleDouble Parse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider)
    {
        ValidateStyle(style);
        return Parse(s, provider);
    }

    /// <summary>Tries to parse as <see cref="Parse(string)"/>.</summary>
    /// <param name="s">Text to parse (null fails).</param>
    /// <param name="result">The parsed value, or 0 on failure.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out DoubleDouble result) =>
        ExactDecimal.TryParse(s.AsSpan(), out result) && s is not null;

    /// <summary>Tries to parse as <see cref="Parse(string)"/>; the provider is ignored.</summary>
    /// <param name="s">Text to parse (null fails).</param>
    /// <param name="provider">Ignored.</param>
    /// <param name="result">The parsed value, or 0 on failure.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out DoubleDouble result) =>
        TryParse(s, out result);

    /// <summary>Tries to parse as <see cref="Parse(string, NumberStyles, IFormatProvider)"/>.</summary>
    /// <param name="s">Text to parse (null fails).</param>
    /// <param name="style">Must not be a hexadecimal or binary style.</param>
    /// <param name="provider">Ignored.</param>
    /// <param name="result">The parsed value, or 0 on failure.</param>
    /// <returns>Whether parsing succeeded.</returns>
    /// <exception cref="ArgumentException"><paramref name="style"/> is a hexadecimal or binary style.</exception>
    public static bool TryParse([NotNullWhen(true)] string? s, NumberStyles style, IFormatProvider? provider, out DoubleDouble result)
    {
        ValidateStyle(style);
        return TryParse(s, out result);
    }

    /// <summary>Tries to parse as <see cref="Parse(string)"/>.</summary>
    /// <param name="s">Characters to parse.</param>
    /// <param name="result">The parsed value, or 0 on failure.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, out DoubleDouble result) => ExactDecimal.TryParse(s, out result);

    /// <summary>Tries to parse as <see cref="Parse(string)"/>; the provider is ignored.</summary>
    /// <param name="s">Characters to parse.</param>
    /// <param name="provider">Ignored.</param>
    /// <param name="result">The parsed value, or 0 on failure.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out DoubleDouble result) =>
        ExactDecimal.TryParse(s, out result);

    /// <summary>Tries to parse as <see cref="Parse(string, NumberStyles, IFormatProvider)"/>.</summary>
    /// <param name="s">Characters to parse.</param>
    /// <param name="style">Must not be a hexadecimal or binary style.</param>
    /// <param name="provider">Ignored.</param>
    /// <param name="result">The parsed value, or 0 on failure.</param>
    /// <returns>Whether parsing succeeded.</returns>
    /// <exception cref="ArgumentException"><paramref name="style"/> is a hexadecimal or binary style.</exception>
    public static bool TryParse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider, out DoubleDouble result)
    {
        ValidateStyle(style);
        return ExactDecimal.TryParse(s, out result);
    }

    private static void ValidateStyle(NumberStyles style)
    {
        const NumberStyles Unsupported = NumberStyles.AllowHexSpecifier | NumberStyles.AllowBinarySpecifier;
        if ((style & Unsupported) != 0)
        {
            throw new ArgumentException("Hexadecimal and binary styles are not supported for DoubleDouble.", nameof(style));
        }
    }

    // ─────────────────────────────────────────────────────────────────────────────────────────────
    // Formatting: exact, invariant culture
    // ─────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Round-trip string: the shortest correctly rounded decimal with k ≥ 32 significant digits (k increased one
    /// at a time) that parses back to exactly this Hi and Lo, trailing zeros removed, written as
    /// <c>d[.ddd…]e±XX</c> (at least two exponent digits), e.g. <c>3.1415926535897932384626433832795e+00</c>.
    /// Zero is <c>0</c> or <c>-0</c>; non-finite values are <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.
    /// Values whose low word is far below ulp(Hi)/2 may need many more than 32 digits (at most the length of the
    /// exact binary-to-decimal expansion).
    /// </summary>
    /// <returns>The round-trip representation.</returns>
    public override string ToString() => ExactDecimal.Format(this, null);

    /// <summary>Formats with <paramref name="format"/>; see <see cref="ToString(string?, IFormatProvider?)"/>.</summary>
    /// <param name="format">Format string.</param>
    /// <returns>The formatted value.</returns>
    /// <exception cref="FormatException">The format is not supported.</exception>
    public string ToString(string? format) => ExactDecimal.Format(this, format);

    /// <summary>
    /// Formats the value exactly (correctly rounded, ties to even), invariant culture always (the provider is
    /// ignored). Supported formats: null, "", "R", "G", "G0" — the round-trip form of <see cref="ToString()"/>;
    /// "G<i>n</i>" — n significant digits, trailing zeros removed, plain notation when the decimal exponent is in
    /// [−5, n) and otherwise <c>d.dddE±XX</c> (lower-case "g" gives 'e'); "E<i>n</i>" — scientific with n digits
    /// after the point and at least three exponent digits, <c>d.ddddE+ddd</c> ("E" alone means E6, "e" gives 'e').
    /// Precision n is at most 1000. Anything else throws <see cref="FormatException"/>.
    /// </summary>
    /// <param name="format">Format string.</param>
    /// <param name="formatProvider">Ignored.</param>
    /// <returns>The formatted value.</returns>
    /// <exception cref="FormatException">The format is not supported.</exception>
    public string ToString(string? format, IFormatProvider? formatProvider) => ExactDecimal.Format(this, format);

    /// <summary>Formats into a span as <see cref="ToString(string?, IFormatProvider?)"/> (allocates a temporary string).</summary>
    /// <param name="destination">Target span.</param>
    /// <param name="charsWritten">Characters written, or 0 if the span is too short.</param>
    /// <param name="format">Format string.</param>
    /// <param name="provider">Ignored.</param>
    /// <returns>Whether the text fitted.</returns>
    /// <exception cref="FormatException">The format is not supported.</exception>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        string text = ExactDecimal.Format(this, format.IsEmpty ? null : format.ToString());
        if (text.TryCopyTo(destination))
        {
            charsWritten = text.Length;
            return true;
        }

        charsWritten = 0;
        return false;
    }
}

/// <summary>
/// Exact decimal ↔ double-double conversion with <see cref="BigInteger"/> rationals. Every finite double-double
/// is the dyadic rational N·2^E, so formatting only needs integer arithmetic, and parsing rounds the rational
/// m·10^e twice (to Hi, then the remainder to Lo) with round-to-nearest-even.
/// </summary>
file static class ExactDecimal
{
    private const int MinRoundTripDigits = 32;
    private const int MaxPrecision = 1000;

    // ── Rational → double ───────────────────────────────────────────────────────────────────────

    /// <summary>RN(num/den) for num ≥ 0, den &gt; 0, including subnormal results and overflow to +∞.</summary>
    public static double RoundToDouble(BigInteger num, BigInteger den)
    {
        if (num.IsZero)
        {
            return 0.0;
        }

        // Scale so that the integer quotient q has 54 to 56 bits: enough for a 53-bit significand plus a
        // rounding bit, with the division remainder as sticky bit.
        int shift = 55 - (int)(num.GetBitLength() - den.GetBitLength());
        BigInteger q = BigInteger.DivRem(shift >= 0 ? num << shift : num, shift >= 0 ? den : den << -shift, out BigInteger r);
        bool sticky = !r.IsZero;
        int qBits = (int)q.GetBitLength();
        // Bits dropped from q: those beyond 53, and more if the result is subnormal (last bit weight 2^-1074).
        int drop = qBits - 53;
        int lastBitExponent = drop - shift;
        if (lastBitExponent < -1074)
        {
            drop += -1074 - lastBitExponent;
        }

        if (drop > qBits + 1)
        {
            return 0.0;
        }

        BigInteger mantissa = q >> drop;
        BigInteger rest = q - (mantissa << drop);
        BigInteger half = BigInteger.One << (drop - 1);
        int c = rest.CompareTo(half);
        if (c > 0 || (c == 0 && (sticky || !mantissa.IsEven)))
        {
            mantissa += BigInteger.One;
        }

        // mantissa ≤ 2^53 converts exactly; ScaleB is exact for representable results and overflows to ∞.
        return Math.ScaleB((double)(ulong)mantissa, drop - shift);
    }

    /// <summary>Nearest double-double to ±num/den: Hi = RN(q), Lo = RN(q − Hi).</summary>
    public static DoubleDouble FromRational(bool negative, BigInteger num, BigInteger den)
    {
        double hi = RoundToDouble(num, den);
        double lo = 0.0;
        if (double.IsFinite(hi) && hi != 0.0)
        {
            (BigInteger m, int e) = Decompose(hi);
            // Remainder q − Hi as a rational rn/rd.
            BigInteger rn, rd;
            if (e >= 0)
            {
                rn = num - (m << e) * den;
                rd = den;
            }
            else
            {
                rn = (num << -e) - m * den;
                rd = den << -e;
            }

            lo = rn.Sign < 0 ? -RoundToDouble(-rn, rd) : RoundToDouble(rn, rd);
        }

        return negative ? new DoubleDouble(-hi, -lo) : new DoubleDouble(hi, lo);
    }

    public static DoubleDouble FromInteger(BigInteger value) =>
        FromRational(value.Sign < 0, BigInteger.Abs(value), BigInteger.One);

    /// <summary>|d| = m·2^e exactly, for finite d.</summary>
    private static (BigInteger Mantissa, int Exponent) Decompose(double d)
    {
        long bits = BitConverter.DoubleToInt64Bits(d);
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xF_FFFF_FFFF_FFFFL;
        return biased == 0
            ? (new BigInteger(fraction), -1074)
            : (new BigInteger(fraction | (1L << 52)), biased - 1075);
    }

    /// <summary>|x| = N·2^E exactly for finite non-zero x (N &gt; 0).</summary>
    private static (BigInteger N, int E) ToDyadic(DoubleDouble x)
    {
        (BigInteger mh, int eh) = Decompose(x.Hi);
        if (x.Lo == 0.0)
        {
            return (mh, eh);
        }

        (BigInteger ml, int el) = Decompose(x.Lo);
        int e = Math.Min(eh, el);
        // Lo has the opposite sign of Hi when the value lies below |Hi|.
        bool sameSign = double.IsNegative(x.Hi) == double.IsNegative(x.Lo);
        BigInteger high = mh << (eh - e), low = ml << (el - e);
        return (sameSign ? high + low : high - low, e);
    }

    // ── Parsing ─────────────────────────────────────────────────────────────────────────────────

    public static bool TryParse(ReadOnlySpan<char> s, out DoubleDouble result)
    {
        result = DoubleDouble.Zero;
        s = s.Trim();
        int i = 0;
        bool negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            negative = s[i] == '-';
            i++;
        }

        ReadOnlySpan<char> body = s[i..];
        if (body.Equals("NaN", StringComparison.OrdinalIgnoreCase))
        {
            result = DoubleDouble.NaN;
            return true;
        }

        if (body.Equals("Infinity", StringComparison.OrdinalIgnoreCase) || body.SequenceEqual("∞"))
        {
            result = negative ? DoubleDouble.NegativeInfinity : DoubleDouble.PositiveInfinity;
            return true;
        }

        // Significand phase: collect the digits without the point; count those after it.
        int intStart = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        int intDigits = i - intStart;
        int fracStart = i, fracDigits = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            fracStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            fracDigits = i - fracStart;
        }

        if (intDigits + fracDigits == 0)
        {
            return false;
        }

        // Exponent phase: saturate far outside the double range instead of overflowing.
        long exponent = 0;
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            bool negativeExponent = false;
            if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                negativeExponent = s[i] == '-';
                i++;
            }

            int expStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                exponent = Math.Min(exponent * 10 + (s[i] - '0'), 1_000_000_000L);
                i++;
            }

            if (i == expStart)
            {
                return false;
            }

            exponent = negativeExponent ? -exponent : exponent;
        }

        if (i != s.Length)
        {
            return false;
        }

        BigInteger m = ParseDigits(s.Slice(intStart, intDigits), s.Slice(fracStart, fracDigits));
        if (m.IsZero)
        {
            result = negative ? -DoubleDouble.Zero : DoubleDouble.Zero;
            return true;
        }

        // Range phase: decide ±∞ and ±0 early so the exact phase never builds huge powers of ten.
        long e10 = exponent - fracDigits;
        double leadingExponent = e10 + (m.GetBitLength() - 1) * 0.30102999566398120;
        if (leadingExponent > 310.0)
        {
            result = negative ? DoubleDouble.NegativeInfinity : DoubleDouble.PositiveInfinity;
            return true;
        }

        if (leadingExponent < -326.0)
        {
            result = negative ? -DoubleDouble.Zero : DoubleDouble.Zero;
            return true;
        }

        // Exact phase: m·10^e10 as a rational, rounded twice.
        result = e10 >= 0
            ? FromRational(negative, m * BigInteger.Pow(10, (int)e10), BigInteger.One)
            : FromRational(negative, m, BigInteger.Pow(10, (int)-e10));
        return true;
    }

    private static BigInteger ParseDigits(ReadOnlySpan<char> integerPart, ReadOnlySpan<char> fractionPart)
    {
        int n = integerPart.Length + fractionPart.Length;
        Span<char> digits = n <= 256 ? stackalloc char[n] : new char[n];
        integerPart.CopyTo(digits);
        fractionPart.CopyTo(digits[integerPart.Length..]);
        return BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    // ── Formatting ──────────────────────────────────────────────────────────────────────────────

    public static string Format(DoubleDouble x, string? format)
    {
        char kind = 'R';
        int precision = 0;
        if (!string.IsNullOrEmpty(format))
        {
            kind = format[0];
            bool hasPrecision = format.Length > 1;
            bool valid = !hasPrecision
                || (int.TryParse(format.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out precision)
                    && precision <= MaxPrecision);
            switch (kind)
            {
                case 'R' or 'r':
                    valid &= !hasPrecision;
                    break;
                case 'G' or 'g':
                    break;
                case 'E' or 'e':
                    precision = hasPrecision ? precision : 6;
                    break;
                default:
                    valid = false;
                    break;
            }

            if (!valid)
            {
                throw new FormatException($"Format '{format}' is not supported by DoubleDouble.");
            }
        }

        if (double.IsNaN(x.Hi))
        {
            return "NaN";
        }

        if (double.IsInfinity(x.Hi))
        {
            return x.Hi > 0.0 ? "Infinity" : "-Infinity";
        }

        string sign = double.IsNegative(x.Hi) ? "-" : "";
        bool roundTrip = kind is 'R' or 'r' || (kind is 'G' or 'g' && precision == 0);
        if (x.Hi == 0.0)
        {
            return kind is 'E' or 'e'
                ? sign + (precision > 0 ? "0." + new string('0', precision) : "0") + kind + "+000"
                : sign + "0";
        }

        (BigInteger n, int e) = ToDyadic(x);
        if (roundTrip)
        {
            (string digits, int exp10) = RoundTripDigits(x, n, e);
            return sign + Scientific(digits.TrimEnd('0'), exp10, 'e', 2);
        }

        if (kind is 'E' or 'e')
        {
            (string digits, int exp10) = Digits(n, e, precision + 1);
            return sign + Scientific(digits, exp10, kind, 3);
        }

        (string gDigits, int gExp10) = Digits(n, e, precision);
        string trimmed = gDigits.TrimEnd('0');
        return sign + (gExp10 >= -5 && gExp10 < precision
            ? Plain(trimmed, gExp10)
            : Scientific(trimmed, gExp10, kind == 'g' ? 'e' : 'E', 2));
    }

    private static (string Digits, int Exponent10) RoundTripDigits(DoubleDouble x, BigInteger n, int e)
    {
        DoubleDouble magnitude = DoubleDouble.Abs(x);
        for (int k = MinRoundTripDigits; ; k++)
        {
            (BigInteger d, int p) = RoundedDigits(n, e, k);
            // The candidate is d·10^(p−k+1); it round-trips if it rounds back to the same pair.
            int s = p - k + 1;
            DoubleDouble back = s >= 0
                ? FromRational(false, d * BigInteger.Pow(10, s), BigInteger.One)
                : FromRational(false, d, BigInteger.Pow(10, -s));
            // Terminates: at the length of the exact expansion the candidate equals x.
            if (back.Hi == magnitude.Hi && back.Lo == magnitude.Lo)
            {
                return (d.ToString(CultureInfo.InvariantCulture), p);
            }
        }
    }

    private static (string Digits, int Exponent10) Digits(BigInteger n, int e, int k)
    {
        (BigInteger d, int p) = RoundedDigits(n, e, k);
        return (d.ToString(CultureInfo.InvariantCulture), p);
    }

    /// <summary>
    /// The k-digit integer d (10^(k−1) ≤ d &lt; 10^k) and decimal exponent p with N·2^E ≈ d·10^(p−k+1),
    /// correctly rounded (ties to even).
    /// </summary>
    private static (BigInteger D, int P) RoundedDigits(BigInteger n, int e, int k)
    {
        // Estimate p from the binary size; the loop corrects an off-by-one either way.
        int p = (int)Math.Floor((n.GetBitLength() - 1 + e) * 0.30102999566398120);
        BigInteger lowerBound = BigInteger.Pow(10, k - 1), upperBound = lowerBound * 10;
        while (true)
        {
            int s = p - k + 1;
            BigInteger num = e >= 0 ? n << e : n, den = e >= 0 ? BigInteger.One : BigInteger.One << -e;
            if (s >= 0)
            {
                den *= BigInteger.Pow(10, s);
            }
            else
            {
                num *= BigInteger.Pow(10, -s);
            }

            BigInteger d = BigInteger.DivRem(num, den, out BigInteger r);
            int c = (r << 1).CompareTo(den);
            if (c > 0 || (c == 0 && !d.IsEven))
            {
                d += BigInteger.One;
            }

            if (d == upperBound)
            {
                // Rounding carried into a new decade: the value rounds to exactly 10^(p+1).
                return (lowerBound, p + 1);
            }

            if (d > upperBound)
            {
                p++;
            }
            else if (d < lowerBound)
            {
                p--;
            }
            else
            {
                return (d, p);
            }
        }
    }

    private static string Scientific(string digits, int exp10, char marker, int minExponentDigits)
    {
        string mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
        string exponent = Math.Abs(exp10).ToString(CultureInfo.InvariantCulture).PadLeft(minExponentDigits, '0');
        return mantissa + marker + (exp10 < 0 ? "-" : "+") + exponent;
    }

    private static string Plain(string digits, int exp10)
    {
        if (exp10 < 0)
        {
            return "0." + new string('0', -exp10 - 1) + digits;
        }

        if (digits.Length <= exp10 + 1)
        {
            return digits + new string('0', exp10 + 1 - digits.Length);
        }

        return digits[..(exp10 + 1)] + "." + digits[(exp10 + 1)..];
    }

    // ── decimal ─────────────────────────────────────────────────────────────────────────────────

    /// <summary>Correctly rounded conversion to decimal at the largest scale ≤ 28 whose significand fits 96 bits.</summary>
    public static bool TryToDecimal(DoubleDouble x, out decimal result)
    {
        result = 0m;
        if (x.Hi == 0.0)
        {
            return true;
        }

        (BigInteger n, int e) = ToDyadic(x);
        BigInteger limit = BigInteger.One << 96;
        for (int scale = 28; scale >= 0; scale--)
        {
            // Round N·2^E·10^scale to an integer, ties to even.
            BigInteger num = n * BigInteger.Pow(10, scale), den = BigInteger.One;
            if (e >= 0)
            {
                num <<= e;
            }
            else
            {
                den <<= -e;
            }

            BigInteger q = BigInteger.DivRem(num, den, out BigInteger r);
            int c = (r << 1).CompareTo(den);
            if (c > 0 || (c == 0 && !q.IsEven))
            {
                q += BigInteger.One;
            }

            if (q >= limit)
            {
                continue;
            }

            // Drop trailing zeros so that, e.g., 1 becomes 1m and not 1.0000000000000000000000000000m.
            int finalScale = scale;
            while (finalScale > 0 && !q.IsZero && (q % 10).IsZero)
            {
                q /= 10;
                finalScale--;
            }

            var lo = (int)(uint)(q & uint.MaxValue);
            var mid = (int)(uint)((q >> 32) & uint.MaxValue);
            var hi = (int)(uint)(q >> 64);
            result = new decimal(lo, mid, hi, double.IsNegative(x.Hi), (byte)finalScale);
            return true;
        }

        return false;
    }
}
