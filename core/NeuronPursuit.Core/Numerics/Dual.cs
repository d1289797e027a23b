// SPDX-License-Identifier: MIT
using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// A dual number v + t·ε with ε² = 0: the value <see cref="Value"/> carries the tangent
/// <see cref="Tangent"/>, and every operation applies the chain rule to it, so evaluating any generic
/// code f at <c>new Dual&lt;T&gt;(x, d)</c> yields f(x) in the value and the exact directional
/// derivative f′(x)·d in the tangent (forward-mode algorithmic differentiation, Griewank &amp; Walther,
/// "Evaluating Derivatives", 2nd ed., SIAM 2008, ch. 3; dual numbers after Clifford 1873).
/// Running a reverse-mode gradient written for generic <typeparamref name="T"/> on
/// <see cref="Dual{T}"/> at (w, v) makes the tangent of the gradient the Hessian-vector product H(w)·v
/// (forward-over-reverse, Pearlmutter, "Fast exact multiplication by the Hessian", Neural Computation
/// 6(1), 1994).
/// </summary>
/// <remarks>
/// <para>
/// <b>Comparisons look at the value only.</b> <c>==</c>, <c>&lt;</c>, <see cref="CompareTo(Dual{T})"/>,
/// <see cref="Equals(Dual{T})"/> and <see cref="GetHashCode"/> ignore the tangent, so generic piecewise
/// code such as <c>z &gt; T.Zero ? z : alpha * z</c> picks its branch by the primal value and then
/// differentiates the branch it took, which is the derivative almost everywhere. Two duals with equal
/// values and different tangents are therefore equal.
/// </para>
/// <para>
/// <b>Non-smooth points.</b> <see cref="Abs"/> has tangent 0 at 0 and <see cref="Max"/>/<see cref="Min"/>
/// return their second argument on a tie, so <c>T.Max(z, T.Zero)</c> has derivative 0 at z = 0 like
/// PyTorch's <c>relu</c>. At the points where the derivative is infinite (√ and the other roots at 0,
/// xⁿ at 0) a zero tangent stays zero, so a constant never turns into NaN through 0·∞;
/// a non-zero tangent becomes ±∞ there.
/// </para>
/// <para>
/// <b>Predicates.</b> <see cref="IsNaN"/> is true when either part is NaN and <see cref="IsFinite"/> only when
/// both parts are finite, so that a broken derivative shows; <see cref="IsInfinity"/> is the rest (no NaN, some
/// part infinite). <see cref="IsZero"/> needs both parts zero, unlike <c>==</c>: a product with 0 + t·ε is not
/// zero, so this is the test for skipping work. The sign and integer predicates look at the value.
/// </para>
/// <para>
/// <b>Nesting.</b> <c>Dual&lt;Dual&lt;T&gt;&gt;</c> gives second derivatives: f at
/// <c>new Dual&lt;Dual&lt;T&gt;&gt;(new(x, u), new(v, 0))</c> carries f″(x)·u·v in <c>Tangent.Tangent</c>.
/// The type level keeps the two perturbations apart; the caller must seed each level on purpose (the
/// "perturbation confusion" of Siskind &amp; Pearlmutter, IFL 2005).
/// </para>
/// <para>
/// The struct allocates nothing; each operation is a handful of operations on <typeparamref name="T"/>.
/// </para>
/// </remarks>
/// <typeparam name="T">The scalar of the value and the tangent, e.g. <see cref="double"/>.</typeparam>
public readonly struct Dual<T> : INumber<Dual<T>>, IRootFunctions<Dual<T>>, IExponentialFunctions<Dual<T>>, ILogarithmicFunctions<Dual<T>>
    where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
{
    /// <summary>Creates the dual number <paramref name="value"/> + <paramref name="tangent"/>·ε.</summary>
    /// <param name="value">The primal value v.</param>
    /// <param name="tangent">The tangent t, the directional derivative carried along with v.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Dual(T value, T tangent)
    {
        Value = value;
        Tangent = tangent;
    }

    /// <summary>The primal value v.</summary>
    public T Value { get; }

    /// <summary>The tangent t: the derivative of the value along the seeded direction.</summary>
    public T Tangent { get; }

    /// <summary>A constant: <paramref name="value"/> with tangent 0.</summary>
    /// <param name="value">The value.</param>
    /// <returns><paramref name="value"/> + 0·ε.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> Constant(T value) => new(value, T.Zero);

    /// <summary>The independent variable: <paramref name="value"/> with tangent 1, so that the tangent of f(x) is f′(x).</summary>
    /// <param name="value">The point x at which to differentiate.</param>
    /// <returns><paramref name="value"/> + 1·ε.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> Variable(T value) => new(value, T.One);

    // ---------------------------------------------------------------- constants

    /// <summary>0 + 0·ε.</summary>
    public static Dual<T> Zero => new(T.Zero, T.Zero);

    /// <summary>1 + 0·ε.</summary>
    public static Dual<T> One => new(T.One, T.Zero);

    /// <summary>The radix of <typeparamref name="T"/>.</summary>
    public static int Radix => T.Radix;

    /// <summary>0 + 0·ε.</summary>
    public static Dual<T> AdditiveIdentity => Zero;

    /// <summary>1 + 0·ε.</summary>
    public static Dual<T> MultiplicativeIdentity => One;

    /// <summary>Euler's number e as a constant (tangent 0).</summary>
    public static Dual<T> E => new(T.E, T.Zero);

    /// <summary>π as a constant (tangent 0).</summary>
    public static Dual<T> Pi => new(T.Pi, T.Zero);

    /// <summary>τ = 2π as a constant (tangent 0).</summary>
    public static Dual<T> Tau => new(T.Tau, T.Zero);

    // ---------------------------------------------------------------- arithmetic

    /// <summary>Sum rule: (a + b)′ = a′ + b′.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a + b.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator +(Dual<T> left, Dual<T> right) =>
        new(left.Value + right.Value, left.Tangent + right.Tangent);

    /// <summary>Difference rule: (a − b)′ = a′ − b′.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a − b.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator -(Dual<T> left, Dual<T> right) =>
        new(left.Value - right.Value, left.Tangent - right.Tangent);

    /// <summary>Product rule: (a·b)′ = a′·b + a·b′.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a·b.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator *(Dual<T> left, Dual<T> right) =>
        new(left.Value * right.Value, left.Tangent * right.Value + left.Value * right.Tangent);

    /// <summary>Quotient rule: (a/b)′ = (a′ − (a/b)·b′)/b. Division by a zero value follows <typeparamref name="T"/> (±∞ or NaN).</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a/b.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator /(Dual<T> left, Dual<T> right)
    {
        // Reusing the quotient q saves a multiplication and keeps a′·b − a·b′ from overflowing before the division.
        T q = left.Value / right.Value;
        return new(q, (left.Tangent - q * right.Tangent) / right.Value);
    }

    /// <summary>
    /// Remainder a % b = a − b·trunc(a/b), with tangent a′ − trunc(a/b)·b′ (the quotient is piecewise
    /// constant). For a constant divisor the tangent is a′. trunc(a/b) is recovered as (a − a % b)/b,
    /// which may be off by rounding when |a/b| is near 2^p for p the precision of <typeparamref name="T"/>.
    /// </summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a % b.</returns>
    public static Dual<T> operator %(Dual<T> left, Dual<T> right)
    {
        T r = left.Value % right.Value;
        if (T.IsZero(right.Tangent)) return new(r, left.Tangent);
        T quotient = (left.Value - r) / right.Value;
        return new(r, left.Tangent - quotient * right.Tangent);
    }

    /// <summary>Negation: (−a)′ = −a′.</summary>
    /// <param name="value">a.</param>
    /// <returns>−a.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator -(Dual<T> value) => new(-value.Value, -value.Tangent);

    /// <summary>Unary plus: the operand unchanged.</summary>
    /// <param name="value">a.</param>
    /// <returns>a.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator +(Dual<T> value) => value;

    /// <summary>Adds 1 to the value; the tangent is unchanged.</summary>
    /// <param name="value">a.</param>
    /// <returns>a + 1.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator ++(Dual<T> value) => new(value.Value + T.One, value.Tangent);

    /// <summary>Subtracts 1 from the value; the tangent is unchanged.</summary>
    /// <param name="value">a.</param>
    /// <returns>a − 1.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator --(Dual<T> value) => new(value.Value - T.One, value.Tangent);

    // Mixed operations with a scalar treat the scalar as a constant and skip the products with its zero tangent.

    /// <summary>a + c for a constant c.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">c.</param>
    /// <returns>a + c.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator +(Dual<T> left, T right) => new(left.Value + right, left.Tangent);

    /// <summary>c + a for a constant c.</summary>
    /// <param name="left">c.</param>
    /// <param name="right">a.</param>
    /// <returns>c + a.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator +(T left, Dual<T> right) => new(left + right.Value, right.Tangent);

    /// <summary>a − c for a constant c.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">c.</param>
    /// <returns>a − c.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator -(Dual<T> left, T right) => new(left.Value - right, left.Tangent);

    /// <summary>c − a for a constant c.</summary>
    /// <param name="left">c.</param>
    /// <param name="right">a.</param>
    /// <returns>c − a.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator -(T left, Dual<T> right) => new(left - right.Value, -right.Tangent);

    /// <summary>a·c for a constant c.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">c.</param>
    /// <returns>a·c.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator *(Dual<T> left, T right) => new(left.Value * right, left.Tangent * right);

    /// <summary>c·a for a constant c.</summary>
    /// <param name="left">c.</param>
    /// <param name="right">a.</param>
    /// <returns>c·a.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator *(T left, Dual<T> right) => new(left * right.Value, left * right.Tangent);

    /// <summary>a/c for a constant c.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">c.</param>
    /// <returns>a/c.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator /(Dual<T> left, T right) => new(left.Value / right, left.Tangent / right);

    /// <summary>c/a for a constant c: tangent −(c/a)·a′/a.</summary>
    /// <param name="left">c.</param>
    /// <param name="right">a.</param>
    /// <returns>c/a.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator /(T left, Dual<T> right)
    {
        T q = left / right.Value;
        return new(q, -(q * right.Tangent) / right.Value);
    }

    // ---------------------------------------------------------------- comparison (by value only)

    /// <summary>Compares values only; the tangents are ignored.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a.Value == b.Value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator ==(Dual<T> left, Dual<T> right) => left.Value == right.Value;

    /// <summary>Compares values only; the tangents are ignored.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a.Value != b.Value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator !=(Dual<T> left, Dual<T> right) => left.Value != right.Value;

    /// <summary>Compares values only; the tangents are ignored.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a.Value &lt; b.Value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator <(Dual<T> left, Dual<T> right) => left.Value < right.Value;

    /// <summary>Compares values only; the tangents are ignored.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a.Value &gt; b.Value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator >(Dual<T> left, Dual<T> right) => left.Value > right.Value;

    /// <summary>Compares values only; the tangents are ignored.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a.Value &lt;= b.Value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator <=(Dual<T> left, Dual<T> right) => left.Value <= right.Value;

    /// <summary>Compares values only; the tangents are ignored.</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <returns>a.Value &gt;= b.Value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator >=(Dual<T> left, Dual<T> right) => left.Value >= right.Value;

    /// <summary>Orders by value only, as <typeparamref name="T"/> does (NaN first); the tangents are ignored.</summary>
    /// <param name="other">The dual to compare with.</param>
    /// <returns>The sign of the comparison of the values.</returns>
    public int CompareTo(Dual<T> other) => Value.CompareTo(other.Value);

    /// <summary>Orders by value only; any dual is greater than null.</summary>
    /// <param name="obj">A <see cref="Dual{T}"/> or null.</param>
    /// <returns>The sign of the comparison of the values.</returns>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is neither null nor a <see cref="Dual{T}"/>.</exception>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Dual<T> other => CompareTo(other),
        _ => throw new ArgumentException($"obj: expected a {nameof(Dual<T>)}<{typeof(T).Name}>, got {obj.GetType().Name}.", nameof(obj)),
    };

    /// <summary>Equality of the values only, with the <see cref="IEquatable{T}"/> semantics of <typeparamref name="T"/> (NaN equals NaN).</summary>
    /// <param name="other">The dual to compare with.</param>
    /// <returns>Whether the values are equal.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(Dual<T> other) => Value.Equals(other.Value);

    /// <summary>Equality of the values only; see <see cref="Equals(Dual{T})"/>.</summary>
    /// <param name="obj">Any object.</param>
    /// <returns>Whether <paramref name="obj"/> is a dual with an equal value.</returns>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Dual<T> other && Equals(other);

    /// <summary>The hash of the value alone, consistent with <see cref="Equals(Dual{T})"/>.</summary>
    /// <returns>A hash code.</returns>
    public override int GetHashCode() => Value.GetHashCode();

    // ---------------------------------------------------------------- non-smooth functions

    /// <summary>|a| with tangent sign(a)·a′; at a = 0 the tangent is 0 (the subgradient PyTorch's <c>abs</c> uses).</summary>
    /// <param name="value">a.</param>
    /// <returns>|a|.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> Abs(Dual<T> value)
    {
        if (value.Value > T.Zero) return value;
        if (value.Value < T.Zero) return -value;
        // ±0 gets tangent 0; NaN keeps its tangent (it is NaN already).
        return new(T.Abs(value.Value), T.IsNaN(value.Value) ? value.Tangent : T.Zero);
    }

    /// <summary>
    /// The argument with the larger value, tangent included. On a tie the second argument <paramref name="y"/>
    /// is returned, so that <c>Max(z, 0)</c> has derivative 0 at z = 0 as PyTorch's <c>relu</c> does (and as
    /// the default <see cref="INumber{TSelf}.Max"/> of .NET returns its second argument on ties). A NaN value propagates.
    /// </summary>
    /// <param name="x">First argument.</param>
    /// <param name="y">Second argument, returned on a tie.</param>
    /// <returns>max(x, y) by value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> Max(Dual<T> x, Dual<T> y)
    {
        if (x.Value > y.Value) return x;
        if (x.Value < y.Value) return y;
        return T.IsNaN(x.Value) ? x : y;
    }

    /// <summary>
    /// The argument with the smaller value, tangent included. On a tie the second argument <paramref name="y"/>
    /// is returned (the same rule as <see cref="Max"/>). A NaN value propagates.
    /// </summary>
    /// <param name="x">First argument.</param>
    /// <param name="y">Second argument, returned on a tie.</param>
    /// <returns>min(x, y) by value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> Min(Dual<T> x, Dual<T> y)
    {
        if (x.Value < y.Value) return x;
        if (x.Value > y.Value) return y;
        return T.IsNaN(x.Value) ? x : y;
    }

    /// <summary>As <see cref="Max"/>, but a NaN value loses to a number.</summary>
    /// <param name="x">First argument.</param>
    /// <param name="y">Second argument, returned on a tie.</param>
    /// <returns>max(x, y) by value, ignoring NaN.</returns>
    public static Dual<T> MaxNumber(Dual<T> x, Dual<T> y)
    {
        if (T.IsNaN(y.Value)) return x;
        if (T.IsNaN(x.Value)) return y;
        return Max(x, y);
    }

    /// <summary>As <see cref="Min"/>, but a NaN value loses to a number.</summary>
    /// <param name="x">First argument.</param>
    /// <param name="y">Second argument, returned on a tie.</param>
    /// <returns>min(x, y) by value, ignoring NaN.</returns>
    public static Dual<T> MinNumber(Dual<T> x, Dual<T> y)
    {
        if (T.IsNaN(y.Value)) return x;
        if (T.IsNaN(x.Value)) return y;
        return Min(x, y);
    }

    /// <summary>
    /// The argument of larger magnitude |value|, tangent included. On equal magnitudes: equal values return
    /// <paramref name="y"/>, opposite values return the positive one (as <see cref="double.MaxMagnitude"/>).
    /// A NaN value propagates.
    /// </summary>
    /// <param name="x">First argument.</param>
    /// <param name="y">Second argument.</param>
    /// <returns>The argument of larger magnitude.</returns>
    public static Dual<T> MaxMagnitude(Dual<T> x, Dual<T> y)
    {
        T ax = T.Abs(x.Value), ay = T.Abs(y.Value);
        if (ax > ay) return x;
        if (ax < ay) return y;
        if (T.IsNaN(x.Value)) return x;
        if (T.IsNaN(y.Value) || x.Value == y.Value) return y;
        return T.IsNegative(x.Value) ? y : x;
    }

    /// <summary>
    /// The argument of smaller magnitude |value|, tangent included. On equal magnitudes: equal values return
    /// <paramref name="y"/>, opposite values return the negative one (as <see cref="double.MinMagnitude"/>).
    /// A NaN value propagates.
    /// </summary>
    /// <param name="x">First argument.</param>
    /// <param name="y">Second argument.</param>
    /// <returns>The argument of smaller magnitude.</returns>
    public static Dual<T> MinMagnitude(Dual<T> x, Dual<T> y)
    {
        T ax = T.Abs(x.Value), ay = T.Abs(y.Value);
        if (ax < ay) return x;
        if (ax > ay) return y;
        if (T.IsNaN(x.Value)) return x;
        if (T.IsNaN(y.Value) || x.Value == y.Value) return y;
        return T.IsNegative(x.Value) ? x : y;
    }

    /// <summary>As <see cref="MaxMagnitude"/>, but a NaN value loses to a number.</summary>
    /// <param name="x">First argument.</param>
    /// <param name="y">Second argument.</param>
    /// <returns>The argument of larger magnitude, ignoring NaN.</returns>
    public static Dual<T> MaxMagnitudeNumber(Dual<T> x, Dual<T> y)
    {
        if (T.IsNaN(y.Value)) return x;
        if (T.IsNaN(x.Value)) return y;
        return MaxMagnitude(x, y);
    }

    /// <summary>As <see cref="MinMagnitude"/>, but a NaN value loses to a number.</summary>
    /// <param name="x">First argument.</param>
    /// <param name="y">Second argument.</param>
    /// <returns>The argument of smaller magnitude, ignoring NaN.</returns>
    public static Dual<T> MinMagnitudeNumber(Dual<T> x, Dual<T> y)
    {
        if (T.IsNaN(y.Value)) return x;
        if (T.IsNaN(x.Value)) return y;
        return MinMagnitude(x, y);
    }

    /// <summary>
    /// <paramref name="value"/> limited to [<paramref name="min"/>, <paramref name="max"/>] by value. Inside the
    /// closed interval, bounds included, the value passes through with its tangent (as PyTorch's <c>clamp</c>
    /// passes the gradient at the bounds); outside it the bound is returned with the bound's tangent.
    /// </summary>
    /// <param name="value">The dual to clamp.</param>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound.</param>
    /// <returns>The clamped dual.</returns>
    /// <exception cref="ArgumentException"><paramref name="min"/> is greater than <paramref name="max"/>.</exception>
    public static Dual<T> Clamp(Dual<T> value, Dual<T> min, Dual<T> max)
    {
        if (min.Value > max.Value)
            throw new ArgumentException($"min: the lower bound {min.Value} exceeds the upper bound {max.Value}.", nameof(min));
        if (value.Value < min.Value) return min;
        if (value.Value > max.Value) return max;
        return value;
    }

    /// <summary>
    /// |x| with the sign of <paramref name="sign"/>: ±x, tangent ±x′ with the same sign flip; the tangent of
    /// <paramref name="sign"/> does not enter (the result is piecewise constant in it).
    /// </summary>
    /// <param name="value">x.</param>
    /// <param name="sign">The dual whose value's sign is taken.</param>
    /// <returns>copysign(x, sign).</returns>
    public static Dual<T> CopySign(Dual<T> value, Dual<T> sign)
    {
        T v = T.CopySign(value.Value, sign.Value);
        return new(v, T.IsNegative(v) == T.IsNegative(value.Value) ? value.Tangent : -value.Tangent);
    }

    /// <summary>The sign of the value: −1, 0 or +1.</summary>
    /// <param name="value">A dual.</param>
    /// <returns>The sign of <see cref="Value"/>.</returns>
    /// <exception cref="ArithmeticException">The value is NaN.</exception>
    public static int Sign(Dual<T> value) => T.Sign(value.Value);

    // ---------------------------------------------------------------- powers and roots

    /// <summary>
    /// xⁿ by binary exponentiation, with tangent n·xⁿ⁻¹·x′. x⁰ = 1 with tangent 0, also at x = 0;
    /// negative n use 1/x^|n|.
    /// </summary>
    /// <param name="x">Base.</param>
    /// <param name="n">Integer exponent.</param>
    /// <returns>xⁿ.</returns>
    public static Dual<T> Pow(Dual<T> x, int n)
    {
        T value = IntegerPower(x.Value, n);
        if (n == 0 || T.IsZero(x.Tangent)) return new(value, T.Zero);
        // xⁿ⁻¹ is computed on its own, not as xⁿ/x, so that x = 0 gives 0 for n ≥ 2 rather than 0/0.
        return new(value, T.CreateTruncating(n) * IntegerPower(x.Value, n - 1) * x.Tangent);
    }

    /// <summary>√x with tangent x′/(2√x). At x = 0 the tangent is ±∞ for x′ ≠ 0 and 0 for x′ = 0; for x &lt; 0 both parts are NaN.</summary>
    /// <param name="x">Radicand.</param>
    /// <returns>√x.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> Sqrt(Dual<T> x)
    {
        T s = T.Sqrt(x.Value);
        return new(s, T.IsZero(x.Tangent) ? T.Zero : x.Tangent / (s + s));
    }

    /// <summary>∛x with tangent x′/(3·∛x²). At x = 0 the tangent is ±∞ for x′ ≠ 0 and 0 for x′ = 0.</summary>
    /// <param name="x">Radicand, any sign.</param>
    /// <returns>∛x.</returns>
    public static Dual<T> Cbrt(Dual<T> x)
    {
        T c = T.Cbrt(x.Value);
        return new(c, T.IsZero(x.Tangent) ? T.Zero : x.Tangent / (T.CreateTruncating(3) * c * c));
    }

    /// <summary>
    /// The n-th root x^(1/n), with tangent x′/(n·r^(n−1)) for r = x^(1/n) (equal to x^(1/n−1)/n, also for
    /// negative n). At x = 0 the tangent is ±∞ for x′ ≠ 0 and 0 for x′ = 0; n = 0 gives NaN as in <typeparamref name="T"/>.
    /// </summary>
    /// <param name="x">Radicand.</param>
    /// <param name="n">Degree of the root.</param>
    /// <returns>x^(1/n).</returns>
    public static Dual<T> RootN(Dual<T> x, int n)
    {
        T r = T.RootN(x.Value, n);
        if (T.IsZero(x.Tangent)) return new(r, T.Zero);
        return new(r, x.Tangent / (T.CreateTruncating(n) * IntegerPower(r, n - 1)));
    }

    /// <summary>
    /// √(x² + y²) without undue overflow, with tangent (x·x′ + y·y′)/h. At x = y = 0 the tangent is 0, the same
    /// subgradient as <see cref="Abs"/> (hypot(x, 0) = |x|).
    /// </summary>
    /// <param name="x">First leg.</param>
    /// <param name="y">Second leg.</param>
    /// <returns>hypot(x, y).</returns>
    public static Dual<T> Hypot(Dual<T> x, Dual<T> y)
    {
        T h = T.Hypot(x.Value, y.Value);
        if (h == T.Zero) return new(h, T.Zero);
        // The ratios x/h, y/h lie in [−1, 1]: no overflow when x·x′ would.
        return new(h, x.Value / h * x.Tangent + y.Value / h * y.Tangent);
    }

    /// <summary>left·right + addend, with the tangent of the product rule (no fused rounding is promised).</summary>
    /// <param name="left">a.</param>
    /// <param name="right">b.</param>
    /// <param name="addend">c.</param>
    /// <returns>a·b + c.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> MultiplyAddEstimate(Dual<T> left, Dual<T> right, Dual<T> addend) => left * right + addend;

    private static T IntegerPower(T x, int n)
    {
        // |n| as unsigned so that int.MinValue does not overflow.
        uint m = n < 0 ? (uint)-(long)n : (uint)n;
        T result = T.One;
        T factor = x;
        while (m != 0)
        {
            if ((m & 1) != 0) result *= factor;
            m >>= 1;
            if (m != 0) factor *= factor;
        }
        return n < 0 ? T.One / result : result;
    }

    // ---------------------------------------------------------------- exponentials and logarithms

    private static T Ln2 => T.Log(T.One + T.One);

    private static T Ln10 => T.Log(T.CreateTruncating(10));

    /// <summary>eˣ with tangent eˣ·x′.</summary>
    /// <param name="x">Exponent.</param>
    /// <returns>eˣ.</returns>
    public static Dual<T> Exp(Dual<T> x)
    {
        T e = T.Exp(x.Value);
        return new(e, e * x.Tangent);
    }

    /// <summary>eˣ − 1 with tangent eˣ·x′ (the value from T's own ExpM1).</summary>
    /// <param name="x">Exponent.</param>
    /// <returns>eˣ − 1.</returns>
    public static Dual<T> ExpM1(Dual<T> x) => new(T.ExpM1(x.Value), T.Exp(x.Value) * x.Tangent);

    /// <summary>2ˣ with tangent 2ˣ·ln 2·x′.</summary>
    /// <param name="x">Exponent.</param>
    /// <returns>2ˣ.</returns>
    public static Dual<T> Exp2(Dual<T> x)
    {
        T e = T.Exp2(x.Value);
        return new(e, e * Ln2 * x.Tangent);
    }

    /// <summary>2ˣ − 1 with tangent 2ˣ·ln 2·x′.</summary>
    /// <param name="x">Exponent.</param>
    /// <returns>2ˣ − 1.</returns>
    public static Dual<T> Exp2M1(Dual<T> x) => new(T.Exp2M1(x.Value), T.Exp2(x.Value) * Ln2 * x.Tangent);

    /// <summary>10ˣ with tangent 10ˣ·ln 10·x′.</summary>
    /// <param name="x">Exponent.</param>
    /// <returns>10ˣ.</returns>
    public static Dual<T> Exp10(Dual<T> x)
    {
        T e = T.Exp10(x.Value);
        return new(e, e * Ln10 * x.Tangent);
    }

    /// <summary>10ˣ − 1 with tangent 10ˣ·ln 10·x′.</summary>
    /// <param name="x">Exponent.</param>
    /// <returns>10ˣ − 1.</returns>
    public static Dual<T> Exp10M1(Dual<T> x) => new(T.Exp10M1(x.Value), T.Exp10(x.Value) * Ln10 * x.Tangent);

    /// <summary>ln x with tangent x′/x (x &gt; 0).</summary>
    /// <param name="x">Argument.</param>
    /// <returns>ln x.</returns>
    public static Dual<T> Log(Dual<T> x) => new(T.Log(x.Value), x.Tangent / x.Value);

    /// <summary>log_b x = ln x / ln b, differentiated in both x and b.</summary>
    /// <param name="x">Argument.</param>
    /// <param name="newBase">Base b.</param>
    /// <returns>log_b x.</returns>
    public static Dual<T> Log(Dual<T> x, Dual<T> newBase) => Log(x) / Log(newBase);

    /// <summary>ln(1 + x) with tangent x′/(1 + x) (the value from T's own LogP1).</summary>
    /// <param name="x">Argument, x &gt; −1.</param>
    /// <returns>ln(1 + x).</returns>
    public static Dual<T> LogP1(Dual<T> x) => new(T.LogP1(x.Value), x.Tangent / (T.One + x.Value));

    /// <summary>log₂ x with tangent x′/(x ln 2).</summary>
    /// <param name="x">Argument.</param>
    /// <returns>log₂ x.</returns>
    public static Dual<T> Log2(Dual<T> x) => new(T.Log2(x.Value), x.Tangent / (x.Value * Ln2));

    /// <summary>log₂(1 + x) with tangent x′/((1 + x) ln 2).</summary>
    /// <param name="x">Argument.</param>
    /// <returns>log₂(1 + x).</returns>
    public static Dual<T> Log2P1(Dual<T> x) => new(T.Log2P1(x.Value), x.Tangent / ((T.One + x.Value) * Ln2));

    /// <summary>log₁₀ x with tangent x′/(x ln 10).</summary>
    /// <param name="x">Argument.</param>
    /// <returns>log₁₀ x.</returns>
    public static Dual<T> Log10(Dual<T> x) => new(T.Log10(x.Value), x.Tangent / (x.Value * Ln10));

    /// <summary>log₁₀(1 + x) with tangent x′/((1 + x) ln 10).</summary>
    /// <param name="x">Argument.</param>
    /// <returns>log₁₀(1 + x).</returns>
    public static Dual<T> Log10P1(Dual<T> x) => new(T.Log10P1(x.Value), x.Tangent / ((T.One + x.Value) * Ln10));

    // ---------------------------------------------------------------- classification

    /// <summary>True when the value and the tangent are both finite.</summary>
    /// <param name="value">A dual.</param>
    /// <returns>Whether neither part is NaN or infinite.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite(Dual<T> value) => T.IsFinite(value.Value) && T.IsFinite(value.Tangent);

    /// <summary>True when the value or the tangent is NaN, so that a broken derivative is noticed as well.</summary>
    /// <param name="value">A dual.</param>
    /// <returns>Whether either part is NaN.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNaN(Dual<T> value) => T.IsNaN(value.Value) || T.IsNaN(value.Tangent);

    /// <summary>
    /// True when neither part is NaN and at least one is infinite, so that exactly one of
    /// <see cref="IsFinite"/>, <see cref="IsNaN"/>, <see cref="IsInfinity"/> holds.
    /// </summary>
    /// <param name="value">A dual.</param>
    /// <returns>Whether the dual is infinite without being NaN.</returns>
    public static bool IsInfinity(Dual<T> value) => !IsNaN(value) && !IsFinite(value);

    /// <summary>True when the value is +∞ (the tangent is not looked at).</summary>
    /// <param name="value">A dual.</param>
    /// <returns>Whether the value is positive infinity.</returns>
    public static bool IsPositiveInfinity(Dual<T> value) => T.IsPositiveInfinity(value.Value);

    /// <summary>True when the value is −∞ (the tangent is not looked at).</summary>
    /// <param name="value">A dual.</param>
    /// <returns>Whether the value is negative infinity.</returns>
    public static bool IsNegativeInfinity(Dual<T> value) => T.IsNegativeInfinity(value.Value);

    /// <summary>True when both parts are canonical in <typeparamref name="T"/>.</summary>
    /// <param name="value">A dual.</param>
    /// <returns>Whether both parts are canonical.</returns>
    public static bool IsCanonical(Dual<T> value) => T.IsCanonical(value.Value) && T.IsCanonical(value.Tangent);

    /// <summary>Whether the value is a complex number in <typeparamref name="T"/>.</summary>
    /// <param name="value">A dual.</param>
    /// <returns><see cref="INumberBase{TSelf}.IsComplexNumber"/> of the value.</returns>
    public static bool IsComplexNumber(Dual<T> value) => T.IsComplexNumber(value.Value);

    /// <summary>Whether the value is an imaginary number in <typeparamref name="T"/>.</summary>
    /// <param name="value">A dual.</param>
    /// <returns><see cref="INumberBase{TSelf}.IsImaginaryNumber"/> of the value.</returns>
    public static bool IsImaginaryNumber(Dual<T> value) => T.IsImaginaryNumber(value.Value);

    /// <summary>Whether the value is a real number in <typeparamref name="T"/>.</summary>
    /// <param name="value">A dual.</param>
    /// <returns><see cref="INumberBase{TSelf}.IsRealNumber"/> of the value.</returns>
    public static bool IsRealNumber(Dual<T> value) => T.IsRealNumber(value.Value);

    /// <summary>Whether the value is an integer (the tangent is not looked at).</summary>
    /// <param name="value">A dual.</param>
    /// <returns><see cref="INumberBase{TSelf}.IsInteger"/> of the value.</returns>
    public static bool IsInteger(Dual<T> value) => T.IsInteger(value.Value);

    /// <summary>Whether the value is an even integer (the tangent is not looked at).</summary>
    /// <param name="value">A dual.</param>
    /// <returns><see cref="INumberBase{TSelf}.IsEvenInteger"/> of the value.</returns>
    public static bool IsEvenInteger(Dual<T> value) => T.IsEvenInteger(value.Value);

    /// <summary>Whether the value is an odd integer (the tangent is not looked at).</summary>
    /// <param name="value">A dual.</param>
    /// <returns><see cref="INumberBase{TSelf}.IsOddInteger"/> of the value.</returns>
    public static bool IsOddInteger(Dual<T> value) => T.IsOddInteger(value.Value);

    /// <summary>Whether the value is negative, −0 included (the tangent is not looked at).</summary>
    /// <param name="value">A dual.</param>
    /// <returns><see cref="INumberBase{TSelf}.IsNegative"/> of the value.</returns>
    public static bool IsNegative(Dual<T> value) => T.IsNegative(value.Value);

    /// <summary>Whether the value is positive, +0 included (the tangent is not looked at).</summary>
    /// <param name="value">A dual.</param>
    /// <returns><see cref="INumberBase{TSelf}.IsPositive"/> of the value.</returns>
    public static bool IsPositive(Dual<T> value) => T.IsPositive(value.Value);

    /// <summary>Whether the value is normal (the tangent is not looked at).</summary>
    /// <param name="value">A dual.</param>
    /// <returns><see cref="INumberBase{TSelf}.IsNormal"/> of the value.</returns>
    public static bool IsNormal(Dual<T> value) => T.IsNormal(value.Value);

    /// <summary>Whether the value is subnormal (the tangent is not looked at).</summary>
    /// <param name="value">A dual.</param>
    /// <returns><see cref="INumberBase{TSelf}.IsSubnormal"/> of the value.</returns>
    public static bool IsSubnormal(Dual<T> value) => T.IsSubnormal(value.Value);

    /// <summary>
    /// True when the dual is exactly zero, value and tangent alike. Unlike <c>value == Zero</c>, which compares
    /// values for branching, this is the test for skipping work: a product with 0 + t·ε is not zero. The rules
    /// here use it to keep zero tangents zero, and it recurses through nested duals, whose tangent may have a
    /// zero value and a non-zero tangent of its own.
    /// </summary>
    /// <param name="value">A dual.</param>
    /// <returns>Whether both parts are zero.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsZero(Dual<T> value) => T.IsZero(value.Value) && T.IsZero(value.Tangent);

    // ---------------------------------------------------------------- conversion

    /// <summary>
    /// Converts a number to a constant (tangent 0) through <typeparamref name="T"/>'s checked conversion; a
    /// <see cref="Dual{T}"/> is returned unchanged, tangent included.
    /// </summary>
    /// <typeparam name="TOther">Source type.</typeparam>
    /// <param name="value">The number to convert.</param>
    /// <returns>The converted value + 0·ε.</returns>
    /// <exception cref="OverflowException">The value is not representable in <typeparamref name="T"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot convert from <typeparamref name="TOther"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> CreateChecked<TOther>(TOther value) where TOther : INumberBase<TOther>
    {
        // typeof tests on type parameters are JIT-time constants, and the box/unbox pair of a struct vanishes.
        if (typeof(TOther) == typeof(Dual<T>)) return (Dual<T>)(object)value;
        return new(T.CreateChecked(value), T.Zero);
    }

    /// <summary>
    /// Converts a number to a constant (tangent 0) through <typeparamref name="T"/>'s saturating conversion; a
    /// <see cref="Dual{T}"/> is returned unchanged, tangent included.
    /// </summary>
    /// <typeparam name="TOther">Source type.</typeparam>
    /// <param name="value">The number to convert.</param>
    /// <returns>The converted value + 0·ε.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot convert from <typeparamref name="TOther"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> CreateSaturating<TOther>(TOther value) where TOther : INumberBase<TOther>
    {
        if (typeof(TOther) == typeof(Dual<T>)) return (Dual<T>)(object)value;
        return new(T.CreateSaturating(value), T.Zero);
    }

    /// <summary>
    /// Converts a number to a constant (tangent 0) through <typeparamref name="T"/>'s truncating conversion; a
    /// <see cref="Dual{T}"/> is returned unchanged, tangent included. <c>T.CreateTruncating(0.5)</c> in generic
    /// code lands here.
    /// </summary>
    /// <typeparam name="TOther">Source type.</typeparam>
    /// <param name="value">The number to convert.</param>
    /// <returns>The converted value + 0·ε.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot convert from <typeparamref name="TOther"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> CreateTruncating<TOther>(TOther value) where TOther : INumberBase<TOther>
    {
        if (typeof(TOther) == typeof(Dual<T>)) return (Dual<T>)(object)value;
        return new(T.CreateTruncating(value), T.Zero);
    }

    // The Try… conversions are the hooks through which other types' Create… reach this one, e.g.
    // double.CreateTruncating(dual): double does not know Dual, so it asks Dual to convert to double.
    // Conversions out of a dual drop the tangent. T's own hooks are protected, so the public Create… are
    // used, and their NotSupportedException becomes the false the contract asks for.

    static bool INumberBase<Dual<T>>.TryConvertFromChecked<TOther>(TOther value, out Dual<T> result)
    {
        try { result = CreateChecked(value); return true; }
        catch (NotSupportedException) { result = default; return false; }
    }

    static bool INumberBase<Dual<T>>.TryConvertFromSaturating<TOther>(TOther value, out Dual<T> result)
    {
        try { result = CreateSaturating(value); return true; }
        catch (NotSupportedException) { result = default; return false; }
    }

    static bool INumberBase<Dual<T>>.TryConvertFromTruncating<TOther>(TOther value, out Dual<T> result)
    {
        try { result = CreateTruncating(value); return true; }
        catch (NotSupportedException) { result = default; return false; }
    }

    static bool INumberBase<Dual<T>>.TryConvertToChecked<TOther>(Dual<T> value, [MaybeNullWhen(false)] out TOther result)
    {
        try { result = TOther.CreateChecked(value.Value); return true; }
        catch (NotSupportedException) { result = default; return false; }
    }

    static bool INumberBase<Dual<T>>.TryConvertToSaturating<TOther>(Dual<T> value, [MaybeNullWhen(false)] out TOther result)
    {
        try { result = TOther.CreateSaturating(value.Value); return true; }
        catch (NotSupportedException) { result = default; return false; }
    }

    static bool INumberBase<Dual<T>>.TryConvertToTruncating<TOther>(Dual<T> value, [MaybeNullWhen(false)] out TOther result)
    {
        try { result = TOther.CreateTruncating(value.Value); return true; }
        catch (NotSupportedException) { result = default; return false; }
    }

    // ---------------------------------------------------------------- parsing: a T, as a constant

    /// <summary>Parses a <typeparamref name="T"/> and returns it as a constant (tangent 0).</summary>
    /// <param name="s">The text of a <typeparamref name="T"/>, not the "v + tε" form of <see cref="ToString()"/>.</param>
    /// <param name="provider">Culture-specific format information.</param>
    /// <returns>The parsed value + 0·ε.</returns>
    /// <exception cref="FormatException"><paramref name="s"/> is not a <typeparamref name="T"/>.</exception>
    public static Dual<T> Parse(string s, IFormatProvider? provider) => Constant(T.Parse(s, provider));

    /// <summary>Parses a <typeparamref name="T"/> and returns it as a constant (tangent 0).</summary>
    /// <param name="s">The text of a <typeparamref name="T"/>.</param>
    /// <param name="style">Permitted number styles.</param>
    /// <param name="provider">Culture-specific format information.</param>
    /// <returns>The parsed value + 0·ε.</returns>
    /// <exception cref="FormatException"><paramref name="s"/> is not a <typeparamref name="T"/>.</exception>
    public static Dual<T> Parse(string s, NumberStyles style, IFormatProvider? provider) => Constant(T.Parse(s, style, provider));

    /// <summary>Parses a <typeparamref name="T"/> and returns it as a constant (tangent 0).</summary>
    /// <param name="s">The characters of a <typeparamref name="T"/>.</param>
    /// <param name="provider">Culture-specific format information.</param>
    /// <returns>The parsed value + 0·ε.</returns>
    /// <exception cref="FormatException"><paramref name="s"/> is not a <typeparamref name="T"/>.</exception>
    public static Dual<T> Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Constant(T.Parse(s, provider));

    /// <summary>Parses a <typeparamref name="T"/> and returns it as a constant (tangent 0).</summary>
    /// <param name="s">The characters of a <typeparamref name="T"/>.</param>
    /// <param name="style">Permitted number styles.</param>
    /// <param name="provider">Culture-specific format information.</param>
    /// <returns>The parsed value + 0·ε.</returns>
    /// <exception cref="FormatException"><paramref name="s"/> is not a <typeparamref name="T"/>.</exception>
    public static Dual<T> Parse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider) => Constant(T.Parse(s, style, provider));

    /// <summary>Parses the UTF-8 text of a <typeparamref name="T"/> and returns it as a constant (tangent 0).</summary>
    /// <param name="utf8Text">UTF-8 characters of a <typeparamref name="T"/>.</param>
    /// <param name="provider">Culture-specific format information.</param>
    /// <returns>The parsed value + 0·ε.</returns>
    /// <exception cref="FormatException"><paramref name="utf8Text"/> is not a <typeparamref name="T"/>.</exception>
    public static Dual<T> Parse(ReadOnlySpan<byte> utf8Text, IFormatProvider? provider) => Constant(T.Parse(utf8Text, provider));

    /// <summary>Parses the UTF-8 text of a <typeparamref name="T"/> and returns it as a constant (tangent 0).</summary>
    /// <param name="utf8Text">UTF-8 characters of a <typeparamref name="T"/>.</param>
    /// <param name="style">Permitted number styles.</param>
    /// <param name="provider">Culture-specific format information.</param>
    /// <returns>The parsed value + 0·ε.</returns>
    /// <exception cref="FormatException"><paramref name="utf8Text"/> is not a <typeparamref name="T"/>.</exception>
    public static Dual<T> Parse(ReadOnlySpan<byte> utf8Text, NumberStyles style, IFormatProvider? provider) => Constant(T.Parse(utf8Text, style, provider));

    /// <summary>Tries to parse a <typeparamref name="T"/> as a constant (tangent 0).</summary>
    /// <param name="s">The text of a <typeparamref name="T"/>.</param>
    /// <param name="provider">Culture-specific format information.</param>
    /// <param name="result">The parsed value + 0·ε, or zero on failure.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Dual<T> result)
    {
        bool ok = T.TryParse(s, provider, out T v);
        result = Constant(v);
        return ok;
    }

    /// <summary>Tries to parse a <typeparamref name="T"/> as a constant (tangent 0).</summary>
    /// <param name="s">The text of a <typeparamref name="T"/>.</param>
    /// <param name="style">Permitted number styles.</param>
    /// <param name="provider">Culture-specific format information.</param>
    /// <param name="result">The parsed value + 0·ε, or zero on failure.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, NumberStyles style, IFormatProvider? provider, out Dual<T> result)
    {
        bool ok = T.TryParse(s, style, provider, out T v);
        result = Constant(v);
        return ok;
    }

    /// <summary>Tries to parse a <typeparamref name="T"/> as a constant (tangent 0).</summary>
    /// <param name="s">The characters of a <typeparamref name="T"/>.</param>
    /// <param name="provider">Culture-specific format information.</param>
    /// <param name="result">The parsed value + 0·ε, or zero on failure.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Dual<T> result)
    {
        bool ok = T.TryParse(s, provider, out T v);
        result = Constant(v);
        return ok;
    }

    /// <summary>Tries to parse a <typeparamref name="T"/> as a constant (tangent 0).</summary>
    /// <param name="s">The characters of a <typeparamref name="T"/>.</param>
    /// <param name="style">Permitted number styles.</param>
    /// <param name="provider">Culture-specific format information.</param>
    /// <param name="result">The parsed value + 0·ε, or zero on failure.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider, out Dual<T> result)
    {
        bool ok = T.TryParse(s, style, provider, out T v);
        result = Constant(v);
        return ok;
    }

    /// <summary>Tries to parse the UTF-8 text of a <typeparamref name="T"/> as a constant (tangent 0).</summary>
    /// <param name="utf8Text">UTF-8 characters of a <typeparamref name="T"/>.</param>
    /// <param name="provider">Culture-specific format information.</param>
    /// <param name="result">The parsed value + 0·ε, or zero on failure.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, IFormatProvider? provider, out Dual<T> result)
    {
        bool ok = T.TryParse(utf8Text, provider, out T v);
        result = Constant(v);
        return ok;
    }

    /// <summary>Tries to parse the UTF-8 text of a <typeparamref name="T"/> as a constant (tangent 0).</summary>
    /// <param name="utf8Text">UTF-8 characters of a <typeparamref name="T"/>.</param>
    /// <param name="style">Permitted number styles.</param>
    /// <param name="provider">Culture-specific format information.</param>
    /// <param name="result">The parsed value + 0·ε, or zero on failure.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, NumberStyles style, IFormatProvider? provider, out Dual<T> result)
    {
        bool ok = T.TryParse(utf8Text, style, provider, out T v);
        result = Constant(v);
        return ok;
    }

    // ---------------------------------------------------------------- formatting: "v + tε"

    /// <summary>Formats as "v + tε" with the invariant culture, e.g. "2 + -0.5ε"; the plus sign is kept for a negative tangent.</summary>
    /// <returns>The text of the dual.</returns>
    public override string ToString() => ToString(null, CultureInfo.InvariantCulture);

    /// <summary>Formats as "v + tε", applying <paramref name="format"/> and <paramref name="provider"/> to both parts.</summary>
    /// <param name="format">A format string of <typeparamref name="T"/>, or null.</param>
    /// <param name="provider">Culture-specific format information, or null for the current culture.</param>
    /// <returns>The text of the dual.</returns>
    public string ToString(string? format, IFormatProvider? provider) =>
        $"{Value.ToString(format, provider)} + {Tangent.ToString(format, provider)}ε";

    /// <summary>Writes "v + tε" into a character span, applying <paramref name="format"/> to both parts.</summary>
    /// <param name="destination">Receives the characters.</param>
    /// <param name="charsWritten">Number of characters written; 0 on failure.</param>
    /// <param name="format">A format of <typeparamref name="T"/>, or empty.</param>
    /// <param name="provider">Culture-specific format information.</param>
    /// <returns>Whether the text fit into <paramref name="destination"/>.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        if (!Value.TryFormat(destination, out int used, format, provider)) return false;
        if (!" + ".AsSpan().TryCopyTo(destination[used..])) return false;
        used += 3;
        if (!Tangent.TryFormat(destination[used..], out int n, format, provider)) return false;
        used += n;
        if (used >= destination.Length) return false;
        destination[used++] = 'ε';
        charsWritten = used;
        return true;
    }

    /// <summary>Writes "v + tε" as UTF-8 into a byte span, applying <paramref name="format"/> to both parts.</summary>
    /// <param name="utf8Destination">Receives the UTF-8 bytes.</param>
    /// <param name="bytesWritten">Number of bytes written; 0 on failure.</param>
    /// <param name="format">A format of <typeparamref name="T"/>, or empty.</param>
    /// <param name="provider">Culture-specific format information.</param>
    /// <returns>Whether the text fit into <paramref name="utf8Destination"/>.</returns>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        bytesWritten = 0;
        if (!Value.TryFormat(utf8Destination, out int used, format, provider)) return false;
        if (!" + "u8.TryCopyTo(utf8Destination[used..])) return false;
        used += 3;
        if (!Tangent.TryFormat(utf8Destination[used..], out int n, format, provider)) return false;
        used += n;
        if (!"ε"u8.TryCopyTo(utf8Destination[used..])) return false;
        bytesWritten = used + "ε"u8.Length;
        return true;
    }
}
