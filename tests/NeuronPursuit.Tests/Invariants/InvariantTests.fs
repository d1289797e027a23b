// SPDX-License-Identifier: MIT
/// The invariants of docs/claims.md (invariants) not covered by Models/NetworkPropertyTests (homogeneity, Euler,
/// per-neuron conservation) and Flow/FlowTests (conservation along one flow): the exact norm identity, the loss
/// monotone along flows, invariant zero sets, the NCF-flow scale symmetry, the NCF non-decreasing along the NCF
/// flows, small-initialisation flow ≈ NCF flow, and balance at KKT points. FsCheck draws shapes and seeds; the
/// numbers come from the seeded generators of NeuronPursuit.Testing.
module NeuronPursuit.Tests.Invariants.InvariantTests

open Expecto
open FsCheck
open FsCheck.FSharp
open NeuronPursuit
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Problems
open NeuronPursuit.Testing

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 30 }

/// Smooth activations (ReLUᵖ, p ≥ 2), so adaptive integration is accurate along the flow.
let private smoothShapes =
    { Shapes.defaults with
        Activations = [ "relu-power:2"; "relu-power:3"; "leaky-relu-power:0.2:2" ] }

let private check name (ok: bool) (detail: string) =
    if ok then true else failwithf "%s: %s" name detail

/// Small smooth cases: L ≤ 7 keeps the flows short and the values O(1).
let private flowCases =
    Arbitraries.networkCases smoothShapes
    |> Arb.filter (fun c -> c.Network.Degree.Value <= 7 && c.Network.ParameterCount <= 40)

let private options =
    IntegrationOptions(RelativeTolerance = 1e-11, AbsoluteTolerance = 1e-14, MaxSteps = 200_000L)

/// Gradient descent with step 0.01 for t = 1 (explicit Euler: exact at ReLU kinks too, so zeros stay exact zeros).
let private descend (case: NetworkCase) (w0: float[]) =
    (Flow.solveWith (Flow.method "euler") (Flow.fixedStep 0.01) [] [] (Problem.loss case.Problem) w0 1.0).Final

