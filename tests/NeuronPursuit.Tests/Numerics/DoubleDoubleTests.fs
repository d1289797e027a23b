// SPDX-License-Identifier: MIT
/// Property tests of DoubleDouble and ErrorFreeTransforms against exact rational arithmetic.
/// Error bounds are asserted in units of 2^-104 (DoubleDouble.UnitRoundoff = 4u², u = 2^-53) and are the
/// proven bounds of Joldes, Muller & Popescu (ACM TOMS 2017), Muller & Rideau (ACM TOMS 2022) and
/// Lefèvre, Louvet, Muller, Picot & Rideau (ACM TOMS 2023), except where marked as empirical.
module NeuronPursuit.Tests.Numerics.DoubleDoubleTests

open System
open System.Globalization
open System.Numerics
open System.Text.RegularExpressions
open Expecto
open FsCheck
open FsCheck.FSharp
open NeuronPursuit.Core.Numerics

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Exact rationals: a tiny reference implementation, independent of the code under test.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/// Reduced fraction Num/Den with Den > 0.
type Q = { Num: BigInteger; Den: BigInteger }

module Q =
    let make (n: BigInteger) (d: BigInteger) =
        if d.IsZero then
            invalidArg "d" "zero denominator"

        let g = BigInteger.GreatestCommonDivisor(n, d)
        let s = if d.Sign < 0 then BigInteger.MinusOne else BigInteger.One
        { Num = s * n / g; Den = s * d / g }

    let zero =
        { Num = BigInteger.Zero
          Den = BigInteger.One }

    let ofInt (n: BigInteger) = { Num = n; Den = BigInteger.One }

    let add a b =
        make (a.Num * b.Den + b.Num * a.Den) (a.Den * b.Den)

    let neg a = { a with Num = -a.Num }
    let sub a b = add a (neg b)
    let mul a b = make (a.Num * b.Num) (a.Den * b.Den)
    let div a b = make (a.Num * b.Den) (a.Den * b.Num)
    let abs a = { a with Num = BigInteger.Abs a.Num }
    let sign a = a.Num.Sign
    let compare a b = sign (sub a b)

    let pow (a: Q) (n: int) =
        if n >= 0 then
            make (BigInteger.Pow(a.Num, n)) (BigInteger.Pow(a.Den, n))
        else
            make (BigInteger.Pow(a.Den, -n)) (BigInteger.Pow(a.Num, -n))

    /// Exact value of a finite double.
    let ofFloat (d: float) =
        if not (Double.IsFinite d) then
            invalidArg "d" "not finite"

        let bits = BitConverter.DoubleToInt64Bits d
        let biased = int ((bits >>> 52) &&& 0x7FFL)
        let fraction = bits &&& 0xFFFFFFFFFFFFFL

        let m, e =
            if biased = 0 then
                fraction, -1074
            else
                (fraction ||| (1L <<< 52)), biased - 1075

        let m = if bits < 0L then -m else m

        if e >= 0 then
            ofInt (BigInteger m <<< e)
        else
            make (BigInteger m) (BigInteger.One <<< -e)

    let ofDD (x: DoubleDouble) = add (ofFloat x.Hi) (ofFloat x.Lo)

    /// Exact value of a decimal string [sign] digits [. digits] [e [sign] digits].
    let ofDecimalString (s: string) =
        let m = Regex.Match(s, @"^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$")

        if not m.Success then
            invalidArg "s" s

        let digits = m.Groups[2].Value + m.Groups[3].Value
        let mantissa = BigInteger.Parse(digits, CultureInfo.InvariantCulture)

        let e10 =
            (if m.Groups[4].Success then int m.Groups[4].Value else 0)
            - m.Groups[3].Value.Length

        let q =
            if e10 >= 0 then
                ofInt (mantissa * BigInteger.Pow(10I, e10))
            else
                make mantissa (BigInteger.Pow(10I, -e10))

        if m.Groups[1].Value = "-" then neg q else q

    /// Approximate value, for reporting only.
    let toFloat (a: Q) =
        if a.Num.IsZero then
            0.0
        else
            float a.Num.Sign
            * exp (BigInteger.Log(BigInteger.Abs a.Num) - BigInteger.Log a.Den)

/// 2^-104 as an exact rational.
let private unit104 = Q.make BigInteger.One (BigInteger.One <<< 104)

/// Relative error |approx − exact| / |exact| in units of 2^-104 (exact ≠ 0), as an exact rational.
let relErrUnits (approx: Q) (exact: Q) =
    Q.div (Q.abs (Q.sub approx exact)) (Q.mul (Q.abs exact) unit104)

/// True when the relative error is at most `bound` units of 2^-104 (exact comparison), or both are zero.
let withinUnits (bound: float) (approx: DoubleDouble) (exact: Q) =
    if Q.sign exact = 0 then
        approx.Hi = 0.0 && approx.Lo = 0.0
    else
        Q.compare (relErrUnits (Q.ofDD approx) exact) (Q.ofFloat bound) <= 0

/// The normalisation invariant Hi = RN(Hi + Lo), for finite values.
let isNormalised (x: DoubleDouble) =
    Double.IsFinite x.Hi && x.Hi + x.Lo = x.Hi

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Generators: well-scaled values only (never NaN, ∞ or near the overflow threshold).
// ─────────────────────────────────────────────────────────────────────────────────────────────────

