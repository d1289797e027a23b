// SPDX-License-Identifier: MIT
/// The shared library of test problems with closed-form solutions (as OrdinaryDiffEq's ODEProblemLibrary): linear
/// systems (a non-stiff triangular one, a stiff one, decay, the oscillator, a damped rotation), the logistic
/// equation, a non-autonomous limit cycle, and the gradient flow of (c/2)‖w‖²; with fixed-step integration by a
/// method's stepper and the relative error against the exact solution, for the order tests.
module NeuronPursuit.Tests.Support.TestProblems

open System
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives

type DD = DoubleDouble

/// The two words of a double-double as bit patterns: equal exactly when the values are the same bits (signed zeros
/// and NaN payloads included).
let ddBits (v: DD) =
    BitConverter.DoubleToInt64Bits v.Hi, BitConverter.DoubleToInt64Bits v.Lo

let private dd (x: float) = DD(x)

/// An initial-value problem y′ = f(t, y), y(0) = y₀, with its exact solution y(t).
type OdeProblem<'T when 'T: struct and 'T: (new: unit -> 'T) and 'T :> ValueType and 'T :> Numerics.INumber<'T>> =
    {
        Name: string
        System: IOdeSystem<'T>
        Initial: 'T[]
        /// y(t) (t is a double: every time the tests evaluate it at is exact in double).
        Exact: float -> 'T[]
    }

    override this.ToString() = this.Name

/// y′ = Ay for a constant n × n matrix A (row-major), with its Jacobian A; allocates nothing.
type LinearSystem<'T when 'T: struct and 'T: (new: unit -> 'T) and 'T :> ValueType and 'T :> Numerics.INumber<'T>>(a: float[]) =
    let n = int (round (sqrt (float a.Length)))

    do
        if n * n <> a.Length then
            invalidArg "a" $"a: {a.Length} entries are not a square matrix."

    let entries = Array.map Scalar.FromDouble<'T> a
    let mutable jacobians = 0L

    interface IOdeSystem<'T> with
        member _.Dimension = n

        member _.Evaluate(_t, y, dydt) =
            for i in 0 .. n - 1 do
                let mutable s = 'T.Zero

                for j in 0 .. n - 1 do
                    s <- s + entries.[i * n + j] * y.[j]

                dydt.[i] <- s

    interface IJacobian<'T> with
        member _.Jacobian(_t, _y, jacobian) =
            entries.AsSpan().CopyTo jacobian
            jacobians <- jacobians + 1L

        member _.JacobianEvaluations = jacobians

/// y′ = Ay, A = [[−1, 0], [1, −2]], y(0) = (1, 2): y(t) = (e^{−t}, e^{−t} + e^{−2t}), in double-double. Both components
/// stay away from 0, so relative errors measure the method and not a vanishing denominator.
let linear: OdeProblem<DD> =
    { Name = "linear y' = Ay, A = [[-1, 0], [1, -2]]"
      System = LinearSystem<DD>([| -1.0; 0.0; 1.0; -2.0 |])
      Initial = [| dd 1.0; dd 2.0 |]
      Exact =
        fun t ->
            let e1 = DD.Exp(dd -t)
            [| e1; e1 + e1 * e1 |] }

/// The stiff y₁′ = −y₁, y₂′ = −10⁴y₂ + (10⁴ − 1)y₁, y(0) = (1, 2): y(t) = (e^{−t}, e^{−t} + e^{−10⁴t}); eigenvalues −1, −10⁴.
let stiffLinear: OdeProblem<float> =
    let lambda = 1e4

    { Name = "stiff linear, eigenvalues -1 and -1e4"
      System = LinearSystem<float>([| -1.0; 0.0; lambda - 1.0; -lambda |])
      Initial = [| 1.0; 2.0 |]
      Exact = fun t -> [| exp -t; exp -t + exp (-lambda * t) |] }

/// y′ = −y, y(0) = 1: y = e^{−t}, crossing 1/2 at t = ln 2.
let decay: OdeProblem<float> =
    { Name = "decay y' = -y"
      System = LinearSystem<float>([| -1.0 |])
      Initial = [| 1.0 |]
      Exact = fun t -> [| exp -t |] }

