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

/// The demo's criteria, each met or not. The verdict needs an exact, sparse fit by a network no wider than the
/// target in any layer; the authors' path (widths exactly (4, 2), the surviving neurons added to layers 1, 2, 1, 1) is
/// reported beside it: the target restricted to the cube is also a (3, 2) network, which NP finds on some data seeds
/// (docs/claims.md NP-3).
type Criteria =
    {
        /// Final widths no wider than (4, 2) in every layer.
        Widths: bool
        /// The final neurons were added to layers 1, 2, 1, 1 (reported, not judged).
        Sequence: bool
        /// MSE on all 2²⁰ vertices below 1e-6.
        CubeMse: bool
        /// max |W₁[:, x₅…x₂₀]| below 1e-3.
        IrrelevantWeights: bool
        /// The authors' path: widths exactly (4, 2) and sequence 1, 2, 1, 1 (reported, not judged).
        AuthorsPath: bool
        /// Widths, cube MSE and irrelevant weights: an exact, sparse fit by a network no wider than the target.
        Success: bool
    }

/// What the demo measures of a Neuron Pursuit result.
type Evaluation =
    {
        /// MSE (1/2²⁰)Σ(H − f)² on all 2²⁰ vertices.
        CubeMse: float
        CubeMaxError: float
        /// max |W₁[:, 4:]|, the weights on x₅…x₂₀.
        MaxIrrelevantWeight: float
        /// Neurons with ‖in‖·‖out‖ > 1e-2, per hidden layer.
        EffectiveNeurons: int list
        /// The criteria.
        Verdict: Criteria
    }

/// Evaluates a result on the cube against the demo's criteria.
let evaluate (result: PursuitResult) =
    let net, w = result.Network, result.Weights
    let cube = Pursuit.cubeError net w
    let irrelevant = Pursuit.maxInputWeight HypercubeExample.RelevantInputs net w
    let final = List.ofSeq net.HiddenWidths
    let widths = final.Length = 2 && final.[0] <= 4 && final.[1] <= 2
    let sequence = List.ofSeq result.FinalLayerSequence = [ 1; 2; 1; 1 ]
    let mse = cube.MeanSquaredError < 1e-6
    let sparse = irrelevant < 1e-3

    { CubeMse = cube.MeanSquaredError
      CubeMaxError = cube.MaxAbsoluteError
      MaxIrrelevantWeight = irrelevant
      EffectiveNeurons = Pursuit.effectiveNeurons net w
      Verdict =
        { Widths = widths
          Sequence = sequence
          CubeMse = mse
          IrrelevantWeights = sparse
          AuthorsPath = (final = [ 4; 2 ] && sequence)
          Success = widths && mse && sparse } }

let private yesNo b = if b then "yes" else "NO"
let private widthsText (w: int seq) = "(" + String.Join(",", w) + ")"

/// The verdict as the lines `np pursue --example hypercube` prints.
let lines (result: PursuitResult) (e: Evaluation) =
    let v = e.Verdict

    let pruned =
        if result.Removed.Count = 0 then
            ""
        else
            $"""; added {String.Join(", ", result.LayerSequence)}, pruned {String.Join(", ", result.Removed |> Seq.map (fun struct (l, k) -> $"L{l} of iteration {k}"))}"""

    [ $"final widths: {widthsText result.Network.HiddenWidths} (no wider than the target's (4,2): {yesNo v.Widths})"
      $"""layer sequence: {String.Join(", ", result.FinalLayerSequence)}{pruned} (the authors' 1, 2, 1, 1: {yesNo v.Sequence}; reported, not judged)"""
      $"training MSE: {g4 (2.0 * result.FinalLoss)} (loss (1/(2n))Σ(H-y)^2 = {g4 result.FinalLoss})"
      $"cube MSE on all 2^20 vertices: {g4 e.CubeMse}, max |error| {g4 e.CubeMaxError} (< 1e-6: {yesNo v.CubeMse})"
      $"max |weight| on x5..x20: {g4 e.MaxIrrelevantWeight} (< 1e-3: {yesNo v.IrrelevantWeights})"
      (if v.Success && v.AuthorsPath then
           "verdict: SUCCESS - the demo's headline numbers are reproduced: widths (4,2) by the path 1, 2, 1, 1"
       elif v.Success then
           "verdict: SUCCESS - an exact, sparse fit no wider than the target (not the authors' path)"
       else
           "verdict: NOT REPRODUCED - see the criteria above") ]

