// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open System.Numerics
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Objectives

/// A differentiable function of the weights as the F# surface passes it around: the objective
/// (value and exact gradient) and, built on first use, its exact Hessian–vector product.
type Fn<'T
    when 'T: struct
    and 'T: (new: unit -> 'T)
    and 'T :> ValueType
    and 'T :> INumber<'T>
    and 'T :> IRootFunctions<'T>
    and 'T :> IExponentialFunctions<'T>
    and 'T :> ILogarithmicFunctions<'T>> =
    {
        /// f and ∇f.
        Objective: IObjective<'T>
        /// ∇²f·v by forward-over-reverse differentiation (closed form for two-layer losses); None when f has none.
        Hessian: Lazy<HessianVectorProduct<'T>> option
        /// A one-line description for logs and run records.
        Description: string
    }

/// A problem of the papers' kind: data, network, loss, initial point and weight blocks (the core's type).
type Problem = NeuronPursuit.Core.Problems.Problem

/// Double-double arithmetic (about 32 significant digits): the core's scalar, for `Problem.lossOf<DoubleDouble>`.
type DoubleDouble = NeuronPursuit.Core.Numerics.DoubleDouble

/// An event that occurred during an integration.
type EventHit =
    {
        /// The event's name.
        Name: string
        /// When it occurred.
        Time: float
        /// The state then, rounded to double.
        State: float[]
        /// Whether its function crossed zero upwards.
        Rising: bool
    }

/// The outcome of an integration, in the scalar type of the state.
type FlowResult<'T> =
    {
        /// completed, terminal event, step limit or step size too small.
        Status: IntegrationStatus
        /// One line saying how it ended.
        Message: string
        /// The time reached.
        FinalTime: float
        /// The state reached.
        Final: 'T[]
        /// Events in time order.
        Events: EventHit list
        /// Evaluations and steps.
        Statistics: IntegrationStatistics
    }

    /// Whether t-end or a terminal event was reached.
    member this.Succeeded =
        this.Status = IntegrationStatus.Completed
        || this.Status = IntegrationStatus.TerminalEvent

/// The direction the small-initialisation flow converges to: the NCF flow's limit from w₀.
type NcfLimit =
    {
        /// The unit KKT direction u*.
        Direction: float[]
        /// N(u*).
        Value: float
        /// τ*, the blow-up time of the NCF flow (L > 2), or +∞ (L = 2).
        BlowUpTime: float
    }
