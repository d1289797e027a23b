// SPDX-License-Identifier: MIT
/// Tests of DOP853 (Hairer's dop853.f coefficients, HNW I §II.10) in double-double arithmetic, so that
/// round-off (≈ 1e-31) stays far below the truncation errors being measured. Empirical orders are least-squares
/// slopes of log error against log h for h = 2^-3 … 2^-8, as in diffrax's tests, on two problems with closed-form
/// solutions: a linear damped rotation, and a nonlinear non-autonomous limit cycle. The linear autonomous problem
/// only tests the stability polynomial (the tall trees) and never uses the nodes c; the second problem also
/// exercises the nodes and the order conditions of the bushy trees.
module NeuronPursuit.Tests.Flow.Dop853Tests

open System
open Expecto
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Flow.Methods
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Tests.Support
open NeuronPursuit.Tests.Support.TestProblems

let private dd (x: float) = DD(x)

/// The two problems: a linear damped rotation and a nonlinear non-autonomous limit cycle (Support/TestProblems).
let private problems = [ dampedRotation; limitCycle ]

/// The time span [0, T] of the convergence tests.
let private finalTime = 2.0

/// Integrates a problem over [0, T] with `steps` equal steps of DOP853.
let private run (problem: OdeProblem<DD>) (steps: int) =
    integrate (Dop853()) problem finalTime steps

/// What one step of size h from the exact y(t₀) measured.
type LocalStep =
    {
        /// Relative error of the dense output at θ = 1/2.
        MidpointError: float
        /// ‖h Σ eᵢ kᵢ‖∞ / ‖y(t₀ + h)‖∞, the embedded error estimate.
        Estimate: float
    }

/// One step from the exact solution at t₀.
let private localStep (problem: OdeProblem<DD>) (t0: float) (h: float) : LocalStep =
    let stepper = Dop853().CreateStepper<DD>(2)
    let y = problem.Exact t0
    let f = Array.zeroCreate<DD> 2
    let yNew = Array.zeroCreate<DD> 2
    let fNew = Array.zeroCreate<DD> 2
    let error = Array.zeroCreate<DD> 2
    let middle = Array.zeroCreate<DD> 2
    problem.System.Evaluate(dd t0, ReadOnlySpan y, Span f)
    stepper.Step(problem.System, dd t0, ReadOnlySpan y, ReadOnlySpan f, dd h, Span yNew, Span error, Span fNew)
    stepper.Interpolate(dd 0.5, Span middle)

    let maxAbs (v: DD[]) =
        v |> Array.fold (fun m x -> max m (abs (float x))) 0.0

    { MidpointError = relativeError middle (problem.Exact(t0 + 0.5 * h))
      Estimate = maxAbs error / maxAbs (problem.Exact(t0 + h)) }

/// h = 2^-3 … 2^-8. The limit cycle turns at up to 3 rad per unit time, so h = 2^-1 and 2^-2 are not yet in
/// the asymptotic regime (local slopes 8.4 there); at 2^-8 the errors are still ≥ 1e-26, far above round-off.
let private stepSizes = [ for i in 3..8 -> Math.Pow(2.0, float -i) ]

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Tests.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

let private dop853 = Dop853()

let private parse (texts: string[]) = TableauCoefficient.Parse<DD> texts

let private sum (values: DD[]) = Array.fold (+) DD.Zero values

