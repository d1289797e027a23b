// SPDX-License-Identifier: MIT
/// Differential tests: the core's hand-written derivatives against libtorch autograd (TorchSharp) in
/// float64, on random architectures (two-layer, feed-forward, sum of powers), activations, data and weights. Not skipped when libtorch is
/// missing: failing to load it is a failure, with the loader's reason in the message.
module NeuronPursuit.Tests.Torch.TorchDifferentialTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Torch
open NeuronPursuit.Core.Problems
open NeuronPursuit.Testing

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 100 }

/// Norm-wise relative agreement ‖a − b‖∞ ≤ tol·‖b‖∞ (with a floor of 1e-14 for all-zero results).
let private agree (tol: float) (actual: float[]) (expected: float[]) (what: string) =
    expectClose tol (max (maxAbs expected) 1e-14) actual expected what

let private torchGradient (t: TorchObjective) (w: float[]) =
    let g = Array.zeroCreate w.Length
    let value = t.ValueAndGradient(ReadOnlySpan w, Span g)
    value, g

let private torchHvp (t: TorchObjective) (w: float[]) (v: float[]) =
    let product = Array.zeroCreate w.Length
    t.HessianVectorProduct(ReadOnlySpan w, ReadOnlySpan v, Span product)
    product

/// Labels in {−1, +1} for the logistic loss.
let private signLabels (case: NetworkCase) =
    case.Data
    |> Data.withLabels (case.SampleVector 7 |> Array.map (fun v -> if v >= 0.0 then 1.0 else -1.0))

/// Runs f, expecting an ArgumentException that names `name`; the process must survive.
let private expectArgumentError (name: string) (f: unit -> unit) =
    let e = Expect.throwsC f id

    match e with
    | :? ArgumentException as a -> Expect.stringStarts a.Message (name + ":") "names the argument"
    | other -> failtestf "expected an ArgumentException, got %s" (other.GetType().Name)

/// Core gradient descent w ← w − η∇ℒ(w) for K steps: Some(final weights, loss before each step), or
/// None when the run is not a descent (the loss rises or overflows).
let private coreGradientDescent (f: Fn<float>) (w0: float[]) (eta: float) (steps: int) =
    let losses = Array.zeroCreate steps

    let rec go k (w: float[]) =
        if k = steps then
            Some(w, losses)
        else
            let value, g = fgrad f w
            losses.[k] <- value
            let next = Array.map2 (fun wi gi -> wi - eta * gi) w g

            if
                Double.IsFinite value
                && (k = 0 || value <= losses.[k - 1])
                && Array.forall Double.IsFinite next
            then
                go (k + 1) next
            else
                None

    try
        go 0 w0
    with :? ArgumentException ->
        None

/// A step size for which core GD is a descent over the whole run: η = 0.25/λ_max(∇²ℒ(w₀)) (power
/// iteration on exact HVPs, η ≤ 1), halved until the loss never rises. An unstable run amplifies
/// rounding differences exponentially, so only a stable one can be compared between implementations.
let private stableStep (f: Fn<float>) (w0: float[]) (steps: int) =
    let mutable u = Array.init w0.Length (fun k -> 1.0 + float k)
    let mutable lambda = 0.0

    for _ in 1..30 do
        let hu = hvp f w0 (Array.map (fun x -> x / Vec.norm u) u)
        lambda <- Vec.norm hu

        if lambda > 0.0 then
            u <- hu

    let rec halve eta attempts =
        match coreGradientDescent f w0 eta steps with
        | Some _ -> eta
        | None when attempts > 0 -> halve (eta / 2.0) (attempts - 1)
        | None -> failwithf "no stable step size found down to %g" eta

    halve (min 1.0 (0.25 / max lambda 1e-12)) 20

