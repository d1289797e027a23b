// SPDX-License-Identifier: MIT
/// The gradient-flow integrator: empirical orders of convergence on problems with known solutions
/// (diffrax-style), error proportional to the tolerance, double-double accuracy, events located to
/// 1e-10, Euler = gradient descent bit for bit, and the flow's own invariants along network flows.
module NeuronPursuit.Tests.Flow.FlowTests

open System
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Flow.Methods
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Tests.Generators

/// y′ = A y with A = [[−1, 0], [1, −2]], y(0) = (1, 0): y(t) = (e^{−t}, e^{−t} − e^{−2t}) = e^{tA} y(0).
type LinearSystem() =
    interface IOdeSystem<DoubleDouble> with
        member _.Dimension = 2
        member _.Evaluate(_t, y, dydt) =
            dydt.[0] <- -y.[0]
            dydt.[1] <- y.[0] - (y.[1] + y.[1])
    interface IJacobian<DoubleDouble> with
        member _.Jacobian(_t, _y, jacobian) =
            let entries = [| -1.0; 0.0; 1.0; -2.0 |]
            for k in 0 .. 3 do
                jacobian.[k] <- DoubleDouble(entries.[k]: float)
        member _.JacobianEvaluations = 0L

/// An autonomous stiff system: y₁′ = −y₁, y₂′ = −10⁴ y₂ + (10⁴ − 1) y₁, y(0) = (1, 2), with
/// y(t) = (e^{−t}, e^{−t} + e^{−10⁴ t}); eigenvalues −1 and −10⁴.
type StiffLinear() =
    let lambda = 1e4
    interface IOdeSystem<float> with
        member _.Dimension = 2
        member _.Evaluate(_t, y, dydt) =
            dydt.[0] <- -y.[0]
            dydt.[1] <- -lambda * y.[1] + (lambda - 1.0) * y.[0]
    interface IJacobian<float> with
        member _.Jacobian(_t, _y, jacobian) =
            jacobian.[0] <- -1.0
            jacobian.[1] <- 0.0
            jacobian.[2] <- lambda - 1.0
            jacobian.[3] <- -lambda
        member _.JacobianEvaluations = 0L

let private exactDD (t: DoubleDouble) =
    let e1 = DoubleDouble.Exp(-t)
    [| e1; e1 - e1 * e1 |]

/// Max relative error (in double) of a double-double state against the exact solution at t.
let private errorDD (t: DoubleDouble) (y: DoubleDouble[]) =
    let exact = exactDD t
    Array.map2 (fun (a: DoubleDouble) b -> double (DoubleDouble.Abs(a - b) / DoubleDouble.Abs b)) y exact |> Array.max

let private dd (x: float) = DoubleDouble.op_Implicit x

/// Fixed-step integration over [0, 1] with step h by the stepper directly; returns the max relative error
/// at the step ends and at the step midpoints (dense output).
let private fixedStepErrors (method: IRungeKuttaMethod) (steps: int) =
    let system = LinearSystem() :> IOdeSystem<DoubleDouble>
    let stepper = method.CreateStepper<DoubleDouble>(2)
    let h = DoubleDouble.One / dd (float steps)
    let mutable y = [| DoubleDouble.One; DoubleDouble.Zero |]
    let dydt = Array.zeroCreate 2
    system.Evaluate(DoubleDouble.Zero, ReadOnlySpan y, Span dydt)
    let yNew = Array.zeroCreate 2
    let dydtNew = Array.zeroCreate 2
    let error = Array.zeroCreate 2
    let middle = Array.zeroCreate 2
    let mutable endError = 0.0
    let mutable midError = 0.0
    for k in 0 .. steps - 1 do
        let t = dd (float k) * h
        stepper.Step(system, t, ReadOnlySpan y, ReadOnlySpan dydt, h, Span yNew, Span error, Span dydtNew)
        stepper.Interpolate(dd 0.5, Span middle)
        midError <- max midError (errorDD (t + h / dd 2.0) middle)
        endError <- max endError (errorDD (t + h) yNew)
        y <- Array.copy yNew
        Array.blit dydtNew 0 dydt 0 2
    endError, midError

