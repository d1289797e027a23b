// SPDX-License-Identifier: MIT
/// Exact derivatives against independent references (JAX check_grads style), over every architecture (two-layer,
/// feed-forward, sum of powers): the JVP, gradients and HVPs against central finite differences in double-double,
/// the transpose identity between forward and reverse mode, Hessian symmetry, double against double-double, and
/// the two-layer network against the feed-forward one.
module NeuronPursuit.Tests.Models.DerivativeTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open NeuronPursuit
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Core.Problems
open NeuronPursuit.Testing

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 300 }

let private cases = Arbitraries.defaultCases

let private withOutgoing =
    Arbitraries.networkCases (Shapes.withOutgoingWeights Shapes.defaults)

let private ddToDouble (x: DoubleDouble[]) = Weights.toDouble x

/// Labels in {−1, +1} for the logistic loss.
let private signLabels (case: NetworkCase) =
    case.Data
    |> Data.withLabels (case.SampleVector 7 |> Array.map (fun v -> if v >= 0.0 then 1.0 else -1.0))

/// |⟨c, J t⟩ − ⟨Jᵀc, t⟩| relative to the sum of absolute terms.
let inline transposeError (toT: NetworkCase -> int -> float[] -> 'T[]) (case: NetworkCase) : float =
    let net = case.Network
    let data = case.Data.To<'T>()
    let w: 'T[] = toT case 0 (case.WeightVector 0)
    let t: 'T[] = toT case 1 (case.WeightVector 1)
    let c: 'T[] = toT case 2 (case.SampleVector 0)
    let jt = jacobianv net data w t
    let jtc = jacobianTv net data w c

    let absSum (a: 'T[]) (b: 'T[]) =
        Array.fold2 (fun s x y -> s + abs (Scalar.ToDouble(x * y))) 0.0 a b

    abs (Scalar.ToDouble(Vec.dot c jt - Vec.dot jtc t))
    / (absSum c jt + absSum jtc t + 1e-300)

/// |⟨u, ∇²ℒ v⟩ − ⟨v, ∇²ℒ u⟩| relative to the sum of absolute terms.
let inline symmetryError (toT: NetworkCase -> int -> float[] -> 'T[]) (case: NetworkCase) : float =
    let net = case.Network
    let f = loss net (case.Data.To<'T>())
    let w: 'T[] = toT case 0 (case.WeightVector 0)
    let u: 'T[] = toT case 1 (case.WeightVector 1)
    let v: 'T[] = toT case 2 (case.WeightVector 2)
    let hv = hvp f w v
    let hu = hvp f w u

    let absSum (a: 'T[]) (b: 'T[]) =
        Array.fold2 (fun s x y -> s + abs (Scalar.ToDouble(x * y))) 0.0 a b

    abs (Scalar.ToDouble(Vec.dot u hv - Vec.dot v hu))
    / (absSum u hv + absSum v hu + 1e-300)

let private check (what: string) (tol: float) (error: float) =
    if not (error <= tol) then
        failwithf "%s: relative error %.3e exceeds %.1e" what error tol

let private ddStep = DoubleDouble.Parse "1e-10"

/// Asserts ∇f(w) = central finite difference of f in double-double, to 1e-14 relative to max |∇f| + 1.
let private gradientMatchesFiniteDifference (f: Fn<DoubleDouble>) (w: float[]) (what: string) =
    let wDD = Weights.toDoubleDouble w
    let exact = ddToDouble (grad f wDD)
    expectClose 1e-14 (maxAbs exact + 1.0) exact (ddToDouble (numgrad ddStep f wDD)) what

/// Asserts ∇²f(w)v = central finite difference of ∇f in double-double, to 1e-12 relative to max |∇²f v| + 1.
let private hvpMatchesFiniteDifference (f: Fn<DoubleDouble>) (w: float[]) (v: float[]) (what: string) =
    let wDD = Weights.toDoubleDouble w
    let vDD = Weights.toDoubleDouble v
    let exact = ddToDouble (hvp f wDD vDD)
    expectClose 1e-12 (maxAbs exact + 1.0) exact (ddToDouble (numhvp ddStep f wDD vDD)) what

/// Asserts J t = central finite difference of H(X; w + εt) in ε in double-double, to 1e-14 relative to max |J t| + 1.
let private jvpMatchesFiniteDifference (case: NetworkCase) =
    let data = Data.toDoubleDouble case.Data
    let w = Weights.toDoubleDouble (case.WeightVector 0)
    let t = Weights.toDoubleDouble (case.WeightVector 1)

    let at (s: DoubleDouble) =
        outputs case.Network data (Array.map2 (fun wi ti -> wi + s * ti) w t)

    let fd =
        Array.map2 (fun (a: DoubleDouble) b -> (a - b) / (ddStep + ddStep)) (at ddStep) (at -ddStep)

    let exact = ddToDouble (jacobianv case.Network data w t)
    expectClose 1e-14 (maxAbs exact + 1.0) exact (ddToDouble fd) "J t vs finite difference"

let tests =
    testList "Exact derivatives" [
        testPropertyWithConfig config "Jacobian-vector product J t = central finite difference in double-double"
        <| Prop.forAll cases jvpMatchesFiniteDifference

        testPropertyWithConfig config "gradient of the square loss = central finite difference in double-double"
        <| Prop.forAll cases (fun case ->
            let f = loss case.Network (Data.toDoubleDouble case.Data)
            gradientMatchesFiniteDifference f (case.WeightVector 0) "gradient vs finite difference")

        testPropertyWithConfig config "gradient of the logistic loss = central finite difference in double-double"
        <| Prop.forAll cases (fun case ->
            let f = lossWith logisticLoss case.Network (Data.toDoubleDouble (signLabels case))
            gradientMatchesFiniteDifference f (case.WeightVector 0) "gradient vs finite difference")

        testPropertyWithConfig config "gradient of the NCF = central finite difference in double-double"
        <| Prop.forAll cases (fun case ->
            let f = ncf case.Network (Data.toDoubleDouble case.Data)
            gradientMatchesFiniteDifference f (case.WeightVector 0) "NCF gradient vs finite difference")

        testPropertyWithConfig config "<c, J t> = <J'c, t> (double)"
        <| Prop.forAll cases (fun case -> check "transpose identity" 1e-12 (transposeError Precision.double case))

        testPropertyWithConfig config "<c, J t> = <J'c, t> (double-double)"
        <| Prop.forAll cases (fun case -> check "transpose identity" 1e-28 (transposeError Precision.doubleDouble case))

        testPropertyWithConfig config "Hessian-vector products are symmetric <u, Hv> = <v, Hu> (double)"
        <| Prop.forAll cases (fun case -> check "HVP symmetry" 1e-11 (symmetryError Precision.double case))

        testPropertyWithConfig config "Hessian-vector products are symmetric <u, Hv> = <v, Hu> (double-double)"
        <| Prop.forAll cases (fun case -> check "HVP symmetry" 1e-27 (symmetryError Precision.doubleDouble case))

        testPropertyWithConfig config "HVP = finite difference of gradients in double-double"
        <| Prop.forAll cases (fun case ->
            let f = loss case.Network (Data.toDoubleDouble case.Data)
            hvpMatchesFiniteDifference f (case.WeightVector 0) (case.WeightVector 1) "HVP vs finite difference")

        testPropertyWithConfig config "HVP is exact where zero weights carry the direction (outgoing weights zero)"
        <| Prop.forAll withOutgoing (fun case ->
            // Neuron 0 of layer 1 has zero outgoing weights while v is non-zero there: products with
            // zero values but non-zero tangents must not be skipped. Its pre-activations stay off the
            // kink. One hidden layer: in deeper nets the next layer's pre-activations can become exactly 0
            // (all other neurons dead), a kink where the Hessian of a ReLU/ReLU² net does not exist.
            let case =
                { case with
                    Widths = [ case.Widths.Head ] }

            let net = case.Network
            let w0 = case.WeightVector 0

            for k in net.Layout.OutgoingIndices(1, 0) do
                w0.[k] <- 0.0

            let f = loss net (Data.toDoubleDouble case.Data)
            hvpMatchesFiniteDifference f w0 (case.WeightVector 1) "HVP with zero outgoing weights vs finite difference")

        testPropertyWithConfig config "HVP is exact at a sparse saddle-type point (w_n, 0) of a C2 network"
        <| Prop.forAll withOutgoing (fun case ->
            // Incoming and outgoing weights of neuron 0 are zero, as at the saddles (w̄_n, 0) of
            // Kumar & Haupt. Its pre-activation is then exactly 0, on the kink of σ; the Hessian exists
            // there only when σ is C², so this property uses ReLU³ (p = 3), at any depth. (Without outgoing
            // weights, in the sum of powers, the neuron's σ‴ jump at 0 enters the gradient itself, and the
            // central difference is only O(h) accurate there.)
            let case =
                { case with
                    ActivationSpec = "relu-power:3" }

            let net = case.Network
            let w0 = case.WeightVector 0

            for k in Array.append (net.Layout.IncomingIndices(1, 0)) (net.Layout.OutgoingIndices(1, 0)) do
                w0.[k] <- 0.0

            let f = loss net (Data.toDoubleDouble case.Data)
            hvpMatchesFiniteDifference f w0 (case.WeightVector 1) "HVP at (w_n, 0) vs finite difference")

        testPropertyWithConfig config "HVP of the NCF = finite difference of its gradients in double-double"
        <| Prop.forAll cases (fun case ->
            let f = ncf case.Network (Data.toDoubleDouble case.Data)
            hvpMatchesFiniteDifference f (case.WeightVector 0) (case.WeightVector 1) "NCF HVP vs finite difference")

        testPropertyWithConfig config "double agrees with double-double: outputs, loss, gradient, HVP"
        <| Prop.forAll cases (fun case ->
            let net = case.Network
            let w = case.WeightVector 0
            let v = case.WeightVector 1
            let fD = loss net case.Data
            let fDD = loss net (Data.toDoubleDouble case.Data)
            let wDD = Weights.toDoubleDouble w
            let vDD = Weights.toDoubleDouble v
            let hD = outputs net case.Data w
            let hDD = ddToDouble (outputs net (Data.toDoubleDouble case.Data) wDD)
            expectClose 1e-12 (maxAbs hDD + 1.0) hD hDD "outputs"
            let lD, gD = fgrad fD w
            let lDD, gDD = fgrad fDD wDD
            expectCloseScalar 1e-12 (abs (double lDD) + 1.0) lD (double lDD) "loss"
            expectClose 1e-11 (maxAbs (ddToDouble gDD) + 1.0) gD (ddToDouble gDD) "gradient"
            let hvD = hvp fD w v
            let hvDD = ddToDouble (hvp fDD wDD vDD)
            expectClose 1e-10 (maxAbs hvDD + 1.0) hvD hvDD "HVP")

        testPropertyWithConfig config "two-layer network = feed-forward network with one hidden layer"
        <| Prop.forAll cases (fun case ->
            let sigma = Activation.parse case.ActivationSpec
            let m = case.Widths.Head
            let twoLayer = Net.twoLayer case.InputDimension m sigma
            let feedForward = Net.feedForward case.InputDimension [ m ] sigma

            let twoCase =
                { case with
                    Kind = NetworkKind.TwoLayer
                    Widths = [ m ] }

            let w = twoCase.WeightVector 0
            let t = twoCase.WeightVector 1
            let c = twoCase.SampleVector 0
            let data = twoCase.Data
            let h1 = outputs twoLayer data w
            expectClose 1e-13 (maxAbs h1 + 1.0) h1 (outputs feedForward data w) "outputs"
            let g1 = jacobianTv twoLayer data w c
            expectClose 1e-13 (maxAbs g1 + 1.0) g1 (jacobianTv feedForward data w c) "J'c"
            let j1 = jacobianv twoLayer data w t
            expectClose 1e-13 (maxAbs j1 + 1.0) j1 (jacobianv feedForward data w t) "J t")

        test "a wrong gradient is detected by the finite-difference comparison" {
            let case =
                { Kind = NetworkKind.FeedForward
                  InputDimension = 3
                  Widths = [ 3; 2 ]
                  ActivationSpec = "relu-power:2"
                  SampleCount = 6
                  Seed = 5L }

            let f = loss case.Network (Data.toDoubleDouble case.Data)
            let w = Weights.toDoubleDouble (case.WeightVector 0)
            let exact = ddToDouble (grad f w)
            let numeric = ddToDouble (numgrad ddStep f w)
            let perturbed = Array.copy exact
            perturbed.[0] <- perturbed.[0] * (1.0 + 1e-9) + 1e-9
            Expect.throws (fun () -> expectClose 1e-14 (maxAbs exact + 1.0) perturbed numeric "perturbed") "a 1e-9 error must be caught"
        }
    ]
