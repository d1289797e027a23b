// SPDX-License-Identifier: MIT
/// The reference that defines the semantics of the loss and its gradient in double (the networks' own forward and
/// backward passes and the loss's Evaluate), the tolerance a fast path must meet against it, and the check that a fast
/// path gives the same bits on one thread and two; shared by the fast-path and fused-kernel tests.
module NeuronPursuit.Tests.Support.LossReference

open System
open Expecto
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Testing

/// Logistic losses want labels ±1.
let labelled (loss: ILoss) (data: DataSet<float>) =
    if loss :? LogisticLoss then
        data.WithLabels(ReadOnlySpan(data.Y.ToArray() |> Array.map (fun y -> if y >= 0.0 then 1.0 else -1.0)))
    else
        data

/// The reference ℒ, H(X; w), ∇ℒ and cotangent c = ∂ℓ/∂h: the network's generic forward pass, the loss's Evaluate,
/// the network's generic backward pass.
let reference (net: HomogeneousNetwork) (loss: ILoss) (data: DataSet<float>) (w: float[]) =
    let n = data.Count
    let workspace = net.CreateWorkspace<float> n
    let h = Array.zeroCreate n
    let c = Array.zeroCreate n
    let g = Array.zeroCreate net.ParameterCount
    net.Forward<float>(data.X, ReadOnlySpan w, Span h, workspace)
    let value = loss.Evaluate<float>(ReadOnlySpan h, data.Y, Span c)
    net.Backward<float>(data.X, ReadOnlySpan w, ReadOnlySpan c, Span g, workspace)
    value, h, g, c

/// Asserts a fast path's (ℒ, H(X; w), ∇ℒ) equal to the reference up to rounding: the gradient relative to the larger
/// of max |∇ℒ| and Σᵢ|cᵢhᵢ| (the size of the terms whose cancellation the summation order can change), times n + P.
let expectMatchesReference
    (net: HomogeneousNetwork)
    (loss: ILoss)
    (data: DataSet<float>)
    (w: float[])
    (fastValue: float, fastH: float[], fastG: float[])
    (what: string)
    =
    let value, h, g, c = reference net loss data w

    let scale =
        max (maxAbs g) (Array.map2 (fun (ci: float) (hi: float) -> abs (ci * hi)) c h |> Array.sum)

    let tolerance = 1e-13 * float (data.Count + net.ParameterCount)
    expectClose tolerance (max scale 1e-300) fastG g $"{what}: gradient"
    expectClose 1e-13 (max (maxAbs h) 1e-300) fastH h $"{what}: outputs"
    expectCloseScalar tolerance (max (abs value) 1e-300) fastValue value $"{what}: loss"

/// Asserts that LossObjective's ℒ and ∇ℒ (mean square loss) have the same bits with the samples' halves on two threads
/// and on one (TwoWaySplit.SequentialScope).
let expectThreadCountIndependent (c: NetworkCase) (w: float[]) =
    let evaluate () =
        let f = LossObjective<float>(c.Network, Losses.SquareMean, c.Data)
        let g = Array.zeroCreate c.Network.ParameterCount
        let v = f.ValueAndGradient(ReadOnlySpan w, Span g)
        v, g

    let parallelValue, parallelGradient = evaluate ()

    let sequentialValue, sequentialGradient =
        use _ = TwoWaySplit.SequentialScope()
        evaluate ()

    Expect.equal (BitConverter.DoubleToInt64Bits sequentialValue) (BitConverter.DoubleToInt64Bits parallelValue) $"{c}: loss"

    Expect.sequenceEqual
        (sequentialGradient |> Array.map BitConverter.DoubleToInt64Bits)
        (parallelGradient |> Array.map BitConverter.DoubleToInt64Bits)
        $"{c}: gradient"