/// Least-squares slope of log(error) against log(h).
let private slope (hs: float list) (errors: float list) =
    let xs = hs |> List.map log
    let ys = errors |> List.map log
    let mx = List.average xs
    let my = List.average ys
    List.map2 (fun x y -> (x - mx) * (y - my)) xs ys |> List.sum
    |> fun num -> num / (xs |> List.sumBy (fun x -> (x - mx) ** 2.0))

let private orderTest (method: IRungeKuttaMethod) (stepCounts: int list) (order: float) (denseOrder: float) =
    test $"{method.Name}: empirical order {order} at the step ends and {denseOrder} for the dense output" {
        let results = stepCounts |> List.map (fixedStepErrors method)
        let hs = stepCounts |> List.map (fun s -> 1.0 / float s)
        let endSlope = slope hs (results |> List.map fst)
        let midSlope = slope hs (results |> List.map snd)
        Expect.isLessThanOrEqual (abs (endSlope - order)) 0.3 $"slope of the global error {endSlope:f3}, errors %A{results |> List.map fst}"
        Expect.isLessThanOrEqual (abs (midSlope - denseOrder)) 0.3 $"slope of the dense-output error {midSlope:f3}, errors %A{results |> List.map snd}"
    }

/// The logistic equation y′ = y(1 − y), y(0) = 1/10: y(t) = 1/(1 + 9e^{−t}); nonlinear, so that the order
/// conditions beyond the linear ones are exercised.
type Logistic() =
    interface IOdeSystem<float> with
        member _.Dimension = 1
        member _.Evaluate(_t, y, dydt) = dydt.[0] <- y.[0] * (1.0 - y.[0])
    interface IJacobian<float> with
        member _.Jacobian(_t, y, jacobian) = jacobian.[0] <- 1.0 - 2.0 * y.[0]
        member _.JacobianEvaluations = 0L

/// The error at t = 2 of fixed steps 2/steps on the logistic equation, by the stepper directly.
let private logisticError (method: IRungeKuttaMethod) (steps: int) =
    let system = Logistic() :> IOdeSystem<float>
    let stepper = method.CreateStepper<float>(1)
    let h = 2.0 / float steps
    let y = [| 0.1 |]
    let dydt = [| 0.0 |]
    let yNew = [| 0.0 |]
    let error = [| 0.0 |]
    system.Evaluate(0.0, ReadOnlySpan y, Span dydt)
    for k in 0 .. steps - 1 do
        stepper.Step(system, float k * h, ReadOnlySpan y, ReadOnlySpan dydt, h, Span yNew, Span error, Span dydt)
        y.[0] <- yNew.[0]
    abs (y.[0] - 1.0 / (1.0 + 9.0 * exp -2.0))

let private solveLinear (method: IRungeKuttaMethod) (options: IntegrationOptions) (tEnd: float) =
    FlowSolver.Solve<DoubleDouble>(LinearSystem(), method, DoubleDouble.Zero, ReadOnlySpan [| DoubleDouble.One; DoubleDouble.Zero |], dd tEnd, options)

/// y′ = −y, y(0) = 1, crossing 1/2 at t = ln 2; the harmonic oscillator x″ = −x for several crossings.
type Decay() =
    interface IOdeSystem<float> with
        member _.Dimension = 1
        member _.Evaluate(_t, y, dydt) = dydt.[0] <- -y.[0]

type Oscillator() =
    interface IOdeSystem<float> with
        member _.Dimension = 2
        member _.Evaluate(_t, y, dydt) =
            dydt.[0] <- y.[1]
            dydt.[1] <- -y.[0]

