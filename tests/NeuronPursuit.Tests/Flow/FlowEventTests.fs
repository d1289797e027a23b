// SPDX-License-Identifier: MIT
/// The built-in gradient-flow events (core Flow/FlowEvents, and the surface's Flow.escapeAt, normReaches,
/// blockNormReaches, lossBelow, gradientNormBelow) on f(w) = (c/2)‖w‖², whose flow w(t) = w₀e^{−ct} gives every
/// crossing time in closed form: ‖w_S‖ = ‖w₀,S‖e^{−ct}, ℒ = (c/2)‖w₀‖²e^{−2ct}, ‖∇ℒ‖ = |c|‖w₀‖e^{−ct}.
module NeuronPursuit.Tests.Flow.FlowEventTests

open System
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Flow
open NeuronPursuit.Tests.Support

let private w0 = [| 3.0; 4.0; 12.0 |] // ‖w₀‖ = 13, ‖(w₀)₀,₁‖ = 5

/// (c/2)‖w‖² as a surface function.
let private quadratic (c: float) =
    objective $"({c}/2)|w|^2" (TestProblems.quadratic c w0.Length)

let private firstEvent (c: float) (events: FlowEvent list) (tEnd: float) =
    let options =
        IntegrationOptions(RelativeTolerance = 1e-12, AbsoluteTolerance = 0.0, EventTolerance = 1e-13)

    let s = Flow.solveWith Flow.dp5 options [] events (quadratic c) w0 tEnd
    Expect.isNonEmpty s.Events "the event occurred"
    s.Events.Head

let private close = { absolute = 1e-10; relative = 1e-10 }

let tests =
    testList "Built-in flow events" [
        test "NormCrosses: ‖w‖ rises through r at ln(r/‖w₀‖) (growth), to 1e-10; so do escapeAt and normReaches" {
            let e = firstEvent -1.0 [ FlowEvents.NormCrosses(130.0) ] 10.0
            Expect.floatClose close e.Time (log 10.0) "time"
            Expect.equal e.Name "norm = 130" "default name"
            let escape = firstEvent -1.0 [ Flow.escapeAt 130.0 ] 10.0
            Expect.equal (escape.Name, escape.Time) ("escape", e.Time) "Flow.escapeAt: the same crossing, named escape"
            let named = firstEvent -1.0 [ Flow.normReaches "big" false 130.0 ] 10.0
            Expect.equal (named.Name, named.Time, named.Rising) ("big", e.Time, true) "Flow.normReaches: named, rising"
        }
        test "NormCrosses on a subset: ‖w_S‖ for S = {0, 1} falls through r at ln(‖w₀,S‖/r)" {
            let e =
                firstEvent 1.0 [ FlowEvents.NormCrosses(0.5, CrossingDirection.Falling, indices = [| 0; 1 |], name = "subset") ] 10.0

            Expect.floatClose close e.Time (log 10.0) "time (5 → 0.5)"
            Expect.isFalse e.Rising "falling"
        }
        test "blockNormReaches: ‖w_S‖ for S = {0, 1} rises through 50 at ln 10, before ‖w‖ does (13 → 50 at ln(50/13))" {
            let block =
                firstEvent -1.0 [ Flow.blockNormReaches "block" true [| 0; 1 |] 50.0 ] 10.0

            Expect.floatClose close block.Time (log 10.0) "block time (5 → 50)"
            let whole = firstEvent -1.0 [ Flow.normReaches "whole" true 50.0 ] 10.0
            Expect.floatClose close whole.Time (log (50.0 / 13.0)) "whole norm (13 → 50)"
        }
        test "LossBelow: ℒ = 84.5e^{−2t} falls below 0.845 at ln(10)" {
            let e = firstEvent 1.0 [ Flow.lossBelow (quadratic 1.0) 0.845 ] 10.0
            Expect.floatClose close e.Time (log 10.0) "time"
        }
        test "GradientNormBelow / Above: ‖∇ℒ‖ = 13e^{∓t} crosses 1.3e-7 / 1.3e3 at ln(1e8) / ln(100)" {
            let below =
                firstEvent 1.0 [ Flow.gradientNormBelow true (quadratic 1.0) 1.3e-7 ] 30.0

            Expect.floatClose { absolute = 1e-9; relative = 1e-10 } below.Time (log 1e8) "below"

            let above =
                firstEvent -1.0 [ FlowEvents.GradientNormAbove((quadratic -1.0).Objective, 1.3e3, terminal = true) ] 30.0

            Expect.floatClose close above.Time (log 100.0) "above"
        }
        test "a level that is not positive is refused, naming the argument" {
            for bad in [ 0.0; -1.0; nan; infinity ] do
                try
                    Flow.escapeAt bad |> ignore
                    failtest $"accepted level {bad}"
                with :? ArgumentException as e ->
                    Expect.stringStarts e.Message "level:" "names the argument"
        }
    ]
