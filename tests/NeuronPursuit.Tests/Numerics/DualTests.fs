// SPDX-License-Identifier: MIT
/// Dual<T> (forward-mode AD): every derivative rule against its analytic derivative, against central
/// finite differences (with the h² convergence measured), linearity in the seed, comparisons by value,
/// conversions, and forward-over-reverse Hessian-vector products through generic gradient code.
module NeuronPursuit.Tests.Numerics.DualTests

open System
open System.Globalization
open System.Numerics
open Expecto
open FsCheck
open FsCheck.FSharp
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Tests.Support

type private D = Dual<float>

// ---------------------------------------------------------------- generators
// Well-scaled values only: integers / 1000, so never NaN or ∞, and bounded away from singular points
// where a rule needs it.

let private thousandths lo hi =
    Gen.choose (lo, hi) |> Gen.map (fun i -> float i / 1000.0)

/// x ∈ [−10, 10].
let private anyX = thousandths -10000 10000

/// |x| ∈ [0.5, 10], either sign: away from the poles of 1/x, xⁿ (n < 0) and the kink of |x|.
let private awayFromZero =
    gen {
        let! m = thousandths 500 10000
        let! negative = Gen.elements [ true; false ]
        return if negative then -m else m
    }

/// x ∈ [0.01, 10]: the domain of √x and the roots, away from their infinite slope at 0.
let private positiveX = thousandths 10 10000

/// A seed direction t ∈ [−2, 2].
let private seed = thousandths -2000 2000

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 300 }

let private property name (g: Gen<'a>) (body: 'a -> unit) =
    testPropertyWithConfig config name (Prop.forAll (Arb.fromGen g) body)

// ---------------------------------------------------------------- assertions

/// |actual − expected| ≤ tol·max(1, |expected|): relative for large values, absolute near 0.
let private close (tol: float) (what: string) (actual: float) (expected: float) =
    let bound = tol * max 1.0 (abs expected)
    let err = abs (actual - expected)

    if not (err <= bound) then
        failtestf "%s: got %.17g, expected %.17g (error %.3g > %.3g)" what actual expected err bound

/// The analytic rules are a few correctly rounded operations apart from the formula evaluated in double.
let private ruleTol = 1e-12

// ---------------------------------------------------------------- generic code, written once
// The functions below are ordinary (not inline) .NET generic methods instantiated at Dual<float>, as the
// project's C# backprop is. F#'s own + and * are inline-only (SRTP), so arithmetic reaches T through the
// static abstract interface members, exactly as C# generic code compiles it.

let inline private (.+) (a: 'T :> IAdditionOperators<'T, 'T, 'T>) (b: 'T) = 'T.op_Addition (a, b)
let inline private (.-) (a: 'T :> ISubtractionOperators<'T, 'T, 'T>) (b: 'T) = 'T.op_Subtraction (a, b)
let inline private (.*) (a: 'T :> IMultiplyOperators<'T, 'T, 'T>) (b: 'T) = 'T.op_Multiply (a, b)
let inline private (./) (a: 'T :> IDivisionOperators<'T, 'T, 'T>) (b: 'T) = 'T.op_Division (a, b)
let inline private (.>) (a: 'T :> IComparisonOperators<'T, 'T, bool>) (b: 'T) = 'T.op_GreaterThan (a, b)
let inline private negate (a: 'T :> IUnaryNegationOperators<'T, 'T>) = 'T.op_UnaryNegation a

/// A smooth function of the generic scalar through the project's numeric surface (×, ÷, +, −, √, ∛, hypot,
/// T.CreateTruncating(double), T.CreateChecked(int)); smooth on all of ℝ.
let smooth<'T when 'T: struct and 'T: (new: unit -> 'T) and 'T :> ValueType and 'T :> INumber<'T> and 'T :> IRootFunctions<'T>> (x: 'T) : 'T =
    let x2 = x .* x

    let q =
        'T.Sqrt('T.One .+ x2) .* 'T.Cbrt('T.CreateChecked 2 .+ x2)
        ./ ('T.CreateChecked 3 .+ x2)

    q .+ 'T.Hypot(x, 'T.CreateTruncating 1.5) .* x ./ 'T.CreateChecked 10
    .- x2 .* x ./ 'T.CreateChecked 100

/// The project's surface also has the piecewise and predicate members: Abs, Max, Min, comparisons, IsFinite,
/// IsNaN, and double.CreateTruncating back. Non-smooth at the kinks, smooth elsewhere.
let surface<'T when 'T: struct and 'T: (new: unit -> 'T) and 'T :> ValueType and 'T :> INumber<'T> and 'T :> IRootFunctions<'T>> (x: 'T) : 'T =
    let leaky = if x .> 'T.Zero then x else 'T.CreateTruncating 0.25 .* x
    let clipped = 'T.Min('T.Max(x, 'T.CreateChecked(-3)), 'T.CreateChecked 4)
    let y = leaky .* clipped .+ 'T.Abs x .* 'T.Sqrt('T.One .+ x .* x)

    if 'T.IsFinite y && not ('T.IsNaN y) && Double.CreateTruncating y < 1e300 then
        y
    else
        'T.Zero

