// SPDX-License-Identifier: MIT
/// The vectorised double-double inner product and axpy of DenseKernels, the structure-of-arrays kernels and the
/// two-layer passes built on them, against the scalar loops and generic passes they replace (the reference): equal
/// bit for bit, zeros and infinities included.
module NeuronPursuit.Tests.Numerics.DoubleDoubleKernelTests

open System
open System.Numerics
open Expecto
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Tests.Support.TestProblems

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



/// The leading and trailing words of a vector, apart.
let private split (v: DoubleDouble[]) =
    Array.map (fun (x: DoubleDouble) -> x.Hi) v, Array.map (fun (x: DoubleDouble) -> x.Lo) v

/// Reads back words as stored (no renormalisation).
let private join (hi: float[]) (lo: float[]) =
    Array.init hi.Length (fun k ->
        let words = [| hi.[k]; lo.[k] |]
        Runtime.InteropServices.MemoryMarshal.Cast<float, DoubleDouble>(Span words).[0])

/// v·2^1200 as an integer, exactly (every double's exponent is ≥ −1074).
let private scaled (v: float) =
    if v = 0.0 then
        BigInteger.Zero
    else
        let bits = BitConverter.DoubleToInt64Bits v
        let biased = int ((bits >>> 52) &&& 0x7FFL)
        let fraction = bits &&& 0xFFFFFFFFFFFFFL

        let mantissa, exponent =
            if biased = 0 then
                fraction, -1074
            else
                fraction ||| (1L <<< 52), biased - 1075

        let r = BigInteger mantissa <<< (exponent + 1200)
        if v < 0.0 then -r else r

/// a·x·2^2400 exactly, for double-doubles a and x.
let private exactProduct (a: DoubleDouble) (x: DoubleDouble) =
    (scaled a.Hi + scaled a.Lo) * (scaled x.Hi + scaled x.Lo)

/// |error| ≤ (3N + 1)(N + 4)·u²·magnitude·(1 + 2⁻⁴⁰) (u = 2^-53, both sides scaled by 2^2400), in exact integers.
let private withinBound (terms: int) (error: BigInteger) (magnitude: BigInteger) what =
    let factor = BigInteger((3 * terms + 1) * (terms + 4))
    let lhs = BigInteger.Abs error <<< (106 + 40)
    let rhs = magnitude * factor * ((BigInteger.One <<< 40) + BigInteger.One)

    Expect.isTrue
        (lhs <= rhs)
        $"{what}: |error|·2^106 = {float (BigInteger.Abs error) / float magnitude * 2.0 ** 106.0:G3}·Σ|t| exceeds (3N + 1)(N + 4) = {factor}"

/// One term a·x of the compensated accumulation on scalars, the semantics SplitDoubleDoubleKernels.AccumulateProducts
/// has in each lane: S through TwoSum; TwoSum's error, and TwoProd's error with the cross terms added by three FMAs, into E.
let private accumulateTerm (s: float, e: float) (a: DoubleDouble) (x: DoubleDouble) =
    let p = a.Hi * x.Hi
    let f = Math.FusedMultiplyAdd(a.Hi, x.Hi, -p)

    let r =
        Math.FusedMultiplyAdd(a.Hi, x.Lo, Math.FusedMultiplyAdd(a.Lo, x.Hi, Math.FusedMultiplyAdd(a.Lo, x.Lo, f)))

    let t = s + p
    let tVirtual = t - p
    let q = (s - tVirtual) + (p - (t - tVirtual))
    t, e + (q + r)

/// (S, E) after the terms aₖxₖ in order from (s, e), a term whose factor aₖ is exactly zero skipped.
let private accumulateTerms (start: float * float) (a: DoubleDouble seq) (x: DoubleDouble seq) =
    Seq.zip a x
    |> Seq.filter (fun (ak, _) -> ak.Hi <> 0.0)
    |> Seq.fold (fun acc (ak, xk) -> accumulateTerm acc ak xk) start

/// Σₖ aₖxₖ by the compensated accumulation from (0, 0), renormalised by TwoSum.
let private compensatedSum (a: DoubleDouble seq) (x: DoubleDouble seq) =
    let s, e = accumulateTerms (0.0, 0.0) a x
    let struct (hi, lo) = ErrorFreeTransforms.TwoSum(s, e)
    join [| hi |] [| lo |] |> Array.exactlyOne

