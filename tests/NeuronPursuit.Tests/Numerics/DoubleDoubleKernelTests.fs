// SPDX-License-Identifier: MIT
/// The vectorised double-double inner product and axpy of DenseKernels against the scalar loops they
/// replace, written out here with DoubleDouble's operators: equal bit for bit, zeros and infinities included.
module NeuronPursuit.Tests.Numerics.DoubleDoubleKernelTests

open System
open Expecto
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics

/// A double-double with a random leading word and a trailing word far below it; every fifth entry is ±0.
let private randomVector (random: SeededRandom) (n: int) =
    Array.init n (fun k ->
        if k % 5 = 3 then
            DoubleDouble(if k % 2 = 0 then 0.0 else -0.0)
        else
            let hi = random.NextGaussian() * Math.Pow(2.0, float (random.NextInt 40 - 20))
            DoubleDouble(hi, hi * 1e-17 * random.NextGaussian()))

let private scalarDot (x: DoubleDouble[]) (y: DoubleDouble[]) =
    let s = Array.create 4 DoubleDouble.Zero
    let n = x.Length
    let blocks = n / 4 * 4

    for k in 0 .. blocks - 1 do
        s.[k % 4] <- s.[k % 4] + x.[k] * y.[k]

    for k in blocks .. n - 1 do
        s.[0] <- s.[0] + x.[k] * y.[k]

    (s.[0] + s.[1]) + (s.[2] + s.[3])

let private bits (v: DoubleDouble) =
    BitConverter.DoubleToInt64Bits v.Hi, BitConverter.DoubleToInt64Bits v.Lo

let tests =
    testList "Double-double dense kernels" [
        test "Dot equals the scalar loop with four accumulators bit for bit" {
            let random = SeededRandom(31L)

            for n in [ 0; 1; 3; 4; 5; 8; 13; 64; 101 ] do
                let x = randomVector random n
                let y = randomVector random n
                let expected = scalarDot x y
                let actual = DenseKernels.Dot<DoubleDouble>(ReadOnlySpan x, ReadOnlySpan y)
                Expect.equal (bits actual) (bits expected) $"n = {n}: {actual} against {expected}"
        }

        test "Axpy equals y[k] += a * x[k] bit for bit" {
            let random = SeededRandom(32L)

            for n in [ 0; 1; 3; 4; 7; 16; 50; 99 ] do
                for a in
                    [ DoubleDouble(0.7, 1e-17)
                      DoubleDouble(-3.0)
                      DoubleDouble(0.0)
                      DoubleDouble(-0.0) ] do
                    let x = randomVector random n
                    let y = randomVector random n
                    let expected = Array.map2 (fun (yk: DoubleDouble) xk -> yk + a * xk) y x
                    let actual = Array.copy y
                    DenseKernels.Axpy<DoubleDouble>(a, ReadOnlySpan x, Span actual)
                    Expect.sequenceEqual (actual |> Array.map bits) (expected |> Array.map bits) $"n = {n}, a = {a}"
        }

        test "ReLUᵖ in double-double equals the generic loop (slope·z, s^(p−1), its product with s, p·s^(p−1)·slope) bit for bit" {
            let random = SeededRandom(33L)

            let z =
                Array.append (randomVector random 40) [|
                    DoubleDouble(-0.0)
                    DoubleDouble(0.0)
                    DoubleDouble(-2.5, 1e-17)
                    DoubleDouble(Double.NaN)
                |]

            for power in [ 2; 3; 4 ] do
                let sigma = PolynomialLeakyRelu(0.0, power)
                let value = Array.zeroCreate z.Length
                let derivative = Array.zeroCreate z.Length
                sigma.Evaluate<DoubleDouble>(ReadOnlySpan z, Span value, Span derivative)

                for i in 0 .. z.Length - 1 do
                    let slope =
                        if z.[i] > DoubleDouble.Zero then
                            DoubleDouble.One
                        else
                            DoubleDouble(0.0)

                    let s = slope * z.[i]
                    let sPowerMinusOne = Scalar.IntegerPower(s, power - 1)
                    Expect.equal (bits value.[i]) (bits (sPowerMinusOne * s)) $"σ(z) at z = {z.[i]}, p = {power}"

                    Expect.equal
                        (bits derivative.[i])
                        (bits (DoubleDouble(float power) * sPowerMinusOne * slope))
                        $"σ′(z) at z = {z.[i]}, p = {power}"
        }

        test "infinities and NaN give the scalar operators' results" {
            let x = Array.init 9 (fun k -> DoubleDouble(float (k + 1)))
            let y = Array.init 9 (fun k -> DoubleDouble(0.5 * float k))
            x.[2] <- DoubleDouble(Double.PositiveInfinity)

            let expectedY =
                Array.map2 (fun (yk: DoubleDouble) xk -> yk + DoubleDouble(2.0) * xk) y x

            let actualY = Array.copy y
            DenseKernels.Axpy<DoubleDouble>(DoubleDouble(2.0), ReadOnlySpan x, Span actualY)
            Expect.sequenceEqual (actualY |> Array.map bits) (expectedY |> Array.map bits) "axpy with +∞"
            Expect.equal (bits (DenseKernels.Dot<DoubleDouble>(ReadOnlySpan x, ReadOnlySpan y))) (bits (scalarDot x y)) "dot with +∞"
            y.[6] <- DoubleDouble(Double.NegativeInfinity)
            let dot = DenseKernels.Dot<DoubleDouble>(ReadOnlySpan x, ReadOnlySpan y)
            Expect.isTrue (Double.IsNaN dot.Hi) $"∞ − ∞ is NaN, got {dot}"
        }
    ]
