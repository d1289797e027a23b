// SPDX-License-Identifier: MIT
/// The Clarke-stationarity measure on the sphere (Kkt/ClarkeStationarity, Numerics/MinimumNormPoint): Wolfe's
/// minimum-norm point against cases solved by hand, and the measure on functions whose Clarke subdifferential is known:
/// it vanishes at Clarke-KKT points (smooth or at a kink) and stays at its hand-computed size at points that are not.
module NeuronPursuit.Tests.Kkt.ClarkeStationarityTests

open System
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Kkt
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives

/// f(u) = maxₖ ⟨cₖ, u⟩ (a piecewise-linear function; the gradient is the first maximising cₖ).
type private MaxOfLinear(c: float[][]) =
    let active (u: ReadOnlySpan<float>) =
        let mutable best, arg = Double.NegativeInfinity, 0

        for k in 0 .. c.Length - 1 do
            let mutable s = 0.0

            for i in 0 .. u.Length - 1 do
                s <- s + c.[k].[i] * u.[i]

            if s > best then
                best <- s
                arg <- k

        best, arg

    interface IObjective<float> with
        member _.Dimension = c.[0].Length
        member _.Value(u) = fst (active u)

        member _.ValueAndGradient(u, gradient) =
            let value, k = active u
            c.[k].AsSpan().CopyTo(gradient)
            value

/// f(u) = −|u₀| + Σᵢ sᵢuᵢ (the kink along u₀ = 0; the gradient at the kink from the negative side).
type private MinusAbs(slopes: float[]) =
    interface IObjective<float> with
        member _.Dimension = slopes.Length

        member _.Value(u) =
            let mutable s = -abs u.[0]

            for i in 1 .. slopes.Length - 1 do
                s <- s + slopes.[i] * u.[i]

            s

        member _.ValueAndGradient(u, gradient) =
            let mutable s = -abs u.[0]

            for i in 1 .. slopes.Length - 1 do
                s <- s + slopes.[i] * u.[i]
                gradient.[i] <- slopes.[i]

            gradient.[0] <- (if u.[0] > 0.0 then -1.0 else 1.0)
            s

let private measure (f: IObjective<float>) (u: float[]) =
    ClarkeStationarity.Measure(f, ReadOnlySpan u)