/// The check's verdict on an evaluated result: PASS when every criterion holds, else FAIL naming the first that does not.
let judge (result: PursuitResult) (e: Evaluation) =
    Check.allOf [
        e.Verdict.Widths, $"final widths {widthsText result.Network.HiddenWidths}, wider than (4,2)"
        e.Verdict.CubeMse, $"cube MSE {g4 e.CubeMse} >= 1e-6"
        e.Verdict.IrrelevantWeights, $"max |weight| on x5..x20 = {g4 e.MaxIrrelevantWeight} >= 1e-3"
    ]

/// The demo's set-up: data seed, n, NP options.
type DemoSetup =
    { DataSeed: int64
      Samples: int
      Options: PursuitOptions }

/// NP-3: Neuron Pursuit on the hypercube data with the default options.
let demo (s: DemoSetup) =
    let criterion =
        "final widths no wider than the target's (4,2), MSE < 1e-6 on all 2^20 vertices, max |W1[:, x5..x20]| < 1e-3 (the authors' path, widths (4,2) by layers 1,2,1,1, is reported)"

    let o = s.Options

    let parameters =
        [ "data", $"hypercube example, data seed {s.DataSeed}, n = {s.Samples}"
          "network", "depth 3, relu, grown from widths (1,1)"
          "NP options", $"delta0 = {o.InitialScale}, delta = {o.NeuronScale}, eta = {o.LearningRate}, {o.Restarts} restarts, seed {o.Seed}" ]

    Check.measure criterion parameters (fun () ->
        let p =
            Problem.ofSpec (NeuronPursuit.Core.Problems.ProblemSpec(Example = "hypercube", DataSeed = s.DataSeed, Samples = s.Samples))

        let result = Pursuit.run o p
        let e = evaluate result

        judge result e,
        { Columns = [ "quantity"; "value" ]
          Rows =
            [ [ "final widths"; widthsText result.Network.HiddenWidths ]
              [ "layer sequence (final neurons)"
                String.Join(",", result.FinalLayerSequence) ]
              [ "layers added"; String.Join(",", result.LayerSequence) ]
              [ "authors' path"; (if e.Verdict.AuthorsPath then "yes" else "no") ]
              [ "training MSE"; g4 (2.0 * result.FinalLoss) ]
              [ "cube MSE"; g4 e.CubeMse ]
              [ "max |error| on the cube"; g4 e.CubeMaxError ]
              [ "max |weight| on x5..x20"; g4 e.MaxIrrelevantWeight ]
              [ "epochs"; string result.TotalEpochs ] ] },
        [ "widths", widthsText result.Network.HiddenWidths; "cube MSE", g4 e.CubeMse ],
        [ "authors' demo video: widths (4,2) after 5 iterations, layer sequence 1,2,1,1, weights on x5..x20 ~ 0" ])

let demoFast =
    { DataSeed = 1L
      Samples = HypercubeExample.DefaultSamples
      Options = Pursuit.defaults }

/// NP-3.
let check =
    Check.define
        "np-demo"
        "neuron pursuit"
        "Neuron Pursuit recovers the hypercube demo's target exactly on the cube, sparse, with widths no wider than (4,2)"
        "arXiv 2509.12154 (NP), the authors' demo; docs/claims.md NP-3"
        (fun _ -> demo demoFast)