/// The harmonic oscillator x″ = −x as (x, x′), from (1, 0): x = cos t, crossing 1/2 at π/3, 5π/3, 7π/3, …
let oscillator: OdeProblem<float> =
    { Name = "oscillator x'' = -x"
      System = LinearSystem<float>([| 0.0; 1.0; -1.0; 0.0 |])
      Initial = [| 1.0; 0.0 |]
      Exact = fun t -> [| cos t; -sin t |] }

/// y′ = y: growth, ‖y(t)‖ = ‖y₀‖eᵗ.
let growth (y0: float[]) : OdeProblem<float> =
    let n = y0.Length

    { Name = "growth y' = y"
      System = LinearSystem<float>(Array.init (n * n) (fun k -> if k / n = k % n then 1.0 else 0.0))
      Initial = y0
      Exact = fun t -> Array.map (fun y -> y * exp t) y0 }

/// sin x and cos x in double-double by their Taylor series (DoubleDouble has no trigonometric functions). For |x| ≤ 4
/// the terms stay below 11 in magnitude and the 70th is below 1e-50, so the sums are accurate to about 1e-30.
let sinCos (x: DD) =
    let mutable term = DD.One // xⁿ/n!
    let mutable sine = DD.Zero
    let mutable cosine = DD.Zero

    for n in 0..70 do
        match n % 4 with
        | 0 -> cosine <- cosine + term
        | 1 -> sine <- sine + term
        | 2 -> cosine <- cosine - term
        | _ -> sine <- sine - term

        term <- term * x / dd (float (n + 1))

    sine, cosine

/// Damped rotation y′ = Ay, A = [[λ, 1], [−1, λ]], λ = −1/10 (as a double), from (1, 1/2):
/// y(t) = e^{λt} [[cos t, sin t], [−sin t, cos t]] y₀, in double-double.
let dampedRotation: OdeProblem<DD> =
    let lambda = -0.1
    let y0 = [| dd 1.0; dd 0.5 |]

    { Name = "damped rotation"
      System = LinearSystem<DD>([| lambda; 1.0; -1.0; lambda |])
      Initial = y0
      Exact =
        fun t ->
            let s, c = sinCos (dd t)
            let decay = DD.Exp(dd lambda * dd t)
            [| decay * (c * y0[0] + s * y0[1]); decay * (-s * y0[0] + c * y0[1]) |] }

/// The limit cycle with a time-dependent angular speed, x′ = x(1 − r²) − (1 + t)y, y′ = y(1 − r²) + (1 + t)x, from
/// (1/2, 0): in polar coordinates r′ = r(1 − r²) and θ′ = 1 + t, so r(t)² = 1/(1 + 3e^{−2t}) and θ(t) = t + t²/2.
/// Nonlinear and non-autonomous: it exercises the nodes c and the bushy trees' order conditions, which a linear
/// autonomous problem never does. Allocates nothing.
let limitCycle: OdeProblem<DD> =
    { Name = "non-autonomous limit cycle"
      System =
        { new IOdeSystem<DD> with
            member _.Dimension = 2

            member _.Evaluate(t, y, dydt) =
                let radial = DD.One - (y[0] * y[0] + y[1] * y[1])
                let angular = DD.One + t
                dydt[0] <- radial * y[0] - angular * y[1]
                dydt[1] <- radial * y[1] + angular * y[0] }
      Initial = [| dd 0.5; DD.Zero |]
      Exact =
        fun t ->
            let t = dd t
            let r = DD.One / DD.Sqrt(DD.One + dd 3.0 * DD.Exp(dd -2.0 * t))
            let s, c = sinCos (t + t * t / dd 2.0)
            [| r * c; r * s |] }

