// SPDX-License-Identifier: MIT
/// Neuron Pursuit's hypercube demo (arXiv 2509.12154, the authors' project page; docs/claims.md NP-3): NP grows the
/// target's exact architecture in the demo's order and learns it on the whole cube with no weight on the irrelevant
/// inputs. `np pursue --example hypercube` reports this check's verdict.
module NeuronPursuit.Checks.NpDemo

open System
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Pursuit

let private g4 = Format.g4

/// The demo's criteria, each met or not.
type Criteria =
    { /// Final widths (4, 2).
      Widths: bool
      /// Layers chosen 1, 2, 1, 1.
      Sequence: bool
      /// MSE on all 2²⁰ vertices below 1e-6.
      CubeMse: bool
      /// max |W₁[:, x₅…x₂₀]| below 1e-3.
      IrrelevantWeights: bool
      /// All four.
      Success: bool }

/// What the demo measures of a Neuron Pursuit result.
type Evaluation =
    { /// MSE (1/2²⁰)Σ(H − f)² on all 2²⁰ vertices.
      CubeMse: float
      CubeMaxError: float
      /// max |W₁[:, 4:]|, the weights on x₅…x₂₀.
      MaxIrrelevantWeight: float
      /// Neurons with ‖in‖·‖out‖ > 1e-2, per hidden layer.
      EffectiveNeurons: int list
      /// The criteria.
      Verdict: Criteria }

/// Evaluates a result on the cube against the demo's criteria.
let evaluate (result: PursuitResult) =
    let net, w = result.Network, result.Weights
    let cube = Pursuit.cubeError net w
    let irrelevant = Pursuit.maxInputWeight HypercubeExample.RelevantInputs net w
    let widths = List.ofSeq net.HiddenWidths = [ 4; 2 ]
    let sequence = List.ofSeq result.FinalLayerSequence = [ 1; 2; 1; 1 ]
    let mse = cube.MeanSquaredError < 1e-6
    let sparse = irrelevant < 1e-3
    { CubeMse = cube.MeanSquaredError
      CubeMaxError = cube.MaxAbsoluteError
      MaxIrrelevantWeight = irrelevant
      EffectiveNeurons = Pursuit.effectiveNeurons net w
      Verdict = { Widths = widths; Sequence = sequence; CubeMse = mse; IrrelevantWeights = sparse; Success = widths && sequence && mse && sparse } }

let private yesNo b = if b then "yes" else "NO"
let private widthsText (w: int seq) = "(" + String.Join(",", w) + ")"

/// The verdict as the lines `np pursue --example hypercube` prints.
let lines (result: PursuitResult) (e: Evaluation) =
    let v = e.Verdict
    [ $"final widths: {widthsText result.Network.HiddenWidths} (target (4,2): {yesNo v.Widths})"
      $"""layer sequence: {String.Join(", ", result.LayerSequence)} (target 1, 2, 1, 1: {yesNo v.Sequence})"""
      $"training MSE: {g4 (2.0 * result.FinalLoss)} (loss (1/(2n))Σ(H-y)^2 = {g4 result.FinalLoss})"
      $"cube MSE on all 2^20 vertices: {g4 e.CubeMse}, max |error| {g4 e.CubeMaxError} (< 1e-6: {yesNo v.CubeMse})"
      $"max |weight| on x5..x20: {g4 e.MaxIrrelevantWeight} (< 1e-3: {yesNo v.IrrelevantWeights})"
      (if v.Success then "verdict: SUCCESS - the demo's headline numbers are reproduced"
       else "verdict: NOT REPRODUCED - see the criteria above") ]

/// The check's verdict on an evaluated result: PASS when every criterion holds, else FAIL naming the first that does not.
let judge (result: PursuitResult) (e: Evaluation) =
    Check.allOf [ e.Verdict.Widths, $"final widths {widthsText result.Network.HiddenWidths}, not (4,2)"
                  e.Verdict.Sequence, $"""layer sequence {String.Join(",", result.LayerSequence)}, not 1,2,1,1"""
                  e.Verdict.CubeMse, $"cube MSE {g4 e.CubeMse} >= 1e-6"
                  e.Verdict.IrrelevantWeights, $"max |weight| on x5..x20 = {g4 e.MaxIrrelevantWeight} >= 1e-3" ]

/// The demo's set-up: data seed, n, NP options.
type DemoSetup = { DataSeed: int64; Samples: int; Options: PursuitOptions }

/// NP-3: Neuron Pursuit on the hypercube data with the default options.
let demo (s: DemoSetup) =
    let criterion = "final widths (4,2), layer sequence 1,2,1,1, MSE < 1e-6 on all 2^20 vertices, max |W1[:, x5..x20]| < 1e-3"
    let o = s.Options
    let parameters = [ "data", $"hypercube example, data seed {s.DataSeed}, n = {s.Samples}"; "network", "depth 3, relu, grown from widths (1,1)"
                       "NP options", $"delta0 = {o.InitialScale}, delta = {o.NeuronScale}, eta = {o.LearningRate}, {o.Restarts} restarts, seed {o.Seed}" ]
    Check.measure criterion parameters (fun () ->
        let p = Problem.ofSpec (NeuronPursuit.Core.Problems.ProblemSpec(Example = "hypercube", DataSeed = s.DataSeed, Samples = s.Samples))
        let result = Pursuit.run o p
        let e = evaluate result
        judge result e,
        { Columns = [ "quantity"; "value" ]
          Rows = [ [ "final widths"; widthsText result.Network.HiddenWidths ]; [ "layer sequence"; String.Join(",", result.LayerSequence) ]
                   [ "training MSE"; g4 (2.0 * result.FinalLoss) ]; [ "cube MSE"; g4 e.CubeMse ]; [ "max |error| on the cube"; g4 e.CubeMaxError ]
                   [ "max |weight| on x5..x20"; g4 e.MaxIrrelevantWeight ]; [ "epochs"; string result.TotalEpochs ] ] },
        [ "widths", widthsText result.Network.HiddenWidths; "cube MSE", g4 e.CubeMse ],
        [ "authors' demo video: widths (4,2) after 5 iterations, layer sequence 1,2,1,1, weights on x5..x20 ~ 0" ])

let demoFast = { DataSeed = 1L; Samples = HypercubeExample.DefaultSamples; Options = Pursuit.defaults }

/// NP-3.
let check =
    Check.define "np-demo" "neuron pursuit" "Neuron Pursuit recovers the hypercube demo's target: widths (4,2), layers 1,2,1,1, exact on the cube, sparse"
        "arXiv 2509.12154 (NP), the authors' demo; docs/claims.md NP-3" (fun _ -> demo demoFast)
