// SPDX-License-Identifier: MIT
/// The explicit Runge–Kutta step in double-double runs its stage sums as vector updates y ← y + a·x; these tests
/// check that every element still gets the bits of the tableau's formulas evaluated with the scalar operators:
/// s = ((0 + a_i1·k_1) + a_i2·k_2) + …, then y + h·s.
module NeuronPursuit.Tests.Flow.ExplicitStepBitsTests

open System
open Expecto
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Flow.Methods
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Tests.Support.TestProblems

/// Dimension 37: full 512-bit and 256-bit blocks of double-doubles and a scalar remainder.
let private dimension = 37

/// A nonlinear, non-autonomous system whose components all differ: f_k(t, y) = y_{k+1}·y_k − t·(k + 1)/37.
type private CoupledSystem() =
    interface IOdeSystem<DD> with
        member _.Dimension = dimension

        member _.Evaluate(t: DD, y: ReadOnlySpan<DD>, dydt: Span<DD>) =
            for k in 0 .. dimension - 1 do
                dydt[k] <- y[(k + 1) % dimension] * y[k] - t * DD(float (k + 1) / float dimension)

/// y + h Σ b_i k_i of one step, each element by the scalar operators in the stepper's order.
let private scalarStep (tableau: ExplicitTableau) (system: IOdeSystem<DD>) (t: DD) (y: DD[]) (h: DD) =
    let a = TableauCoefficient.Parse<DD> tableau.A
    let b = TableauCoefficient.Parse<DD> tableau.B
    let c = TableauCoefficient.Parse<DD> tableau.C
    let k = Array.init tableau.Stages (fun _ -> Array.zeroCreate<DD> dimension)
    system.Evaluate(t, ReadOnlySpan y, Span k[0])

    let combine (coefficients: DD[]) i =
        let mutable s = DD.Zero

        for j in 0 .. coefficients.Length - 1 do
            s <- s + coefficients[j] * k[j][i]

        s

    for stage in 1 .. tableau.Stages - 1 do
        let argument = Array.init dimension (fun i -> y[i] + h * combine a[stage] i)
        system.Evaluate(t + c[stage] * h, ReadOnlySpan argument, Span k[stage])

    Array.init dimension (fun i -> y[i] + h * combine b i)

let tests =
    testList "explicit Runge–Kutta steps in double-double" [
        for name, tableau in
            [ "rk4", ClassicRungeKutta4.Tableau
              "dp5", DormandPrince54.Tableau
              "dop853", Dop853.Tableau
              "euler", ExplicitEuler.Tableau ] ->
            test $"a {name} step gives every element the bits of the scalar formulas" {
                let system = CoupledSystem() :> IOdeSystem<DD>
                let rng = SeededRandom(11)
                let y = Array.init dimension (fun _ -> DD(rng.NextGaussian()) / DD(3.0))
                let t = DD(0.3)
                let h = DD(1.0) / DD(7.0)
                let f = Array.zeroCreate<DD> dimension
                let yNew = Array.zeroCreate<DD> dimension
                let error = Array.zeroCreate<DD> dimension
                let fNew = Array.zeroCreate<DD> dimension
                system.Evaluate(t, ReadOnlySpan y, Span f)
                let stepper = ExplicitRungeKuttaStepper<DD>(tableau, dimension)
                stepper.Step(system, t, ReadOnlySpan y, ReadOnlySpan f, h, Span yNew, Span error, Span fNew)
                Expect.sequenceEqual (Array.map ddBits yNew) (Array.map ddBits (scalarStep tableau system t y h)) "y_new, bit for bit"
            }
    ]