/// The logistic equation y′ = y(1 − y), y(0) = 1/10: y(t) = 1/(1 + 9e^{−t}); nonlinear, with its Jacobian 1 − 2y.
let logistic: OdeProblem<float> =
    { Name = "logistic y' = y(1 - y)"
      System =
        { new IOdeSystem<float> with
            member _.Dimension = 1
            member _.Evaluate(_t, y, dydt) = dydt.[0] <- y.[0] * (1.0 - y.[0])
          interface IJacobian<float> with
              member _.Jacobian(_t, y, jacobian) = jacobian.[0] <- 1.0 - 2.0 * y.[0]
              member _.JacobianEvaluations = 0L }
      Initial = [| 0.1 |]
      Exact = fun t -> [| 1.0 / (1.0 + 9.0 * exp -t) |] }

/// f(w) = (c/2)‖w‖² in dimension k: its gradient flow is w(t) = w₀e^{−ct} (decay for c > 0, growth for c < 0), so
/// ‖w_S‖ = ‖w₀,S‖e^{−ct}, f = (c/2)‖w₀‖²e^{−2ct} and ‖∇f‖ = |c|‖w₀‖e^{−ct} cross any level at a closed-form time.
let quadratic (c: float) (k: int) =
    { new IObjective<float> with
        member _.Dimension = k

        member _.Value(w) =
            let mutable s = 0.0

            for x in w do
                s <- s + x * x

            0.5 * c * s

        member _.ValueAndGradient(w, gradient) =
            let mutable s = 0.0

            for i in 0 .. w.Length - 1 do
                s <- s + w.[i] * w.[i]
                gradient.[i] <- c * w.[i]

            0.5 * c * s }

/// ‖approx − exact‖∞ / ‖exact‖∞ in double (the difference is taken in 'T).
let relativeError (approx: 'T[]) (exact: 'T[]) : float when 'T :> Numerics.INumber<'T> and 'T: struct =
    let mutable difference = 0.0
    let mutable size = 0.0

    for i in 0 .. exact.Length - 1 do
        difference <- max difference (abs (Scalar.ToDouble(approx.[i] - exact.[i])))
        size <- max size (abs (Scalar.ToDouble exact.[i]))

    difference / size

/// What a fixed-step integration over [0, T] measured.
type FixedStepRun =
    {
        /// Relative error at T.
        FinalError: float
        /// Largest relative error of the dense output at the midpoints of the steps (θ = 1/2).
        MidpointError: float
    }

/// Integrates a problem over [0, T] with `steps` equal steps by the method's stepper directly (h = T/steps exact in
/// double), measuring the error at T and at every step's midpoint.
let integrate (m: IRungeKuttaMethod) (problem: OdeProblem<'T>) (tEnd: float) (steps: int) : FixedStepRun =
    let n = problem.Initial.Length
    let stepper = m.CreateStepper<'T>(n)
    let h = tEnd / float steps
    let y = Array.copy problem.Initial

    let f, yNew, fNew, error, middle =
        Array.zeroCreate n, Array.zeroCreate n, Array.zeroCreate n, Array.zeroCreate n, Array.zeroCreate n

    problem.System.Evaluate('T.Zero, ReadOnlySpan y, Span f)
    let mutable worstMidpoint = 0.0

    for k in 0 .. steps - 1 do
        let t = float k * h
        stepper.Step(problem.System, Scalar.FromDouble t, ReadOnlySpan y, ReadOnlySpan f, Scalar.FromDouble h, Span yNew, Span error, Span fNew)
        stepper.Interpolate(Scalar.FromDouble 0.5, Span middle)
        worstMidpoint <- max worstMidpoint (relativeError middle (problem.Exact(t + 0.5 * h)))
        Array.blit yNew 0 y 0 n
        Array.blit fNew 0 f 0 n

    { FinalError = relativeError y (problem.Exact tEnd)
      MidpointError = worstMidpoint }

/// The same right-hand side without its Jacobian (what a stiff method must refuse).
let withoutJacobian (problem: OdeProblem<'T>) : OdeProblem<'T> =
    let inner = problem.System

    { problem with
        Name = $"{problem.Name} (no Jacobian)"
        System =
            { new IOdeSystem<'T> with
                member _.Dimension = inner.Dimension
                member _.Evaluate(t, y, dydt) = inner.Evaluate(t, y, dydt) } }
