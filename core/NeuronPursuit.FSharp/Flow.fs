// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open NeuronPursuit.Core.Analysis
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Flow.Methods
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives

/// Gradient flow dw/dt = −∇ℒ(w) (and any other ODE) integrated to a stated accuracy, with events and observers.
/// Every registered method works here: the Hessian of an `Fn` is wired into the flow whenever the method needs
/// the Jacobian −∇²ℒ, and a method that needs what a system lacks is refused before anything is integrated.
module Flow =
    /// The registered methods' names.
    let methods = [ for m in MethodRegistry.All -> m.Name ]
    /// A method by name: euler | rk4 | dp5 | dop853 | lie2 | rodas4 | auto.
    let method (name: string) = MethodRegistry.Get name
    /// Dormand–Prince 5(4), the default.
    let dp5 = method "dp5"

    /// Default step control (rtol 1e-8, atol 1e-12, at most 10⁶ steps).
    let defaults = IntegrationOptions()
    /// Step control with tolerances rtol and atol.
    let tolerances (rtol: float) (atol: float) = defaults.WithTolerances(rtol, atol)
    /// Purely relative step control with tolerance rtol (atol = 0): for weights many orders below 1.
    let relative (rtol: float) = tolerances rtol 0.0
    /// Fixed steps h (for euler and rk4; Euler with step η is gradient descent with learning rate η).
    let fixedStep (h: float) = defaults.WithFixedStep h
    /// The same options with another step limit.
    let maxSteps (count: int64) (options: IntegrationOptions) = options.WithMaxSteps count
    /// The same options with a largest step.
    let maxStep (h: float) (options: IntegrationOptions) = options.WithMaxStep h

    /// n times evenly spaced over [a, b].
    let linearGrid (a: float) (b: float) (n: int) = ObservationGrid.Linear(a, b, n)
    /// n times geometrically spaced over [a, b], 0 < a < b.
    let logGrid (a: float) (b: float) (n: int) = ObservationGrid.Logarithmic(a, b, n)

    /// A named quantity of the state, recorded by observers.
    let quantity (name: string) (f: float[] -> float) =
        FlowQuantity(name, Func<float[], float>(f))

    /// The quantity "loss": f(w).
    let lossQuantity (f: Fn<float>) = FlowQuantities.Loss f.Objective
    /// The quantity "grad_norm": ‖∇f(w)‖.
    let gradientNormQuantity (f: Fn<float>) = FlowQuantities.GradientNorm f.Objective
    /// The quantity "norm": ‖w‖.
    let normQuantity = FlowQuantities.WeightNorm()
    /// A recorder of named quantities at the given times (its columns: `recorder.Column name`).
    let recorder (times: float seq) (quantities: FlowQuantity list) = QuantityRecorder(times, quantities)

    /// A recorder of the states themselves at the given times (`recorder.States`).
    let states (times: float seq) =
        QuantityRecorder(times, [], saveStates = true)

    /// A recorder of quantities and of the states at the given times.
    let recorderWithStates (times: float seq) (quantities: FlowQuantity list) =
        QuantityRecorder(times, quantities, saveStates = true)

    /// A terminal event: ‖w‖ rises through r (escape from the origin), named "escape".
    let escapeAt (r: float) = EscapeTime.NormEvent r

    /// An event: ‖w‖ rises through r, with a name; terminal when asked.
    let normReaches (name: string) (terminal: bool) (r: float) =
        FlowEvents.NormCrosses(r, CrossingDirection.Rising, terminal, name = name)

    /// An event: the norm of the weights at `indices` rises through r; terminal when asked.
    let blockNormReaches (name: string) (terminal: bool) (indices: int[]) (r: float) =
        FlowEvents.NormCrosses(r, CrossingDirection.Rising, terminal, indices = indices, name = name)

    /// A terminal event: f falls below a value.
    let lossBelow (f: Fn<float>) (v: float) = FlowEvents.LossBelow(f.Objective, v)

    /// An event: ‖∇f‖ falls below a level (terminal when asked).
    let gradientNormBelow (terminal: bool) (f: Fn<float>) (level: float) =
        FlowEvents.GradientNormBelow(f.Objective, level, terminal = terminal)

    let private result (s: FlowSolution<'T>) : FlowResult<'T> =
        { Status = s.Status
          Message = s.Message
          FinalTime = Scalar.ToDouble s.FinalTime
          Final = s.FinalState
          Events =
            [ for e in s.Events ->
                  { Name = e.Name
                    Time = e.Time
                    State = e.State
                    Rising = e.Rising } ]
          Statistics = s.Statistics }

    /// Integrates any ODE system y′ = f(t, y) from (t₀, y₀) to t_end.
    let solveSystem
        (m: IRungeKuttaMethod)
        (options: IntegrationOptions)
        (observers: IFlowObserver list)
        (events: FlowEvent list)
        (system: IOdeSystem<'T>)
        (t0: float)
        (y0: 'T[])
        (tEnd: float)
        : FlowResult<'T> =
        FlowSolver.Solve<'T>(
            system,
            m,
            Scalar.FromDouble<'T> t0,
            ReadOnlySpan y0,
            Scalar.FromDouble<'T> tEnd,
            options,
            List.toArray events,
            List.toArray observers
        )
        |> result

    /// The gradient-flow system of f: −∇f, and −∇²f when the method needs it and f has it.
    let system (m: IRungeKuttaMethod) (f: Fn<'T>) =
        let hessian =
            if m.RequiresJacobian then
                f.Hessian |> Option.map (fun h -> h.Value) |> Option.toObj
            else
                null

        GradientFlowSystem<'T>(f.Objective, hessian)

    /// Integrates the gradient flow of f from w₀ at t = 0 to t_end, reporting progress (the fraction of [0, t_end]).
    let solveWithProgress
        (progress: IProgress<float> | null)
        (m: IRungeKuttaMethod)
        (options: IntegrationOptions)
        (observers: IFlowObserver list)
        (events: FlowEvent list)
        (f: Fn<'T>)
        (w0: 'T[])
        (tEnd: float)
        : FlowResult<'T> =
        FlowSolver.Solve<'T>(
            system m f,
            m,
            Scalar.FromDouble<'T> 0.0,
            ReadOnlySpan w0,
            Scalar.FromDouble<'T> tEnd,
            options,
            List.toArray events,
            List.toArray observers,
            progress
        )
        |> result

    /// Integrates the gradient flow of f from w₀ at t = 0 to t_end with the method and options, feeding the
    /// observers and locating the events.
    let solveWith
        (m: IRungeKuttaMethod)
        (options: IntegrationOptions)
        (observers: IFlowObserver list)
        (events: FlowEvent list)
        (f: Fn<'T>)
        (w0: 'T[])
        (tEnd: float)
        : FlowResult<'T> =
        solveWithProgress null m options observers events f w0 tEnd

    /// Integrates the gradient flow of f from w₀ to t_end with Dormand–Prince 5(4) under the given options.
    let solve (options: IntegrationOptions) (f: Fn<'T>) (w0: 'T[]) (tEnd: float) = solveWith dp5 options [] [] f w0 tEnd

    /// Minimises f by its gradient flow from w₀ (dp5, relative tolerance 1e-10) until ‖∇f‖ ≤ tol or t = t_end;
    /// returns (w, f(w), ‖∇f(w)‖).
    let minimise (tol: float) (f: Fn<float>) (w0: float[]) (tEnd: float) =
        let s =
            solveWith dp5 (relative 1e-10 |> maxSteps 2_000_000L) [] [ gradientNormBelow true f tol ] f w0 tEnd

        let v, g = fgrad f s.Final
        s.Final, v, Vec.norm g
