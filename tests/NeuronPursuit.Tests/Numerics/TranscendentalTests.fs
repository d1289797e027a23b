// SPDX-License-Identifier: MIT
/// Exponentials and logarithms of DoubleDouble (needed by the logistic loss in double-double) and
/// their derivative rules in Dual<T>. References: 40-digit values computed with Python's decimal
/// module at 50-digit precision (listed below), and identities checked on random arguments.
module NeuronPursuit.Tests.Numerics.TranscendentalTests

open System
open System.Globalization
open Expecto
open FsCheck
open FsCheck.FSharp
open NeuronPursuit.Core.Numerics

let private dd (s: string) =
    DoubleDouble.Parse(s, CultureInfo.InvariantCulture)

/// |a − b| / |b| evaluated in double-double, then rounded.
let private relative (a: DoubleDouble) (b: DoubleDouble) =
    double (DoubleDouble.Abs(a - b) / DoubleDouble.Abs b)

/// The documented bound: 2⁻¹⁰⁴ ≈ 4.9e-32 times a few hundred (the k·ln 2 reduction for |x| up to 700).
let private bound = 1e-29

let private references =
    [ "exp", "1", "2.7182818284590452353602874713526624977572e+0"
      "exp", "0.5", "1.6487212707001281468486507878141635716538e+0"
      "exp", "-10", "4.5399929762484851535591515560550610237918e-5"
      "exp", "37.25", "1.5047676668460840439172453695712363705521e+16"
      "exp", "-0.001", "9.9900049983337499166805535716765597470236e-1"
      "log", "3", "1.0986122886681096913952452369225257046475e+0"
      "log", "1.5", "4.0546510810816438197801311546434913657199e-1"
      "log", "0.999", "-1.0005003335835335001429822540683449607552e-3"
      "log", "1e-100", "-2.3025850929940456840179914546843642076011e+2"
      "log", "123456.789", "1.1723646487185880981139958983910111586910e+1"
      "expm1", "1e-12", "1.0000000000005000000000001666666666667000e-12"
      "expm1", "-0.3", "-2.5918177931828213393312622068218312781775e-1"
      "logp1", "1e-12", "9.9999999999950000000000033333333333308333e-13"
      "logp1", "-0.25", "-2.8768207245178092743921900599382743150351e-1" ]

let private apply name (x: DoubleDouble) =
    match name with
    | "exp" -> DoubleDouble.Exp x
    | "log" -> DoubleDouble.Log x
    | "expm1" -> DoubleDouble.ExpM1 x
    | "logp1" -> DoubleDouble.LogP1 x
    | other -> failwithf "unknown function %s" other

/// Uniform double in [lo, hi] from an integer draw.
let private uniform lo hi =
    Gen.choose (0, 1_000_000) |> Gen.map (fun k -> lo + (hi - lo) * float k / 1e6)

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 300 }

let private tangent (d: Dual<float>) = d.Tangent