let tests =
    testList "Clarke stationarity on the sphere" [
        testList "Wolfe's minimum-norm point" [
            test "two points: the foot of the perpendicular on the segment" {
                // Segment from (1, 1) to (−1, 1): the nearest point to 0 is (0, 1), λ = (½, ½).
                let r = MinimumNormPoint.Find(ReadOnlySpan [| 1.0; 1.0; -1.0; 1.0 |], 2, 2)
                Expect.floatClose Accuracy.high r.Norm 1.0 "norm"
                Expect.floatClose Accuracy.high r.Weights.[0] 0.5 "weight"
            }
            test "a vertex when the segment points away" {
                let r =
                    MinimumNormPoint.Find(ReadOnlySpan [| 1.0; 0.0; 2.0; 1.0; 3.0; -1.0 |], 3, 2)

                Expect.floatClose Accuracy.high r.Norm 1.0 "the vertex (1, 0)"
                Expect.floatClose Accuracy.high r.Weights.[0] 1.0 "all weight on it"
            }
            test "zero inside a triangle, and the simplex face x + y + z = 1" {
                let inside =
                    MinimumNormPoint.Find(ReadOnlySpan [| 1.0; 0.0; -1.0; 1.0; -1.0; -1.0 |], 3, 2)

                Expect.isLessThan inside.Norm 1e-12 "0 is in the hull"

                let face =
                    MinimumNormPoint.Find(ReadOnlySpan [| 1.0; 0.0; 0.0; 0.0; 1.0; 0.0; 0.0; 0.0; 1.0 |], 3, 3)

                Expect.floatClose Accuracy.high face.Norm (1.0 / sqrt 3.0) "the centroid"

                for l in face.Weights do
                    Expect.floatClose Accuracy.high l (1.0 / 3.0) "equal weights"
            }
            test "random clouds: the answer is optimal (no point improves on it) and a convex combination" {
                let random = SeededRandom 3L

                for trial in 1..20 do
                    let m, p = 3 + trial, 2 + trial % 5

                    let pts =
                        Array.init (m * p) (fun _ -> random.NextGaussian() + (if trial % 2 = 0 then 1.5 else 0.0))

                    let r = MinimumNormPoint.Find(ReadOnlySpan pts, m, p)
                    Expect.floatClose Accuracy.high (Array.sum r.Weights) 1.0 "Σλ = 1"
                    Expect.isTrue (r.Weights |> Array.forall (fun l -> l >= 0.0)) "λ ≥ 0"
                    let x2 = r.Norm * r.Norm

                    for i in 0 .. m - 1 do
                        let d = Seq.sum (seq { for k in 0 .. p - 1 -> r.Point.[k] * pts.[i * p + k] })
                        Expect.isGreaterThanOrEqual (d - x2) (-1e-9) $"optimality against point {i} (trial {trial})"
            }
        ]
        test "smooth: 0 at the maximiser, the KKT residual's size at a point that is not stationary" {
            let f = MaxOfLinear [| [| 1.0; 0.0; 0.0 |] |]
            let atMax = measure f [| 1.0; 0.0; 0.0 |]
            Expect.isLessThan atMax.Value 1e-5 $"maximiser: {atMax.Value}"
            // At u = (0.6, 0.8, 0) the tangential gradient has norm 0.8.
            let off = measure f [| 0.6; 0.8; 0.0 |]
            Expect.floatClose { absolute = 1e-4; relative = 0.0 } off.Value 0.8 "not stationary"
            Expect.floatClose { absolute = 1e-12; relative = 0.0 } off.KktResidual 0.8 "the smooth residual agrees"
        }
        test "−|u₀| + u₁: the kink at (0, 1) is a Clarke-KKT point although no one-sided gradient is tangentially 0" {
            let f = MinusAbs [| 0.0; 1.0 |]
            let kink = measure f [| 0.0; 1.0 |]
            Expect.isGreaterThan kink.KktResidual 0.5 $"the one-sided gradient is not a KKT point: residual {kink.KktResidual}"
            Expect.isLessThan kink.Value 1e-6 $"but 0 is in the projected Clarke subdifferential: {kink.Value}"
            // Off the kink, at (0.6, 0.8): ∇f = (−1, 1), tangential part (−1, 1) − 0.2·(0.6, 0.8), norm 1.4·0.8/…
            let u = [| 0.6; 0.8 |]
            let off = measure f u
            let g = [| -1.0; 1.0 |]
            let lambda = g.[0] * u.[0] + g.[1] * u.[1]

            let t =
                sqrt ((g.[0] - lambda * u.[0]) ** 2.0 + (g.[1] - lambda * u.[1]) ** 2.0)
                / sqrt 2.0

            Expect.floatClose { absolute = 1e-4; relative = 0.0 } off.Value t "not stationary off the kink"
        }
        test "max of two linear functions: Clarke-KKT on the ridge at (1, 1, 0)/√2, not at (½, ½, 1/√2)" {
            let f = MaxOfLinear [| [| 1.0; 0.0; 0.0 |]; [| 0.0; 1.0; 0.0 |] |]
            let saddle = measure f [| 1.0; 1.0; 0.0 |]
            Expect.isGreaterThan saddle.KktResidual 0.5 "each one-sided gradient has a tangential part"
            Expect.isLessThan saddle.Value 1e-6 $"½(c₁ + c₂) is parallel to u: {saddle.Value}"
            // On the ridge but rising along it: the best combination ½(c₁ + c₂) keeps a tangential part of norm ½.
            let rising = measure f [| 0.5; 0.5; sqrt 0.5 |]
            Expect.floatClose { absolute = 1e-4; relative = 0.0 } rising.Value 0.5 $"not stationary: {rising.Value}"
            Expect.isGreaterThanOrEqual rising.Support 2 "the minimum-norm combination uses both pieces"
        }
        test "reproducible from the seed and refuses a zero direction" {
            let f = MaxOfLinear [| [| 1.0; 0.0; 0.0 |]; [| 0.0; 1.0; 0.0 |] |]
            let a = ClarkeStationarity.Measure(f, ReadOnlySpan [| 0.5; 0.5; 0.7 |], 1e-4, 0, 9L)
            let b = ClarkeStationarity.Measure(f, ReadOnlySpan [| 0.5; 0.5; 0.7 |], 1e-4, 0, 9L)
            Expect.equal a.Absolute b.Absolute "same seed, same measure"
            Expect.throwsT<ArgumentException> (fun () -> ClarkeStationarity.Measure(f, ReadOnlySpan [| 0.0; 0.0; 0.0 |]) |> ignore) "zero"
        }
        test "leaky-ReLU NCF: spherical ascent stalls off stationarity; gradient sampling reaches a Clarke-KKT point with equal layer norms" {
            let p = Problem.example "deep" |> Problem.withActivation (Activation.leakyRelu 0.2)
            let f = Problem.ncf p
            let points = Kkt.search (Kkt.options 1e-10 20000) 4 17L (fun () -> Problem.ncf p)
            let best = points.Head
            let stalled = Kkt.clarke 1e-7 1L f best.Direction
            Expect.isFalse best.Converged "spherical ascent does not converge on the kinks"
            Expect.isGreaterThan stalled.Value 1e-4 $"its end point is not Clarke stationary either: {stalled.Value}"
            let c = Kkt.clarkeAscent 1e-6 1e-7 2000 1L f best.Direction
            Expect.isTrue c.Converged $"gradient sampling converges: measure {c.Measure}"
            Expect.isGreaterThanOrEqual c.Value best.Value "N does not decrease"
            Expect.isLessThan (Kkt.clarke 1e-7 1L f c.Direction).Value 1e-5 "the end point is certified"

            for r in Analysis.layerNormRatios p.Network c.Direction do
                Expect.floatClose { absolute = 1e-5; relative = 0.0 } r 1.0 "‖W_l‖² = ‖W_(l+1)‖² at a Clarke-KKT point (claim 13, p = 1)"
            // A random direction is not.
            let u = Array.zeroCreate best.Direction.Length
            SeededRandom(5L).FillUnitSphere(Span u)
            Expect.isGreaterThan (Kkt.clarke 1e-6 1L f u).Value 1e-2 "a random direction is not stationary"
        }
    ]
