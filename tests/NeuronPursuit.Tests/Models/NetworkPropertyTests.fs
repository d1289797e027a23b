// SPDX-License-Identifier: MIT
/// Structural properties of homogeneous networks (small-init-and-saddles digest §5, invariants 1,
/// 2 and 5), each checked over both architectures, several activations, random shapes, and both
/// double and double-double.
module NeuronPursuit.Tests.Models.NetworkPropertyTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open NeuronPursuit
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Tests.Generators

/// Relative tolerances: the same 9,000 units of roundoff for each scalar type (2⁻⁵³ for double,
/// 2⁻¹⁰⁴ for double-double). Sums over samples and neurons with cancellation, and c^L for L up to 7,
/// need that many: 1e-28 (2,000 units) failed once at 1.1e-28 on a random double-double case.
let private tolDouble = 1e-12
let private tolDoubleDouble = 9000.0 * 4.93e-32

let private config = { FsCheckConfig.defaultConfig with maxTest = 400 }

/// The first argument of the generic error functions below is a value of the scalar type to use
/// (0.0 or DoubleDouble.Zero): it selects the instantiation.
let inline private toScalar (w: float[]) : 'T[] = Scalar.ToArray<'T>(ReadOnlySpan w)
let inline private d (x: 'T) = Scalar.ToDouble x

/// max |H(X; c·w) − cᴸ H(X; w)| / max |cᴸ H(X; w)|.
let inline homogeneityError (_scalar: 'T) (case: NetworkCase, c: float) : float =
    let net = case.Network
    let data = case.Data.To<'T>()
    let w: 'T[] = toScalar (case.WeightVector 0)
    let cT = Scalar.FromDouble<'T> c
    let cL = Scalar.IntegerPower(cT, Net.degree net)
    let h = outputs net data w
    let hScaled = outputs net data (w |> Array.map (fun x -> cT * x))
    let error = Array.map2 (fun a b -> abs (d (a - cL * b))) hScaled h |> Array.max
    let scale = h |> Array.map (fun b -> abs (d (cL * b))) |> Array.max
    error / (scale + 1e-300)

/// |⟨Jᵀc, w⟩ − L ⟨c, H⟩| relative to the sum of the absolute terms (Euler's identity, invariant 2).
let inline eulerError (_scalar: 'T) (case: NetworkCase) : float =
    let net = case.Network
    let data = case.Data.To<'T>()
    let w: 'T[] = toScalar (case.WeightVector 0)
    let c: 'T[] = toScalar (case.SampleVector 0)
    let h = outputs net data w
    let g = jacobianTv net data w c
    let L = Scalar.FromDouble<'T>(float (Net.degree net))
    let lhs = Vec.dot g w
    let rhs = L * Vec.dot c h
    let scale = Array.fold2 (fun s a b -> s + abs (d (a * b))) 0.0 g w + abs (d L) * Array.fold2 (fun s a b -> s + abs (d (a * b))) 0.0 c h
    abs (d (lhs - rhs)) / (scale + 1e-300)

/// The worst relative violation over all hidden neurons of ⟨a, ∇ₐℓ⟩ = p ⟨b, ∇_bℓ⟩ for ℓ = cᵀH,
/// a the neuron's incoming and b its outgoing weights (invariant 5).
let inline conservationError (_scalar: 'T) (case: NetworkCase) : float =
    let net = case.Network
    let data = case.Data.To<'T>()
    let w: 'T[] = toScalar (case.WeightVector 0)
    let c: 'T[] = toScalar (case.SampleVector 0)
    let g = jacobianTv net data w c
    let p = Scalar.FromDouble<'T>(float net.Activation.Degree.Value)
    let pairSum (indices: int[]) =
        indices |> Array.fold (fun s k -> s + w.[k] * g.[k]) (Scalar.FromDouble<'T> 0.0),
        indices |> Array.sumBy (fun k -> abs (d (w.[k] * g.[k])))
    [ for layer in 1 .. net.HiddenWidths.Count do
        for neuron in 0 .. net.HiddenWidths.[layer - 1] - 1 do
            let incoming, incomingScale = pairSum (net.Layout.IncomingIndices(layer, neuron))
            let outgoing, outgoingScale = pairSum (net.Layout.OutgoingIndices(layer, neuron))
            let scale = incomingScale + abs (d p) * outgoingScale
            yield abs (d (incoming - p * outgoing)) / (scale + 1e-300) ]
    |> List.max

let private check (what: string) (tol: float) (error: float) =
    if not (error <= tol) then failwithf "%s: relative error %.3e exceeds %.1e" what error tol

let tests =
    testList "Homogeneous network invariants" [
        testPropertyWithConfig config "homogeneity H(X; c·w) = c^L H(X; w) (double)" <|
            Prop.forAll (Arb.fromGen (Gen.zip networkCase (Arb.toGen scaleFactor))) (fun input ->
                check "homogeneity" tolDouble (homogeneityError 0.0 input))

        testPropertyWithConfig config "homogeneity H(X; c·w) = c^L H(X; w) (double-double)" <|
            Prop.forAll (Arb.fromGen (Gen.zip networkCase (Arb.toGen scaleFactor))) (fun input ->
                check "homogeneity" tolDoubleDouble (homogeneityError DoubleDouble.Zero input))

        testPropertyWithConfig config "Euler's identity <grad_w c'H, w> = L c'H (double)" <|
            Prop.forAll networkCases (fun case -> check "Euler" tolDouble (eulerError 0.0 case))

        testPropertyWithConfig config "Euler's identity <grad_w c'H, w> = L c'H (double-double)" <|
            Prop.forAll networkCases (fun case -> check "Euler" tolDoubleDouble (eulerError DoubleDouble.Zero case))

        testPropertyWithConfig config "per-neuron conservation <a, grad_a> = p <b, grad_b> (double)" <|
            Prop.forAll networkCases (fun case -> check "conservation" tolDouble (conservationError 0.0 case))

        testPropertyWithConfig config "per-neuron conservation <a, grad_a> = p <b, grad_b> (double-double)" <|
            Prop.forAll networkCases (fun case -> check "conservation" tolDoubleDouble (conservationError DoubleDouble.Zero case))

        test "homogeneity degree is 1 + p + ... + p^(L-1)" {
            let sigma = Activation.leakyReluPower 0.1 2
            Expect.equal (Net.degree (Net.twoLayer 3 4 sigma)) 3 "two-layer, p = 2"
            Expect.equal (Net.degree (Net.feedForward 3 [ 4; 2 ] sigma)) 7 "depth 3, p = 2"
            Expect.equal (Net.degree (Net.feedForward 3 [ 4; 2; 2 ] Activation.relu)) 4 "depth 4, ReLU"
        }

        test "a violated identity is detected: Euler's identity with a wrong degree fails" {
            // The same computation as eulerError with L + 1 in place of L must show a large error,
            // so the property above is able to fail.
            let case = { Kind = "two-layer"; InputDimension = 3; Widths = [ 4 ]; ActivationSpec = "relu-power:2"; SampleCount = 5; Seed = 11L }
            let net = case.Network
            let w = case.WeightVector 0
            let c = case.SampleVector 0
            let g = jacobianTv net case.Data w c
            let wrong = float (Net.degree net + 1) * Vec.dot c (outputs net case.Data w)
            Expect.isGreaterThan (abs (Vec.dot g w - wrong)) 1e-3 "a wrong degree must break the identity"
        }
    ]
