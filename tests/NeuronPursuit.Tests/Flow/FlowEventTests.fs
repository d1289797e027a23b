// SPDX-License-Identifier: MIT
/// The built-in gradient-flow events (Flow/FlowEvents) on f(w) = (c/2)‖w‖², whose flow w(t) = w₀e^{−ct} gives every
/// crossing time in closed form: ‖w_S‖ = ‖w₀,S‖e^{−ct}, ℒ = (c/2)‖w₀‖²e^{−2ct}, ‖∇ℒ‖ = |c|‖w₀‖e^{−ct}.
module NeuronPursuit.Tests.Flow.FlowEventTests

open System
open Expecto
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Flow.Methods
open NeuronPursuit.Core.Objectives

/// f(w) = (c/2)‖w‖²: decay for c > 0, growth for c < 0.
type private Quadratic(c: float, dimension: int) =
    interface IObjective<float> with
        member _.Dimension = dimension
        member _.Value(w) =
            let mutable s = 0.0
            for x in w do s <- s + x * x
            0.5 * c * s
        member _.ValueAndGradient(w, gradient) =
            let mutable s = 0.0
            for i in 0 .. w.Length - 1 do
                s <- s + w.[i] * w.[i]
                gradient.[i] <- c * w.[i]
            0.5 * c * s

let private w0 = [| 3.0; 4.0; 12.0 |] // ‖w₀‖ = 13, ‖(w₀)₀,₁‖ = 5

let private firstEventTime (c: float) (events: FlowEvent list) (tEnd: float) =
    let f = Quadratic(c, w0.Length) :> IObjective<float>
    let options = IntegrationOptions(RelativeTolerance = 1e-12, AbsoluteTolerance = 0.0, EventTolerance = 1e-13)
    let s = FlowSolver.Solve<float>(GradientFlowSystem<float>(f), DormandPrince54(), 0.0, ReadOnlySpan w0, tEnd, options, List.toArray events)
    Expect.isGreaterThan s.Events.Count 0 "the event occurred"
    s.Events.[0]

let tests =
    testList "Built-in flow events" [
        test "NormCrosses: ‖w‖ rises through r at ln(r/‖w₀‖) (growth), to 1e-10" {
            let e = firstEventTime -1.0 [ FlowEvents.NormCrosses(130.0) ] 10.0
            Expect.floatClose { absolute = 1e-10; relative = 1e-10 } e.Time (log 10.0) "time"
            Expect.equal e.Name "norm = 130" "default name"
        }
        test "NormCrosses on a subset: ‖w_S‖ for S = {0, 1} falls through r at ln(‖w₀,S‖/r)" {
            let e = firstEventTime 1.0 [ FlowEvents.NormCrosses(0.5, CrossingDirection.Falling, indices = [| 0; 1 |], name = "subset") ] 10.0
            Expect.floatClose { absolute = 1e-10; relative = 1e-10 } e.Time (log 10.0) "time (5 → 0.5)"
            Expect.isFalse e.Rising "falling"
        }
        test "LossBelow: ℒ = 84.5e^{−2t} falls below 0.845 at ln(10)" {
            let f = Quadratic(1.0, w0.Length) :> IObjective<float>
            let e = firstEventTime 1.0 [ FlowEvents.LossBelow(f, 0.845) ] 10.0
            Expect.floatClose { absolute = 1e-10; relative = 1e-10 } e.Time (log 10.0) "time"
        }
        test "GradientNormBelow / Above: ‖∇ℒ‖ = 13e^{∓t} crosses 1.3e-7 / 1.3e3 at ln(1e8) / ln(100)" {
            let decay = Quadratic(1.0, w0.Length) :> IObjective<float>
            let below = firstEventTime 1.0 [ FlowEvents.GradientNormBelow(decay, 1.3e-7, terminal = true) ] 30.0
            Expect.floatClose { absolute = 1e-9; relative = 1e-10 } below.Time (log 1e8) "below"
            let growth = Quadratic(-1.0, w0.Length) :> IObjective<float>
            let above = firstEventTime -1.0 [ FlowEvents.GradientNormAbove(growth, 1.3e3, terminal = true) ] 30.0
            Expect.floatClose { absolute = 1e-10; relative = 1e-10 } above.Time (log 100.0) "above"
        }
        test "a level that is not positive is refused, naming the argument" {
            for bad in [ 0.0; -1.0; nan; infinity ] do
                try
                    FlowEvents.NormCrosses(bad) |> ignore
                    failtest $"accepted level {bad}"
                with :? ArgumentException as e -> Expect.stringStarts e.Message "level:" "names the argument"
        }
    ]