let tests =
    testSequenced
    <| testList "Core against libtorch (TorchSharp, float64)" [
        test "libtorch initialises on this machine" {
            try
                TorchRuntime.EnsureAvailable()
            with :? TorchUnavailableException as e ->
                failtestf "libtorch is unavailable: %s" e.Message

            Expect.isTrue TorchRuntime.IsAvailable "available"
        }

        testPropertyWithConfig config "outputs, square loss and its gradient agree to 1e-10"
        <| Prop.forAll Arbitraries.defaultCases (fun case ->
            let net = case.Network
            let w = case.WeightVector 0
            use t = new TorchObjective(net, squareLoss, case.Data)
            agree 1e-10 (t.Outputs(ReadOnlySpan w)) (outputs net case.Data w) "outputs"
            let coreLoss, coreGradient = fgrad (loss net case.Data) w
            let torchLoss, torchGrad = torchGradient t w
            expectCloseScalar 1e-10 (max (abs coreLoss) 1e-14) torchLoss coreLoss "loss"
            agree 1e-10 torchGrad coreGradient "gradient")

        testPropertyWithConfig config "logistic loss and its gradient agree to 1e-10"
        <| Prop.forAll Arbitraries.defaultCases (fun case ->
            let net = case.Network
            let data = signLabels case
            let w = case.WeightVector 0
            use t = new TorchObjective(net, logisticLoss, data)
            let coreLoss, coreGradient = fgrad (lossWith logisticLoss net data) w
            let torchLoss, torchGrad = torchGradient t w
            expectCloseScalar 1e-10 (abs coreLoss) torchLoss coreLoss "loss"
            agree 1e-10 torchGrad coreGradient "gradient")

        testPropertyWithConfig config "Hessian-vector products agree to 1e-10 (double backward vs forward-over-reverse)"
        <| Prop.forAll Arbitraries.defaultCases (fun case ->
            let net = case.Network
            let w = case.WeightVector 0
            let v = case.WeightVector 1
            use t = new TorchObjective(net, squareLoss, case.Data)
            agree 1e-10 (torchHvp t w v) (hvp (loss net case.Data) w v) "HVP")

        testPropertyWithConfig { config with maxTest = 40 } "gradient descent trajectories over 100 steps agree to 1e-9"
        <| Prop.forAll Arbitraries.defaultCases (fun case ->
            let net = case.Network
            let f = lossWith squareLossMean net case.Data
            let w0 = case.WeightVector 0
            let eta = stableStep f w0 100
            use t = new TorchObjective(net, squareLossMean, case.Data)
            let run = t.GradientDescent(ReadOnlySpan w0, eta, 100)
            let coreWeights, coreLosses = coreGradientDescent f w0 eta 100 |> Option.get
            // Two implementations round differently, and 100 GD steps amplify that by the trajectory's
            // own conditioning (large near a ReLU kink). Measure it: the core's trajectory from w0
            // moved by 1e-15 relative. The tolerance is 1e-9, or 100 times that sensitivity if larger.
            let nudged =
                w0 |> Array.mapi (fun k x -> x * (1.0 + (if k % 2 = 0 then 1e-15 else -1e-15)))

            let nudgedWeights, _ =
                coreGradientDescent f nudged eta 100
                |> Option.defaultValue (coreWeights, coreLosses)

            let sensitivity =
                maxDifference nudgedWeights coreWeights / max (maxAbs coreWeights) 1e-14

            let tol = max 1e-9 (100.0 * sensitivity)
            agree tol run.Weights coreWeights $"final weights (trajectory sensitivity {sensitivity:e2})"
            agree tol run.Losses coreLosses "losses along the trajectory")

        test "float32 agrees with the core to float32 accuracy" {
            let case =
                { Kind = NetworkKind.FeedForward
                  InputDimension = 4
                  Widths = [ 5; 3 ]
                  ActivationSpec = "leaky-relu-power:0.2:2"
                  SampleCount = 9
                  Seed = 21L }

            let w = case.WeightVector 0

            use t =
                new TorchObjective(case.Network, squareLoss, case.Data, TorchPrecision.Float32)

            let _, g = torchGradient t w
            agree 1e-5 g (grad (loss case.Network case.Data) w) "float32 gradient"
        }

        test "mismatched shapes give the core's clear errors, not a crash" {
            let case =
                { Kind = NetworkKind.FeedForward
                  InputDimension = 3
                  Widths = [ 4; 2 ]
                  ActivationSpec = "relu"
                  SampleCount = 5
                  Seed = 2L }

            let w = case.WeightVector 0
            use t = new TorchObjective(case.Network, squareLoss, case.Data)
            expectArgumentError "w" (fun () -> t.Outputs(ReadOnlySpan w.[1..]) |> ignore)

            expectArgumentError "gradient" (fun () ->
                t.ValueAndGradient(ReadOnlySpan w, Span(Array.zeroCreate (w.Length + 1)))
                |> ignore)

            expectArgumentError "v" (fun () -> t.HessianVectorProduct(ReadOnlySpan w, ReadOnlySpan w.[2..], Span(Array.zeroCreate w.Length)))
            expectArgumentError "w0" (fun () -> t.GradientDescent(ReadOnlySpan(Array.append w [| 1.0 |]), 0.1, 3) |> ignore)
            let bad = Array.copy w
            bad.[0] <- nan
            expectArgumentError "w" (fun () -> t.Outputs(ReadOnlySpan bad) |> ignore)
            let other = { case with InputDimension = 2 }
            expectArgumentError "data" (fun () -> new TorchObjective(case.Network, squareLoss, other.Data) |> ignore)
            // The objective still works after the rejected calls.
            agree 1e-10 (t.Outputs(ReadOnlySpan w)) (outputs case.Network case.Data w) "outputs after errors"
        }
    ]
