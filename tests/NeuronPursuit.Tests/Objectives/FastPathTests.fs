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
open NeuronPursuit.Tests.Support.LossReference

let private losses: (string * ILoss) list =
    [ "square", Losses.Square
      "square-mean", Losses.SquareMean
      "logistic", Losses.Logistic()
      "logistic-mean:2", Losses.Parse "logistic-mean:2" ]

/// Asserts the fast path equal to the reference up to rounding (LossReference.expectMatchesReference), and Value
/// equal to ValueAndGradient's loss.
let private check (net: HomogeneousNetwork) (loss: ILoss) (data: DataSet<float>) (w: float[]) (what: string) =
    let f = LossObjective<float>(net, loss, data)
    let gradient = Array.zeroCreate net.ParameterCount
    let fastValue = f.ValueAndGradient(ReadOnlySpan w, Span gradient)
    expectMatchesReference net loss data w (fastValue, f.LastOutputs.ToArray(), gradient) what
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
                expectThreadCountIndependent c (c.Weights(0.5, 2))
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
