// SPDX-License-Identifier: MIT
/// Every registered method solves a problem's gradient flow through the F# surface (`Flow.solveWith (Flow.method
/// name)` on `Problem.loss`): the Hessian is wired where a method needs the Jacobian −∇²ℒ, and the result agrees
/// with a tight dop853 reference to what the method's order and step allow. A method that needs the Jacobian is
/// refused before anything is integrated when the function has no Hessian–vector product.
module NeuronPursuit.Tests.Flow.SurfaceMethodTests

open System
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Testing

/// Two-layer ReLU² network (L = 3) on 30 points of S², from its unit-norm w(0), up to t = 2.
let private problem = Problem.example "two-layer-relu2"
let private tEnd = 2.0

/// The reference: dop853 at rtol 1e-13.
let private reference =
    lazy (Flow.solveWith (Flow.method "dop853") (Flow.tolerances 1e-13 1e-15) [] [] (Problem.loss problem) (Problem.w0 problem) tEnd)

/// Step control for a method and the agreement with the reference it allows, relative to ‖w_ref‖∞. The vector field
/// −∇ℒ is only Lipschitz where a pre-activation crosses the kink of σ′ = 2 relu, so the methods lose order there:
/// an adaptive method at rtol (1e-10, or 1e-8 for an order-2 method, whose steps grow as rtol^(−1/3)) stays within
/// 1000·rtol (measured: 0.3 to 90·rtol); a fixed-step method with step h within h^min(p, 2) (measured: 0.17h for
/// Euler at h = 1e-3, 1.4e-6 for rk4 at h = 1e-2).
let private controlFor (m: IRungeKuttaMethod) =
    if m.EmbeddedOrder.HasValue then
        let rtol = if m.Order >= 4 then 1e-10 else 1e-8
        Flow.tolerances rtol 1e-12, 1000.0 * rtol
    else
        let h = if m.Order = 1 then 1e-3 else 1e-2
        Flow.fixedStep h, pown h (min m.Order 2)

/// An objective that counts its evaluations.
type private Counting(inner: IObjective<float>) =
    member val Evaluations = 0 with get, set

    interface IObjective<float> with
        member _.Dimension = inner.Dimension

        member this.Value(w) =
            this.Evaluations <- this.Evaluations + 1
            inner.Value w

        member this.ValueAndGradient(w, g) =
            this.Evaluations <- this.Evaluations + 1
            inner.ValueAndGradient(w, g)

/// The method integrates the gradient flow of the problem's loss to t-end and agrees with the reference.
let private solves (name: string) =
    test $"{name} integrates the gradient flow of a ReLU² problem's loss and agrees with dop853" {
        let m = Flow.method name
        let options, tolerance = controlFor m

        let s =
            Flow.solveWith m options [] [] (Problem.loss problem) (Problem.w0 problem) tEnd

        Expect.equal s.Status IntegrationStatus.Completed $"{name}: {s.Message}"
        Expect.equal s.FinalTime tEnd "reached t-end"
        let r = reference.Force()
        expectClose tolerance (maxAbs r.Final) s.Final r.Final $"{name}: w({tEnd}) against dop853 at rtol 1e-13"
        // The flow moved by far more than the tolerance: the agreement is not that of two copies of w(0).
        Expect.isGreaterThan (maxDifference r.Final (Problem.w0 problem)) (100.0 * tolerance * maxAbs r.Final) "w moved"
    }

let private refusedWithoutHessian =
    test "a method that needs the Jacobian is refused before integrating when the function has no Hessian" {
        let needing =
            Flow.methods
            |> List.map Flow.method
            |> List.filter (fun m -> m.RequiresJacobian)

        Expect.isNonEmpty needing "some registered methods need the Jacobian"

        for m in needing do
            let counting = Counting((Problem.loss problem).Objective)
            let f = objective "loss without its Hessian" counting

            let e =
                Expect.throwsC (fun () -> Flow.solveWith m Flow.defaults [] [] f (Problem.w0 problem) tEnd |> ignore) id

            Expect.isTrue (e :? ArgumentException) $"{m.Name}: an ArgumentException, got {e.GetType().Name}"
            Expect.stringStarts e.Message $"method: {m.Name} needs the Jacobian" $"{m.Name}: says why"
            Expect.isFalse (e.Message.Contains '\n') "one line"
            Expect.equal counting.Evaluations 0 $"{m.Name}: nothing was evaluated"
    }

let tests =
    testList "Every method through the F# surface" ([ for name in Flow.methods -> solves name ] @ [ refusedWithoutHessian ])
