// SPDX-License-Identifier: MIT
/// The fused two-layer loss gradient (TwoLayerFusedKernel through FeatureMajorNetwork) against the reference that
/// defines the semantics, TwoLayerNetwork's own forward and backward passes, over random shapes (n not a multiple of
/// the vector width, m not a multiple of the neuron tile, d = 1) × the polynomial leaky ReLUs × losses; against the
/// layer-by-layer feature-major passes bit for bit where those run all samples as one chunk; over blocks of samples
/// (the lane sums of ∂ℒ/∂v carried from block to block); and the same bits on one thread and two when the samples are
/// split.
module NeuronPursuit.Tests.Numerics.TwoLayerFusedKernelTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Core.Problems
open NeuronPursuit.Testing
open NeuronPursuit.Tests.Support.LossReference

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 150 }

/// Two-layer networks with the polynomial leaky ReLUs, d ≤ 12, m ≤ 61, n ≤ 300.
let private shapes =
    { Shapes.defaults with
        Kinds = [ NetworkKind.TwoLayer ]
        MaxInputDimension = 12
        MaxWidth = 61
        MaxSamples = 300 }

let private losses: (string * ILoss) list =
    [ "square", Losses.Square
      "square-mean", Losses.SquareMean
      "logistic", Losses.Logistic() ]

/// ℒ, H(X; w), ∇ℒ by a FeatureMajorNetwork (fused or layer by layer).
let private featureMajor (passes: FeatureMajorNetwork) (loss: ILoss) (n: int) (p: int) (w: float[]) =
    let h = Array.zeroCreate n
    let g = Array.zeroCreate p
    let value = passes.ValueAndGradient(ReadOnlySpan w, loss, Span h, Span g)
    value, h, g

let private bits (x: float[]) =
    x |> Array.map BitConverter.DoubleToInt64Bits

/// Asserts that two results (ℒ, H(X; w), ∇ℒ) of featureMajor have the same bits.
let private expectSameBits what (v1: float, h1, g1) (v2: float, h2, g2) =
    Expect.equal (BitConverter.DoubleToInt64Bits v1) (BitConverter.DoubleToInt64Bits v2) $"{what}: loss"
    Expect.sequenceEqual (bits h1) (bits h2) $"{what}: outputs"
    Expect.sequenceEqual (bits g1) (bits g2) $"{what}: gradient"

/// Asserts that the fused passes run and equal the reference up to rounding (LossReference.expectMatchesReference,
/// the fast path's tolerance).
let private checkAgainstReference (c: NetworkCase) (name: string) (loss: ILoss) (w: float[]) =
    let data = labelled loss c.Data
    let passes = FeatureMajorNetwork(c.Network, data)
    Expect.isTrue passes.IsFused $"{c}: runs the fused kernel"
    let fast = featureMajor passes loss data.Count c.Network.ParameterCount w
    expectMatchesReference c.Network loss data w fast $"{c} {name}"

let private case d m sigma n seed =
    { Kind = NetworkKind.TwoLayer
      InputDimension = d
      Widths = [ m ]
      ActivationSpec = sigma
      SampleCount = n
      Seed = seed }