let private surfaceDerivative (x: float) =
    let leaky, dLeaky = if x > 0.0 then x, 1.0 else 0.25 * x, 0.25

    let clipped, dClipped =
        if x < -3.0 then -3.0, 0.0
        elif x > 4.0 then 4.0, 0.0
        else x, 1.0

    let s = sqrt (1.0 + x * x)
    dLeaky * clipped + leaky * dClipped + float (sign x) * s + abs x * x / s

/// ReLU as generic code writes it, max(z, 0), reaching Dual's Max through INumber<T>.
let relu<'T when 'T: struct and 'T: (new: unit -> 'T) and 'T :> ValueType and 'T :> INumber<'T> and 'T :> IRootFunctions<'T>> (z: 'T) : 'T =
    'T.Max(z, 'T.Zero)

/// x³/6 + √(1 + x): the third derivative 1 + (3/8)(1 + x)^(−5/2) is nowhere 0, so the central difference
/// error is c·h² with c ≠ 0 and the measured order is 2 (not 4).
let private cubicPlusRoot (x: D) = D.Pow(x, 3) / 6.0 + D.Sqrt(1.0 + x)

// ---------------------------------------------------------------- generic reverse-mode gradient
// L(u) = Σᵢ yᵢ σ(⟨u, xᵢ⟩) − λ‖u‖ with σ(z) = max(z, αz)², a degree-2 polynomial leaky ReLU.
// ∇L = Σᵢ yᵢ σ′(zᵢ) xᵢ − λ u/‖u‖ is written by hand for generic T, the way the project's backprop is;
// run on Dual at (u, v) its tangent is H(u)·v (Pearlmutter 1994), with the analytic Hessian
// H = Σᵢ yᵢ σ″(zᵢ) xᵢxᵢᵀ − λ (I/‖u‖ − uuᵀ/‖u‖³), σ″(z) = 2·slope².

let private points =
    [| [| 1.0; 0.5; -0.3 |]
       [| -0.2; 1.1; 0.7 |]
       [| 0.4; -0.9; 1.3 |]
       [| -1.2; -0.4; 0.2 |]
       [| 0.6; 0.8; -1.0 |] |]

let private labels = [| 1.0; -1.0; 1.0; -1.0; 1.0 |]
let private alpha = 0.2
let private lambda = 0.7

