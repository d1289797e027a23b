// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open System.Numerics
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
    { /// f and ∇f.
      Objective: IObjective<'T>
      /// ∇²f·v by forward-over-reverse differentiation; None when f has no dual twin.
      Hessian: Lazy<HessianVectorProduct<'T>> option
      /// A one-line description for logs and run records.
      Description: string }