/// A small two-layer ReLU² network flow from a moderate initialisation.
let private networkCase = { Kind = "two-layer"; InputDimension = 3; Widths = [ 4 ]; ActivationSpec = "relu-power:2"; SampleCount = 12; Seed = 9L }

/// Solves the stiff linear system on [0, 10] with a method and with dp5 under the same options; asserts the method
/// completes, is accurate to `accuracy` (relative, y₂(10) = e^{−10}) and takes `factor` times fewer steps than dp5.
let private expectFewerStepsOnStiffLinear (m: IRungeKuttaMethod) (options: IntegrationOptions) (accuracy: float) (factor: int64) =
    let solve m = FlowSolver.Solve<float>(StiffLinear(), m, 0.0, ReadOnlySpan [| 1.0; 2.0 |], 10.0, options)
    let candidate = solve m
    let explicit = solve (DormandPrince54())
    Expect.equal candidate.Status IntegrationStatus.Completed candidate.Message
    let exact = exp -10.0
    Expect.isLessThanOrEqual (abs (candidate.FinalState.[1] - exact) / exact) accuracy "accurate after the transient"
    Expect.isLessThan (candidate.Statistics.AcceptedSteps * factor) explicit.Statistics.AcceptedSteps
        $"steps: {m.Name} {candidate.Statistics.AcceptedSteps}, dp5 {explicit.Statistics.AcceptedSteps}"

