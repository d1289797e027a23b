// SPDX-License-Identifier: MIT
/// The 512-bit kernels of the feature-major evaluator against its Vector<T> loops, the reference (docs/pursuit.md,
/// "Cost"): the forward pass (outputs, post-activations) and the gradient (which takes σ′) must agree bit for bit, over shapes that
/// leave tails of every kind (samples not a multiple of 8 or 4, inputs and widths not a multiple of 4, odd widths) and
/// activations with α ≠ 0 and p > 1. Where the machine has no 512-bit vectors both evaluators run the reference. The
/// reference itself is checked against its definition: each pre-activation a chain of fused multiply–adds in column
/// order, each weight gradient DenseKernels.Dot.
module NeuronPursuit.Tests.Pursuit.WideKernelTests

open System
open System.Numerics
open Expecto
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Pursuit

let private bits (x: ReadOnlySpan<float>) =
    Array.map BitConverter.DoubleToInt64Bits (x.ToArray())

/// (d, hidden widths, n).
let private shapes =
    [ 20, [| 4; 2 |], 1000
      20, [| 3; 2 |], 1003
      20, [| 6; 3 |], 998
      5, [| 1 |], 8
      7, [| 5; 1; 3 |], 61
      4, [| 2; 7 |], 13
      23, [| 9 |], 37 ]

/// ⟨x, y⟩ as DenseKernels' Vector<T> loop takes it: two accumulators of fused multiply–adds over alternate vectors,
/// their lane sum, then the last elements one by one (the semantics the 512-bit loop must keep).
let private referenceDot (x: float[]) (y: float[]) =
    let lanes = Vector<float>.Count
    let n = x.Length
    let mutable sum = 0.0
    let mutable k = 0

    if n >= 2 * lanes then
        let vectors = n / lanes
        let load (a: float[]) v = Vector<float>(a, v * lanes)
        let mutable s0 = Vector<float>.Zero
        let mutable s1 = Vector<float>.Zero
        let mutable v = 0

        while v + 1 < vectors do
            s0 <- Vector.FusedMultiplyAdd(load x v, load y v, s0)
            s1 <- Vector.FusedMultiplyAdd(load x (v + 1), load y (v + 1), s1)
            v <- v + 2

        if v < vectors then
            s0 <- Vector.FusedMultiplyAdd(load x v, load y v, s0)

        sum <- Vector.Sum(s0 + s1)
        k <- vectors * lanes

    while k < n do
        sum <- Math.FusedMultiplyAdd(x.[k], y.[k], sum)
        k <- k + 1

    sum

/// Z[j, i] by its definition: z = 0, then z = fma(M[j, k], A[k, i], z) for k in order.
let private chainedCombination (m: float[]) rows columns (a: float[]) n =
    Array.init (rows * n) (fun e ->
        let j, i = e / n, e % n
        let mutable z = 0.0

        for k in 0 .. columns - 1 do
            z <- Math.FusedMultiplyAdd(m.[j * columns + k], a.[k * n + i], z)

        z)