let tests =
    testList "Exponentials and logarithms" [
        for name, x, expected in references do
            test $"DoubleDouble {name}({x}) matches the 40-digit reference to 1e-29" {
                let error = relative (apply name (dd x)) (dd expected)
                Expect.isLessThanOrEqual error bound $"relative error {error:e3}"
            }

        testPropertyWithConfig config "log(exp(x)) = x and exp(log(y)) = y in double-double"
        <| Prop.forAll (Arb.fromGen (Gen.zip (uniform -40.0 40.0) (uniform 1e-3 1e3))) (fun (x, y) ->
            let xd = DoubleDouble.op_Implicit x / dd "3"
            let yd = DoubleDouble.op_Implicit y / dd "7"

            let e1 =
                double (DoubleDouble.Abs(DoubleDouble.Log(DoubleDouble.Exp xd) - xd))
                / (abs (double xd) + 1.0)

            let e2 = relative (DoubleDouble.Exp(DoubleDouble.Log yd)) yd
            Expect.isLessThanOrEqual e1 bound "log∘exp"
            Expect.isLessThanOrEqual e2 bound "exp∘log")

        testPropertyWithConfig config "exp(a + b) = exp(a)·exp(b) in double-double"
        <| Prop.forAll (Arb.fromGen (Gen.zip (uniform -20.0 20.0) (uniform -20.0 20.0))) (fun (a, b) ->
            let ad = DoubleDouble.op_Implicit a / dd "3"
            let bd = DoubleDouble.op_Implicit b / dd "11"
            Expect.isLessThanOrEqual (relative (DoubleDouble.Exp(ad + bd)) (DoubleDouble.Exp ad * DoubleDouble.Exp bd)) bound "addition theorem")

        testPropertyWithConfig config "expm1 and logp1 keep relative accuracy for tiny arguments"
        <| Prop.forAll (Arb.fromGen (Gen.zip (uniform -1.0 1.0) (Gen.choose (8, 30)))) (fun (m, k) ->
            let x = DoubleDouble.op_Implicit m * DoubleDouble.Pow(dd "10", -k) / dd "3"
            // Four Taylor terms: the remainder is x⁵/120 ≈ (x⁴/120)·|x|, below 1e-30 relative for |x| ≤ 1e-8.
            let x2 = x * x
            let expm1Series = x + x2 / dd "2" + x2 * x / dd "6" + x2 * x2 / dd "24"
            let logp1Series = x - x2 / dd "2" + x2 * x / dd "3" - x2 * x2 / dd "4"

            if double x <> 0.0 then
                Expect.isLessThanOrEqual (relative (DoubleDouble.ExpM1 x) expm1Series) bound "expm1"
                Expect.isLessThanOrEqual (relative (DoubleDouble.LogP1 x) logp1Series) bound "logp1")

        test "special values of exp and log" {
            Expect.equal (DoubleDouble.Exp(dd "-1000")) DoubleDouble.Zero "exp underflows to 0"
            Expect.isTrue (DoubleDouble.IsPositiveInfinity(DoubleDouble.Exp(dd "1000"))) "exp overflows to +inf"
            Expect.isTrue (DoubleDouble.IsNegativeInfinity(DoubleDouble.Log DoubleDouble.Zero)) "log 0 = -inf"
            Expect.isTrue (DoubleDouble.IsNaN(DoubleDouble.Log(dd "-1"))) "log of a negative number is NaN"
        }

        testPropertyWithConfig config "Dual<double> tangents of exp, expm1, exp2, exp10 are the analytic derivatives"
        <| Prop.forAll (Arb.fromGen (uniform -5.0 5.0)) (fun x ->
            let v = Dual<float>(x, 1.0)

            let close a b what =
                Expect.floatClose Accuracy.veryHigh a b what

            close (tangent (Dual<float>.Exp v)) (exp x) "exp"
            close (tangent (Dual<float>.ExpM1 v)) (exp x) "expm1"
            close (tangent (Dual<float>.Exp2 v)) (2.0 ** x * log 2.0) "exp2"
            close (tangent (Dual<float>.Exp10 v)) (10.0 ** x * log 10.0) "exp10")

        testPropertyWithConfig config "Dual<double> tangents of log, logp1, log2, log10 are the analytic derivatives"
        <| Prop.forAll (Arb.fromGen (uniform 0.01 50.0)) (fun x ->
            let v = Dual<float>(x, 1.0)

            let close a b what =
                Expect.floatClose Accuracy.veryHigh a b what

            close (tangent (Dual<float>.Log v)) (1.0 / x) "log"
            close (tangent (Dual<float>.LogP1 v)) (1.0 / (1.0 + x)) "logp1"
            close (tangent (Dual<float>.Log2 v)) (1.0 / (x * log 2.0)) "log2"
            close (tangent (Dual<float>.Log10 v)) (1.0 / (x * log 10.0)) "log10"
            close (tangent (Dual<float>.Log(v, Dual<float>(3.0, 0.0)))) (1.0 / (x * log 3.0)) "log base 3")

        testPropertyWithConfig config "Dual<DoubleDouble> tangent of exp∘log is 1 to double-double accuracy"
        <| Prop.forAll (Arb.fromGen (uniform 0.1 10.0)) (fun x ->
            let v = Dual<DoubleDouble>(DoubleDouble.op_Implicit x / dd "3", DoubleDouble.One)
            let r = Dual<DoubleDouble>.Exp(Dual<DoubleDouble>.Log v)
            Expect.isLessThanOrEqual (double (DoubleDouble.Abs(r.Tangent - DoubleDouble.One))) bound "d/dx exp(log x) = 1")
    ]
