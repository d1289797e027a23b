// SPDX-License-Identifier: MIT
/// The fast path of the loss and its gradient in double (feature-major SIMD passes, fused per chunk of samples, split
/// over two threads when large) against the reference that defines the semantics: the networks' own forward and
/// backward passes and the loss's Evaluate, over a grid of network kinds × activations × losses × sample counts
/// (around the vector width, several chunks, two halves). Also: the same bits on one thread and two, the same value
/// from Value and ValueAndGradient, nothing allocated per evaluation, and ILoss.Derivative equal to the derivative
/// Evaluate writes.
module NeuronPursuit.Tests.Objectives.FastPathTests

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
    [ "square", Losses.Square
      "square-mean", Losses.SquareMean
      "logistic", Losses.Logistic()
      "logistic-mean:2", Losses.Parse "logistic-mean:2" ]

/// Logistic losses want labels ±1.
let private labelled (loss: ILoss) (data: DataSet<float>) =
    if loss :? LogisticLoss then
        data.WithLabels(ReadOnlySpan(data.Y.ToArray() |> Array.map (fun y -> if y >= 0.0 then 1.0 else -1.0)))
    else
        data

/// The reference: the network's generic forward pass, the loss's Evaluate, the network's generic backward pass.
let private reference (net: HomogeneousNetwork) (loss: ILoss) (data: DataSet<float>) (w: float[]) =
    let n = data.Count
    let workspace = net.CreateWorkspace<float> n
    let h = Array.zeroCreate n
    let c = Array.zeroCreate n
    let g = Array.zeroCreate net.ParameterCount
    net.Forward<float>(data.X, ReadOnlySpan w, Span h, workspace)
    let value = loss.Evaluate<float>(ReadOnlySpan h, data.Y, Span c)
    net.Backward<float>(data.X, ReadOnlySpan w, ReadOnlySpan c, Span g, workspace)
    value, h, g, (c, h)

/// Asserts the fast path equal to the reference up to rounding: the gradient relative to the larger of max |∇ℒ| and
/// Σᵢ|cᵢhᵢ| (the size of the terms whose cancellation the summation order can change), times n + P.
let private check (net: HomogeneousNetwork) (loss: ILoss) (data: DataSet<float>) (w: float[]) (what: string) =
    let value, h, g, (c, _) = reference net loss data w
    let f = LossObjective<float>(net, loss, data)
    let gradient = Array.zeroCreate net.ParameterCount
    let fastValue = f.ValueAndGradient(ReadOnlySpan w, Span gradient)

    let scale =
        max (maxAbs g) (Array.map2 (fun (ci: float) (hi: float) -> abs (ci * hi)) c h |> Array.sum)

    let tolerance = 1e-13 * float (data.Count + net.ParameterCount)
    expectClose tolerance (max scale 1e-300) gradient g $"{what}: gradient"
    expectClose 1e-13 (max (maxAbs h) 1e-300) (f.LastOutputs.ToArray()) h $"{what}: outputs"
    expectCloseScalar tolerance (max (abs value) 1e-300) fastValue value $"{what}: loss"
    Expect.equal (f.Value(ReadOnlySpan w)) fastValue $"{what}: Value and ValueAndGradient give the same loss"

/// Bytes allocated on this thread by `count` evaluations of ℒ and ∇ℒ (a plain loop outside any computation expression,
/// whose own closures would allocate).
let private allocatedBy (f: LossObjective<float>) (w: float[]) (g: float[]) (count: int) =
    let before = GC.GetAllocatedBytesForCurrentThread()

    for _ in 1..count do
        f.ValueAndGradient(ReadOnlySpan w, Span g) |> ignore

    GC.GetAllocatedBytesForCurrentThread() - before

let private case kind d widths sigma n seed =
    { Kind = kind
      InputDimension = d
      Widths = widths
      ActivationSpec = sigma
      SampleCount = n
      Seed = seed }

