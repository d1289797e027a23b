// SPDX-License-Identifier: MIT
/// The closed-form Hessian of two-layer losses (Gauss–Newton part + block-diagonal residual part) against
/// the reference: the same Hessian assembled column by column from forward-over-reverse products.
module NeuronPursuit.Tests.Objectives.HessianMatrixTests

open System
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Core.Problems
open NeuronPursuit.Testing

let private losses: (string * ILoss) list =
    [ "square (sum)", SquareLoss(LossNormalisation.Sum)
      "square (mean)", SquareLoss(LossNormalisation.Mean)
      "logistic", LogisticLoss(LossNormalisation.Sum) ]

let private cases =
    [ for sigma in Shapes.activations do
          for d, m, n, seed in [ 3, 4, 11, 5L; 5, 7, 17, 6L; 1, 1, 1, 7L ] ->
              { Kind = NetworkKind.TwoLayer
                InputDimension = d
                Widths = [ m ]
                ActivationSpec = sigma
                SampleCount = n
                Seed = seed } ]

/// Both assemblies of ∇²ℒ(w) at the case's first weight vector, in the scalar type 'T.
let private bothAssemblies<'T
    when 'T: struct
    and 'T: (new: unit -> 'T)
    and 'T :> ValueType
    and 'T :> Numerics.INumber<'T>
    and 'T :> Numerics.IRootFunctions<'T>
    and 'T :> Numerics.IExponentialFunctions<'T>
    and 'T :> Numerics.ILogarithmicFunctions<'T>>
    (case: NetworkCase)
    (loss: ILoss)
    =
    let net = case.Network :?> TwoLayerNetwork
    let data = case.Data.To<'T>()
    let w = Scalar.ToArray<'T>(ReadOnlySpan(case.WeightVector 0))
    let p = net.ParameterCount
    let closed = Array.zeroCreate<'T>(p * p)
    let columns = Array.zeroCreate<'T>(p * p)
    TwoLayerLossHessian<'T>(net, loss, data).Hessian(ReadOnlySpan w, Span closed)
    Objective.LossHessian<'T>(net, loss, data).AssembleByColumns(ReadOnlySpan w, Span columns)
    closed, columns

let tests =
    testList "Closed-form Hessian of two-layer losses" [
        for name, loss in losses do
            test $"{name}: equals the column-by-column HVP Hessian to 1e-12 in double" {
                for case in cases do
                    let closed, columns = bothAssemblies<float> case loss
                    expectClose 1e-12 (max 1.0 (maxAbs columns)) closed columns $"{case}"
            }

        test "square loss: equals the column-by-column HVP Hessian to 1e-28 in double-double" {
            for case in cases |> List.filter (fun c -> c.SampleCount > 1) do
                let closed, columns = bothAssemblies<DoubleDouble> case (SquareLoss())
                let scale = columns |> Array.map (fun x -> abs (float x)) |> Array.max |> max 1.0

                let error =
                    Array.map2 (fun (a: DoubleDouble) b -> abs (float (a - b))) closed columns
                    |> Array.max

                Expect.isLessThanOrEqual error (1e-28 * scale) $"{case}: max difference {error:e2}"
        }

        test "deep and sum-of-powers networks in double: blocks of fast products equal the column-by-column reference to 1e-12" {
            for kind, widths in
                [ NetworkKind.FeedForward, [ 4; 3 ]
                  NetworkKind.FeedForward, [ 5; 4; 3 ]
                  NetworkKind.SumOfPowers, [ 5 ] ] do
                for sigma in Shapes.activations do
                    let c =
                        { Kind = kind
                          InputDimension = 3
                          Widths = widths
                          ActivationSpec = sigma
                          SampleCount = 13
                          Seed = 17L }

                    for name, loss in losses do
                        let w = c.WeightVector 2
                        let p = c.Network.ParameterCount
                        let blocks = Array.zeroCreate (p * p)
                        let columns = Array.zeroCreate (p * p)
                        LossHessianByBlocks(c.Network, loss, c.Data).Hessian(ReadOnlySpan w, Span blocks)
                        Objective.LossHessian<float>(c.Network, loss, c.Data).AssembleByColumns(ReadOnlySpan w, Span columns)
                        expectClose 1e-12 (max 1.0 (maxAbs columns)) blocks columns $"{c} {name}"
        }

        test "the loss Hessian of a two-layer network uses the closed form; a feed-forward one in double the fast blocks" {
            let twoLayer = cases.[7]
            let f = loss twoLayer.Network twoLayer.Data
            let w = twoLayer.WeightVector 1
            let p = twoLayer.Network.ParameterCount
            let viaHessian = Array.zeroCreate (p * p)
            let closed = Array.zeroCreate (p * p)
            f.Hessian.Value.Value.Hessian(ReadOnlySpan w, Span viaHessian)
            TwoLayerLossHessian<float>(twoLayer.Network :?> TwoLayerNetwork, SquareLoss(), twoLayer.Data).Hessian(ReadOnlySpan w, Span closed)
            Expect.isTrue (Array.forall2 (=) viaHessian closed) "two-layer: bit for bit the closed form"

            let deep =
                { twoLayer with
                    Kind = NetworkKind.FeedForward
                    Widths = [ 3; 2 ] }

            let g = loss deep.Network deep.Data
            let wd = deep.WeightVector 1
            let pd = deep.Network.ParameterCount
            let a = Array.zeroCreate (pd * pd)
            let b = Array.zeroCreate (pd * pd)
            g.Hessian.Value.Value.Hessian(ReadOnlySpan wd, Span a)
            LossHessianByBlocks(deep.Network, SquareLoss(), deep.Data).Hessian(ReadOnlySpan wd, Span b)
            Expect.isTrue (Array.forall2 (=) a b) "feed-forward: bit for bit the fast blocks"
        }
    ]
