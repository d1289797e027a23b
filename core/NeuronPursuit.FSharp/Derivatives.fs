// SPDX-License-Identifier: MIT
/// Exact derivatives in DiffSharp's naming grammar (`grad f w`, `hvp f w v`; `f…` also returns the value,
/// `num…` is the finite-difference twin), so that a script reads like the paper.
[<AutoOpen>]
module NeuronPursuit.Derivatives

open System
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Objectives

/// H(X; w) for every sample of the data set.
let outputs (net: HomogeneousNetwork) (data: DataSet<'T>) (w: 'T[]) =
    let h = Array.zeroCreate<'T> data.Count
    net.Forward<'T>(data.X, ReadOnlySpan w, Span h, net.CreateWorkspace<'T>(data.Count))
    h

/// The Jacobian–vector product J t = d/dε H(X; w + ε t) (forward mode).
let jacobianv (net: HomogeneousNetwork) (data: DataSet<'T>) (w: 'T[]) (t: 'T[]) =
    let h = Array.zeroCreate<'T> data.Count
    let jt = Array.zeroCreate<'T> data.Count
    net.Jvp<'T>(data.X, ReadOnlySpan w, ReadOnlySpan t, Span h, Span jt, net.CreateWorkspace<'T>(data.Count))
    jt

/// The vector–Jacobian product Jᵀc = ∇_w Σᵢ cᵢ H(xᵢ; w) (reverse mode).
let jacobianTv (net: HomogeneousNetwork) (data: DataSet<'T>) (w: 'T[]) (c: 'T[]) =
    let h = Array.zeroCreate<'T> data.Count
    let g = Array.zeroCreate<'T> net.ParameterCount
    net.Vjp<'T>(data.X, ReadOnlySpan w, ReadOnlySpan c, Span h, Span g, net.CreateWorkspace<'T>(data.Count))
    g

/// Square loss ½Σᵢ(hᵢ − yᵢ)² (the papers' normalisation).
let squareLoss: ILoss = Losses.Square
/// Square loss ½·(1/n)Σᵢ(hᵢ − yᵢ)².
let squareLossMean: ILoss = Losses.SquareMean
/// Logistic loss Σᵢ ln(1 + exp(−yᵢhᵢ)).
let logisticLoss: ILoss = Losses.Logistic()

/// The training loss ℒ(w) = ℓ(H(X; w), y) of a network on data, with gradient and HVP.
let lossWith (loss: ILoss) (net: HomogeneousNetwork) (data: DataSet<'T>) : Fn<'T> =
    { Objective = LossObjective<'T>(net, loss, data)
      Hessian = Some(lazy (Objective.LossHessian<'T>(net, loss, data)))
      Description = $"{loss.Specification} loss of {net.Specification}" }

/// The square-loss training objective ½Σᵢ(H(xᵢ; w) − yᵢ)².
let loss (net: HomogeneousNetwork) (data: DataSet<'T>) = lossWith squareLoss net data

/// The neural correlation function N(u) = yᵀH(X; u) (Kumar & Haupt, arXiv 2402.09226).
let ncf (net: HomogeneousNetwork) (data: DataSet<'T>) : Fn<'T> =
    { Objective = NeuralCorrelationFunction<'T>(net, data)
      Hessian = Some(lazy (Objective.CorrelationHessian<'T>(net, data)))
      Description = $"NCF of {net.Specification}" }

/// A function of the weights without a Hessian–vector product (e.g. a restriction to some coordinates).
let objective (description: string) (f: IObjective<'T>) : Fn<'T> =
    { Objective = f
      Hessian = None
      Description = description }

/// f(w).
let value (f: Fn<'T>) (w: 'T[]) = f.Objective.Value(ReadOnlySpan w)

/// f(w) and ∇f(w).
let fgrad (f: Fn<'T>) (w: 'T[]) =
    let g = Array.zeroCreate<'T> f.Objective.Dimension
    let v = f.Objective.ValueAndGradient(ReadOnlySpan w, Span g)
    v, g

/// ∇f(w).
let grad (f: Fn<'T>) (w: 'T[]) = snd (fgrad f w)

/// ∇²f(w)·v, exact (forward-over-reverse).
let hvp (f: Fn<'T>) (w: 'T[]) (v: 'T[]) =
    match f.Hessian with
    | None -> invalidOp $"{f.Description} has no Hessian–vector product."
    | Some h ->
        let product = Array.zeroCreate<'T> f.Objective.Dimension

        h.Value.Apply(ReadOnlySpan w, ReadOnlySpan v, Span product, Span.Empty)
        |> ignore

        product

/// Central finite-difference gradient with step h (the twin of `grad`).
let numgrad (h: 'T) (f: Fn<'T>) (w: 'T[]) =
    let g = Array.zeroCreate<'T> f.Objective.Dimension
    FiniteDifference.Gradient<'T>(f.Objective, ReadOnlySpan w, h, Span g)
    g

/// Central finite difference of gradients along v with step h (the twin of `hvp`).
let numhvp (h: 'T) (f: Fn<'T>) (w: 'T[]) (v: 'T[]) =
    let product = Array.zeroCreate<'T> f.Objective.Dimension
    FiniteDifference.HessianVector<'T>(f.Objective, ReadOnlySpan w, ReadOnlySpan v, h, Span product)
    product
