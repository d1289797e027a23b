// SPDX-License-Identifier: MIT
/// The gradient-flow integrator, method by method where a method has something of its own to show: stiffness and
/// L-stability of lie2, rodas4 and auto, rodas4's order on a nonlinear problem, the error proportional to the
/// tolerance, double-double accuracy, events located to 1e-10, Euler = gradient descent bit for bit, logarithmic
/// time, and the flow's own invariants along a network flow. The orders of all methods: MethodOrderTests.
module NeuronPursuit.Tests.Flow.FlowTests

open System
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Problems
open NeuronPursuit.Testing
open NeuronPursuit.Tests.Support
open NeuronPursuit.Tests.Support.TestProblems

/// Integrates a test problem from t = 0 to t_end through the surface.
let private solveProblem (name: string) (options: IntegrationOptions) (events: FlowEvent list) (problem: OdeProblem<'T>) (tEnd: float) =
    Flow.solveSystem (Flow.method name) options [] events problem.System 0.0 problem.Initial tEnd

/// The relative error of a result against the problem's exact solution at its final time.
let private errorOf (problem: OdeProblem<'T>) (s: FlowResult<'T>) =
    relativeError s.Final (problem.Exact s.FinalTime)

/// A small two-layer ReLU² network flow from a moderate initialisation.
let private networkCase =
    { Kind = NetworkKind.TwoLayer
      InputDimension = 3
      Widths = [ 4 ]
      ActivationSpec = "relu-power:2"
      SampleCount = 12
      Seed = 9L }

/// Solves the stiff linear system on [0, 10] with a method and with dp5 under the same options; asserts the method
/// completes, is accurate to `accuracy` (relative, y₂(10) ≈ e^{−10}) and takes `factor` times fewer steps than dp5.
let private expectFewerStepsOnStiffLinear (name: string) (options: IntegrationOptions) (accuracy: float) (factor: int64) =
    let candidate = solveProblem name options [] stiffLinear 10.0
    let explicit = solveProblem "dp5" options [] stiffLinear 10.0
    Expect.equal candidate.Status IntegrationStatus.Completed candidate.Message
    let exact = (stiffLinear.Exact 10.0).[1]
    Expect.isLessThanOrEqual (abs (candidate.Final.[1] - exact) / exact) accuracy "accurate after the transient"

    Expect.isLessThan
        (candidate.Statistics.AcceptedSteps * factor)
        explicit.Statistics.AcceptedSteps
        $"steps: {name} {candidate.Statistics.AcceptedSteps}, dp5 {explicit.Statistics.AcceptedSteps}"

/// Integrates the network flow to t = 5 with a stiff method (the Jacobian −∇²ℒ from HVPs) at rtol 1e-9 and with dop853
/// at rtol 1e-12; returns the system (to count its Jacobians), the stiff result and the reference.
let private stiffNetworkFlow (name: string) =
    let f = Problem.loss networkCase.Problem
    let w0 = networkCase.WeightVector 0
    let m = Flow.method name
    let system = Flow.system m f
    let stiff = Flow.solveSystem m (Flow.tolerances 1e-9 1e-12) [] [] system 0.0 w0 5.0

    let reference =
        Flow.solveWith (Flow.method "dop853") (Flow.tolerances 1e-12 1e-12) [] [] f w0 5.0

    Expect.equal stiff.Status IntegrationStatus.Completed stiff.Message
    system, stiff, reference

let tests =
    testList "Gradient-flow integrator" [
        test "rodas4: empirical order 4 on a nonlinear problem (the logistic equation)" {
            let stepCounts = [ 8; 16; 32; 64; 128 ]
            let rodas4 = Flow.method "rodas4"

            let errors =
                stepCounts
                |> List.map (fun steps -> (integrate rodas4 logistic 2.0 steps).FinalError)

            ConvergenceOrder.expectOrder "global error at t = 2" 4.0 0.3 (stepCounts |> List.map (fun s -> 2.0 / float s)) errors
        }

        test "lie2 is L-stable: on a stiff problem it needs a small fraction of dp5's steps" {
            // At rtol 1e-4, dp5 is held at its stability limit |hλ| ≈ 3.3 while lie2 takes accuracy-limited steps.
            expectFewerStepsOnStiffLinear "lie2" (Flow.tolerances 1e-4 1e-8) 1e-2 10L
        }

        test "lie2 with the Jacobian -Hessian from HVPs follows a network gradient flow like dop853" {
            let system, stiff, reference = stiffNetworkFlow "lie2"
            expectClose 1e-6 (maxAbs reference.Final) stiff.Final reference.Final "final weights"
            Expect.isGreaterThan system.JacobianEvaluations 0L "the Jacobian was used"
        }

        test "rodas4 is L-stable: on a stiff problem it needs a small fraction of dp5's steps" {
            expectFewerStepsOnStiffLinear "rodas4" (Flow.tolerances 1e-6 1e-10) 1e-4 20L
        }

        test "rodas4 with the Jacobian -Hessian follows a network gradient flow like dop853" {
            let system, stiff, reference = stiffNetworkFlow "rodas4"
            expectClose 1e-7 (maxAbs reference.Final) stiff.Final reference.Final "final weights"
            // One Jacobian per accepted step (and the first): rejected steps reuse the Jacobian of their start point.
            Expect.isLessThanOrEqual
                system.JacobianEvaluations
                (stiff.Statistics.AcceptedSteps + 1L)
                $"Jacobians {system.JacobianEvaluations}, accepted {stiff.Statistics.AcceptedSteps}, rejected {stiff.Statistics.RejectedSteps}"
        }

        test "auto switches to radau5 on a stiff system and needs a fraction of dp5's steps" {
            expectFewerStepsOnStiffLinear "auto" (Flow.tolerances 1e-6 1e-10) 1e-4 3L
        }

        test "radau5 follows a ReLU² network flow across the kinks of its Jacobian at a tight tolerance" {
            // ReLU² makes f = −∇ℒ C¹ but not C²: the simplified Newton iteration across a kink can stall at a level
            // set by the jump; accepted once it is far below the tolerance, the steps do not collapse.
            let f = Problem.loss networkCase.Problem
            let w0 = networkCase.WeightVector 0
            let m = Flow.method "radau5"

            let stiff =
                Flow.solveSystem m (Flow.tolerances 1e-11 1e-14) [] [] (Flow.system m f) 0.0 w0 20.0

            let reference =
                Flow.solveWith (Flow.method "dop853") (Flow.tolerances 1e-13 1e-14) [] [] f w0 20.0

            Expect.equal stiff.Status IntegrationStatus.Completed stiff.Message
            expectClose 1e-8 (maxAbs reference.Final) stiff.Final reference.Final "final weights"

            Expect.isLessThanOrEqual
                (stiff.Statistics.RejectedSteps * 4L)
                stiff.Statistics.AcceptedSteps
                $"accepted {stiff.Statistics.AcceptedSteps}, rejected {stiff.Statistics.RejectedSteps}"
        }

        test "radau5 evaluating its third stage on a replica of the flow gives the original's bits, on one thread and on two" {
            // n = 100, d = 5, m = 40: one evaluation is 6nP ≈ 1.4·10⁵ flop, above the bound from which the stages are
            // shared; the same flow behind a system that cannot replicate itself evaluates every stage on the original.
            let case =
                { networkCase with
                    InputDimension = 5
                    Widths = [ 40 ]
                    SampleCount = 100 }

            let f = Problem.loss case.Problem
            let w0 = case.WeightVector 0
            let m = Flow.method "radau5"

            let solve system =
                Flow.solveSystem m (Flow.tolerances 1e-8 1e-14) [] [] system 0.0 w0 5.0

            let replicable = Flow.system m f

            Expect.isGreaterThanOrEqual
                ((replicable :> IReplicableSystem<float>).EvaluationWork)
                1e5
                "an evaluation is costly enough to share the stages"

            Expect.isNotNull ((replicable :> IReplicableSystem<float>).CreateReplica()) "the flow makes a replica"

            let original = Flow.system m f

            let unreplicable =
                { new IOdeSystem<float> with
                    member _.Dimension = original.Dimension
                    member _.Evaluate(t, y, dydt) = original.Evaluate(t, y, dydt)
                  interface IJacobian<float> with
                      member _.Jacobian(t, y, jacobian) = original.Jacobian(t, y, jacobian)
                      member _.JacobianEvaluations = original.JacobianEvaluations
                  interface ISymmetricJacobianProduct with
                      member _.HasJacobianProduct = original.HasJacobianProduct

                      member _.JacobianProducts(y, vectors, count, leading, products) =
                          original.JacobianProducts(y, vectors, count, leading, products) }

            let reference = solve unreplicable
            Expect.equal reference.Status IntegrationStatus.Completed reference.Message
            let twoThreads = solve replicable

            let oneThread =
                use _ = TwoWaySplit.SequentialScope()
                solve (Flow.system m f)

            for name, s in [ "two threads", twoThreads; "one thread", oneThread ] do
                Expect.equal s.Statistics reference.Statistics $"{name}: steps and evaluations"
                Expect.sequenceEqual s.Final reference.Final $"{name}: final weights bit for bit"
        }

        test "auto costs at most 1.2 times the cheaper of dp5 and radau5 at a tight tolerance on stiff flows" {
            // At rtol 1e-12 dp5's error estimate on the stiff components holds its step well inside its stability
            // interval (hρ below 2.5), where a detection of the stability boundary alone never fires: the old rule
            // stayed explicit and took 5–7 times radau5's evaluations (112 k against 20.7 k, 117 k against 72 k).
            let evaluations name system initial tEnd =
                let s =
                    Flow.solveSystem (Flow.method name) (Flow.tolerances 1e-12 1e-14) [] [] system 0.0 initial tEnd

                Expect.equal s.Status IntegrationStatus.Completed s.Message
                s.Statistics.Evaluations

            let f = Problem.loss networkCase.Problem
            let network = Flow.system (Flow.method "auto") f

            for label, system, initial, tEnd in
                [ "stiff linear", stiffLinear.System, stiffLinear.Initial, 10.0
                  "ReLU² network flow", network, networkCase.WeightVector 0, 40.0 ] do
                let auto = evaluations "auto" system initial tEnd

                let cheaper =
                    min (evaluations "dp5" system initial tEnd) (evaluations "radau5" system initial tEnd)

                Expect.isLessThanOrEqual (float auto) (1.2 * float cheaper) $"{label}: auto {auto}, cheaper {cheaper}"
        }

        test "auto never switches on a non-stiff system: it takes exactly dp5's steps" {
            let auto = solveProblem "auto" (Flow.relative 1e-10) [] linear 3.0
            let dp5 = solveProblem "dp5" (Flow.relative 1e-10) [] linear 3.0
            Expect.equal auto.Statistics dp5.Statistics "same steps and evaluations"
            Expect.isTrue (Array.forall2 (fun (a: DD) b -> a = b) auto.Final dp5.Final) "same result"
        }

        test "a method that needs the Jacobian is refused before integrating on a system without one" {
            for m in
                Flow.methods
                |> List.map Flow.method
                |> List.filter (fun m -> m.RequiresJacobian) do
                let evaluations = ref 0

                let counting =
                    { new IOdeSystem<float> with
                        member _.Dimension = 1

                        member _.Evaluate(t, y, dydt) =
                            evaluations.Value <- evaluations.Value + 1
                            (withoutJacobian decay).System.Evaluate(t, y, dydt) }

                let e =
                    Expect.throwsC (fun () -> Flow.solveSystem m Flow.defaults [] [] counting 0.0 [| 1.0 |] 1.0 |> ignore) id

                Expect.stringStarts e.Message $"method: {m.Name} needs the Jacobian" $"{m.Name}: one line saying why"
                Expect.isFalse (e.Message.Contains '\n') "one line"
                Expect.equal evaluations.Value 0 $"{m.Name}: nothing was evaluated"
        }

        test "dp5: global error is roughly proportional to the tolerance" {
            let tolerances = [ 1e-6; 1e-8; 1e-10; 1e-12 ]

            let errors =
                tolerances
                |> List.map (fun rtol -> errorOf linear (solveProblem "dp5" (Flow.relative rtol) [] linear 3.0))

            let fitted = ConvergenceOrder.slope tolerances errors
            Expect.isTrue (fitted > 0.7 && fitted < 1.2) $"error ∝ tol^{fitted:f2}; errors %A{errors}"
        }

        test "dp5 in double-double reaches relative error 1e-25" {
            let s =
                solveProblem "dp5" (Flow.relative 1e-27 |> Flow.maxSteps 10_000_000L) [] linear 0.5

            Expect.equal s.Status IntegrationStatus.Completed s.Message
            let error = errorOf linear s
            Expect.isLessThanOrEqual error 1e-25 $"relative error {error:e2} after {s.Statistics.AcceptedSteps} steps"
        }

        test "dop853 through the adaptive driver reaches 1e-25 in double-double with far fewer steps than dp5" {
            let options = Flow.relative 1e-27 |> Flow.maxSteps 10_000_000L
            let high = solveProblem "dop853" options [] linear 0.5
            let low = solveProblem "dp5" options [] linear 0.5
            Expect.equal high.Status IntegrationStatus.Completed high.Message
            let error = errorOf linear high
            Expect.isLessThanOrEqual error 1e-25 $"relative error {error:e2} after {high.Statistics.AcceptedSteps} steps"

            Expect.isLessThan
                (high.Statistics.Evaluations * 10L)
                low.Statistics.Evaluations
                $"evaluations: dop853 {high.Statistics.Evaluations}, dp5 {low.Statistics.Evaluations}"
        }

        test "an event is located to 1e-10: y = 1/2 at t = ln 2 for y′ = −y" {
            let ev =
                FlowEvent("half", EventFunction(fun _ y -> y.[0] - 0.5), CrossingDirection.Falling, true)

            let s = solveProblem "dp5" (Flow.tolerances 1e-12 1e-12) [ ev ] decay 5.0
            Expect.equal s.Status IntegrationStatus.TerminalEvent s.Message
            Expect.isLessThanOrEqual (abs (s.Events.Head.Time - log 2.0)) 1e-10 $"event time {s.Events.Head.Time:r}"
            Expect.isLessThanOrEqual (abs (s.FinalTime - log 2.0)) 1e-10 "the integration stops at the event"
            Expect.isLessThanOrEqual (abs (s.Final.[0] - 0.5)) 1e-10 "the final state is the state at the event"
        }

        test "several crossings within one step are all found, in time order" {
            // x = cos t crosses 1/2 at π/3, 5π/3, 7π/3, 11π/3; steps of up to 4 are allowed.
            let ev = FlowEvent("x = 1/2", EventFunction(fun _ y -> y.[0] - 0.5))

            let s =
                solveProblem "dp5" (Flow.tolerances 1e-10 1e-12 |> Flow.maxStep 4.0) [ ev ] oscillator 12.5

            let expected =
                [ Math.PI / 3.0
                  5.0 * Math.PI / 3.0
                  7.0 * Math.PI / 3.0
                  11.0 * Math.PI / 3.0 ]

            Expect.equal s.Events.Length expected.Length $"events at %A{s.Events |> List.map (fun e -> e.Time)}"

            for e, t in List.zip s.Events expected do
                Expect.isLessThanOrEqual (abs (e.Time - t)) 1e-8 $"crossing near {t}"

            Expect.isTrue (s.Events |> List.pairwise |> List.forall (fun (a, b) -> a.Time < b.Time)) "in time order"
            Expect.sequenceEqual (s.Events |> List.map (fun e -> e.Rising)) [ false; true; false; true ] "directions"
        }

        test "explicit Euler on the gradient flow reproduces gradient descent bit for bit" {
            let f = Problem.loss networkCase.Problem
            let w0 = networkCase.WeightVector 0
            let eta = 0.01
            let mutable w = Array.copy w0

            for _ in 1..200 do
                w <- Array.map2 (fun wi gi -> wi - eta * gi) w (grad f w)

            let s =
                Flow.solveWith (Flow.method "euler") (Flow.fixedStep eta) [] [] f w0 (200.0 * eta)

            Expect.equal s.Statistics.AcceptedSteps 200L "200 steps"
            Expect.sequenceEqual s.Final w "identical iterates"
        }

        test "the loss never increases along an accurate flow" {
            let f = Problem.loss networkCase.Problem
            let recorder = Flow.recorder (Flow.linearGrid 0.0 20.0 400) [ Flow.lossQuantity f ]

            let s =
                Flow.solveWith Flow.dp5 (Flow.tolerances 1e-10 1e-12) [ recorder ] [] f (networkCase.WeightVector 0) 20.0

            Expect.equal s.Status IntegrationStatus.Completed s.Message
            let losses = recorder.Column "loss"
            Expect.equal losses.Length 400 "every requested time observed"

            let increases =
                losses |> Array.pairwise |> Array.filter (fun (a, b) -> b > a + 1e-12 * abs a)

            Expect.isEmpty increases $"loss increases: %A{increases |> Array.truncate 3}"
            Expect.isLessThan losses.[losses.Length - 1] (0.9 * losses.[0]) "the loss decreases"
        }

        test "per-neuron conservation ‖a‖² − p‖b‖² holds to 1e-9 along a flow at rtol 1e-12" {
            let net = networkCase.Network
            let f = Problem.loss networkCase.Problem
            let p = float (Shapes.power networkCase.ActivationSpec)

            let quantities =
                [ for j in 0..3 do
                      let a = net.Layout.IncomingIndices(1, j)
                      let b = net.Layout.OutgoingIndices(1, j)

                      yield
                          Flow.quantity $"c{j}" (fun w ->
                              (a |> Array.sumBy (fun k -> w.[k] * w.[k]))
                              - p * (b |> Array.sumBy (fun k -> w.[k] * w.[k]))) ]

            let recorder = Flow.recorder (Flow.linearGrid 0.0 20.0 50) quantities

            Flow.solveWith Flow.dp5 (Flow.tolerances 1e-12 1e-14) [ recorder ] [] f (networkCase.WeightVector 0) 20.0
            |> ignore

            for q in quantities do
                let c = recorder.Column q.Name
                let drift = c |> Array.map (fun x -> abs (x - c.[0])) |> Array.max
                Expect.isLessThanOrEqual drift 1e-9 $"{q.Name} drifts by {drift:e2}"
        }

        test "a fixed-step method without a step, t-end before t0, a wrong y0 and a negative rtol are rejected" {
            let f = Problem.loss networkCase.Problem
            let w0 = networkCase.WeightVector 0
            let system = Flow.system Flow.dp5 f
            Expect.throwsT<ArgumentException> (fun () -> Flow.solveWith (Flow.method "euler") Flow.defaults [] [] f w0 1.0 |> ignore) "no step"
            Expect.throwsT<ArgumentException> (fun () -> Flow.solveSystem Flow.dp5 Flow.defaults [] [] system 1.0 w0 0.0 |> ignore) "t-end < t0"
            Expect.throwsT<ArgumentException> (fun () -> Flow.solveWith Flow.dp5 Flow.defaults [] [] f w0.[1..] 1.0 |> ignore) "wrong length"
            Expect.throwsT<ArgumentException> (fun () -> Flow.solveWith Flow.dp5 (Flow.tolerances -1.0 1e-12) [] [] f w0 1.0 |> ignore) "rtol"
        }

        test "logarithmic time gives the same solution, with observers and events in t" {
            let options = Flow.relative 1e-12
            let plain = solveProblem "dp5" options [] linear 30.0

            let logarithmic =
                solveProblem
                    "dp5"
                    (IntegrationOptions(RelativeTolerance = 1e-12, AbsoluteTolerance = 0.0, LogarithmicTimeScale = Nullable 0.1))
                    []
                    linear
                    30.0

            Expect.equal logarithmic.Status IntegrationStatus.Completed logarithmic.Message
            Expect.equal logarithmic.FinalTime 30.0 "final time in t"
            Expect.isLessThanOrEqual (errorOf linear logarithmic) 1e-9 "accurate in s as in t"
            Expect.isLessThan logarithmic.Statistics.AcceptedSteps plain.Statistics.AcceptedSteps "fewer steps over a long horizon of decay"

            let ev =
                FlowEvent("half", EventFunction(fun _ y -> y.[0] - 0.5), CrossingDirection.Falling, false)

            let recorder =
                Flow.recorder [ 0.0; 1.0; 10.0 ] [ Flow.quantity "y" (fun y -> y.[0]) ]

            let logTime =
                IntegrationOptions(RelativeTolerance = 1e-12, AbsoluteTolerance = 0.0, LogarithmicTimeScale = Nullable 1.0)

            let s =
                Flow.solveSystem Flow.dp5 logTime [ recorder ] [ ev ] decay.System 0.0 decay.Initial 10.0

            Expect.isLessThanOrEqual (abs (s.Events.Head.Time - log 2.0)) 1e-10 "event time in t"
            Expect.sequenceEqual (recorder.Column "t") [| 0.0; 1.0; 10.0 |] "observation times in t"

            for t, y in Array.zip (recorder.Column "t") (recorder.Column "y") do
                Expect.isLessThanOrEqual (abs (y - exp -t) / exp -t) 1e-9 $"y({t})"
        }

        test "escape from a small initialisation: delta·T_esc settles as delta shrinks (L = 3)" {
            // Two-layer ReLU² net (L = 3) on the built-in teacher data: δ^{L−2}·T_esc → τ*, the blow-up time of the NCF
            // flow (arXiv 2403.08121; docs/claims.md #6), so δ·T_esc approaches a limit from below as δ → 0. (A ReLU net
            // would have a discontinuous gradient, where error-controlled steps stall.)
            let teacher = Problem.example "two-relu-teacher"
            let net = Net.twoLayer 5 6 (Activation.reluPower 2)
            let f = Problem.loss (Problem.withNetwork net teacher)

            let scaledEscape delta =
                let w0 = Weights.gaussian 3L delta net

                let s =
                    Flow.solveWith Flow.dp5 (Flow.relative 1e-8) [] [ Flow.escapeAt 0.3 ] f w0 (100.0 / delta)

                Expect.equal s.Status IntegrationStatus.TerminalEvent s.Message
                delta * s.Events.Head.Time

            let a, b, c = scaledEscape 1e-2, scaledEscape 1e-3, scaledEscape 1e-4
            Expect.isTrue (a < b && b < c) $"δ·T_esc increases towards its limit: {a:f4}, {b:f4}, {c:f4}"
            Expect.isLessThan ((c - b) / c) 0.02 $"δ·T_esc settles: {b:f4} → {c:f4}"
        }

        test "the step limit stops the integration with a clear status" {
            let s =
                solveProblem "dp5" (Flow.tolerances 1e-12 1e-12 |> Flow.maxSteps 50L) [] oscillator 1000.0

            Expect.equal s.Status IntegrationStatus.MaxStepsReached s.Message
            Expect.stringContains s.Message "50 steps" "message"
        }
    ]
