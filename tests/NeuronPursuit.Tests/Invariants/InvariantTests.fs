// SPDX-License-Identifier: MIT
/// The invariants of `small-init-and-saddles.md` §5 not covered by Models/NetworkPropertyTests (homogeneity, Euler,
/// per-neuron conservation) and Flow/FlowTests (conservation along one flow): the exact norm identity (3), the loss
/// monotone along flows (4), invariant zero sets (6), the NCF-flow scale symmetry (7), the NCF non-decreasing along
/// the NCF flows (8), small-init flow ≈ NCF flow (9), and balance at KKT points (10). FsCheck draws shapes and seeds;
/// the numbers come from the seeded generators.
module NeuronPursuit.Tests.Invariants.InvariantTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open NeuronPursuit
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Flow.Methods
open NeuronPursuit.Core.Kkt
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Tests.Generators

let private config = { FsCheckConfig.defaultConfig with maxTest = 30 }

/// The case with a smooth activation (ReLUᵖ, p ≥ 2), so adaptive integration is accurate along the flow.
let private smooth (case: NetworkCase) =
    if case.ActivationSpec.Contains "power" then case else { case with ActivationSpec = "relu-power:2" }

let private check name (ok: bool) (detail: string) = if ok then true else failwithf "%s: %s" name detail

/// Small cases: L ≤ 7 keeps the flows short and the values O(1).
let private flowCases =
    Arb.fromGen (networkCase |> Gen.map smooth |> Gen.filter (fun c -> c.Network.Degree.Value <= 7 && c.Network.ParameterCount <= 40))

let private options = IntegrationOptions(RelativeTolerance = 1e-11, AbsoluteTolerance = 1e-14, MaxSteps = 200_000L)