let gradient<'T when 'T: struct and 'T: (new: unit -> 'T) and 'T :> ValueType and 'T :> INumber<'T> and 'T :> IRootFunctions<'T>> (u: 'T[]) : 'T[] =
    let a = 'T.CreateTruncating alpha
    let mutable norm2 = 'T.Zero

    for k in 0 .. u.Length - 1 do
        norm2 <- norm2 .+ u[k] .* u[k]

    let norm = 'T.Sqrt norm2

    let g =
        Array.init u.Length (fun k -> negate ('T.CreateTruncating lambda) .* u[k] ./ norm)

    for i in 0 .. points.Length - 1 do
        let mutable z = 'T.Zero

        for k in 0 .. u.Length - 1 do
            z <- z .+ u[k] .* 'T.CreateTruncating(points[i][k])

        let slope = if z .> 'T.Zero then 'T.One else a
        let s = 'T.Max(z, a .* z)
        let dsigma = 'T.CreateChecked 2 .* s .* slope

        for k in 0 .. u.Length - 1 do
            g[k] <-
                g[k]
                .+ 'T.CreateTruncating(labels[i]) .* dsigma .* 'T.CreateTruncating(points[i][k])

    g

let private analyticHvp (u: float[]) (v: float[]) =
    let n = u.Length
    let norm = sqrt (Array.sumBy (fun x -> x * x) u)
    let uv = Array.fold2 (fun acc a b -> acc + a * b) 0.0 u v

    let hv =
        Array.init n (fun k -> -lambda * (v[k] / norm - u[k] * uv / (norm * norm * norm)))

    for i in 0 .. points.Length - 1 do
        let z = Array.fold2 (fun acc a b -> acc + a * b) 0.0 u points[i]
        let slope = if z > 0.0 then 1.0 else alpha
        let xv = Array.fold2 (fun acc a b -> acc + a * b) 0.0 points[i] v

        for k in 0 .. n - 1 do
            hv[k] <- hv[k] + labels[i] * 2.0 * slope * slope * xv * points[i][k]

    hv

let private hvp (u: float[]) (v: float[]) =
    gradient (Array.map2 (fun a b -> D(a, b)) u v) |> Array.map (fun d -> d.Tangent)

let private vector3 (g: Gen<float>) = Gen.arrayOfLength 3 g

/// u with ‖u‖ ≥ 0.5, away from the pole of u/‖u‖.
let private awayFromOrigin =
    vector3 anyX |> Gen.filter (fun u -> Array.sumBy (fun x -> x * x) u >= 0.25)

let private dot (a: float[]) (b: float[]) =
    Array.fold2 (fun acc x y -> acc + x * y) 0.0 a b

// ---------------------------------------------------------------- tests

let tests =
    testList "Dual" [
        testList "derivative rules against analytic derivatives" [
            property "tangent of a + b is a′ + b′" (Gen.zip (Gen.zip anyX anyX) (Gen.zip seed seed))
            <| fun ((x, y), (s, t)) -> close ruleTol "d(x+y)" (D(x, s) + D(y, t)).Tangent (s + t)

            property "tangent of a − b is a′ − b′" (Gen.zip (Gen.zip anyX anyX) (Gen.zip seed seed))
            <| fun ((x, y), (s, t)) -> close ruleTol "d(x−y)" (D(x, s) - D(y, t)).Tangent (s - t)

            property "tangent of a·b is the product rule a′b + ab′" (Gen.zip (Gen.zip anyX anyX) (Gen.zip seed seed))
            <| fun ((x, y), (s, t)) ->
                let r = D(x, s) * D(y, t)
                close ruleTol "x·y" r.Value (x * y)
                close ruleTol "d(x·y)" r.Tangent (s * y + x * t)

            property "tangent of a/b is the quotient rule (a′b − ab′)/b²" (Gen.zip (Gen.zip anyX awayFromZero) (Gen.zip seed seed))
            <| fun ((x, y), (s, t)) ->
                let r = D(x, s) / D(y, t)
                close ruleTol "x/y" r.Value (x / y)
                close ruleTol "d(x/y)" r.Tangent ((s * y - x * t) / (y * y))

            property "tangent of unary minus is −a′" (Gen.zip anyX seed)
            <| fun (x, t) ->
                let r = -D(x, t)
                close 0.0 "−x" r.Value -x
                close 0.0 "d(−x)" r.Tangent -t

            property "mixed operations with a scalar treat it as a constant" (Gen.zip (Gen.zip anyX awayFromZero) seed)
            <| fun ((x, c), t) ->
                let d = D(x, t)
                close ruleTol "d(x+c)" (d + c).Tangent t
                close ruleTol "d(c+x)" (c + d).Tangent t
                close ruleTol "d(x−c)" (d - c).Tangent t
                close ruleTol "d(c−x)" (c - d).Tangent -t
                close ruleTol "d(x·c)" (d * c).Tangent (t * c)
                close ruleTol "d(c·x)" (c * d).Tangent (t * c)
                close ruleTol "d(x/c)" (d / c).Tangent (t / c)

                if abs x >= 0.5 then
                    close ruleTol "d(c/x)" (c / d).Tangent (-c * t / (x * x))

            property "tangent of √x is x′/(2√x)" (Gen.zip positiveX seed)
            <| fun (x, t) ->
                let r = D.Sqrt(D(x, t))
                close ruleTol "√x" r.Value (sqrt x)
                close ruleTol "d√x" r.Tangent (t / (2.0 * sqrt x))

            property "tangent of xⁿ is n·xⁿ⁻¹·x′ for n in −4..6" (Gen.zip (Gen.zip awayFromZero seed) (Gen.choose (-4, 6)))
            <| fun ((x, t), n) ->
                let r = D.Pow(D(x, t), n)
                close ruleTol $"x^{n}" r.Value (Math.Pow(x, float n))
                close ruleTol $"d x^{n}" r.Tangent (float n * Math.Pow(x, float (n - 1)) * t)

            property
                "tangent of xⁿ for n ≥ 0 is exact at every x, 0 included"
                (Gen.zip (Gen.zip (Gen.oneof [ anyX; Gen.constant 0.0 ]) seed) (Gen.choose (0, 6)))
            <| fun ((x, t), n) ->
                let r = D.Pow(D(x, t), n)

                close
                    ruleTol
                    $"d x^{n}"
                    r.Tangent
                    (if n = 0 then
                         0.0
                     else
                         float n * Math.Pow(x, float (n - 1)) * t)

            property "tangent of ∛x is x′/(3∛x²)" (Gen.zip awayFromZero seed)
            <| fun (x, t) ->
                let r = D.Cbrt(D(x, t))
                close ruleTol "∛x" r.Value (Math.Cbrt x)
                close ruleTol "d∛x" r.Tangent (t / (3.0 * Math.Cbrt x * Math.Cbrt x))

            property
                "tangent of x^(1/n) is x^(1/n − 1)·x′/n for n in −3..5"
                (Gen.zip (Gen.zip positiveX seed) (Gen.elements [ -3; -2; -1; 1; 2; 3; 4; 5 ]))
            <| fun ((x, t), n) ->
                let r = D.RootN(D(x, t), n)
                close ruleTol $"x^(1/{n})" r.Value (Math.Pow(x, 1.0 / float n))
                close 1e-11 $"d x^(1/{n})" r.Tangent (Math.Pow(x, 1.0 / float n - 1.0) * t / float n)

            property "tangent of the odd root of a negative x is that of −(−x)^(1/n)" (Gen.zip (Gen.zip positiveX seed) (Gen.elements [ 3; 5 ]))
            <| fun ((m, t), n) ->
                let r = D.RootN(D(-m, t), n)
                close ruleTol "root" r.Value -(Math.Pow(m, 1.0 / float n))
                close 1e-11 "d root" r.Tangent (Math.Pow(m, 1.0 / float n - 1.0) * t / float n)

            property "tangent of hypot(a, b) is (a·a′ + b·b′)/hypot" (Gen.zip (Gen.zip awayFromZero anyX) (Gen.zip seed seed))
            <| fun ((x, y), (s, t)) ->
                let h = sqrt (x * x + y * y)
                let r = D.Hypot(D(x, s), D(y, t))
                close ruleTol "hypot" r.Value h
                close ruleTol "d hypot" r.Tangent ((x * s + y * t) / h)

            property "tangent of |x| is sign(x)·x′ away from 0" (Gen.zip awayFromZero seed)
            <| fun (x, t) -> close 0.0 "d|x|" (D.Abs(D(x, t))).Tangent (float (sign x) * t)

            property
                "Max and Min return the argument with the larger / smaller value, tangent included"
                (Gen.zip (Gen.zip anyX anyX) (Gen.zip seed seed))
            <| fun ((x, y), (s, t)) ->
                if abs (x - y) >= 1e-3 then
                    let big, small = if x > y then s, t else t, s
                    close 0.0 "d max" (D.Max(D(x, s), D(y, t))).Tangent big
                    close 0.0 "d min" (D.Min(D(x, s), D(y, t))).Tangent small

                    close
                        0.0
                        "d max magnitude"
                        (D.MaxMagnitude(D(x, s), D(y, t))).Tangent
                        (if abs x > abs y then s
                         elif abs x < abs y then t
                         else (if x > 0.0 then s else t))

            property "tangent of a % b is a′ − trunc(a/b)·b′" (Gen.zip (Gen.zip anyX awayFromZero) (Gen.zip seed seed))
            <| fun ((x, y), (s, t)) ->
                let q = x / y
                let fraction = abs q - floor (abs q)
                // Away from the jumps of the remainder, where the quotient changes.
                if fraction > 1e-6 && fraction < 1.0 - 1e-6 then
                    let r = D(x, s) % D(y, t)
                    close ruleTol "x % y" r.Value (x % y)
                    close ruleTol "d(x % y)" r.Tangent (s - Math.Truncate q * t)

            property "tangent of CopySign flips with the value's sign" (Gen.zip (Gen.zip awayFromZero awayFromZero) seed)
            <| fun ((x, y), t) ->
                let r = D.CopySign(D(x, t), D(y, 5.0))
                close 0.0 "copysign" r.Value (Math.CopySign(x, y))
                close 0.0 "d copysign" r.Tangent (if sign x = sign y then t else -t)

            testCase "Clamp passes the tangent inside the closed interval and the bound's outside"
            <| fun () ->
                let lo, hi = D(-1.0, 7.0), D(2.0, 9.0)
                Expect.equal (D.Clamp(D(0.5, 1.0), lo, hi)).Tangent 1.0 "inside"
                Expect.equal (D.Clamp(D(-1.0, 1.0), lo, hi)).Tangent 1.0 "on the lower bound"
                Expect.equal (D.Clamp(D(-3.0, 1.0), lo, hi)).Tangent 7.0 "below"
                Expect.equal (D.Clamp(D(5.0, 1.0), lo, hi)).Tangent 9.0 "above"
                Expect.throwsT<ArgumentException> (fun () -> D.Clamp(D.One, hi, lo) |> ignore) "min > max"

            testCase "increment and decrement keep the tangent"
            <| fun () ->
                let d = D(2.5, -1.5)
                let up = D.op_Increment d
                let down = D.op_Decrement d
                Expect.equal (up.Value, up.Tangent) (3.5, -1.5) "++"
                Expect.equal (down.Value, down.Tangent) (1.5, -1.5) "--"
        ]

        testList "compositions" [
            property "product rule through x³·hypot(x, 2)" (Gen.zip anyX seed)
            <| fun (x, t) ->
                let d = D(x, t)
                let r = D.Pow(d, 3) * D.Hypot(d, D.CreateChecked 2)
                let h = sqrt (x * x + 4.0)
                close ruleTol "d(x³·hypot)" r.Tangent ((3.0 * x * x * h + x * x * x * x / h) * t)

            property "quotient rule through (x² + 1)/(x² + 4)" (Gen.zip anyX seed)
            <| fun (x, t) ->
                let d = D(x, t)
                let r = (d * d + 1.0) / (d * d + 4.0)
                close ruleTol "d quotient" r.Tangent (6.0 * x / ((x * x + 4.0) ** 2.0) * t)

            property "chain rule through ∛(1 + x²) and √(1 + x²)" (Gen.zip anyX seed)
            <| fun (x, t) ->
                let d = D(x, t)
                close ruleTol "d∛" (D.Cbrt(1.0 + d * d)).Tangent (2.0 * x / (3.0 * Math.Cbrt(1.0 + x * x) ** 2.0) * t)
                close ruleTol "d√" (D.Sqrt(1.0 + d * d)).Tangent (x / sqrt (1.0 + x * x) * t)

            property "the project's numeric surface differentiates piecewise by the primal branch" (Gen.zip anyX seed)
            <| fun (x, t) ->
                // Away from the kinks at 0, −3 and 4.
                if abs x > 1e-3 && abs (x + 3.0) > 1e-3 && abs (x - 4.0) > 1e-3 then
                    close ruleTol "d surface" (surface (D(x, t))).Tangent (surfaceDerivative x * t)

            property "the value part is bit-identical to evaluating in double" (Gen.zip anyX seed)
            <| fun (x, t) ->
                Expect.equal (smooth (D(x, t))).Value (smooth x) "smooth"
                Expect.equal (surface (D(x, t))).Value (surface x) "surface"
        ]

        testList "finite differences" [
            property "tangent agrees with a central difference" (Gen.zip anyX seed)
            <| fun (x, t) ->
                // On [−10, 10] the smooth test function has |f| ≤ 15 and |f‴| ≤ 10, so with h = 1e-5 the central
                // difference is off by at most h²/6·|f‴| + 2ε|f|/h ≈ 2e-10 + 7e-10 per unit seed; 1e-8 leaves
                // a tenfold margin and still catches any rule off by more than that.
                let h = 1e-5

                let fd =
                    (smooth(D.Constant(x + h)).Value - smooth(D.Constant(x - h)).Value) / (2.0 * h)

                close 1e-8 "tangent vs central difference" (smooth (D(x, t))).Tangent (fd * t)

            testCase "the central-difference error shrinks as h², so the tangent is the exact derivative"
            <| fun () ->
                // If the tangent were off by δ the error would level off at δ and the slope would fall to 0.
                let x = 0.5
                let exact = (cubicPlusRoot (D.Variable x)).Tangent
                let f y = (cubicPlusRoot (D.Constant y)).Value
                let hs = [ for k in 3..8 -> Math.Pow(2.0, float -k) ]

                let errors =
                    hs |> List.map (fun h -> abs ((f (x + h) - f (x - h)) / (2.0 * h) - exact))

                ConvergenceOrder.expectOrder "central difference" 2.0 0.05 hs errors

            property
                "the Hessian-vector product through a generic gradient agrees with central differences of the gradient"
                (Gen.zip awayFromOrigin (vector3 seed))
            <| fun (u, v) ->
                let z = points |> Array.map (dot u)
                // Away from the kinks of σ′, which the ±h·v steps must not cross.
                if z |> Array.forall (fun zi -> abs zi > 0.05) then
                    let h = 1e-5
                    let gp = gradient (Array.map2 (fun a b -> a + h * b) u v)
                    let gm = gradient (Array.map2 (fun a b -> a - h * b) u v)
                    let exact = hvp u v

                    for k in 0..2 do
                        close 1e-6 $"(Hv)[{k}]" exact[k] ((gp[k] - gm[k]) / (2.0 * h))
        ]

        testList "forward over reverse" [
            property "the tangent of the generic gradient at (u, v) is the analytic H(u)·v" (Gen.zip awayFromOrigin (vector3 seed))
            <| fun (u, v) ->
                let exact = analyticHvp u v
                let ad = hvp u v

                for k in 0..2 do
                    close ruleTol $"(Hv)[{k}]" ad[k] exact[k]

            property "the gradient's value part is the plain gradient" (Gen.zip awayFromOrigin (vector3 seed))
            <| fun (u, v) ->
                let plain = gradient u
                let dual = gradient (Array.map2 (fun a b -> D(a, b)) u v)
                Expect.equal (dual |> Array.map (fun d -> d.Value)) plain "value part"

            property "Hessian-vector products are symmetric: ⟨a, H b⟩ = ⟨b, H a⟩" (Gen.zip awayFromOrigin (Gen.zip (vector3 seed) (vector3 seed)))
            <| fun (u, (a, b)) -> close 1e-11 "⟨a, Hb⟩ − ⟨b, Ha⟩" (dot a (hvp u b)) (dot b (hvp u a))

            testCase "nested duals give the second derivative: d²/dx² x³ = 6x"
            <| fun () ->
                for x in [ -2.5; -1.0; 0.0; 0.75; 3.0 ] do
                    let xx = Dual<D>(D(x, 1.0), D(1.0, 0.0))
                    let r = Dual<D>.Pow(xx, 3)
                    close ruleTol "x³" r.Value.Value (x * x * x)
                    close ruleTol "3x² (inner)" r.Value.Tangent (3.0 * x * x)
                    close ruleTol "3x² (outer)" r.Tangent.Value (3.0 * x * x)
                    close ruleTol "6x" r.Tangent.Tangent (6.0 * x)

            property
                "nested duals give the analytic second derivatives of √, ∛, ⁴√, hypot, 1/x and xⁿ, 0 included"
                (Gen.oneof [ anyX; Gen.constant 0.0 ])
            <| fun x ->
                // At x = 0 the outer tangent of 1 + x² has value 0 and inner tangent 2: a zero-tangent shortcut
                // that compared by value alone would drop it.
                let second (f: Dual<D> -> Dual<D>) =
                    (f (Dual<D>(D(x, 1.0), D(1.0, 0.0)))).Tangent.Tangent

                let one = Dual<D>.One
                let s = 1.0 + x * x
                close 1e-11 "(√(1+x²))″" (second (fun y -> Dual<D>.Sqrt(one + y * y))) (s ** -1.5)

                close
                    1e-11
                    "(∛(1+x²))″"
                    (second (fun y -> Dual<D>.Cbrt(one + y * y)))
                    (2.0 / 3.0 * s ** (-2.0 / 3.0) - 8.0 / 9.0 * x * x * s ** (-5.0 / 3.0))

                close 1e-11 "(⁴√(1+x²))″" (second (fun y -> Dual<D>.RootN(one + y * y, 4))) (0.5 * s ** -0.75 - 0.75 * x * x * s ** -1.75)
                close 1e-11 "hypot(x, 1.5)″" (second (fun y -> Dual<D>.Hypot(y, Dual<D>.CreateTruncating 1.5))) (2.25 / (x * x + 2.25) ** 1.5)
                close 1e-11 "(1/(1+x²))″" (second (fun y -> one / (one + y * y))) ((6.0 * x * x - 2.0) / (s * s * s))

                for n in 2..5 do
                    close 1e-11 $"(x^{n})″" (second (fun y -> Dual<D>.Pow(y, n))) (float (n * (n - 1)) * Math.Pow(x, float (n - 2)))

            testCase "nested duals through generic code: second derivative of the smooth function"
            <| fun () ->
                // f″ by nesting against a central difference of f′ from the first-order dual.
                for x in [ -3.0; -0.4; 0.0; 1.7; 6.0 ] do
                    let second = (smooth (Dual<D>(D(x, 1.0), D(1.0, 0.0)))).Tangent.Tangent
                    let h = 1e-5

                    let fd =
                        ((smooth (D(x + h, 1.0))).Tangent - (smooth (D(x - h, 1.0))).Tangent)
                        / (2.0 * h)

                    close 1e-7 $"f″({x})" second fd
        ]

        testList "linearity in the seed" [
            property "f(Dual(x, a·t)) has a times the tangent of f(Dual(x, t))" (Gen.zip (Gen.zip anyX seed) (thousandths -4000 4000))
            <| fun ((x, t), a) ->
                close ruleTol "smooth" (smooth (D(x, a * t))).Tangent (a * (smooth (D(x, t))).Tangent)
                close ruleTol "surface" (surface (D(x, a * t))).Tangent (a * (surface (D(x, t))).Tangent)
                close ruleTol "abs" (D.Abs(D(x, a * t))).Tangent (a * (D.Abs(D(x, t))).Tangent)

            property "the Hessian-vector product is linear in v" (Gen.zip awayFromOrigin (Gen.zip (vector3 seed) (thousandths -4000 4000)))
            <| fun (u, (v, a)) ->
                let hv = hvp u v
                let hav = hvp u (Array.map (fun x -> a * x) v)

                for k in 0..2 do
                    close ruleTol $"H(av)[{k}]" hav[k] (a * hv[k])
        ]

        testList "non-smooth and singular points" [
            testCase "|x| has tangent 0 at 0"
            <| fun () ->
                Expect.equal (D.Abs(D(0.0, 3.0))).Tangent 0.0 "+0"
                Expect.equal (D.Abs(D(-0.0, 3.0))).Tangent 0.0 "−0"

            testCase "Max and Min return the second argument on a tie, so max(z, 0) has derivative 0 at 0"
            <| fun () ->
                Expect.equal (D.Max(D(0.0, 1.0), D.Zero)).Tangent 0.0 "relu′(0) = 0"
                Expect.equal (relu (D(0.0, 1.0))).Tangent 0.0 "relu′(0) = 0 through generic code"
                Expect.equal (relu (D(1e-300, 1.0))).Tangent 1.0 "relu′(0⁺) = 1 through generic code"
                Expect.equal (D.Max(D(1.5, 2.0), D(1.5, 5.0))).Tangent 5.0 "max tie"
                Expect.equal (D.Min(D(1.5, 2.0), D(1.5, 5.0))).Tangent 5.0 "min tie"

            testCase "Max and Min propagate NaN; MaxNumber and MinNumber skip it"
            <| fun () ->
                let nan = D(Double.NaN, 0.0)
                Expect.isTrue (Double.IsNaN (D.Max(nan, D.One)).Value) "max"
                Expect.isTrue (Double.IsNaN (D.Min(D.One, nan)).Value) "min"
                Expect.equal (D.MaxNumber(nan, D(2.0, 1.0))).Tangent 1.0 "maxNumber"
                Expect.equal (D.MinNumber(D(2.0, 1.0), nan)).Tangent 1.0 "minNumber"

            testCase "a zero tangent stays zero at an infinite slope; a non-zero one becomes ∞"
            <| fun () ->
                Expect.equal (D.Sqrt(D.Constant 0.0)).Tangent 0.0 "√ of a constant 0"
                Expect.equal (D.Cbrt(D.Constant 0.0)).Tangent 0.0 "∛ of a constant 0"
                Expect.equal (D.RootN(D.Constant 0.0, 4)).Tangent 0.0 "⁴√ of a constant 0"
                Expect.equal (D.Pow(D.Constant 0.0, -2)).Tangent 0.0 "0⁻² of a constant"
                Expect.equal (D.Sqrt(D.Variable 0.0)).Tangent Double.PositiveInfinity "√ at 0"
                Expect.equal (D.Cbrt(D(0.0, -1.0))).Tangent Double.NegativeInfinity "∛ at 0"
                Expect.equal (D.Hypot(D(0.0, 1.0), D(0.0, 1.0))).Tangent 0.0 "hypot at the origin"
                Expect.equal (D.Pow(D.Variable 0.0, 0)).Value 1.0 "0⁰ = 1"
                Expect.equal (D.Pow(D.Variable 0.0, 0)).Tangent 0.0 "d 0⁰"
                Expect.equal (D.Pow(D.Variable 0.0, 1)).Tangent 1.0 "d x¹ at 0"

            testCase "IsZero needs both parts zero while == compares values"
            <| fun () ->
                Expect.isTrue (D(0.0, 1.0) = D.Zero) "== by value"
                Expect.isFalse (D.IsZero(D(0.0, 1.0))) "0 + 1ε is not zero"
                Expect.isTrue (D.IsZero(D(-0.0, 0.0))) "−0 + 0ε is zero"
                Expect.isFalse (Dual<D>.IsZero(Dual<D>(D.Zero, D(0.0, 1.0)))) "nested: a tangent 0 + 1ε is not zero"

            testCase "IsNaN sees either part, IsFinite needs both, IsInfinity is the rest"
            <| fun () ->
                let cases =
                    [ D(1.0, 2.0), (false, true, false)
                      D(1.0, Double.NaN), (true, false, false)
                      D(Double.NaN, 1.0), (true, false, false)
                      D(1.0, Double.PositiveInfinity), (false, false, true)
                      D(Double.NegativeInfinity, 0.0), (false, false, true)
                      D(Double.PositiveInfinity, Double.NaN), (true, false, false) ]

                for d, expected in cases do
                    Expect.equal (D.IsNaN d, D.IsFinite d, D.IsInfinity d) expected (string d)

                Expect.isFalse (D.IsPositiveInfinity(D(1.0, Double.PositiveInfinity))) "IsPositiveInfinity looks at the value"
                Expect.isTrue (D.IsNegativeInfinity(D(Double.NegativeInfinity, 0.0))) "−∞"
        ]

        testList "comparisons ignore tangents" [
            property
                "ordering and equality follow the values"
                (Gen.zip (Gen.zip (Gen.oneof [ anyX; Gen.constant 1.0 ]) (Gen.oneof [ anyX; Gen.constant 1.0 ])) (Gen.zip seed seed))
            <| fun ((x, y), (s, t)) ->
                let a, b = D(x, s), D(y, t)
                Expect.equal (a < b, a > b, a <= b, a >= b) (x < y, x > y, x <= y, x >= y) "ordering"
                Expect.equal (a = b, D.op_Equality (a, b), D.op_Inequality (a, b)) (x = y, x = y, x <> y) "equality"
                Expect.equal (a.CompareTo b) (x.CompareTo y) "CompareTo"
                Expect.equal (a.CompareTo(box b)) (x.CompareTo y) "CompareTo(object)"

                if x = y then
                    Expect.equal (a.GetHashCode()) (b.GetHashCode()) "hash of equal values"

            testCase "piecewise generic code picks its branch by the value"
            <| fun () ->
                // A large negative tangent must not flip z > 0.
                let relu (z: D) =
                    if z > D.Zero then z else D.CreateTruncating 0.1 * z

                Expect.equal (relu (D(0.5, -100.0))).Tangent -100.0 "positive branch"
                Expect.equal (relu (D(-0.5, 100.0))).Tangent 10.0 "negative branch"

            testCase "CompareTo(object) ranks null first and rejects other types"
            <| fun () ->
                Expect.equal (D.One.CompareTo(null: obj | null)) 1 "null"
                Expect.throwsT<ArgumentException> (fun () -> D.One.CompareTo(box 1.0) |> ignore) "double"
        ]

        testList "conversions" [
            property "double.CreateTruncating of a dual is its value" (Gen.zip anyX seed)
            <| fun (x, t) ->
                Expect.equal (Double.CreateTruncating(D(x, t))) x "truncating"
                Expect.equal (Double.CreateChecked(D(x, t))) x "checked"
                Expect.equal (Double.CreateSaturating(D(x, t))) x "saturating"

            property "a number converts to a constant" anyX
            <| fun x ->
                let d = D.CreateTruncating x
                Expect.equal (d.Value, d.Tangent) (x, 0.0) "from double"
                let f = D.CreateChecked(float32 x)
                Expect.equal (f.Value, f.Tangent) (float (float32 x), 0.0) "from float32"

            testCase "the project's conversions: CreateTruncating(0.5), CreateChecked(3), ints back"
            <| fun () ->
                let half = D.CreateTruncating 0.5
                Expect.equal (half.Value, half.Tangent) (0.5, 0.0) "0.5"
                let three = D.CreateChecked 3
                Expect.equal (three.Value, three.Tangent) (3.0, 0.0) "3"
                let big = D.CreateSaturating 7L
                Expect.equal big.Value 7.0 "7L"
                Expect.equal (Int32.CreateTruncating(D(3.7, 1.0))) 3 "to int, truncating"
                Expect.equal (Int32.CreateSaturating(D(1e10, 1.0))) Int32.MaxValue "to int, saturating"
                Expect.throwsT<OverflowException> (fun () -> Int32.CreateChecked(D(1e10, 0.0)) |> ignore) "to int, checked"
                Expect.equal (BigInteger.CreateTruncating(D(12.9, 1.0))) (BigInteger 12) "to BigInteger"
                Expect.equal (Complex.CreateTruncating(D(1.5, 1.0))) (Complex(1.5, 0.0)) "to Complex"

            testCase "a dual converts to its own type unchanged, tangent included"
            <| fun () ->
                let d = D.CreateTruncating(D(2.0, -3.0))
                Expect.equal (d.Value, d.Tangent) (2.0, -3.0) "identity"

            testCase "nested duals convert through both levels"
            <| fun () ->
                let dd = Dual<D>.CreateTruncating 0.5
                Expect.equal (dd.Value.Value, dd.Value.Tangent, dd.Tangent.Value, dd.Tangent.Tangent) (0.5, 0.0, 0.0, 0.0) "0.5"
                Expect.equal (Double.CreateTruncating(Dual<D>(D(1.25, 2.0), D(3.0, 4.0)))) 1.25 "back to double"
                let inner = Dual<D>.CreateTruncating(D(1.0, 2.0))
                Expect.equal (inner.Value.Tangent, inner.Tangent.Value) (2.0, 0.0) "an inner dual is the value"

            testCase "constants have zero tangent"
            <| fun () ->
                for name, c, v in
                    [ "π", D.Pi, Math.PI
                      "e", D.E, Math.E
                      "τ", D.Tau, Math.Tau
                      "0", D.Zero, 0.0
                      "1", D.One, 1.0 ] do
                    Expect.equal (c.Value, c.Tangent) (v, 0.0) name

                Expect.equal D.Radix 2 "radix"

            testCase "parsing gives a constant; formatting shows value + tangent·ε"
            <| fun () ->
                let inv = CultureInfo.InvariantCulture
                let p = D.Parse("2.5", inv)
                Expect.equal (p.Value, p.Tangent) (2.5, 0.0) "Parse"
                Expect.isTrue (fst (D.TryParse("-0.125", NumberStyles.Float, inv))) "TryParse"
                Expect.isFalse (fst (D.TryParse("2 + 1ε", inv))) "the formatted form is not a T"
                let d = D(2.0, -0.5)
                Expect.equal (d.ToString()) "2 + -0.5ε" "ToString"
                Expect.equal (d.ToString("F2", inv)) "2.00 + -0.50ε" "format"
                let chars = Array.zeroCreate<char> 32
                let mutable n = 0
                let ok = d.TryFormat(Span chars, &n, ReadOnlySpan<char>.Empty, inv)
                Expect.isTrue ok "TryFormat"
                Expect.equal (String(chars, 0, n)) "2 + -0.5ε" "TryFormat text"
                let tooShort = Array.zeroCreate<char> 8
                Expect.isFalse (d.TryFormat(Span tooShort, &n, ReadOnlySpan<char>.Empty, inv)) "TryFormat into too short a span"
                let bytes = Array.zeroCreate<byte> 32
                let ok8 = d.TryFormat(Span bytes, &n, ReadOnlySpan<char>.Empty, inv)
                Expect.isTrue ok8 "UTF-8 TryFormat"
                Expect.equal (Text.Encoding.UTF8.GetString(bytes, 0, n)) "2 + -0.5ε" "UTF-8 text"
        ]

        testCase "arithmetic on Dual<float> allocates nothing"
        <| fun () ->
            let mutable acc = D.Zero

            let run () =
                for i in 1..1000 do
                    let x = D(float i / 100.0, 1.0)

                    acc <-
                        acc
                        + surface x
                        + smooth x
                        + D.CreateTruncating(x) * D.CreateChecked(Double.CreateTruncating x)

            run ()
            let before = GC.GetAllocatedBytesForCurrentThread()
            run ()
            let allocated = GC.GetAllocatedBytesForCurrentThread() - before
            Expect.equal allocated 0L "bytes allocated by 1000 evaluations"
            Expect.isTrue (D.IsFinite acc) "finite"
    ]
