// SPDX-License-Identifier: MIT
/// Generators of well-scaled test cases. FsCheck draws only the shape (architecture, activation,
/// sizes) and a seed; the numbers themselves come from that seed through the core's SeededRandom:
/// Gaussian data and weights scaled by 1/√fan-in, so every output is O(1), nothing is NaN or ∞,
/// and no pre-activation sits exactly on a ReLU kink.
module NeuronPursuit.Tests.Generators

open System
open FsCheck
open FsCheck.FSharp
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics

/// One random network with data and weights, described by what FsCheck drew.
type NetworkCase =
    { Kind: string
      InputDimension: int
      Widths: int list
      ActivationSpec: string
      SampleCount: int
      Seed: int64 }

    member this.Network: HomogeneousNetwork =
        let sigma = Activation.parse this.ActivationSpec
        match this.Kind with
        | "two-layer" -> Net.twoLayer this.InputDimension this.Widths.Head sigma
        | _ -> Net.feedForward this.InputDimension this.Widths sigma

    /// Gaussian inputs N(0, 1) and labels N(0, 1).
    member this.Data: DataSet<float> =
        let random = SeededRandom(this.Seed)
        let x = Array.zeroCreate (this.SampleCount * this.InputDimension)
        let y = Array.zeroCreate this.SampleCount
        random.FillGaussian(Span x)
        random.FillGaussian(Span y)
        DataSet<float>(ReadOnlySpan x, ReadOnlySpan y, this.InputDimension)

    /// The i-th random vector in weight space, N(0, 1/fan-in) per block so that outputs are O(1).
    member this.WeightVector(i: int) : float[] =
        let net = this.Network
        let random = SeededRandom(this.Seed * 7919L + int64 i + 1L)
        let w = Array.zeroCreate net.ParameterCount
        for block in net.Layout.Blocks do
            let scale = 1.0 / sqrt (float block.Columns)
            for k in block.Offset .. block.Offset + block.Count - 1 do
                w.[k] <- scale * random.NextGaussian()
        w

    /// The i-th random vector over samples, N(0, 1).
    member this.SampleVector(i: int) : float[] =
        let random = SeededRandom(this.Seed * 104729L + int64 i + 1L)
        let c = Array.zeroCreate this.SampleCount
        random.FillGaussian(Span c)
        c

    override this.ToString() =
        $"{this.Kind} d={this.InputDimension} widths={this.Widths} {this.ActivationSpec} n={this.SampleCount} seed={this.Seed}"

/// Activations tested: ReLU, leaky ReLU, ReLU², ReLU³ and leaky ReLU².
let activationSpecs = [ "relu"; "leaky-relu:0.1"; "relu-power:2"; "relu-power:3"; "leaky-relu-power:0.2:2" ]

let private twoLayerCase =
    gen {
        let! d = Gen.choose (1, 6)
        let! m = Gen.choose (1, 8)
        let! sigma = Gen.elements activationSpecs
        let! n = Gen.choose (1, 12)
        let! seed = Gen.choose (0, Int32.MaxValue)
        return { Kind = "two-layer"; InputDimension = d; Widths = [ m ]; ActivationSpec = sigma; SampleCount = n; Seed = int64 seed }
    }

let private feedForwardCase =
    gen {
        let! d = Gen.choose (1, 5)
        let! depth = Gen.choose (1, 3)
        let! widths = Gen.listOfLength depth (Gen.choose (1, 5))
        // Depth 3 with p = 3 gives degree 40: keep powers ≤ 2 for deep nets so values stay O(1).
        let! sigma = Gen.elements (if depth >= 2 then [ "relu"; "leaky-relu:0.1"; "relu-power:2"; "leaky-relu-power:0.2:2" ] else activationSpecs)
        let! n = Gen.choose (1, 10)
        let! seed = Gen.choose (0, Int32.MaxValue)
        return { Kind = "ff"; InputDimension = d; Widths = widths; ActivationSpec = sigma; SampleCount = n; Seed = int64 seed }
    }

/// Both architectures, equally often.
let networkCase = Gen.oneof [ twoLayerCase; feedForwardCase ]

/// FsCheck arbitrary of network cases (no shrinking: a case is a seed and a shape).
let networkCases = Arb.fromGen networkCase

/// A scale factor c in [0.1, 3].
let scaleFactor = Gen.choose (100, 3000) |> Gen.map (fun k -> float k / 1000.0) |> Arb.fromGen

/// Max-norm ‖a − b‖∞.
let maxDifference (a: float[]) (b: float[]) = Array.map2 (fun x y -> abs (x - y)) a b |> Array.max

/// Max-norm ‖a‖∞ (0 for an empty array).
let maxAbs (a: float[]) = if a.Length = 0 then 0.0 else a |> Array.map abs |> Array.max

/// Asserts ‖actual − expected‖∞ ≤ tol · scale, with a message giving the numbers.
let expectClose (tol: float) (scale: float) (actual: float[]) (expected: float[]) (what: string) =
    let error = maxDifference actual expected
    if not (error <= tol * scale) then
        failwithf "%s: max difference %.3e exceeds %.1e × scale %.3e" what error tol scale

/// Asserts |actual − expected| ≤ tol · scale.
let expectCloseScalar (tol: float) (scale: float) (actual: float) (expected: float) (what: string) =
    let error = abs (actual - expected)
    if not (error <= tol * scale) then
        failwithf "%s: |%.17g − %.17g| = %.3e exceeds %.1e × scale %.3e" what actual expected error tol scale