let private pow2 (k: int) = Math.ScaleB(1.0, k)

/// Test-local TwoSum (Knuth), so that generated pairs do not rely on the code under test.
let private twoSum (a: float) (b: float) =
    let s = a + b
    let bv = s - a
    let av = s - bv
    s, (a - av) + (b - bv)

/// Significand in [1, 2): a uniform 52-bit fraction, or a run of ones (stresses carries and ties).
let genMantissa: Gen<float> =
    let uniform =
        gen {
            let! high = Gen.choose (0, (1 <<< 26) - 1)
            let! low = Gen.choose (0, (1 <<< 26) - 1)
            return 1.0 + float ((int64 high <<< 26) ||| int64 low) * pow2 -52
        }

    let runOfOnes =
        gen {
            let! a = Gen.choose (0, 52)
            let! b = Gen.choose (0, 52)
            let bits = ((1L <<< max a b) - 1L) - ((1L <<< min a b) - 1L)
            return 1.0 + float bits * pow2 -52
        }

    Gen.frequency [ 3, uniform; 1, runOfOnes ]

let genSign = Gen.elements [ 1.0; -1.0 ]

/// ± significand × 2^k with k in [kMin, kMax].
let genDouble kMin kMax =
    gen {
        let! s = genSign
        let! m = genMantissa
        let! k = Gen.choose (kMin, kMax)
        return s * m * pow2 k
    }

/// A trailing word for leading word `hi`: 0, or of magnitude up to ulp(hi), down to 2^-60 ulp(hi).
let genLoFor (hi: float) =
    gen {
        let! kind = Gen.choose (0, 7)

        if kind = 0 then
            return 0.0
        else
            let! s = genSign
            let! m = genMantissa
            let! j = Gen.choose (0, 60)
            return s * m * pow2 (Math.ILogB hi - 53 - j)
    }

/// hi + lo renormalised by the test-local TwoSum (the constructor must then leave it unchanged).
let makeDD (hi: float) (lo: float) =
    let h, l = twoSum hi lo
    DoubleDouble(h, l)

/// Double-double with leading exponent in [kMin, kMax].
let genDD kMin kMax =
    gen {
        let! hi = genDouble kMin kMax
        let! lo = genLoFor hi
        return makeDD hi lo
    }

let genPositiveDD kMin kMax =
    genDD kMin kMax |> Gen.map DoubleDouble.Abs

/// Pairs with y ≈ −x, so that x + y cancels: equal or nearly equal leading words, or perturbed low words.
let genCancellingPair =
    gen {
        let! x = genDD -60 60
        let! kind = Gen.choose (0, 2)

        match kind with
        | 0 ->
            let! lo = genLoFor x.Hi
            return x, makeDD -x.Hi lo
        | 1 ->
            let! steps = Gen.choose (1, 4)
            let! up = Gen.elements [ true; false ]

            let step v =
                if up then Math.BitIncrement v else Math.BitDecrement v

            let yh = Seq.fold (fun v _ -> step v) -x.Hi (seq { 1..steps })
            let! lo = genLoFor yh
            return x, makeDD yh lo
        | _ ->
            let! j = Gen.choose (1, 52)
            return x, makeDD -x.Hi (-x.Lo * (1.0 + pow2 -j))
    }

/// A value in [2^-3, 2^3), for powers and roots.
let genModerateDD = genDD -3 2

/// Random decimal strings with 20 to 60 significant digits, in plain or exponent form.
let genDecimalString =
    gen {
        let! n = Gen.choose (20, 60)
        let! digits = Gen.arrayOfLength n (Gen.choose (0, 9))
        let! first = Gen.choose (1, 9)
        digits[0] <- first
        let body = String(digits |> Array.map (fun d -> char (int '0' + d)))
        let! point = Gen.choose (0, n)
        let! exponent = Gen.choose (-40, 40)
        let! sign = Gen.elements [ ""; "-"; "+" ]
        let! useExponent = Gen.elements [ true; false ]
        let mantissa = body.Substring(0, point) + "." + body.Substring point
        return sign + mantissa + (if useExponent then sprintf "e%+d" exponent else "")
    }

type CancellingPair = CancellingPair of DoubleDouble * DoubleDouble
type Moderate = Moderate of DoubleDouble
type Positive = Positive of DoubleDouble
type DecimalText = DecimalText of string
type Exponent = Exponent of int

type DoubleDoubleArbitraries =
    static member DoubleDouble() = Arb.fromGen (genDD -100 100)
    static member Double() = Arb.fromGen (genDouble -100 100)

    static member CancellingPair() =
        Arb.fromGen (genCancellingPair |> Gen.map CancellingPair)

    static member Moderate() =
        Arb.fromGen (genModerateDD |> Gen.map Moderate)

    static member Positive() =
        Arb.fromGen (genPositiveDD -300 300 |> Gen.map Positive)

    static member DecimalText() =
        Arb.fromGen (genDecimalString |> Gen.map DecimalText)

    static member Exponent() =
        Arb.fromGen (Gen.choose (-24, 24) |> Gen.map Exponent)

let config =
    { FsCheckConfig.defaultConfig with
        maxTest = 500
        arbitrary = [ typeof<DoubleDoubleArbitraries> ] }