let tests =
    testList "Fast loss and gradient in double against the reference passes" [
        test "two-layer, deep and sum-of-powers networks × activations × losses × n around the vector width" {
            for sigma in Shapes.activations @ [ "perturbed-relu-power:2:0.5" ] do
                for kind, widths in
                    [ NetworkKind.TwoLayer, [ 1 ]
                      NetworkKind.TwoLayer, [ 13 ]
                      NetworkKind.FeedForward, [ 5; 3 ]
                      NetworkKind.FeedForward, [ 7; 6; 5 ]
                      NetworkKind.SumOfPowers, [ 6 ] ] do
                    for n in [ 1; 7; 8; 9; 33; 200 ] do
                        let c = case kind 3 widths sigma n (int64 (n + 10 * widths.Length))
                        let w = c.Weights(0.7, 0)

                        for name, loss in losses do
                            check c.Network loss (labelled loss c.Data) w $"{c} {name}"
        }

        test "many chunks (wide layers) and two halves (large n·P) match the reference" {
            for c in
                [ case NetworkKind.FeedForward 4 [ 300; 200 ] "relu-power:2" 300 3L // chunks of fewer samples than n
                  case NetworkKind.TwoLayer 20 [ 100 ] "relu" 2001 4L // 6nP ≥ SplitWork: two halves
                  case NetworkKind.FeedForward 10 [ 40; 30 ] "leaky-relu:0.1" 1500 5L ] do
                for name, loss in [ List.head losses; losses.[1] ] do
                    check c.Network loss c.Data (c.Weights(0.5, 1)) $"{c} {name}"
        }

        test "one thread or two: the same bits" {
            for c in
                [ case NetworkKind.TwoLayer 20 [ 100 ] "relu-power:2" 2001 6L
                  case NetworkKind.FeedForward 4 [ 300; 200 ] "relu" 300 7L ] do
                let w = c.Weights(0.5, 2)

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
        }

        test "an evaluation allocates nothing (once compiled)" {
            for c in
                [ case NetworkKind.TwoLayer 10 [ 50 ] "relu-power:2" 200 8L
                  case NetworkKind.FeedForward 4 [ 300; 200 ] "relu" 300 9L ] do
                let f = LossObjective<float>(c.Network, Losses.Square, c.Data)
                let w = c.Weights(0.5, 3)
                let g = Array.zeroCreate c.Network.ParameterCount
                allocatedBy f w g 200 |> ignore // past the JIT's tiers
                Expect.equal (allocatedBy f w g 20) 0L $"{c}: bytes allocated by 20 evaluations"
        }

        test "Hessian–vector products in blocks equal the forward-over-reverse reference (dual numbers through the generic passes)" {
            let cases =
                [ for sigma in Shapes.activations @ [ "perturbed-relu-power:2:0.5" ] do
                      for kind, widths in
                          [ NetworkKind.TwoLayer, [ 5 ]
                            NetworkKind.FeedForward, [ 4; 3 ]
                            NetworkKind.FeedForward, [ 5; 4; 3 ]
                            NetworkKind.SumOfPowers, [ 6 ] ] do
                          for n in [ 1; 9; 40 ] -> case kind 3 widths sigma n (int64 (n + 7 * widths.Length)) ]
                @ [ case NetworkKind.FeedForward 4 [ 300; 200 ] "relu-power:2" 300 11L ] // several chunks

            for c in cases do
                for name, loss in losses do
                    let data = labelled loss c.Data
                    let w = c.Weights(0.7, 4)
                    let p = c.Network.ParameterCount
                    let count = 3
                    let leading = p + 5
                    let directions = Array.zeroCreate (count * leading)

                    for r in 0 .. count - 1 do
                        Array.blit (c.Direction r) 0 directions (r * leading) p

                    let products = Array.zeroCreate (count * leading)

                    LossObjective<float>(c.Network, loss, data)
                        .HessianVectorProducts(ReadOnlySpan w, ReadOnlySpan directions, count, leading, Span products)

                    let reference = Objective.LossHessian<float>(c.Network, loss, data)

                    for r in 0 .. count - 1 do
                        let expected = Array.zeroCreate p

                        reference.Apply(ReadOnlySpan w, ReadOnlySpan(c.Direction r), Span expected)
                        |> ignore

                        expectClose
                            (1e-12 * float (data.Count + p))
                            (max (maxAbs expected) 1e-300)
                            products.[r * leading .. r * leading + p - 1]
                            expected
                            $"{c} {name}: direction {r}"
        }

        test "ILoss.Derivative writes the derivative of Evaluate bit for bit, on any range" {
            let random = SeededRandom 41L
            let h = Array.init 37 (fun _ -> random.NextGaussian())

            for name, loss in losses do
                let y =
                    Array.init 37 (fun i ->
                        if loss :? LogisticLoss then
                            (if i % 3 = 0 then -1.0 else 1.0)
                        else
                            random.NextGaussian())

                let whole = Array.zeroCreate 37
                loss.Evaluate<float>(ReadOnlySpan h, ReadOnlySpan y, Span whole) |> ignore
                let pieces = Array.zeroCreate 37

                for start, length in [ 0, 10; 10, 1; 11, 26 ] do
                    loss.Derivative<float>(ReadOnlySpan(h, start, length), ReadOnlySpan(y, start, length), Span(pieces, start, length), 37)

                Expect.sequenceEqual (pieces |> Array.map BitConverter.DoubleToInt64Bits) (whole |> Array.map BitConverter.DoubleToInt64Bits) name
        }
    ]