let tests =
    testList "Invariants (§5)" [
        testPropertyWithConfig config "norm identity d|w|^2/dt = 2L (y'H - |H|^2) (square loss, invariant 3)" <|
            Prop.forAll networkCases (fun case ->
                let net, data = case.Network, case.Data
                let w = case.WeightVector 0
                let g = grad (loss net data) w
                let lhs = -2.0 * Vec.dot w g
                let h = outputs net data w
                let y = data.Y.ToArray()
                let rhs = 2.0 * float (Net.degree net) * (Vec.dot y h - Vec.dot h h)
                let scale = 2.0 * float (Net.degree net) * (abs (Vec.dot y h) + Vec.dot h h) + 1e-300
                check "norm identity" (abs (lhs - rhs) <= 1e-11 * scale) $"{lhs} vs {rhs} ({case})")

        testPropertyWithConfig config "the loss never increases along the flow (invariant 4)" <|
            Prop.forAll flowCases (fun case ->
                let f = loss case.Network case.Data
                let recorder = QuantityRecorder(ObservationGrid.Linear(0.0, 2.0, 100), [ FlowQuantities.Loss f.Objective ])
                FlowSolver.Solve<float>(GradientFlowSystem<float>(f.Objective), DormandPrince54(), 0.0, ReadOnlySpan(case.WeightVector 0), 2.0, options, observers = [ recorder ]) |> ignore
                let l = recorder.Column "loss"
                check "monotone" (l |> Array.pairwise |> Array.forall (fun (a, b) -> b <= a + 1e-11 * abs a + 1e-13 * l.[0])) $"{case}")

        testPropertyWithConfig config "zero sets: a neuron with zero in and out weights stays exactly 0 (invariant 6)" <|
            Prop.forAll networkCases (fun case ->
                let net = case.Network
                let f = loss net case.Data
                let w0 = case.WeightVector 0
                let block = Array.append (net.Layout.IncomingIndices(1, 0)) (net.Layout.OutgoingIndices(1, 0))
                for k in block do w0.[k] <- 0.0
                // Explicit Euler (gradient descent): exact for ReLU kinks too, and the zeros must be exact.
                let s = FlowSolver.Solve<float>(GradientFlowSystem<float>(f.Objective), ExplicitEuler(), 0.0, ReadOnlySpan w0, 1.0, IntegrationOptions(FixedStep = Nullable 0.01))
                check "zero block" (block |> Array.forall (fun k -> s.FinalState.[k] = 0.0)) $"{case}")

        testPropertyWithConfig config "zero sets: with sigma'(0) = 0 zero incoming weights stay 0 and outgoing are frozen (invariant 6)" <|
            Prop.forAll (Arb.fromGen (networkCase |> Gen.map smooth)) (fun case ->
                let net = case.Network
                let f = loss net case.Data
                let w0 = case.WeightVector 0
                let incoming, outgoing = net.Layout.IncomingIndices(1, 0), net.Layout.OutgoingIndices(1, 0)
                for k in incoming do w0.[k] <- 0.0
                let s = FlowSolver.Solve<float>(GradientFlowSystem<float>(f.Objective), ExplicitEuler(), 0.0, ReadOnlySpan w0, 1.0, IntegrationOptions(FixedStep = Nullable 0.01))
                check "dead neuron" (incoming |> Array.forall (fun k -> s.FinalState.[k] = 0.0) && outgoing |> Array.forall (fun k -> s.FinalState.[k] = w0.[k])) $"{case}")

        testPropertyWithConfig config "NCF-flow scale symmetry: c u(c^(L-2) tau) solves the flow from c u0 (invariant 7)" <|
            Prop.forAll (Arb.fromGen (Gen.zip (Arb.toGen flowCases) (Arb.toGen scaleFactor))) (fun (case, c) ->
                let ncfObjective = NeuralCorrelationFunction<float>(case.Network, case.Data)
                let u0 = case.WeightVector 0
                let u0 = Array.map (fun x -> x / Vec.norm u0) u0
                let l = float (Net.degree case.Network)
                let g = grad (ncf case.Network case.Data) u0
                let tau = 0.05 / (1.0 + Vec.norm g)
                let solve (start: float[]) t = (FlowSolver.Solve<float>(NcfFlowSystem<float>(ncfObjective), DormandPrince54(), 0.0, ReadOnlySpan start, t, options)).FinalState
                let a = solve u0 tau |> Array.map ((*) c)
                let b = solve (Array.map ((*) c) u0) (tau / c ** (l - 2.0))
                check "scale symmetry" (maxDifference a b <= 1e-8 * (maxAbs a + 1e-300)) $"{maxDifference a b} ({case}, c = {c})")

        testPropertyWithConfig config "the NCF never decreases along the NCF flow and the spherical NCF flow (invariant 8)" <|
            Prop.forAll flowCases (fun case ->
                let ncfObjective = NeuralCorrelationFunction<float>(case.Network, case.Data)
                let u0 = case.WeightVector 1
                let u0 = Array.map (fun x -> x / Vec.norm u0) u0
                let g = grad (ncf case.Network case.Data) u0
                let tau = 0.2 / (1.0 + Vec.norm g)
                let values (system: IOdeSystem<float>) =
                    let recorder = QuantityRecorder(ObservationGrid.Linear(0.0, tau, 50), [ FlowQuantity("N", fun u -> ncfObjective.Value(ReadOnlySpan u)) ])
                    FlowSolver.Solve<float>(system, DormandPrince54(), 0.0, ReadOnlySpan u0, tau, options, observers = [ recorder ]) |> ignore
                    recorder.Column "N"
                let nondecreasing (v: float[]) = v |> Array.pairwise |> Array.forall (fun (a, b) -> b >= a - 1e-11 * (abs a + 1e-12))
                check "NCF flow" (nondecreasing (values (NcfFlowSystem<float>(ncfObjective)))) $"{case}"
                && check "spherical flow" (nondecreasing (values (SphericalNcfFlowSystem<float>(ncfObjective)))) $"{case}")

        testPropertyWithConfig { config with maxTest = 10 } "balance at KKT points with N != 0: |in_j|^2 = p |out_j|^2 (invariant 10)" <|
            Prop.forAll (Arb.fromGen (networkCase |> Gen.map smooth)) (fun case ->
                let net, data = case.Network, case.Data
                let p = KktSearch.Best((fun () -> NeuralCorrelationFunction<float>(net, data) :> IObjective<float>), 2, case.Seed,
                                       SphericalAscentOptions(KktTolerance = 1e-11, MaxSteps = 20000))
                if not p.Converged || abs p.Value < 1e-8 then true
                else
                    let power = float net.Activation.Degree.Value
                    let u = p.Direction
                    let worst =
                        [ for l in 1 .. net.HiddenWidths.Count do
                            for j in 0 .. net.HiddenWidths.[l - 1] - 1 ->
                                let a = net.Layout.IncomingIndices(l, j) |> Array.sumBy (fun k -> u.[k] * u.[k])
                                let b = net.Layout.OutgoingIndices(l, j) |> Array.sumBy (fun k -> u.[k] * u.[k])
                                abs (a - power * b) ]
                        |> List.max
                    check "balance" (worst <= 1e-8) $"{worst} ({case})")

        test "small-init flow = NCF flow up to O(delta^L): the error ratio for delta and delta/2 is 2^L (invariant 9)" {
            for case, degree in [ { Kind = "two-layer"; InputDimension = 3; Widths = [ 4 ]; ActivationSpec = "relu-power:2"; SampleCount = 20; Seed = 5L }, 3
                                  { Kind = "two-layer"; InputDimension = 3; Widths = [ 4 ]; ActivationSpec = "relu-power:3"; SampleCount = 20; Seed = 6L }, 4 ] do
                let net, data = case.Network, case.Data
                let u0 = case.WeightVector 0
                let u0 = Array.map (fun x -> x / Vec.norm u0) u0
                let ncfObjective = NeuralCorrelationFunction<float>(net, data)
                // Up to ‖u‖ = 2 (or τ = 0.1): ‖u‖ = O(1), well before any blow-up.
                let stop = FlowEvent("norm 2", EventFunction(fun _ u -> Vec.norm (u.ToArray()) - 2.0), CrossingDirection.Rising, true)
                let s = FlowSolver.Solve<float>(NcfFlowSystem<float>(ncfObjective), DormandPrince54(), 0.0, ReadOnlySpan u0, 0.1, options, [ stop ])
                let tau, u = s.FinalTime, s.FinalState
                let error delta =
                    let f = loss net data
                    let t = tau / delta ** float (degree - 2)
                    let w = (FlowSolver.Solve<float>(GradientFlowSystem<float>(f.Objective), DormandPrince54(), 0.0, ReadOnlySpan(Array.map ((*) delta) u0), t, IntegrationOptions(RelativeTolerance = 1e-12, AbsoluteTolerance = 0.0))).FinalState
                    maxDifference (Array.map (fun x -> x / delta) w) u
                let e1, e2 = error 0.1, error 0.05
                let order = log (e1 / e2) / log 2.0
                Expect.isTrue (abs (order - float degree) < 0.3) $"L = {degree}: observed order {order:F2} (errors {e1:E2}, {e2:E2})"
        }
    ]