let tests =
    testList "Invariants (docs/claims.md)" [
        testPropertyWithConfig config "norm identity d|w|^2/dt = 2L (y'H - |H|^2) (square loss)"
        <| Prop.forAll Arbitraries.defaultCases (fun case ->
            let net, data = case.Network, case.Data
            let w = case.WeightVector 0
            let g = grad (Problem.loss case.Problem) w
            let lhs = -2.0 * Vec.dot w g
            let h = outputs net data w
            let y = data.Y.ToArray()
            let rhs = 2.0 * float (Net.degree net) * (Vec.dot y h - Vec.dot h h)

            let scale =
                2.0 * float (Net.degree net) * (abs (Vec.dot y h) + Vec.dot h h) + 1e-300

            check "norm identity" (abs (lhs - rhs) <= 1e-11 * scale) $"{lhs} vs {rhs} ({case})")

        testPropertyWithConfig config "the loss never increases along the flow"
        <| Prop.forAll flowCases (fun case ->
            let f = Problem.loss case.Problem
            let recorder = Flow.recorder (Flow.linearGrid 0.0 2.0 100) [ Flow.lossQuantity f ]

            Flow.solveWith Flow.dp5 options [ recorder ] [] f (case.WeightVector 0) 2.0
            |> ignore

            let l = recorder.Column "loss"

            check
                "monotone"
                (l
                 |> Array.pairwise
                 |> Array.forall (fun (a, b) -> b <= a + 1e-11 * abs a + 1e-13 * l.[0]))
                $"{case}")

        testPropertyWithConfig config "zero sets: a neuron with zero in and out weights stays exactly 0"
        <| Prop.forAll (Arbitraries.networkCases (Shapes.withOutgoingWeights Shapes.defaults)) (fun case ->
            let w0 = case.WeightVector 0
            let block = (Problem.blocks case.Problem).Head.Indices

            for k in block do
                w0.[k] <- 0.0

            let w = descend case w0
            check "zero block" (block |> Array.forall (fun k -> w.[k] = 0.0)) $"{case}")

        testPropertyWithConfig config "zero sets: with sigma'(0) = 0 zero incoming weights stay 0 and outgoing are frozen"
        <| Prop.forAll (Arbitraries.networkCases smoothShapes) (fun case ->
            let net = case.Network
            let w0 = case.WeightVector 0

            let incoming, outgoing =
                net.Layout.IncomingIndices(1, 0), net.Layout.OutgoingIndices(1, 0)

            for k in incoming do
                w0.[k] <- 0.0

            let w = descend case w0

            check
                "dead neuron"
                (incoming |> Array.forall (fun k -> w.[k] = 0.0)
                 && outgoing |> Array.forall (fun k -> w.[k] = w0.[k]))
                $"{case}")

        testPropertyWithConfig config "NCF-flow scale symmetry: c u(c^(L-2) tau) solves the flow from c u0"
        <| Prop.forAll (Arb.zip (flowCases, Arbitraries.scaleFactor)) (fun (case, c) ->
            let n = Problem.ncf case.Problem
            let u0 = case.Direction 0
            let l = float (Net.degree case.Network)
            let tau = 0.05 / (1.0 + Vec.norm (grad n u0))

            let solve (start: float[]) t =
                (Kkt.ncfFlow options [] [] n start t).Final

            let a = solve u0 tau |> Array.map ((*) c)
            let b = solve (Array.map ((*) c) u0) (tau / c ** (l - 2.0))
            check "scale symmetry" (maxDifference a b <= 1e-8 * (maxAbs a + 1e-300)) $"{maxDifference a b} ({case}, c = {c})")

        testPropertyWithConfig config "the NCF never decreases along the NCF flow and the spherical NCF flow"
        <| Prop.forAll flowCases (fun case ->
            let n = Problem.ncf case.Problem
            let u0 = case.Direction 1
            let tau = 0.2 / (1.0 + Vec.norm (grad n u0))

            let values flow =
                let recorder =
                    Flow.recorder (Flow.linearGrid 0.0 tau 50) [ Flow.quantity "N" (value n) ]

                flow options [ recorder :> IFlowObserver ] [] n u0 tau |> ignore
                recorder.Column "N"

            let nondecreasing (v: float[]) =
                v
                |> Array.pairwise
                |> Array.forall (fun (a, b) -> b >= a - 1e-11 * (abs a + 1e-12))

            check "NCF flow" (nondecreasing (values Kkt.ncfFlow)) $"{case}"
            && check "spherical flow" (nondecreasing (values Kkt.sphericalNcfFlow)) $"{case}")

        testPropertyWithConfig { config with maxTest = 10 } "balance at KKT points with N != 0: |in_j|^2 = p |out_j|^2"
        <| Prop.forAll (Arbitraries.networkCases (Shapes.withOutgoingWeights smoothShapes)) (fun case ->
            let p =
                Kkt.best (Kkt.options 1e-11 20000) 2 case.Seed (fun () -> Problem.ncf case.Problem)

            if not p.Converged || abs p.Value < 1e-8 then
                true
            else
                let power = float (Shapes.power case.ActivationSpec)

                let worst =
                    Analysis.neurons case.Network p.Direction
                    |> List.map (fun n -> abs (n.IncomingNorm ** 2.0 - power * n.OutgoingNorm ** 2.0))
                    |> List.max

                check "balance" (worst <= 1e-8) $"{worst} ({case})")

        test "small-init flow = NCF flow up to O(delta^L): the error ratio for delta and delta/2 is 2^L" {
            for case, degree in
                [ { Kind = NetworkKind.TwoLayer
                    InputDimension = 3
                    Widths = [ 4 ]
                    ActivationSpec = "relu-power:2"
                    SampleCount = 20
                    Seed = 5L },
                  3
                  { Kind = NetworkKind.TwoLayer
                    InputDimension = 3
                    Widths = [ 4 ]
                    ActivationSpec = "relu-power:3"
                    SampleCount = 20
                    Seed = 6L },
                  4 ] do
                let u0 = Vec.unit (case.WeightVector 0)
                // Up to ‖u‖ = 2 (or τ = 0.1): ‖u‖ = O(1), well before any blow-up.
                let s =
                    Kkt.ncfFlow options [] [ Flow.normReaches "norm 2" true 2.0 ] (Problem.ncf case.Problem) u0 0.1

                let tau, u = s.FinalTime, s.Final

                let error delta =
                    let t = tau / delta ** float (degree - 2)

                    let w =
                        (Flow.solveWith Flow.dp5 (Flow.relative 1e-12) [] [] (Problem.loss case.Problem) (Array.map ((*) delta) u0) t).Final

                    maxDifference (Array.map (fun x -> x / delta) w) u

                let e1, e2 = error 0.1, error 0.05
                let order = log (e1 / e2) / log 2.0
                Expect.isTrue (abs (order - float degree) < 0.3) $"L = {degree}: observed order {order:F2} (errors {e1:E2}, {e2:E2})"
        }
    ]