let tests =
    testList "512-bit feature-major kernels" [
        test "the reference pre-activations are fused multiply–add chains in column order, at every row count and tail" {
            let random = SeededRandom 90L

            for rows, columns, n in [ 1, 20, 1000; 2, 7, 37; 3, 4, 61; 4, 20, 13; 5, 3, 8; 6, 1, 3; 9, 23, 100 ] do
                let m = Array.init (rows * columns) (fun _ -> random.NextGaussian())
                let a = Array.init (columns * n) (fun _ -> random.NextGaussian())
                let expected = chainedCombination m rows columns a n

                for name, combine in
                    [ "reference",
                      (fun (z: float[]) -> FeatureMajorEvaluator.ReferenceCombineRows(ReadOnlySpan m, rows, columns, ReadOnlySpan a, Span z, n))
                      "dispatched", (fun (z: float[]) -> FeatureMajorEvaluator.CombineRows(ReadOnlySpan m, rows, columns, ReadOnlySpan a, Span z, n)) ] do
                    let z = Array.zeroCreate (rows * n)
                    combine z
                    Expect.equal (bits (ReadOnlySpan z)) (bits (ReadOnlySpan expected)) $"{name}, rows {rows}, columns {columns}, n = {n}"
        }
        test "the reference weight gradient is DenseKernels.Dot of the signal and the layer's input, entry by entry" {
            let random = SeededRandom 89L

            for d, widths, n in shapes do
                let net = FeedForwardNetwork(d, widths, Activations.LeakyReluPower(0.1, 2))
                let x = Array.init (n * d) (fun _ -> random.NextGaussian())
                let w = Array.init net.ParameterCount (fun _ -> 0.5 * random.NextGaussian())
                let c = Array.init n (fun _ -> random.NextGaussian())

                for wide in [ false; true ] do
                    let evaluator = FeatureMajorEvaluator(net, ReadOnlySpan x, wide)
                    evaluator.Forward(ReadOnlySpan w)
                    let gradient = Array.zeroCreate net.ParameterCount
                    evaluator.Backward(ReadOnlySpan w, ReadOnlySpan c, Span gradient)
                    // The output layer's signal is c itself: ∇W_L[0, k] = Dot(c, h_{L-1}[k, ·]).
                    let last = net.Layout.Blocks.[widths.Length]
                    let h = (evaluator.PostActivations widths.Length).ToArray()

                    for k in 0 .. last.Columns - 1 do
                        Expect.equal
                            (BitConverter.DoubleToInt64Bits gradient.[last.Offset + k])
                            (BitConverter.DoubleToInt64Bits(DenseKernels.Dot(ReadOnlySpan c, ReadOnlySpan(h, k * n, n))))
                            $"wide {wide}, d = {d}, widths {widths}, n = {n}, output weight {k}"
        }
        test "the wide forward and backward passes give the reference's bits" {
            let random = SeededRandom 91L

            for sigma in
                [ Activations.Relu
                  Activations.LeakyReluPower(0.1, 2)
                  Activations.ReluPower(3) ] do
                for d, widths, n in shapes do
                    let what =
                        $"""{sigma.Specification}, d = {d}, widths ({String.Join(",", widths)}), n = {n}"""

                    let net = FeedForwardNetwork(d, widths, sigma)
                    // Inputs ±1 and Gaussian, every seventh one zero (kinks and exact zeros).
                    let x =
                        Array.init (n * d) (fun k ->
                            if k % 7 = 3 then 0.0
                            elif k % 2 = 0 then float (2 * (k % 3 % 2) - 1)
                            else random.NextGaussian())

                    let w =
                        Array.init net.ParameterCount (fun k -> if k % 11 = 5 then 0.0 else 0.5 * random.NextGaussian())

                    let c = Array.init n (fun _ -> random.NextGaussian())
                    let reference = FeatureMajorEvaluator(net, ReadOnlySpan x, false)
                    let wide = FeatureMajorEvaluator(net, ReadOnlySpan x, true)
                    reference.Forward(ReadOnlySpan w)
                    wide.Forward(ReadOnlySpan w)
                    Expect.equal (bits wide.Outputs) (bits reference.Outputs) $"outputs, {what}"

                    for l in 1 .. widths.Length do
                        Expect.equal (bits (wide.PostActivations l)) (bits (reference.PostActivations l)) $"layer {l}, {what}"

                    let gw = Array.zeroCreate net.ParameterCount
                    let gr = Array.zeroCreate net.ParameterCount
                    reference.Backward(ReadOnlySpan w, ReadOnlySpan c, Span gr)
                    wide.Backward(ReadOnlySpan w, ReadOnlySpan c, Span gw)
                    Expect.equal (bits (ReadOnlySpan gw)) (bits (ReadOnlySpan gr)) $"gradient, {what}"
        }
        test "the inner product gives the bits of the two-accumulator Vector<T> loop at every length" {
            let random = SeededRandom 92L

            for n in [ 0..41 ] @ [ 999; 1000; 1003; 1004 ] do
                let x = Array.init n (fun _ -> random.NextGaussian())
                let y = Array.init n (fun _ -> random.NextGaussian())

                Expect.equal
                    (BitConverter.DoubleToInt64Bits(DenseKernels.Dot(ReadOnlySpan x, ReadOnlySpan y)))
                    (BitConverter.DoubleToInt64Bits(referenceDot x y))
                    $"n = {n}"
        }
        test "the inner products with several rows give the bits of the two-accumulator Vector<T> loop, row by row" {
            let random = SeededRandom 93L

            for n in [ 0..41 ] @ [ 999; 1000; 1003; 1004 ] do
                for count in 0..9 do
                    let x = Array.init n (fun _ -> random.NextGaussian())
                    let rows = Array.init (count * n) (fun _ -> random.NextGaussian())
                    let result = Array.zeroCreate<float> count
                    DenseKernels.DotRows(ReadOnlySpan x, ReadOnlySpan rows, Span result)

                    for r in 0 .. count - 1 do
                        Expect.equal
                            (BitConverter.DoubleToInt64Bits result.[r])
                            (BitConverter.DoubleToInt64Bits(referenceDot x rows.[r * n .. (r + 1) * n - 1]))
                            $"n = {n}, row {r} of {count}"
        }
    ]
