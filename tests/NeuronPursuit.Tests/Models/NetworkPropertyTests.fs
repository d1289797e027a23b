// SPDX-License-Identifier: MIT
/// Structural properties of homogeneous networks (docs/claims.md, invariants: homogeneity, Euler's identity and the
/// per-neuron conservation law), each checked over every architecture (two-layer, feed-forward, sum of powers),
/// several activations, random shapes, in double and in double-double.
module NeuronPursuit.Tests.Models.NetworkPropertyTests

open Expecto
open FsCheck
open FsCheck.FSharp
open NeuronPursuit
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Problems
open NeuronPursuit.Testing

/// Relative tolerances: the same 9,000 units of roundoff for each scalar type (2⁻⁵³ for double,
/// 2⁻¹⁰⁴ for double-double). Sums over samples and neurons with cancellation, and c^L for L up to 7,
/// need that many: 1e-28 (2,000 units) failed once at 1.1e-28 on a random double-double case.
let private tolDouble = 1e-12
let private tolDoubleDouble = 9000.0 * 4.93e-32

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 400 }

let inline private d (x: 'T) = Scalar.ToDouble x

/// max |H(X; c·w) − cᴸ H(X; w)| / max |cᴸ H(X; w)|.
let inline homogeneityError (toT: NetworkCase -> int -> float[] -> 'T[]) (case: NetworkCase, c: float) : float =
    let net = case.Network
    let data = case.Data.To<'T>()
    let w: 'T[] = toT case 0 (case.WeightVector 0)
    let cT = Scalar.FromDouble<'T> c
    let cL = Scalar.IntegerPower(cT, Net.degree net)
    let h = outputs net data w
    let hScaled = outputs net data (w |> Array.map (fun x -> cT * x))
    let error = Array.map2 (fun a b -> abs (d (a - cL * b))) hScaled h |> Array.max
    let scale = h |> Array.map (fun b -> abs (d (cL * b))) |> Array.max
    error / (scale + 1e-300)

/// |⟨Jᵀc, w⟩ − L ⟨c, H⟩| relative to the sum of the absolute terms (Euler's identity ⟨∇_w cᵀH, w⟩ = L cᵀH).
let inline eulerError (toT: NetworkCase -> int -> float[] -> 'T[]) (case: NetworkCase) : float =
    let net = case.Network
    let data = case.Data.To<'T>()
    let w: 'T[] = toT case 0 (case.WeightVector 0)
    let c: 'T[] = toT case 1 (case.SampleVector 0)
    let h = outputs net data w
    let g = jacobianTv net data w c
    let L = Scalar.FromDouble<'T>(float (Net.degree net))
    let lhs = Vec.dot g w
    let rhs = L * Vec.dot c h

    let scale =
        Array.fold2 (fun s a b -> s + abs (d (a * b))) 0.0 g w
        + abs (d L) * Array.fold2 (fun s a b -> s + abs (d (a * b))) 0.0 c h

    abs (d (lhs - rhs)) / (scale + 1e-300)

/// The worst relative violation over all hidden neurons of ⟨a, ∇ₐℓ⟩ = p ⟨b, ∇_bℓ⟩ for ℓ = cᵀH,
/// a the neuron's incoming and b its outgoing weights (the per-neuron conservation law).
let inline conservationError (toT: NetworkCase -> int -> float[] -> 'T[]) (case: NetworkCase) : float =
    let net = case.Network
    let data = case.Data.To<'T>()
    let w: 'T[] = toT case 0 (case.WeightVector 0)
    let c: 'T[] = toT case 1 (case.SampleVector 0)
    let g = jacobianTv net data w c
    let p = Scalar.FromDouble<'T>(float net.Activation.Degree.Value)

    let pairSum (indices: int[]) =
        indices |> Array.fold (fun s k -> s + w.[k] * g.[k]) (Scalar.FromDouble<'T> 0.0), indices |> Array.sumBy (fun k -> abs (d (w.[k] * g.[k])))

    [ for layer in 1 .. net.HiddenWidths.Count do
          for neuron in 0 .. net.HiddenWidths.[layer - 1] - 1 do
              let incoming, incomingScale = pairSum (net.Layout.IncomingIndices(layer, neuron))
              let outgoing, outgoingScale = pairSum (net.Layout.OutgoingIndices(layer, neuron))
              let scale = incomingScale + abs (d p) * outgoingScale
              yield abs (d (incoming - p * outgoing)) / (scale + 1e-300) ]
    |> List.max

let private check (what: string) (tol: float) (error: float) =
    if not (error <= tol) then
        failwithf "%s: relative error %.3e exceeds %.1e" what error tol

let private cases = Arbitraries.defaultCases
let private scaledCases = Arb.zip (cases, Arbitraries.scaleFactor)

/// The per-neuron law needs every hidden neuron's outgoing weights to be trainable.
let private withOutgoing =
    Arbitraries.networkCases (Shapes.withOutgoingWeights Shapes.defaults)

let tests =
    testList "Homogeneous network invariants" [
        testPropertyWithConfig config "homogeneity H(X; c·w) = c^L H(X; w) (double)"
        <| Prop.forAll scaledCases (fun input -> check "homogeneity" tolDouble (homogeneityError Precision.double input))

        testPropertyWithConfig config "homogeneity H(X; c·w) = c^L H(X; w) (double-double)"
        <| Prop.forAll scaledCases (fun input -> check "homogeneity" tolDoubleDouble (homogeneityError Precision.doubleDouble input))

        testPropertyWithConfig config "Euler's identity <grad_w c'H, w> = L c'H (double)"
        <| Prop.forAll cases (fun case -> check "Euler" tolDouble (eulerError Precision.double case))

        testPropertyWithConfig config "Euler's identity <grad_w c'H, w> = L c'H (double-double)"
        <| Prop.forAll cases (fun case -> check "Euler" tolDoubleDouble (eulerError Precision.doubleDouble case))

        testPropertyWithConfig config "per-neuron conservation <a, grad_a> = p <b, grad_b> (double)"
        <| Prop.forAll withOutgoing (fun case -> check "conservation" tolDouble (conservationError Precision.double case))

        testPropertyWithConfig config "per-neuron conservation <a, grad_a> = p <b, grad_b> (double-double)"
        <| Prop.forAll withOutgoing (fun case -> check "conservation" tolDoubleDouble (conservationError Precision.doubleDouble case))

        test "homogeneity degree is 1 + p + ... + p^(L-1), and p for the sum of powers" {
            let sigma = Activation.leakyReluPower 0.1 2
            Expect.equal (Net.degree (Net.twoLayer 3 4 sigma)) 3 "two-layer, p = 2"
            Expect.equal (Net.degree (Net.feedForward 3 [ 4; 2 ] sigma)) 7 "depth 3, p = 2"
            Expect.equal (Net.degree (Net.feedForward 3 [ 4; 2; 2 ] Activation.relu)) 4 "depth 4, ReLU"
            Expect.equal (Net.degree (Net.sumOfPowers 3 4 (Activation.reluPower 3))) 3 "sum of powers, p = 3"
        }

        test "a non-homogeneous activation has no degree, and breaks homogeneity" {
            let case =
                { Kind = NetworkKind.SumOfPowers
                  InputDimension = 3
                  Widths = [ 4 ]
                  ActivationSpec = "perturbed-relu-power:2:0.5"
                  SampleCount = 5
                  Seed = 11L }

            Expect.throwsT<System.ArgumentException> (fun () -> Net.degree case.Network |> ignore) "no degree"
            let w = case.WeightVector 0
            let h = outputs case.Network case.Data w
            let h2 = outputs case.Network case.Data (Array.map ((*) 2.0) w)
            Expect.isGreaterThan (maxDifference h2 (Array.map ((*) 4.0) h)) 1e-3 "H(2w) ≠ 4H(w)"
        }

        test "a violated identity is detected: Euler's identity with a wrong degree fails" {
            // The same computation as eulerError with L + 1 in place of L must show a large error,
            // so the property above is able to fail.
            let case =
                { Kind = NetworkKind.TwoLayer
                  InputDimension = 3
                  Widths = [ 4 ]
                  ActivationSpec = "relu-power:2"
                  SampleCount = 5
                  Seed = 11L }

            let net = case.Network
            let w = case.WeightVector 0
            let c = case.SampleVector 0
            let g = jacobianTv net case.Data w c
            let wrong = float (Net.degree net + 1) * Vec.dot c (outputs net case.Data w)
            Expect.isGreaterThan (abs (Vec.dot g w - wrong)) 1e-3 "a wrong degree must break the identity"
        }
    ]