let tests =
    testList "DOP853" [
        test "declares order 8, embedded order 5, dense output order 7 and 12 evaluations per step" {
            Expect.equal dop853.Name "dop853" "name"
            Expect.equal dop853.Order 8 "order"
            Expect.equal dop853.EmbeddedOrder (Nullable 7) "embedded order: the combined estimate behaves like h^8"
            Expect.equal dop853.DenseOutputOrder 7 "dense output order"
            Expect.equal (dop853.CreateStepper<DD>(2).EvaluationsPerStep) 12 "evaluations per step"
        }

        test "coefficients: Σ bᵢ = 1, Σ eᵢ = 0, Σⱼ aᵢⱼ = cᵢ for all 16 stages, Σⱼ dₘⱼ = 0" {
            let tableau = Dop853.Tableau
            let b = parse tableau.B
            Expect.isLessThanOrEqual (float (DD.Abs(sum b - DD.One))) 1e-28 "Σ bᵢ = 1"
            // The error weights are printed with 28 digits.
            let e =
                match tableau.ErrorWeights with
                | null -> failwith "DOP853 has error weights"
                | weights -> parse weights

            Expect.isLessThanOrEqual (float (DD.Abs(sum e))) 1e-27 "Σ eᵢ = 0"
            let rows = Array.append tableau.A Dop853.DenseStages
            let nodes = Array.append tableau.C Dop853.DenseStageNodes

            for i in 0 .. rows.Length - 1 do
                let residual = sum (parse rows[i]) - TableauCoefficient.Parse<DD> nodes[i]
                Expect.isLessThanOrEqual (float (DD.Abs residual)) 1e-28 $"row {i + 1}: Σⱼ aᵢⱼ = cᵢ"
            // The continuous extension reproduces y₀ + θh for f ≡ 1 only if each correction has zero sum;
            // the dₘⱼ reach 5e2 with 30 significant digits.
            for m in 0 .. Dop853.DenseOutput.Length - 1 do
                let total = sum (parse Dop853.DenseOutput[m])
                Expect.isLessThanOrEqual (float (DD.Abs total)) 1e-26 $"Σⱼ d{m + 4}ⱼ = 0"
        }

        test "returns f(t + h, y(t + h)) and an interpolant through both ends of the step" {
            let problem = limitCycle
            let stepper = dop853.CreateStepper<DD>(2)
            let t0, h = dd 0.25, dd 0.125
            let y = problem.Exact 0.25
            let f = Array.zeroCreate<DD> 2

            let yNew, fNew, error =
                Array.zeroCreate<DD> 2, Array.zeroCreate<DD> 2, Array.zeroCreate<DD> 2

            problem.System.Evaluate(t0, ReadOnlySpan y, Span f)
            stepper.Step(problem.System, t0, ReadOnlySpan y, ReadOnlySpan f, h, Span yNew, Span error, Span fNew)
            let fCheck = Array.zeroCreate<DD> 2
            problem.System.Evaluate(t0 + h, ReadOnlySpan yNew, Span fCheck)
            Expect.sequenceEqual fNew fCheck "dydtNew = f(t + h, yNew) exactly"
            let atStart, atEnd = Array.zeroCreate<DD> 2, Array.zeroCreate<DD> 2
            stepper.Interpolate(DD.Zero, Span atStart)
            stepper.Interpolate(DD.One, Span atEnd)
            Expect.isLessThanOrEqual (relativeError atStart y) 1e-30 "θ = 0 gives y"
            Expect.isLessThanOrEqual (relativeError atEnd yNew) 1e-30 "θ = 1 gives yNew"
        }

        test "dense-output stages are evaluated only when a step is interpolated, once per step" {
            let mutable count = 0
            let inner = limitCycle.System

            let counting =
                { new IOdeSystem<DD> with
                    member _.Dimension = 2

                    member _.Evaluate(t, y, dydt) =
                        count <- count + 1
                        inner.Evaluate(t, y, dydt) }

            let stepper = dop853.CreateStepper<DD>(2)
            let y = Array.copy limitCycle.Initial
            let f = Array.zeroCreate<DD> 2

            let yNew, fNew, error, out =
                Array.zeroCreate<DD> 2, Array.zeroCreate<DD> 2, Array.zeroCreate<DD> 2, Array.zeroCreate<DD> 2

            inner.Evaluate(DD.Zero, ReadOnlySpan y, Span f)

            let step () =
                stepper.Step(counting, DD.Zero, ReadOnlySpan y, ReadOnlySpan f, dd 0.1, Span yNew, Span error, Span fNew)

            step ()
            Expect.equal count 12 "a step without interpolation"
            stepper.Interpolate(dd 0.3, Span out)
            stepper.Interpolate(dd 0.7, Span out)
            Expect.equal count 15 "3 more on the first interpolation, none on the second"
            step ()
            stepper.Interpolate(dd 0.5, Span out)
            Expect.equal count 30 "a new step invalidates the extra stages"
        }

        test "a step and its dense output allocate nothing" {
            let problem = limitCycle
            let stepper = dop853.CreateStepper<DD>(2)
            let y = Array.copy problem.Initial
            let f = Array.zeroCreate<DD> 2

            let yNew, fNew, error, out =
                Array.zeroCreate<DD> 2, Array.zeroCreate<DD> 2, Array.zeroCreate<DD> 2, Array.zeroCreate<DD> 2

            problem.System.Evaluate(DD.Zero, ReadOnlySpan y, Span f)

            let stepAndInterpolate () =
                stepper.Step(problem.System, DD.Zero, ReadOnlySpan y, ReadOnlySpan f, dd 0.1, Span yNew, Span error, Span fNew)
                stepper.Interpolate(dd 0.5, Span out)

            stepAndInterpolate () // warm-up: JIT and static initialisers
            let before = GC.GetAllocatedBytesForCurrentThread()
            stepAndInterpolate ()
            Expect.equal (GC.GetAllocatedBytesForCurrentThread() - before) 0L "bytes allocated"
        }

        testList "empirical order of the solution at T = 2 is 8" [
            for problem in problems ->
                test problem.Name {
                    let errors =
                        stepSizes |> List.map (fun h -> (run problem (int (finalTime / h))).FinalError)

                    ConvergenceOrder.expectOrder "global error" 8.0 0.3 stepSizes errors
                }
        ]

        testList "dense output has order 7: local error at θ = 1/2 is O(h⁸)" [
            for problem in problems ->
                test problem.Name {
                    let errors =
                        stepSizes |> List.map (fun h -> (localStep problem 0.3 h).MidpointError)

                    ConvergenceOrder.expectOrder "local error of the dense output" 8.0 0.3 stepSizes errors
                }
        ]

        // The global error at a midpoint is the error carried from the start of the step, O(h⁸), plus the local
        // error of the interpolant, O(h^{7+1}): order min(p, p* + 1) = 8, not 7.
        testList "global error of the dense output at the step midpoints is O(h⁸)" [
            for problem in problems ->
                test problem.Name {
                    let errors =
                        stepSizes
                        |> List.map (fun h -> (run problem (int (finalTime / h))).MidpointError)

                    ConvergenceOrder.expectOrder "global error at midpoints" 8.0 0.3 stepSizes errors
                }
        ]

        testList "embedded error estimate of one step is O(h⁶)" [
            for problem in problems ->
                test problem.Name {
                    let errors = stepSizes |> List.map (fun h -> (localStep problem 0.3 h).Estimate)
                    ConvergenceOrder.expectOrder "error estimate" 6.0 0.5 stepSizes errors
                }
        ]

        testList "double-double reaches relative error 1e-25 with h = 2^-10" [
            for problem in problems ->
                test problem.Name {
                    // Measured: 1.3e-29 and 6.9e-28 at T, 1.3e-29 and 5.2e-27 at the midpoints.
                    let run = run problem 2048
                    Expect.isLessThanOrEqual run.FinalError 1e-25 "relative error at T with h = 2^-10"
                    Expect.isLessThanOrEqual run.MidpointError 1e-25 "relative error of the dense output"
                }
        ]
    ]