let private prop name (f: 'a -> bool) = testPropertyWithConfig config name f

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Proven bounds, in units of 2^-104 (u³ terms absorbed by the factor 1 + 2^-40).
// ─────────────────────────────────────────────────────────────────────────────────────────────────

let private slack = 1.0 + pow2 -40
let boundAdd = 0.75 * slack // AccurateDWPlusDW: 3u² + 13u³
let boundAddDouble = 0.5 * slack // DWPlusFP: 2u²
let boundMul = 1.0 * slack // DWTimesDW3: 4u² (Muller & Rideau 2022)
let boundMulDouble = 0.5 * slack // DWTimesFP3: 2u²
let boundDiv = 3.75 * slack // DWDivDW2: 15u² + 56u³
let boundDivDouble = 0.75 * slack // DWDivFP3: 3u²
let boundSqrt = 25.0 / 32.0 * slack // SQRTDWtoDW: 25/8 u²
let boundParse = 0.25 * slack // two roundings: |Lo|·2^-53 ≤ 2^-106
// Empirical bounds (no published proof for these constructions; see the doc comments).
let boundCbrt = 2.0
let boundHypot = 2.0

let private toQ = Q.ofDD

/// |r^p / x − 1| / p in units of 2^-104: the relative error of r as a p-th root of x, to first order.
let rootErrorUnits (p: int) (root: DoubleDouble) (x: Q) =
    let r = Q.pow (toQ root) p
    Q.toFloat (Q.div (relErrUnits r x) (Q.ofInt (BigInteger p)))

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Tests
// ─────────────────────────────────────────────────────────────────────────────────────────────────

let errorFreeTransformTests =
    testList "ErrorFreeTransforms" [
        prop "TwoSum is exact: s + e = a + b" (fun (a: float, b: float) ->
            let struct (s, e) = ErrorFreeTransforms.TwoSum(a, b)

            Q.compare (Q.add (Q.ofFloat s) (Q.ofFloat e)) (Q.add (Q.ofFloat a) (Q.ofFloat b)) = 0
            && s = a + b)
        prop "FastTwoSum is exact for |a| >= |b|" (fun (a: float, b: float) ->
            let a, b = if abs a >= abs b then a, b else b, a
            let struct (s, e) = ErrorFreeTransforms.FastTwoSum(a, b)

            Q.compare (Q.add (Q.ofFloat s) (Q.ofFloat e)) (Q.add (Q.ofFloat a) (Q.ofFloat b)) = 0
            && s = a + b)
        prop "TwoProd is exact: p + e = a * b" (fun (a: float, b: float) ->
            let struct (p, e) = ErrorFreeTransforms.TwoProd(a, b)

            Q.compare (Q.add (Q.ofFloat p) (Q.ofFloat e)) (Q.mul (Q.ofFloat a) (Q.ofFloat b)) = 0
            && p = a * b)
    ]

let arithmeticTests =
    testList "arithmetic error bounds" [
        prop "x + y within 0.75 * 2^-104 (AccurateDWPlusDW)" (fun (x: DoubleDouble, y: DoubleDouble) ->
            withinUnits boundAdd (x + y) (Q.add (toQ x) (toQ y)))
        prop "x + y within 0.75 * 2^-104 under cancellation" (fun (CancellingPair(x, y)) -> withinUnits boundAdd (x + y) (Q.add (toQ x) (toQ y)))
        prop "x - y within 0.75 * 2^-104 under cancellation" (fun (CancellingPair(x, y)) -> withinUnits boundAdd (x - -y) (Q.sub (toQ x) (toQ -y)))
        prop "x + a and a - x within 0.5 * 2^-104 (DWPlusFP)" (fun (x: DoubleDouble, a: float) ->
            withinUnits boundAddDouble (x + a) (Q.add (toQ x) (Q.ofFloat a))
            && withinUnits boundAddDouble (a - x) (Q.sub (Q.ofFloat a) (toQ x)))
        prop "x + a within 0.5 * 2^-104 under cancellation" (fun (CancellingPair(x, y)) ->
            let a = y.Hi
            withinUnits boundAddDouble (x + a) (Q.add (toQ x) (Q.ofFloat a)))
        prop "x * y within 1 * 2^-104 (DWTimesDW3)" (fun (x: DoubleDouble, y: DoubleDouble) -> withinUnits boundMul (x * y) (Q.mul (toQ x) (toQ y)))
        prop "x * a within 0.5 * 2^-104 (DWTimesFP3)" (fun (x: DoubleDouble, a: float) ->
            withinUnits boundMulDouble (x * a) (Q.mul (toQ x) (Q.ofFloat a))
            && withinUnits boundMulDouble (a * x) (Q.mul (toQ x) (Q.ofFloat a)))
        prop "x / y within 3.75 * 2^-104 (DWDivDW2)" (fun (x: DoubleDouble, y: DoubleDouble) -> withinUnits boundDiv (x / y) (Q.div (toQ x) (toQ y)))
        prop "a / y within 3.75 * 2^-104 (DWDivDW2)" (fun (a: float, y: DoubleDouble) -> withinUnits boundDiv (a / y) (Q.div (Q.ofFloat a) (toQ y)))
        prop "x / a within 0.75 * 2^-104 (DWDivFP3)" (fun (x: DoubleDouble, a: float) ->
            withinUnits boundDivDouble (x / a) (Q.div (toQ x) (Q.ofFloat a)))
        prop "sqrt x within 25/32 * 2^-104 (SQRTDWtoDW)" (fun (Positive x) -> rootErrorUnits 2 (DoubleDouble.Sqrt x) (toQ x) <= boundSqrt)
        prop "cbrt x within 2 * 2^-104 (empirical)" (fun (x: DoubleDouble) -> rootErrorUnits 3 (DoubleDouble.Cbrt x) (toQ x) <= boundCbrt)
        prop "RootN(x, 5) within 2 * 2^-104 (empirical)" (fun (Moderate x) ->
            rootErrorUnits 5 (DoubleDouble.RootN(DoubleDouble.Abs x, 5)) (Q.abs (toQ x))
            <= boundCbrt)
        prop "hypot within 2 * 2^-104 (empirical)" (fun (x: DoubleDouble, y: DoubleDouble) ->
            let exact = Q.add (Q.mul (toQ x) (toQ x)) (Q.mul (toQ y) (toQ y))
            rootErrorUnits 2 (DoubleDouble.Hypot(x, y)) exact <= boundHypot)
        prop "Pow(x, n) within (|n| - 1) * 2^-104 (+ 3.75 for n < 0) of the exact power" (fun (Moderate x, Exponent n) ->
            let bound = float (max 0 (abs n - 1)) + (if n < 0 then 3.75 else 0.0) + 1e-6
            withinUnits bound (DoubleDouble.Pow(x, n)) (Q.pow (toQ x) n))
        prop "Pow(x, n) agrees with repeated multiplication within 2(|n| - 1) * 2^-104" (fun (Moderate x, Exponent n) ->
            let n = abs n
            let repeated = Seq.fold (fun acc _ -> acc * x) DoubleDouble.One (seq { 1..n })

            n = 0 && DoubleDouble.Pow(x, 0) = DoubleDouble.One
            || withinUnits (2.0 * float (n - 1) + 1e-6) (DoubleDouble.Pow(x, n)) (toQ repeated))
        test "exact cases are exact" {
            let three = DoubleDouble(3.0)
            Expect.equal (DoubleDouble.Sqrt(DoubleDouble(9.0))) three "sqrt 9"
            Expect.isTrue (withinUnits boundCbrt (DoubleDouble.Cbrt(DoubleDouble(-27.0))) (Q.ofInt -3I)) "cbrt -27"
            Expect.equal (DoubleDouble.Pow(DoubleDouble(2.0), -3)) (DoubleDouble(0.125)) "2^-3"
            Expect.equal (DoubleDouble.Hypot(three, DoubleDouble(4.0))) (DoubleDouble(5.0)) "hypot 3 4"
            let third = DoubleDouble.One / three
            Expect.isTrue (withinUnits boundDiv third (Q.make 1I 3I)) "1/3"
            Expect.equal (DoubleDouble(7.5) % DoubleDouble(2.0)) (DoubleDouble(1.5)) "7.5 % 2"
            Expect.equal (DoubleDouble(-7.5) % DoubleDouble(2.0)) (DoubleDouble(-1.5)) "-7.5 % 2"
        }
        test "IEEE special values propagate" {
            let inf = DoubleDouble.PositiveInfinity
            let one = DoubleDouble.One
            Expect.isTrue (DoubleDouble.IsPositiveInfinity(inf + one)) "inf + 1"
            Expect.isTrue (DoubleDouble.IsNaN(inf - inf)) "inf - inf"
            Expect.isTrue (DoubleDouble.IsNegativeInfinity(inf * -one)) "inf * -1"
            Expect.isTrue (DoubleDouble.IsNaN(inf * DoubleDouble.Zero)) "inf * 0"
            Expect.isTrue (DoubleDouble.IsPositiveInfinity(one / DoubleDouble.Zero)) "1 / 0"
            Expect.isTrue (DoubleDouble.IsNaN(DoubleDouble.Zero / DoubleDouble.Zero)) "0 / 0"
            Expect.equal (one / inf).Hi 0.0 "1 / inf"
            Expect.isTrue (DoubleDouble.IsNaN(DoubleDouble.Sqrt(-one))) "sqrt -1"
            Expect.isTrue (DoubleDouble.IsNaN(DoubleDouble.NaN + one)) "NaN + 1"
            Expect.isTrue (DoubleDouble.IsPositiveInfinity(DoubleDouble(Double.MaxValue) * 2.0)) "overflow"
            Expect.isTrue (Double.IsNegative((-DoubleDouble.Zero * one).Hi)) "-0 * 1 keeps the sign"
            Expect.equal (inf + one).Lo 0.0 "low word of infinity"
        }
    ]

let normalisationTests =
    let allNormalised (x: DoubleDouble) (y: DoubleDouble) (a: float) =
        [ x + y
          x - y
          x * y
          x / y
          x + a
          a - x
          x * a
          x / a
          a / y
          DoubleDouble.Sqrt(DoubleDouble.Abs x)
          DoubleDouble.Cbrt x
          DoubleDouble.Hypot(x, y)
          DoubleDouble.Floor x
          DoubleDouble.Round y ]
        |> List.forall isNormalised

    testList "normalisation" [
        prop "the constructor keeps normalised pairs unchanged" (fun (x: DoubleDouble) ->
            let y = DoubleDouble(x.Hi, x.Lo)
            isNormalised x && y.Hi = x.Hi && y.Lo = x.Lo)
        prop "the constructor renormalises hi + lo exactly" (fun (a: float, b: float) ->
            let x = DoubleDouble(a, b)
            isNormalised x && Q.compare (toQ x) (Q.add (Q.ofFloat a) (Q.ofFloat b)) = 0)
        prop "results of all operations are normalised" (fun (x: DoubleDouble, y: DoubleDouble, a: float) -> allNormalised x y a)
        prop "results under cancellation are normalised" (fun (CancellingPair(x, y)) -> allNormalised x y y.Hi)
    ]

let orderTests =
    /// A second operand equal to x, or differing from it in the last bit of either word.
    let near (x: DoubleDouble) k =
        match k % 4 with
        | 0 -> x
        | 1 -> makeDD x.Hi (Math.BitIncrement x.Lo)
        | 2 -> makeDD x.Hi (Math.BitDecrement x.Lo)
        | _ -> makeDD (Math.BitIncrement x.Hi) x.Lo

    let consistent (x: DoubleDouble) (y: DoubleDouble) =
        let c = Q.compare (toQ x) (toQ y)

        sign (x.CompareTo y) = c
        && DoubleDouble.op_LessThan (x, y) = (c < 0)
        && DoubleDouble.op_LessThanOrEqual (x, y) = (c <= 0)
        && DoubleDouble.op_GreaterThan (x, y) = (c > 0)
        && DoubleDouble.op_GreaterThanOrEqual (x, y) = (c >= 0)
        && DoubleDouble.op_Equality (x, y) = (c = 0)
        && DoubleDouble.op_Inequality (x, y) = (c <> 0)
        && x.Equals y = (c = 0)
        && (c <> 0 || x.GetHashCode() = y.GetHashCode())
        && DoubleDouble.Max(x, y) = (if c >= 0 then x else y)
        && DoubleDouble.Min(x, y) = (if c <= 0 then x else y)

    testList "comparisons" [
        prop "comparisons agree with the exact order" (fun (x: DoubleDouble, y: DoubleDouble) -> consistent x y)
        prop "comparisons agree with the exact order for neighbours" (fun (x: DoubleDouble, k: int) ->
            consistent x (near x (abs k)) && consistent (near x (abs k)) x)
        test "NaN is unordered and unequal" {
            let nan = DoubleDouble.NaN
            let one = DoubleDouble.One
            Expect.isFalse (DoubleDouble.op_LessThan (nan, one)) "NaN < 1"
            Expect.isFalse (DoubleDouble.op_GreaterThanOrEqual (nan, one)) "NaN >= 1"
            Expect.isFalse (DoubleDouble.op_Equality (nan, nan)) "NaN == NaN"
            Expect.isTrue (nan.Equals nan) "NaN.Equals(NaN), as for double"
            Expect.isTrue (DoubleDouble.IsNaN(DoubleDouble.Max(nan, one))) "Max propagates NaN"
            Expect.equal (DoubleDouble.MaxNumber(nan, one)) one "MaxNumber ignores NaN"
            Expect.equal (nan.CompareTo one) -1 "NaN sorts first"
        }
        test "predicates" {
            let dd (h: float) (l: float) = DoubleDouble(h, l)
            Expect.isTrue (DoubleDouble.IsInteger(dd 9007199254740992.0 1.0)) "2^53 + 1 is an integer"
            Expect.isTrue (DoubleDouble.IsOddInteger(dd 9007199254740992.0 1.0)) "2^53 + 1 is odd"
            Expect.isTrue (DoubleDouble.IsEvenInteger(dd 9007199254740992.0 -2.0)) "2^53 - 2 is even"
            Expect.isFalse (DoubleDouble.IsInteger(dd 1.0 1e-20)) "1 + 1e-20"
            Expect.isTrue (DoubleDouble.IsNegative(-DoubleDouble.Zero)) "-0 is negative"
            Expect.equal (DoubleDouble.Floor(dd 1.0 -1e-20)) DoubleDouble.Zero "floor(1 - tiny)"
            Expect.equal (DoubleDouble.Ceiling(dd 1.0 1e-20)) (DoubleDouble(2.0)) "ceiling(1 + tiny)"
            Expect.equal (DoubleDouble.Round(dd 2.5 1e-20)) (DoubleDouble(3.0)) "round(2.5 + tiny)"
            Expect.equal (DoubleDouble.Round(dd 2.5 -1e-20)) (DoubleDouble(2.0)) "round(2.5 - tiny)"
            Expect.equal (DoubleDouble.Round(DoubleDouble(2.5))) (DoubleDouble(2.0)) "round(2.5) to even"
            Expect.equal (DoubleDouble.Sign(dd -1e-300 0.0)) -1 "sign"
            Expect.equal DoubleDouble.Radix 2 "radix"
        }
    ]

let conversionTests =
    testList "conversions" [
        prop "double round-trips through DoubleDouble" (fun (a: float) ->
            let x = DoubleDouble(a)
            x.Hi = a && x.Lo = 0.0 && double x = a && DoubleDouble.op_Implicit(a).Hi = a)
        prop "explicit double conversion is Hi, the correctly rounded value" (fun (x: DoubleDouble) ->
            let d = double x
            let e = toQ x
            let err q = Q.abs (Q.sub q e)

            d = x.Hi
            && Q.compare (err (Q.ofFloat d)) (err (Q.ofFloat (Math.BitIncrement d))) <= 0
            && Q.compare (err (Q.ofFloat d)) (err (Q.ofFloat (Math.BitDecrement d))) <= 0)
        prop "float conversion is correctly rounded, also at float midpoints" (fun (a: float32, lo: float, up: bool) ->
            // Hi at the exact midpoint between two floats, tie broken by the sign of Lo.
            let a =
                if Single.IsFinite a && a <> 0.0f && abs a < 1e38f then
                    a
                else
                    1.5f

            let next = if up then MathF.BitIncrement a else MathF.BitDecrement a
            let mid = (float a + float next) / 2.0
            let x = makeDD mid (Math.Clamp(lo, -1.0, 1.0) * abs mid * pow2 -60)
            let f = float32 x

            let err (g: float32) =
                Q.abs (Q.sub (Q.ofFloat (float g)) (toQ x))

            Q.compare (err f) (err (MathF.BitIncrement f)) <= 0
            && Q.compare (err f) (err (MathF.BitDecrement f)) <= 0)
        prop "long round-trips exactly" (fun (n: int64) ->
            let x = DoubleDouble.op_Implicit n

            int64 x = n
            && isNormalised x
            && Q.compare (toQ x) (Q.ofInt (BigInteger n)) = 0
            && DoubleDouble.CreateChecked n = x)
        prop "decimal round-trips exactly" (fun (m: decimal) ->
            let x = DoubleDouble.op_Explicit m

            decimal x = m
            && withinUnits boundParse x (Q.ofDecimalString (m.ToString(CultureInfo.InvariantCulture))))
        test "generic-math conversions" {
            let x = DoubleDouble.Pi
            Expect.equal (Double.CreateTruncating x) x.Hi "double.CreateTruncating"
            Expect.equal (Double.CreateChecked x) x.Hi "double.CreateChecked"
            Expect.equal (Double.CreateSaturating x) x.Hi "double.CreateSaturating"
            Expect.equal (Single.CreateChecked x) (float32 Math.PI) "float.CreateChecked"
            Expect.equal (Int32.CreateTruncating x) 3 "int.CreateTruncating"
            Expect.equal (Int64.CreateChecked(DoubleDouble(-2.5))) -2L "long.CreateChecked truncates"
            Expect.equal (Decimal.CreateChecked(DoubleDouble(0.1))) 0.1000000000000000055511151231m "decimal.CreateChecked"
            let tenth = DoubleDouble.CreateTruncating 0.1
            Expect.isTrue (tenth.Hi = 0.1 && tenth.Lo = 0.0) "CreateTruncating(0.1) is the double 0.1"
            Expect.equal (DoubleDouble.CreateChecked 3) (DoubleDouble(3.0)) "CreateChecked(3)"
            Expect.equal (DoubleDouble.CreateSaturating 3.5f) (DoubleDouble(3.5)) "CreateSaturating(3.5f)"
            Expect.equal (DoubleDouble.CreateChecked x) x "CreateChecked(DoubleDouble)"
            Expect.equal (DoubleDouble.CreateChecked Int64.MaxValue |> int64) Int64.MaxValue "long.MaxValue"
            Expect.equal (Int32.CreateSaturating(DoubleDouble(1e300))) Int32.MaxValue "saturating int"
            Expect.equal (Int32.CreateSaturating DoubleDouble.NaN) 0 "saturating NaN"
            Expect.throwsT<OverflowException> (fun () -> Int32.CreateChecked(DoubleDouble(1e10)) |> ignore) "checked int"
            Expect.throwsT<OverflowException> (fun () -> Int64.CreateChecked(DoubleDouble(9.3e18)) |> ignore) "checked long"
            Expect.throwsT<OverflowException> (fun () -> Decimal.CreateChecked(DoubleDouble(1e30)) |> ignore) "checked decimal"
            let big = DoubleDouble.CreateChecked(BigInteger.Pow(3I, 80))
            Expect.isTrue (withinUnits boundParse big (Q.ofInt (BigInteger.Pow(3I, 80)))) "BigInteger 3^80"
        }
    ]

let constantTests =
    let check (name: string) (x: DoubleDouble) (digits: string) =
        test (sprintf "%s equals its 64-digit decimal expansion to double-double precision" name) {
            let exact = Q.ofDecimalString digits
            Expect.isTrue (isNormalised x) "normalised"
            Expect.isTrue (withinUnits boundParse x exact) "within 2^-106 relative"
            Expect.equal (DoubleDouble.Parse digits) x "Parse gives the same pair"
        }

    testList "constants" [
        check "Pi" DoubleDouble.Pi "3.141592653589793238462643383279502884197169399375105820974944592"
        check "E" DoubleDouble.E "2.718281828459045235360287471352662497757247093699959574966967628"
        check "Tau" DoubleDouble.Tau "6.283185307179586476925286766559005768394338798750211641949889185"
        test "UnitRoundoff is 2^-104" { Expect.equal DoubleDouble.UnitRoundoff (pow2 -104) "2^-104" }
        test "Zero, One and NegativeOne" {
            Expect.equal DoubleDouble.Zero (DoubleDouble(0.0)) "zero"
            Expect.equal DoubleDouble.One (DoubleDouble(1.0)) "one"
            Expect.equal DoubleDouble.NegativeOne (DoubleDouble(-1.0)) "minus one"
        }
    ]

/// TryFormat into a buffer of the given length; None if it does not fit.
let private tryFormat (x: DoubleDouble) (length: int) (format: string) =
    let buffer = Array.zeroCreate<char> length
    let mutable written = 0

    if x.TryFormat(Span buffer, &written, format.AsSpan(), null) then
        Some(String(buffer, 0, written))
    else
        None

let parseFormatTests =
    let parsesTo (s: string) (hi: float) (lo: float) =
        let x = DoubleDouble.Parse s
        Expect.isTrue (x.Hi.Equals hi && x.Lo = lo) (sprintf "'%s' gave (%g, %g)" s x.Hi x.Lo)

    testList "parse and format" [
        prop "Parse(ToString x) = x exactly" (fun (x: DoubleDouble) ->
            let y = DoubleDouble.Parse(x.ToString())
            y.Hi = x.Hi && y.Lo = x.Lo)
        prop "Parse(ToString x) = x exactly over the whole exponent range" (fun (Positive x) ->
            let y = DoubleDouble.Parse(x.ToString())
            y.Hi = x.Hi && y.Lo = x.Lo)
        prop "Parse of long decimal strings is within 2^-106 relative of the exact rational" (fun (DecimalText s) ->
            let x = DoubleDouble.Parse s
            isNormalised x && withinUnits boundParse x (Q.ofDecimalString s))
        prop "ToString(E40) is the correctly rounded 41-digit decimal" (fun (x: DoubleDouble) ->
            let s = x.ToString("E40")
            let q = Q.ofDecimalString s
            // Within half a unit in the 41st digit, and |x| itself needs at most one more power of ten.
            let e = toQ x
            let exp10 = int (s.Substring(s.IndexOf 'E' + 1))
            let halfUnit = Q.mul (Q.make 1I 2I) (Q.pow (Q.ofInt 10I) (exp10 - 40))
            Q.compare (Q.abs (Q.sub q e)) halfUnit <= 0)
        test "documented forms parse" {
            let x = DoubleDouble.Parse "-1.25e-3"
            Expect.isTrue (x.Hi = -0.00125 && withinUnits boundParse x (Q.make -1I 800I)) "-1.25e-3"
            parsesTo "3" 3.0 0.0
            parsesTo ".5" 0.5 0.0
            parsesTo "1E+10" 1e10 0.0
            parsesTo "  +2.  " 2.0 0.0
            parsesTo "-0" -0.0 0.0
            parsesTo "1e400" Double.PositiveInfinity 0.0
            parsesTo "-1e-400" -0.0 0.0
            let tenth = DoubleDouble.Parse "0.1"
            Expect.isTrue (tenth.Hi = 0.1 && withinUnits boundParse tenth (Q.make 1I 10I)) "0.1"
        }
        test "NaN and infinities parse" {
            Expect.isTrue (DoubleDouble.IsNaN(DoubleDouble.Parse "NaN")) "NaN"
            Expect.isTrue (DoubleDouble.IsNaN(DoubleDouble.Parse "nan")) "nan"
            Expect.isTrue (DoubleDouble.IsPositiveInfinity(DoubleDouble.Parse "Infinity")) "Infinity"
            Expect.isTrue (DoubleDouble.IsNegativeInfinity(DoubleDouble.Parse "-Infinity")) "-Infinity"
            Expect.isTrue (DoubleDouble.IsPositiveInfinity(DoubleDouble.Parse "∞")) "∞"
            Expect.equal (DoubleDouble.NaN.ToString()) "NaN" "format NaN"
            Expect.equal (DoubleDouble.NegativeInfinity.ToString()) "-Infinity" "format -inf"
        }
        test "malformed strings are rejected" {
            for s in
                [ ""
                  " "
                  "."
                  "e5"
                  "1e"
                  "1e+"
                  "--1"
                  "1.2.3"
                  "0x10"
                  "1,000"
                  "Inf"
                  "1 2" ] do
                let ok, _ = DoubleDouble.TryParse s
                Expect.isFalse ok (sprintf "'%s' accepted" s)
                Expect.throwsT<FormatException> (fun () -> DoubleDouble.Parse s |> ignore) (sprintf "'%s'" s)

            let ok, _ = DoubleDouble.TryParse(null: string | null)
            Expect.isFalse ok "null"
            Expect.throwsT<ArgumentException> (fun () -> DoubleDouble.Parse("1", NumberStyles.HexNumber, null) |> ignore) "hex style"
        }
        test "span and style overloads agree" {
            let s = "-3.1415926535897932384626433832795028841971"
            let expected = DoubleDouble.Parse s
            Expect.equal (DoubleDouble.Parse(s.AsSpan(), CultureInfo.InvariantCulture)) expected "span"
            Expect.equal (DoubleDouble.Parse(s, NumberStyles.Float, NumberFormatInfo(NumberDecimalSeparator = ","))) expected "style"
            let ok, y = DoubleDouble.TryParse(s.AsSpan(), NumberStyles.Float, null)
            Expect.isTrue (ok && y = expected) "TryParse span"
        }
        test "format strings" {
            let pi = DoubleDouble.Pi
            Expect.equal (pi.ToString()) "3.1415926535897932384626433832795e+00" "round-trip"
            Expect.equal (pi.ToString "R") (pi.ToString()) "R"
            Expect.equal (pi.ToString "G") (pi.ToString()) "G"
            Expect.equal (pi.ToString "G20") "3.1415926535897932385" "G20"
            Expect.equal ((pi * 1e-10).ToString "G5") "3.1416E-10" "G5 scientific"
            Expect.equal ((-pi * 1e5).ToString "g8") "-314159.27" "g8 plain"
            Expect.equal (pi.ToString "E5") "3.14159E+000" "E5"
            Expect.equal (pi.ToString "e2") "3.14e+000" "e2"
            Expect.equal (DoubleDouble(3.0).ToString()) "3e+00" "three"
            Expect.equal (DoubleDouble(-0.0).ToString()) "-0" "minus zero"
            Expect.equal ((DoubleDouble.One / DoubleDouble(3.0)).ToString "G32") "0.33333333333333333333333333333333" "1/3"
            Expect.throwsT<FormatException> (fun () -> pi.ToString "F2" |> ignore) "F2 unsupported"
            Expect.throwsT<FormatException> (fun () -> pi.ToString "R5" |> ignore) "R5 unsupported"
            Expect.equal (tryFormat pi 64 "E5") (Some "3.14159E+000") "TryFormat"
            Expect.equal (tryFormat pi 4 "") None "TryFormat into a short span"
        }
        test "tiny low words round-trip" {
            let x = DoubleDouble(1.0, pow2 -1000)
            let y = DoubleDouble.Parse(x.ToString())
            Expect.isTrue (y.Hi = x.Hi && y.Lo = x.Lo) "1 + 2^-1000"
            let z = DoubleDouble(pow2 -1074)
            Expect.equal (DoubleDouble.Parse(z.ToString())).Hi z.Hi "smallest subnormal"
        }
    ]

/// Generic code in the style of the model code: only System.Numerics members, T = double or DoubleDouble.
/// Heron's iteration for √a from a double start, clamped and checked with the INumberBase predicates.
let genericHeron<'T when 'T :> INumber<'T> and 'T :> IRootFunctions<'T>> (a: 'T) (steps: int) : 'T =
    // Operators are called through the interfaces, as C# generic code compiles them.
    let two = 'T.CreateChecked 2
    let mutable x = 'T.CreateTruncating(Math.Sqrt(Double.CreateTruncating a))

    for _ in 1..steps do
        x <- 'T.op_Division ('T.op_Addition (x, 'T.op_Division (a, x)), two)

    let x = 'T.Max('T.Min(x, 'T.op_Addition ('T.Abs a, 'T.One)), 'T.Zero)

    if 'T.IsFinite x && not ('T.IsNaN x) && 'T.op_GreaterThanOrEqual (x, 'T.Zero) then
        x
    else
        'T.op_Subtraction ('T.Zero, 'T.One)

