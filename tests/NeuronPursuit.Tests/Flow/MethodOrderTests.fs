// SPDX-License-Identifier: MIT
/// One order test over every registered method (diffrax's test_ode_order): on y′ = Ay with a known solution, in
/// double-double so that round-off stays far below the truncation errors, the empirical order of the solution must
/// be the method's declared order and that of its dense output at least min(order, dense-output order + 1), the
/// global error at a step's midpoint being the error carried from the step's start, O(hᵖ), plus the interpolant's
/// local error, O(h^{p*+1}). A method added to the registry is covered the day it is added.
module NeuronPursuit.Tests.Flow.MethodOrderTests

open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Flow
open NeuronPursuit.Tests.Support
open NeuronPursuit.Tests.Support.TestProblems

/// Step counts 2ᵏ … 2ᵏ⁺⁴ over [0, 1] for a method of order p, k = max(3, 7 − p): small enough steps to be in the
/// asymptotic regime, large enough that an order-8 method's error (about h⁸ ≥ 1e-17) stays far above round-off.
let private stepCounts (order: int) =
    let k = max 3 (7 - order)
    [ for j in k .. k + 4 -> pown 2 j ]

let private orderTest (m: IRungeKuttaMethod) =
    let denseOrder = min m.Order (m.DenseOutputOrder + 1)

    test $"{m.Name}: solution of order {m.Order} (±0.3), dense output of order at least {denseOrder} (-0.3)" {
        let steps = stepCounts m.Order
        let hs = steps |> List.map (fun n -> 1.0 / float n)
        let runs = steps |> List.map (integrate m linear 1.0)
        ConvergenceOrder.expectOrder $"{m.Name}: global error at t = 1" (float m.Order) 0.3 hs (runs |> List.map (fun r -> r.FinalError))

        ConvergenceOrder.expectOrderAtLeast
            $"{m.Name}: global error of the dense output at the step midpoints"
            (float denseOrder - 0.3)
            hs
            (runs |> List.map (fun r -> r.MidpointError))
    }

let tests =
    testList "Declared order of every registered method" [ for name in Flow.methods -> orderTest (Flow.method name) ]