let tests =
    testList "Fused two-layer loss gradient" [
        testPropertyWithConfig config "loss, outputs and gradient equal the TwoLayerNetwork reference within 1e-13·(n + P) of the summed terms"
        <| Prop.forAll (Arbitraries.networkCases shapes) (fun c ->
            for name, loss in losses do
                checkAgainstReference c name loss (c.Weights(0.7, 0)))

        test "d = 1, m odd and n off the vector width equal the reference within 1e-13·(n + P) of the summed terms" {
            for sigma in Shapes.activations do
                for d, m, n in [ 1, 1, 1; 1, 7, 9; 1, 50, 200; 3, 13, 15; 10, 50, 200; 2, 5, 17; 10, 61, 301 ] do
                    let c = case d m sigma n (int64 (d + 7 * m + 31 * n))

                    for name, loss in losses do
                        checkAgainstReference c name loss (c.Weights(0.7, 1))
        }

        test "equals the layer-by-layer feature-major passes bit for bit when those run all samples as one chunk" {
            for sigma in Shapes.activations do
                for d, m, n in [ 1, 1, 1; 3, 13, 15; 10, 50, 200; 2, 5, 17; 12, 61, 300; 16, 9, 64 ] do
                    let c = case d m sigma n (int64 (3 * d + m + n))
                    let w = c.Weights(0.7, 2)
                    let net = c.Network
                    let fused = FeatureMajorNetwork(net, c.Data)
                    let layered = FeatureMajorNetwork(net, c.Data, fuse = false)
                    Expect.isTrue (fused.IsFused && not layered.IsFused) $"{c}: one fused, one not"
                    Expect.isTrue (not layered.IsSplit && layered.ChunkSize >= layered.Leading) $"{c}: one chunk"

                    for name, loss in losses do
                        let data = labelled loss c.Data
                        let fused = FeatureMajorNetwork(net, data)
                        let layered = FeatureMajorNetwork(net, data, fuse = false)

                        expectSameBits
                            $"{c} {name}"
                            (featureMajor fused loss data.Count net.ParameterCount w)
                            (featureMajor layered loss data.Count net.ParameterCount w)
        }

        test "z kept from the outputs pass or computed again in the gradient pass: the same bits" {
            for sigma in Shapes.activations do
                for d, m, n in [ 1, 1, 1; 3, 13, 15; 10, 50, 200; 12, 61, 301; 20, 100, 2001 ] do
                    let c = case d m sigma n (int64 (5 * d + m + 3 * n))
                    let w = c.Weights(0.7, 4)
                    let net = c.Network

                    for name, loss in losses do
                        let data = labelled loss c.Data
                        let kept = FeatureMajorNetwork(net, data)
                        let again = FeatureMajorNetwork(net, data, keepPreActivations = false)
                        Expect.isTrue (kept.KeepsPreActivations && again.IsFused && not again.KeepsPreActivations) $"{c}: one keeps z, one does not"

                        expectSameBits
                            $"{c} {name}"
                            (featureMajor kept loss data.Count net.ParameterCount w)
                            (featureMajor again loss data.Count net.ParameterCount w)
        }

        test "blocks of samples: outputs, loss and ∂ℒ/∂v the same bits whatever the block, ∂ℒ/∂W within rounding of the reference" {
            // A wide network's z of a whole part would leave the caches: its default blocks are shorter than a part.
            let wide = case 16 1000 "relu-power:2" 2200 9L
            let widePasses = FeatureMajorNetwork(wide.Network, wide.Data)
            Expect.isTrue (widePasses.IsFused && widePasses.FusedBlock < widePasses.Leading / 2) $"{wide}: several blocks per part"

            for sigma in Shapes.activations do
                for d, m, n in [ 5, 37, 1001; 1, 6, 203; 12, 61, 640 ] do
                    let c = case d m sigma n (int64 (7 * d + m + 5 * n))
                    let w = c.Weights(0.7, 5)
                    let net = c.Network
                    let p = net.ParameterCount
                    let vStart = d * m

                    for name, loss in losses do
                        let data = labelled loss c.Data
                        let whole = FeatureMajorNetwork(net, data)
                        Expect.equal whole.FusedBlock whole.Leading $"{c}: one block by default"
                        let v0, h0, g0 = featureMajor whole loss data.Count p w

                        for block in [ 8; 64; 136 ] do
                            for keep in [ true; false ] do
                                let passes =
                                    FeatureMajorNetwork(net, data, keepPreActivations = keep, fusedBlock = block)

                                Expect.equal passes.FusedBlock block $"{c}: blocks of {block}"
                                let what = $"{c} {name}, blocks of {block}, z kept {keep}"
                                let v, h, g = featureMajor passes loss data.Count p w
                                expectSameBits $"{what} (∂ℒ/∂v)" (v, h, g[vStart..]) (v0, h0, g0[vStart..])
                                expectMatchesReference net loss data w (v, h, g) what
        }

        test "runs for two-layer polynomial leaky ReLUs with d <= 32, and nowhere else" {
            for d, m, sigma, fused in
                [ 1, 1, "relu", true
                  16, 10, "leaky-relu-power:0.2:2", true
                  17, 99, "relu-power:2", true
                  32, 5, "relu", true
                  20, 100, "relu-power:3", true
                  33, 500, "relu-power:2", false
                  33, 10, "relu", false
                  10, 50, "perturbed-relu-power:2:0.5", false ] do
                let c = case d m sigma 9 1L
                Expect.equal (FeatureMajorNetwork(c.Network, c.Data).IsFused) fused $"{c}"

            let deep =
                { case 3 5 "relu" 9 1L with
                    Kind = NetworkKind.FeedForward }

            Expect.isFalse (FeatureMajorNetwork(deep.Network, deep.Data).IsFused) $"{deep}"
        }

        test "samples split in two halves: one thread or two give the same bits" {
            for c in [ case 20 100 "relu-power:2" 2001 12L; case 10 51 "leaky-relu:0.1" 1999 13L ] do
                let w = c.Weights(0.5, 3)
                let passes = FeatureMajorNetwork(c.Network, c.Data)
                Expect.isTrue (passes.IsFused && passes.IsSplit) $"{c}: fused and split"

                expectThreadCountIndependent c w
                checkAgainstReference c "square-mean" Losses.SquareMean w
        }
    ]