/// Bytes allocated on this thread by `iterations` rounds of every arithmetic operator and Sqrt.
let private allocatedByArithmetic (iterations: int) =
    let mutable x = DoubleDouble.Pi
    let y = DoubleDouble.E
    let before = GC.GetAllocatedBytesForCurrentThread()

    for _ = 1 to iterations do
        // A bounded map (x stays in [1, 3]), so the loop runs on ordinary finite values.
        x <- DoubleDouble.Sqrt(DoubleDouble.Abs((x + y) * (x - y) / y) + x * 0.5 + 1.0 / (x + 3.0))

        x <-
            DoubleDouble.Min(DoubleDouble.Max(x, DoubleDouble.One), y)
            + DoubleDouble.Pow(x, 3) / 1e3
            - x / y * 1e-3

    let after = GC.GetAllocatedBytesForCurrentThread()
    struct (after - before, x)

let genericTests =
    testList "generic math" [
        test "works as T in INumber/IRootFunctions generic code" {
            let x = genericHeron (DoubleDouble(2.0)) 2
            Expect.isTrue (rootErrorUnits 2 x (Q.ofInt 2I) <= 1.0) "Heron for sqrt 2 in double-double"
            Expect.isLessThanOrEqual (abs (genericHeron 2.0 2 - Math.Sqrt 2.0)) (pow2 -52) "Heron for sqrt 2 in double"
            Expect.equal (DoubleDouble.Sqrt(DoubleDouble(2.0))).Hi (Math.Sqrt 2.0) "Sqrt agrees in the leading word"
        }
        test "arithmetic allocates nothing" {
            allocatedByArithmetic 1000 |> ignore
            let struct (bytes, x) = allocatedByArithmetic 10000
            Expect.isTrue (DoubleDouble.IsFinite x) "finite result"
            Expect.equal bytes 0L "bytes allocated"
        }
    ]

let tests =
    testList "DoubleDouble" [
        errorFreeTransformTests
        arithmeticTests
        normalisationTests
        orderTests
        conversionTests
        constantTests
        parseFormatTests
        genericTests
    ]