/// A two-layer ReLU² problem in double-double: inputs with ±0 entries, square loss, random weights of scale 1.
let private twoLayerProblem (seed: int64) n d m =
    let random = SeededRandom seed
    let x = randomVector random (n * d)
    let y = randomVector random n
    let network = TwoLayerNetwork(d, m, Activations.ReluPower 2)
    let w = randomVector random network.ParameterCount
    network, DataSet<DoubleDouble>(ReadOnlySpan x, ReadOnlySpan y, d), w

/// The generic passes of the network and the loss (the reference): ℒ, H and ∇ℒ.
let private referenceLossGradient (network: HomogeneousNetwork) (data: DataSet<DoubleDouble>) (w: DoubleDouble[]) =
    let workspace = network.CreateWorkspace<DoubleDouble> data.Count
    let h = Array.zeroCreate data.Count
    let c = Array.zeroCreate data.Count
    let gradient = Array.zeroCreate network.ParameterCount
    network.Forward(data.X, ReadOnlySpan w, Span h, workspace)
    let value = SquareLoss().Evaluate<DoubleDouble>(ReadOnlySpan h, data.Y, Span c)
    network.Backward(data.X, ReadOnlySpan w, ReadOnlySpan c, Span gradient, workspace)
    value, h, gradient

let tests =
    testList "Double-double dense kernels" [
        test "Dot equals the scalar loop with four accumulators bit for bit" {
            let random = SeededRandom(31L)

            for n in [ 0; 1; 3; 4; 5; 8; 13; 64; 101 ] do
                let x = randomVector random n
                let y = randomVector random n
                let expected = scalarDot x y
                let actual = DenseKernels.Dot<DoubleDouble>(ReadOnlySpan x, ReadOnlySpan y)
                Expect.equal (ddBits actual) (ddBits expected) $"n = {n}: {actual} against {expected}"
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
                    Expect.sequenceEqual (actual |> Array.map ddBits) (expected |> Array.map ddBits) $"n = {n}, a = {a}"
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
                    Expect.equal (ddBits value.[i]) (ddBits (sPowerMinusOne * s)) $"σ(z) at z = {z.[i]}, p = {power}"

                    Expect.equal
                        (ddBits derivative.[i])
                        (ddBits (DoubleDouble(float power) * sPowerMinusOne * slope))
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
            Expect.sequenceEqual (actualY |> Array.map ddBits) (expectedY |> Array.map ddBits) "axpy with +∞"
            Expect.equal (ddBits (DenseKernels.Dot<DoubleDouble>(ReadOnlySpan x, ReadOnlySpan y))) (ddBits (scalarDot x y)) "dot with +∞"
            y.[6] <- DoubleDouble(Double.NegativeInfinity)
            let dot = DenseKernels.Dot<DoubleDouble>(ReadOnlySpan x, ReadOnlySpan y)
            Expect.isTrue (Double.IsNaN dot.Hi) $"∞ − ∞ is NaN, got {dot}"
        }

        test "the structure-of-arrays ScaledProduct and ReLU² equal the scalar operators and PolynomialLeakyRelu bit for bit" {
            if DoubleDoubleKernels.IsSupported then
                let random = SeededRandom(34L)

                for n in [ 8; 16; 56 ] do
                    let x = randomVector random n
                    let y = randomVector random n
                    let s = randomVector random n
                    let a = DoubleDouble(-0.3, 2e-18)
                    let xh, xl = split x

                    // Positive z with a trailing word of −0 or +0, whose σ′ = 2z must come out with a +0 trailing word.
                    for k in 2..7 .. n - 1 do
                        xh.[k] <- 1.5 + float k
                        xl.[k] <- if k % 2 = 0 then -0.0 else 0.0

                    let x = join xh xl
                    let yh, yl = split y
                    let sh, sl = split s
                    let rh = Array.zeroCreate n
                    let rl = Array.zeroCreate n
                    SplitDoubleDoubleKernels.ScaledProduct(a, ReadOnlySpan xh, ReadOnlySpan xl, ReadOnlySpan sh, ReadOnlySpan sl, Span rh, Span rl)
                    let expectedProduct = Array.map2 (fun (xk: DoubleDouble) sk -> a * xk * sk) x s
                    Expect.sequenceEqual (join rh rl |> Array.map ddBits) (expectedProduct |> Array.map ddBits) $"(a·x)·s, n = {n}"
                    let value = Array.zeroCreate n
                    let derivative = Array.zeroCreate n
                    PolynomialLeakyRelu(0.0, 2).Evaluate<DoubleDouble>(ReadOnlySpan x, Span value, Span derivative)
                    let vh = Array.zeroCreate n
                    let vl = Array.zeroCreate n
                    let dh = Array.zeroCreate n
                    let dl = Array.zeroCreate n
                    SplitDoubleDoubleKernels.ReluSquare(ReadOnlySpan xh, ReadOnlySpan xl, Span vh, Span vl, Span dh, Span dl)
                    Expect.sequenceEqual (join vh vl |> Array.map ddBits) (value |> Array.map ddBits) $"σ, n = {n}"
                    Expect.sequenceEqual (join dh dl |> Array.map ddBits) (derivative |> Array.map ddBits) $"σ′, n = {n}"
        }

        test "two-layer ReLU² loss, outputs and gradient in double-double agree with the generic passes to 2^-80, far beyond double" {
            let close (actual: DoubleDouble[]) (expected: DoubleDouble[]) what =
                let scale = expected |> Array.map (fun v -> abs v.Hi) |> Array.max

                let worst =
                    Array.map2 (fun (a: DoubleDouble) (e: DoubleDouble) -> abs (a - e).Hi) actual expected
                    |> Array.max

                Expect.isLessThanOrEqual worst (Math.Pow(2.0, -80.0) * scale) $"{what}: max |fast − reference| against max |reference|"

            for (seed, n, d, m) in
                [ (41L, 7, 3, 5)
                  (42L, 200, 10, 50)
                  (43L, 33, 4, 17)
                  (44L, 20, 2, 9)
                  (45L, 9, 1, 8) ] do
                let network, data, w = twoLayerProblem seed n d m
                Expect.equal (TwoLayerDoubleDoublePasses.Supports network) DoubleDoubleKernels.IsSupported "the vector passes apply"
                let value, h, gradient = referenceLossGradient network data w

                if DoubleDoubleKernels.IsSupported then
                    // The passes themselves, so that a silent fall-back to the reference cannot pass the test.
                    let passes = TwoLayerDoubleDoublePasses(network, data)
                    let passH = Array.zeroCreate n
                    let passGradient = Array.zeroCreate network.ParameterCount
                    let c = Array.zeroCreate n
                    Expect.isTrue (passes.Forward(ReadOnlySpan w, Span passH)) "the forward pass finds finite values"

                    SquareLoss().Evaluate<DoubleDouble>(ReadOnlySpan passH, data.Y, Span c)
                    |> ignore

                    Expect.isTrue (passes.Backward(ReadOnlySpan c, Span passGradient)) "the backward pass finds finite values"
                    close passH h $"passes' H, n = {n}, d = {d}, m = {m}"
                    close passGradient gradient $"passes' ∇ℒ, n = {n}, d = {d}, m = {m}"

                let objective = LossObjective<DoubleDouble>(network, SquareLoss(), data)
                let actualGradient = Array.zeroCreate network.ParameterCount
                let actualValue = objective.ValueAndGradient(ReadOnlySpan w, Span actualGradient)
                close [| actualValue |] [| value |] $"ℒ, n = {n}, d = {d}, m = {m}"
                close (objective.LastOutputs.ToArray()) h $"H, n = {n}, d = {d}, m = {m}"
                close actualGradient gradient $"∇ℒ, n = {n}, d = {d}, m = {m}"
        }

        test "AccumulateProducts over rows equals the scalar compensated accumulation of the rows in order, lane by lane, bit for bit" {
            if DoubleDoubleKernels.IsSupported then
                let random = SeededRandom(48L)

                for rows, lanes, stride in [ (1, 8, 8); (10, 56, 56); (200, 56, 64); (7, 16, 24); (3, 8, 40); (0, 8, 8) ] do
                    let a = randomVector random rows
                    // Every third factor a one-word double (trailing word zero), as the inputs of a data set are.
                    let a = a |> Array.mapi (fun r ar -> if r % 3 = 1 then DoubleDouble(ar.Hi) else ar)
                    let x = randomVector random (max rows 1 * stride)
                    let start = randomVector random lanes
                    let sum = start |> Array.map (fun v -> v.Hi)
                    // E starts at +0 or a non-zero value, never at −0 (see the one-word factor's term).
                    let error = start |> Array.map (fun v -> v.Lo + 0.0)
                    let xh, xl = split x
                    SplitDoubleDoubleKernels.AccumulateProducts(ReadOnlySpan a, ReadOnlySpan xh, ReadOnlySpan xl, stride, Span sum, Span error)

                    for lane in 0 .. lanes - 1 do
                        let column = Array.init rows (fun r -> x.[r * stride + lane])
                        let s, e = accumulateTerms (start.[lane].Hi, start.[lane].Lo) a column
                        let bits (v: float) = BitConverter.DoubleToInt64Bits v

                        Expect.equal
                            (bits sum.[lane], bits error.[lane])
                            (bits s, bits e)
                            $"rows = {rows}, lanes = {lanes}, stride = {stride}, lane {lane}: (S, E)"
        }

        test "AccumulateProductColumns equals AccumulateProducts over each column of factors, bit for bit" {
            if DoubleDoubleKernels.IsSupported then
                let random = SeededRandom(52L)

                for (rows, count, factorStride, lanes, stride), oneWordFactors in
                    List.allPairs [
                        (1, 1, 1, 8, 8)
                        (10, 4, 200, 56, 56)
                        (200, 10, 10, 56, 56)
                        (7, 9, 11, 16, 24)
                        (3, 2, 2, 8, 40)
                        (0, 3, 3, 8, 8)
                    ] [ false; true ] do
                    // Every third factor a one-word double, every seventh exactly zero (a skipped row); with
                    // oneWordFactors, as the caller states, every factor a non-zero double.
                    let a =
                        randomVector random (max rows 1 * factorStride)
                        |> Array.mapi (fun r ar ->
                            if oneWordFactors then
                                DoubleDouble(if ar.Hi = 0.0 then 0.5 else ar.Hi)
                            elif r % 7 = 3 then
                                DoubleDouble.Zero
                            elif r % 3 = 1 then
                                DoubleDouble(ar.Hi)
                            else
                                ar)

                    let x = randomVector random (max rows 1 * stride)
                    let start = randomVector random (count * lanes)
                    let xh, xl = split x
                    let sum = start |> Array.map (fun v -> v.Hi)
                    let error = start |> Array.map (fun v -> v.Lo + 0.0)
                    let expectedSum = Array.copy sum
                    let expectedError = Array.copy error

                    SplitDoubleDoubleKernels.AccumulateProductColumns(
                        ReadOnlySpan a,
                        factorStride,
                        count,
                        rows,
                        ReadOnlySpan xh,
                        ReadOnlySpan xl,
                        stride,
                        Span sum,
                        Span error,
                        lanes,
                        oneWordFactors
                    )

                    for c in 0 .. count - 1 do
                        let column = Array.init rows (fun r -> a.[r * factorStride + c])

                        SplitDoubleDoubleKernels.AccumulateProducts(
                            ReadOnlySpan column,
                            ReadOnlySpan xh,
                            ReadOnlySpan xl,
                            stride,
                            Span(expectedSum, c * lanes, lanes),
                            Span(expectedError, c * lanes, lanes)
                        )

                    let bits = Array.map BitConverter.DoubleToInt64Bits
                    Expect.sequenceEqual (bits sum) (bits expectedSum) $"rows = {rows}, count = {count}, one-word factors = {oneWordFactors}: S"
                    Expect.sequenceEqual (bits error) (bits expectedError) $"rows = {rows}, count = {count}, one-word factors = {oneWordFactors}: E"
        }

        test "the two-layer double-double passes equal the compensated sums over the inputs and over the samples in order, bit for bit" {
            if DoubleDoubleKernels.IsSupported then
                // Inputs in double-double; read from a file in double (every trailing word zero), with ±0 entries; and
                // non-zero doubles, whose sums take the untested one-word term.
                for seed, n, d, m, inputs in
                    [ (49L, 200, 10, 50, "double-double")
                      (49L, 200, 10, 50, "double")
                      (49L, 200, 10, 50, "non-zero double")
                      (50L, 33, 4, 17, "double-double")
                      (51L, 9, 1, 8, "double")
                      (51L, 9, 3, 8, "non-zero double") ] do
                    let network, data, w = twoLayerProblem seed n d m

                    let data =
                        match inputs with
                        | "double" -> data.X.ToArray() |> Array.map (fun v -> DoubleDouble(v.Hi)) |> Some
                        | "non-zero double" ->
                            data.X.ToArray()
                            |> Array.map (fun v -> DoubleDouble(if v.Hi = 0.0 then -0.25 else v.Hi))
                            |> Some
                        | _ -> None
                        |> Option.map (fun x -> DataSet<DoubleDouble>(ReadOnlySpan x, data.Y, d))
                        |> Option.defaultValue data

                    let x = data.X.ToArray()
                    let weight j k = w.[j * d + k]
                    let v j = w.[m * d + j]
                    let width = (m + 7) / 8 * 8

                    let padded (row: DoubleDouble[]) =
                        Array.append row (Array.zeroCreate (width - m))

                    // The model: z, σ and σ′, h, c, then the gradient, from the sums in the order of the passes' doc.
                    let z =
                        Array.init n (fun i -> Array.init m (fun j -> compensatedSum x.[i * d .. i * d + d - 1] (Array.init d (weight j))))

                    let sigma, slope =
                        z
                        |> Array.map (fun zi ->
                            let value = Array.zeroCreate m
                            let derivative = Array.zeroCreate m
                            PolynomialLeakyRelu(0.0, 2).Evaluate<DoubleDouble>(ReadOnlySpan zi, Span value, Span derivative)
                            value, derivative)
                        |> Array.unzip

                    let vh, vl = split (padded (Array.init m v))

                    let h =
                        sigma
                        |> Array.map (fun si ->
                            let sh, sl = split (padded si)
                            SplitDoubleDoubleKernels.Dot(ReadOnlySpan vh, ReadOnlySpan vl, ReadOnlySpan sh, ReadOnlySpan sl))

                    let c = Array.zeroCreate n

                    SquareLoss().Evaluate<DoubleDouble>(ReadOnlySpan h, data.Y, Span c) |> ignore

                    let delta =
                        Array.init n (fun i -> Array.init m (fun j -> c.[i] * v j * slope.[i].[j]))

                    let expected =
                        Array.append
                            (Array.init (m * d) (fun p ->
                                let j, k = p / d, p % d
                                compensatedSum (Array.init n (fun i -> x.[i * d + k])) (Array.init n (fun i -> delta.[i].[j]))))
                            (Array.init m (fun j -> compensatedSum c (Array.init n (fun i -> sigma.[i].[j]))))

                    let passes = TwoLayerDoubleDoublePasses(network, data)
                    let passH = Array.zeroCreate n
                    let passC = Array.zeroCreate n
                    let passGradient = Array.zeroCreate network.ParameterCount
                    Expect.isTrue (passes.Forward(ReadOnlySpan w, Span passH)) "the forward pass finds finite values"

                    SquareLoss().Evaluate<DoubleDouble>(ReadOnlySpan passH, data.Y, Span passC)
                    |> ignore

                    Expect.isTrue (passes.Backward(ReadOnlySpan passC, Span passGradient)) "the backward pass finds finite values"
                    Expect.sequenceEqual (Array.map ddBits passH) (Array.map ddBits h) $"H, n = {n}, d = {d}, m = {m}, inputs in {inputs}"

                    Expect.sequenceEqual
                        (Array.map ddBits passGradient)
                        (Array.map ddBits expected)
                        $"∇ℒ, n = {n}, d = {d}, m = {m}, inputs in {inputs}"
        }

        test "the compensated accumulation and inner product stay within their proved bound (3N + 1)(N + 4)u²·Σ|aₖ||xₖ| of the exact sum" {
            if DoubleDoubleKernels.IsSupported then
                let random = SeededRandom(47L)

                for terms in [ 1; 10; 200; 1000 ] do
                    for cancelling in [ false; true ] do
                        let a = randomVector random terms
                        let x = Array.init terms (fun _ -> randomVector random 8)

                        if cancelling then
                            // The last term nearly cancels the others in lane 0: the sum is tiny against Σ|terms|.
                            let partial =
                                Array.fold2
                                    (fun (s: DoubleDouble) (ak: DoubleDouble) (xk: DoubleDouble[]) -> s + ak * xk.[0])
                                    DoubleDouble.Zero
                                    a.[.. terms - 2]
                                    x.[.. terms - 2]

                            a.[terms - 1] <- DoubleDouble(1.0)
                            x.[terms - 1].[0] <- -partial + DoubleDouble(partial.Hi * 1e-25)

                        let sum = Array.zeroCreate 8
                        let error = Array.zeroCreate 8
                        let xh, xl = split (Array.concat x)
                        SplitDoubleDoubleKernels.AccumulateProducts(ReadOnlySpan a, ReadOnlySpan xh, ReadOnlySpan xl, 8, Span sum, Span error)

                        let hi = Array.zeroCreate 8
                        let lo = Array.zeroCreate 8
                        SplitDoubleDoubleKernels.Normalize(ReadOnlySpan sum, ReadOnlySpan error, Span hi, Span lo)

                        for lane in 0..7 do
                            let exact =
                                Array.fold2 (fun s (ak: DoubleDouble) (xk: DoubleDouble[]) -> s + exactProduct ak xk.[lane]) BigInteger.Zero a x

                            let magnitude =
                                Array.fold2
                                    (fun s (ak: DoubleDouble) (xk: DoubleDouble[]) -> s + BigInteger.Abs(exactProduct ak xk.[lane]))
                                    BigInteger.Zero
                                    a
                                    x

                            let result = (scaled hi.[lane] + scaled lo.[lane]) <<< 1200
                            withinBound terms (result - exact) magnitude $"N = {terms}, lane {lane}, cancelling = {cancelling}"

                        // The inner product of lane 0's factors as two vectors (N = terms + 8 for its lane sums).
                        let padded = (terms + 7) / 8 * 8
                        let u = Array.init padded (fun k -> if k < terms then a.[k] else DoubleDouble.Zero)

                        let v =
                            Array.init padded (fun k -> if k < terms then x.[k].[0] else DoubleDouble.Zero)

                        let uh, ul = split u
                        let vh, vl = split v

                        let dot =
                            SplitDoubleDoubleKernels.Dot(ReadOnlySpan uh, ReadOnlySpan ul, ReadOnlySpan vh, ReadOnlySpan vl)

                        let exact = Array.fold2 (fun s ak vk -> s + exactProduct ak vk) BigInteger.Zero u v

                        let magnitude =
                            Array.fold2 (fun s ak vk -> s + BigInteger.Abs(exactProduct ak vk)) BigInteger.Zero u v

                        withinBound
                            (padded + 8)
                            (((scaled dot.Hi + scaled dot.Lo) <<< 1200) - exact)
                            magnitude
                            $"Dot, N = {terms}, cancelling = {cancelling}"
        }

        test "a two-layer evaluation whose σ overflows gives the generic passes' outcome" {
            let network, data, w = twoLayerProblem 46L 16 3 12
            let objective = LossObjective<DoubleDouble>(network, SquareLoss(), data)
            let gradient = Array.zeroCreate network.ParameterCount
            // Every weight huge; and only W huge with vⱼ = 0 for every other neuron (σ overflows where the readout is 0).
            let allHuge = w |> Array.map (fun wk -> wk * DoubleDouble(1e160))
            let m, d = network.Width, network.InputDimension

            let hugeW =
                w
                |> Array.mapi (fun p wk ->
                    if p < m * d then wk * DoubleDouble(1e160)
                    elif (p - m * d) % 2 = 0 then DoubleDouble.Zero
                    else wk)

            for huge in [ allHuge; hugeW ] do

                let outcome f =
                    try
                        Ok(f ())
                    with :? ArgumentException as e ->
                        Error(e.GetType())

                let expected =
                    outcome (fun () -> let v, _, g = referenceLossGradient network data huge in ddBits v, Array.map ddBits g)

                let actual =
                    outcome (fun () ->
                        let v = objective.ValueAndGradient(ReadOnlySpan huge, Span gradient)
                        ddBits v, Array.map ddBits gradient)

                Expect.equal actual expected "same value and gradient, or the same rejection"
        }
    ]