let tests =
    testList "Gradient-flow integrator" [
        orderTest (ExplicitEuler()) [ 64; 128; 256; 512; 1024 ] 1.0 1.0
        orderTest (ClassicRungeKutta4()) [ 16; 32; 64; 128; 256 ] 4.0 3.0
        orderTest (DormandPrince54()) [ 16; 32; 64; 128; 256 ] 5.0 4.0
        orderTest (LinearlyImplicitEuler2()) [ 32; 64; 128; 256; 512 ] 2.0 2.0
        // The cubic Hermite dense output has a local error O(h⁴); on the first step y₂ ≈ t is O(h), so its relative
        // midpoint error is O(h³) and dominates: the measured dense order is 3.
        orderTest (Rodas4()) [ 8; 16; 32; 64; 128 ] 4.0 3.0

        test "rodas4: empirical order 4 on a nonlinear problem (the logistic equation)" {
            let stepCounts = [ 8; 16; 32; 64; 128 ]
            let errors = stepCounts |> List.map (logisticError (Rodas4()))
            let fitted = slope (stepCounts |> List.map (fun s -> 2.0 / float s)) errors
            Expect.isLessThanOrEqual (abs (fitted - 4.0)) 0.3 $"slope {fitted:f3}, errors %A{errors}"
        }

        test "lie2 is L-stable: on a stiff problem it needs a small fraction of dp5's steps" {
            // At rtol 1e-4, dp5 is held at its stability limit |hλ| ≈ 3.3 while lie2 takes accuracy-limited steps.
            expectFewerStepsOnStiffLinear (LinearlyImplicitEuler2()) (IntegrationOptions(RelativeTolerance = 1e-4, AbsoluteTolerance = 1e-8)) 1e-2 10L
        }

        test "lie2 with the Jacobian -Hessian from HVPs follows a network gradient flow like dop853" {
            let net = networkCase.Network
            let f = loss net networkCase.Data
            let w0 = networkCase.WeightVector 0
            let system = GradientFlowSystem<float>(f.Objective, f.Hessian.Value.Value)
            let stiff = FlowSolver.Solve<float>(system, LinearlyImplicitEuler2(), 0.0, ReadOnlySpan w0, 5.0, IntegrationOptions(RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-12))
            let reference = FlowSolver.Solve<float>(GradientFlowSystem<float>(f.Objective), Dop853(), 0.0, ReadOnlySpan w0, 5.0, IntegrationOptions(RelativeTolerance = 1e-12))
            Expect.equal stiff.Status IntegrationStatus.Completed stiff.Message
            expectClose 1e-6 (maxAbs reference.FinalState) stiff.FinalState reference.FinalState "final weights"
            Expect.isGreaterThan system.JacobianEvaluations 0L "the Jacobian was used"
        }

        test "rodas4 is L-stable: on a stiff problem it needs a small fraction of dp5's steps" {
            expectFewerStepsOnStiffLinear (Rodas4()) (IntegrationOptions(RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-10)) 1e-4 20L
        }

        test "rodas4 with the Jacobian -Hessian follows a network gradient flow like dop853" {
            let net = networkCase.Network
            let f = loss net networkCase.Data
            let w0 = networkCase.WeightVector 0
            let system = GradientFlowSystem<float>(f.Objective, f.Hessian.Value.Value)
            let stiff = FlowSolver.Solve<float>(system, Rodas4(), 0.0, ReadOnlySpan w0, 5.0, IntegrationOptions(RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-12))
            let reference = FlowSolver.Solve<float>(GradientFlowSystem<float>(f.Objective), Dop853(), 0.0, ReadOnlySpan w0, 5.0, IntegrationOptions(RelativeTolerance = 1e-12))
            Expect.equal stiff.Status IntegrationStatus.Completed stiff.Message
            expectClose 1e-7 (maxAbs reference.FinalState) stiff.FinalState reference.FinalState "final weights"
            // One Jacobian per accepted step (and the first): rejected steps reuse the Jacobian of their start point.
            Expect.isLessThanOrEqual system.JacobianEvaluations (stiff.Statistics.AcceptedSteps + 1L)
                $"Jacobians {system.JacobianEvaluations}, accepted {stiff.Statistics.AcceptedSteps}, rejected {stiff.Statistics.RejectedSteps}"
        }

        test "auto switches to rodas4 on a stiff system and needs a fraction of dp5's steps" {
            expectFewerStepsOnStiffLinear (AutoSwitching()) (IntegrationOptions(RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-10)) 1e-4 3L
        }

        test "auto never switches on a non-stiff system: it takes exactly dp5's steps" {
            let options = IntegrationOptions(RelativeTolerance = 1e-10, AbsoluteTolerance = 0.0)
            let auto = solveLinear (AutoSwitching()) options 3.0
            let dp5 = solveLinear (DormandPrince54()) options 3.0
            Expect.equal auto.Statistics dp5.Statistics "same steps and evaluations"
            Expect.isTrue (Array.forall2 (fun (a: DoubleDouble) b -> a = b) auto.FinalState dp5.FinalState) "same result"
        }

        test "lie2 on a system without a Jacobian fails with a clear message" {
            Expect.throwsT<NotSupportedException> (fun () ->
                FlowSolver.Solve<float>(Decay(), LinearlyImplicitEuler2(), 0.0, ReadOnlySpan [| 1.0 |], 1.0, IntegrationOptions()) |> ignore) "no Jacobian"
        }

        test "dp5: global error is roughly proportional to the tolerance" {
            let tolerances = [ 1e-6; 1e-8; 1e-10; 1e-12 ]
            let errors =
                tolerances |> List.map (fun rtol ->
                    let s = solveLinear (DormandPrince54()) (IntegrationOptions(RelativeTolerance = rtol, AbsoluteTolerance = 0.0)) 3.0
                    errorDD s.FinalTime s.FinalState)
            let fitted = slope tolerances errors
            Expect.isTrue (fitted > 0.7 && fitted < 1.2) $"error ∝ tol^{fitted:f2}; errors %A{errors}"
        }

        test "dp5 in double-double reaches relative error 1e-25" {
            let s = solveLinear (DormandPrince54()) (IntegrationOptions(RelativeTolerance = 1e-27, AbsoluteTolerance = 0.0, MaxSteps = 10_000_000)) 0.5
            Expect.equal s.Status IntegrationStatus.Completed s.Message
            let error = errorDD s.FinalTime s.FinalState
            Expect.isLessThanOrEqual error 1e-25 $"relative error {error:e2} after {s.Statistics.AcceptedSteps} steps"
        }

        test "dop853 through the adaptive driver reaches 1e-25 in double-double with far fewer steps than dp5" {
            let options = IntegrationOptions(RelativeTolerance = 1e-27, AbsoluteTolerance = 0.0, MaxSteps = 10_000_000)
            let high = solveLinear (Dop853()) options 0.5
            let low = solveLinear (DormandPrince54()) options 0.5
            Expect.equal high.Status IntegrationStatus.Completed high.Message
            let error = errorDD high.FinalTime high.FinalState
            Expect.isLessThanOrEqual error 1e-25 $"relative error {error:e2} after {high.Statistics.AcceptedSteps} steps"
            Expect.isLessThan (high.Statistics.Evaluations * 10L) low.Statistics.Evaluations
                $"evaluations: dop853 {high.Statistics.Evaluations}, dp5 {low.Statistics.Evaluations}"
        }

        test "an event is located to 1e-10: y = 1/2 at t = ln 2 for y′ = −y" {
            let ev = FlowEvent("half", EventFunction(fun _ y -> y.[0] - 0.5), CrossingDirection.Falling, true)
            let s = FlowSolver.Solve<float>(Decay(), DormandPrince54(), 0.0, ReadOnlySpan [| 1.0 |], 5.0, IntegrationOptions(RelativeTolerance = 1e-12), [ ev ])
            Expect.equal s.Status IntegrationStatus.TerminalEvent s.Message
            Expect.isLessThanOrEqual (abs (s.Events.[0].Time - log 2.0)) 1e-10 $"event time {s.Events.[0].Time:r}"
            Expect.isLessThanOrEqual (abs (s.FinalTime - log 2.0)) 1e-10 "the integration stops at the event"
            Expect.isLessThanOrEqual (abs (s.FinalState.[0] - 0.5)) 1e-10 "the final state is the state at the event"
        }

        test "several crossings within one step are all found, in time order" {
            // x = cos t crosses 1/2 at π/3, 5π/3, 7π/3, 11π/3; steps of up to 4 are allowed.
            let ev = FlowEvent("x = 1/2", EventFunction(fun _ y -> y.[0] - 0.5))
            let options = IntegrationOptions(RelativeTolerance = 1e-10, MaxStep = 4.0)
            let s = FlowSolver.Solve<float>(Oscillator(), DormandPrince54(), 0.0, ReadOnlySpan [| 1.0; 0.0 |], 12.5, options, [ ev ])
            let expected = [ Math.PI / 3.0; 5.0 * Math.PI / 3.0; 7.0 * Math.PI / 3.0; 11.0 * Math.PI / 3.0 ]
            Expect.equal s.Events.Count expected.Length $"events at %A{s.Events |> Seq.map (fun e -> e.Time) |> List.ofSeq}"
            for e, t in Seq.zip s.Events expected do
                Expect.isLessThanOrEqual (abs (e.Time - t)) 1e-8 $"crossing near {t}"
            Expect.isTrue (s.Events |> Seq.pairwise |> Seq.forall (fun (a, b) -> a.Time < b.Time)) "in time order"
            Expect.sequenceEqual (s.Events |> Seq.map (fun e -> e.Rising) |> List.ofSeq) [ false; true; false; true ] "directions"
        }

        test "explicit Euler on the gradient flow reproduces gradient descent bit for bit" {
            let f = loss networkCase.Network networkCase.Data
            let w0 = networkCase.WeightVector 0
            let eta = 0.01
            let mutable w = Array.copy w0
            for _ in 1 .. 200 do
                w <- Array.map2 (fun wi gi -> wi - eta * gi) w (grad f w)
            let s = FlowSolver.Solve<float>(GradientFlowSystem<float>(f.Objective), ExplicitEuler(), 0.0, ReadOnlySpan w0, 200.0 * eta, IntegrationOptions(FixedStep = Nullable eta))
            Expect.equal s.Statistics.AcceptedSteps 200L "200 steps"
            Expect.sequenceEqual s.FinalState w "identical iterates"
        }

        test "the loss never increases along an accurate flow" {
            let f = loss networkCase.Network networkCase.Data
            let recorder = QuantityRecorder(ObservationGrid.Linear(0.0, 20.0, 400), [ FlowQuantities.Loss(f.Objective) ])
            let s = FlowSolver.Solve<float>(GradientFlowSystem<float>(f.Objective), DormandPrince54(), 0.0, ReadOnlySpan(networkCase.WeightVector 0), 20.0,
                                            IntegrationOptions(RelativeTolerance = 1e-10), observers = [ recorder ])
            Expect.equal s.Status IntegrationStatus.Completed s.Message
            let losses = recorder.Column "loss"
            Expect.equal losses.Length 400 "every requested time observed"
            let increases = losses |> Array.pairwise |> Array.filter (fun (a, b) -> b > a + 1e-12 * abs a)
            Expect.isEmpty increases $"loss increases: %A{increases |> Array.truncate 3}"
            Expect.isLessThan losses.[losses.Length - 1] (0.9 * losses.[0]) "the loss decreases"
        }

        test "per-neuron conservation ‖a‖² − p‖b‖² holds to 1e-9 along a flow at rtol 1e-12" {
            let net = networkCase.Network
            let f = loss net networkCase.Data
            let p = float net.Activation.Degree.Value
            let quantities =
                [ for j in 0 .. 3 do
                    let a = net.Layout.IncomingIndices(1, j)
                    let b = net.Layout.OutgoingIndices(1, j)
                    yield FlowQuantity($"c{j}", fun w -> (a |> Array.sumBy (fun k -> w.[k] * w.[k])) - p * (b |> Array.sumBy (fun k -> w.[k] * w.[k]))) ]
            let recorder = QuantityRecorder(ObservationGrid.Linear(0.0, 20.0, 50), quantities)
            FlowSolver.Solve<float>(GradientFlowSystem<float>(f.Objective), DormandPrince54(), 0.0, ReadOnlySpan(networkCase.WeightVector 0), 20.0,
                                    IntegrationOptions(RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-14), observers = [ recorder ]) |> ignore
            for q in quantities do
                let c = recorder.Column q.Name
                let drift = c |> Array.map (fun x -> abs (x - c.[0])) |> Array.max
                Expect.isLessThanOrEqual drift 1e-9 $"{q.Name} drifts by {drift:e2}"
        }

        test "a fixed-step method without a step, t-end before t0 and a wrong y0 are rejected" {
            let f = loss networkCase.Network networkCase.Data
            let w0 = networkCase.WeightVector 0
            let system = GradientFlowSystem<float>(f.Objective)
            Expect.throwsT<ArgumentException> (fun () -> FlowSolver.Solve<float>(system, ExplicitEuler(), 0.0, ReadOnlySpan w0, 1.0, IntegrationOptions()) |> ignore) "no step"
            Expect.throwsT<ArgumentException> (fun () -> FlowSolver.Solve<float>(system, DormandPrince54(), 1.0, ReadOnlySpan w0, 0.0, IntegrationOptions()) |> ignore) "t-end < t0"
            Expect.throwsT<ArgumentException> (fun () -> FlowSolver.Solve<float>(system, DormandPrince54(), 0.0, ReadOnlySpan w0.[1..], 1.0, IntegrationOptions()) |> ignore) "wrong length"
            Expect.throwsT<ArgumentException> (fun () -> FlowSolver.Solve<float>(system, DormandPrince54(), 0.0, ReadOnlySpan w0, 1.0, IntegrationOptions(RelativeTolerance = -1.0)) |> ignore) "rtol"
        }

        test "logarithmic time gives the same solution, with observers and events in t" {
            let options = IntegrationOptions(RelativeTolerance = 1e-12, AbsoluteTolerance = 0.0)
            let logOptions = IntegrationOptions(RelativeTolerance = 1e-12, AbsoluteTolerance = 0.0, LogarithmicTimeScale = Nullable 0.1)
            let plain = solveLinear (DormandPrince54()) options 30.0
            let logarithmic = solveLinear (DormandPrince54()) logOptions 30.0
            Expect.equal logarithmic.Status IntegrationStatus.Completed logarithmic.Message
            Expect.equal (double logarithmic.FinalTime) 30.0 "final time in t"
            Expect.isLessThanOrEqual (errorDD logarithmic.FinalTime logarithmic.FinalState) 1e-9 "accurate in s as in t"
            Expect.isLessThan logarithmic.Statistics.AcceptedSteps plain.Statistics.AcceptedSteps "fewer steps over a long horizon of decay"
            let ev = FlowEvent("half", EventFunction(fun _ y -> y.[0] - 0.5), CrossingDirection.Falling, false)
            let recorder = QuantityRecorder([ 0.0; 1.0; 10.0 ], [ FlowQuantity("y", fun y -> y.[0]) ])
            let s = FlowSolver.Solve<float>(Decay(), DormandPrince54(), 0.0, ReadOnlySpan [| 1.0 |], 10.0, IntegrationOptions(RelativeTolerance = 1e-12, AbsoluteTolerance = 0.0, LogarithmicTimeScale = Nullable 1.0), [ ev ], [ recorder ])
            Expect.isLessThanOrEqual (abs (s.Events.[0].Time - log 2.0)) 1e-10 "event time in t"
            Expect.sequenceEqual (recorder.Column "t") [| 0.0; 1.0; 10.0 |] "observation times in t"
            for t, y in Array.zip (recorder.Column "t") (recorder.Column "y") do
                Expect.isLessThanOrEqual (abs (y - exp -t) / exp -t) 1e-9 $"y({t})"
        }

        test "escape from a small initialisation: delta·T_esc settles as delta shrinks (L = 3)" {
            // Two-layer ReLU² net (L = 3) on the built-in teacher data. Digest claim 6: δ^{L−2}·T_esc → τ*, the
            // blow-up time of the NCF flow, so δ·T_esc approaches a limit from below as δ → 0. (A ReLU net would have
            // a discontinuous gradient, where error-controlled steps stall; the digest prescribes Euler there.)
            let ex = Data.example "two-relu-teacher" 1L
            let net = Net.twoLayer 5 6 (Activation.reluPower 2)
            let f = loss net ex.Data
            let scaledEscape delta =
                let w0 = Weights.gaussian 3L delta net
                let s = Flow.solveWith (Flow.method "dp5") (Flow.relative 1e-8) [] [ Flow.escapeAt 0.3 ] f w0 (100.0 / delta)
                Expect.equal s.Status IntegrationStatus.TerminalEvent s.Message
                delta * s.Events.[0].Time
            let a, b, c = scaledEscape 1e-2, scaledEscape 1e-3, scaledEscape 1e-4
            Expect.isTrue (a < b && b < c) $"δ·T_esc increases towards its limit: {a:f4}, {b:f4}, {c:f4}"
            Expect.isLessThan ((c - b) / c) 0.02 $"δ·T_esc settles: {b:f4} → {c:f4}"
        }

        test "the step limit stops the integration with a clear status" {
            let s = FlowSolver.Solve<float>(Oscillator(), DormandPrince54(), 0.0, ReadOnlySpan [| 1.0; 0.0 |], 1000.0, IntegrationOptions(RelativeTolerance = 1e-12, MaxSteps = 50))
            Expect.equal s.Status IntegrationStatus.MaxStepsReached s.Message
            Expect.stringContains s.Message "50 steps" "message"
        }
    ]
