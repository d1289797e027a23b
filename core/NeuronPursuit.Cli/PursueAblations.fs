// SPDX-License-Identifier: MIT
/// `np pursue --example hypercube --ablations`: Neuron Pursuit against its ablation (random instead of KKT
/// directions) and plain GD baselines on the same data: small random initialisation on the target's widths
/// (4, 2) and on a wide (64, 64) net, and He initialisation on the wide net. One Markdown report and one CSV.
module NeuronPursuit.Cli.PursueAblations

open System
open System.Diagnostics
open System.Globalization
open System.IO
open System.Text
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Pursuit
open NeuronPursuit.Cli.PursueConfig

/// Standard deviation of each weight in the "small random" initialisations (total norm ≈ 0.19 for (4, 2),
/// comparable to NP's δ₀ = 0.2; ≈ 1.5 for (64, 64), still far below He's scale).
let smallInitStd = 0.02

/// One line of the report.
type AblationRow =
    { Method: string
      Widths: int list
      Epochs: int64
      TrainLoss: float
      CubeMse: float
      EffectiveNeurons: int list
      MaxIrrelevantWeight: float
      WallSeconds: float
      Note: string }

let private culture = CultureInfo.InvariantCulture
let private g3 (x: float) = x.ToString("G3", culture)

let private row methodName (net: FeedForwardNetwork) (w: float[]) epochs loss wall note =
    let cube = Pursuit.cubeError net w

    { Method = methodName
      Widths = List.ofSeq net.HiddenWidths
      Epochs = epochs
      TrainLoss = loss
      CubeMse = cube.MeanSquaredError
      EffectiveNeurons = Pursuit.effectiveNeurons net w
      MaxIrrelevantWeight = Pursuit.maxInputWeight HypercubeExample.RelevantInputs net w
      WallSeconds = wall
      Note = note }

let private pursuit name (config: PursueConfig) (options: PursuitOptions) =
    let clock = Stopwatch.StartNew()
    let r = Pursuit.run options config.Problem
    let seq = String.Join(",", r.LayerSequence)
    let start = r.Iterations.[0].Minimisation.LossBefore

    row
        name
        r.Network
        r.Weights
        r.TotalEpochs
        r.FinalLoss
        clock.Elapsed.TotalSeconds
        $"layers {seq}; loss {g3 start} → {g3 r.FinalLoss}; stop {RunRecord.snakeCase (string r.StopReason)}"

/// GD from w₀ for a fixed budget (the loss floor 1e-7 may end it earlier).
let private gd name (config: PursueConfig) (widths: int[]) (init: FeedForwardNetwork -> float[]) (epochs: int) initNote =
    let net =
        FeedForwardNetwork(HypercubeExample.Dimension, widths, config.Problem.Network.Activation)

    let w = init net
    let clock = Stopwatch.StartNew()
    let m = Pursuit.descend epochs config.Options net config.Problem.Data w

    let moved =
        if m.LossAfter > 0.97 * m.LossBefore then
            " (never left the origin's plateau)"
        else
            ""

    row
        name
        net
        w
        m.Epochs
        m.LossAfter
        clock.Elapsed.TotalSeconds
        $"{initNote}; loss {g3 m.LossBefore} → {g3 m.LossAfter}{moved}; stop {RunRecord.snakeCase (string m.Reason)}"

/// Weights N(0, σ²), seeded.
let smallInit (seed: int64) (net: FeedForwardNetwork) =
    Vec.gaussian seed smallInitStd net.ParameterCount

/// He initialisation: W_l entries N(0, 2/k_{l−1}), seeded.
let heInit (seed: int64) (net: FeedForwardNetwork) =
    let w = Array.zeroCreate<float> net.ParameterCount
    let random = NeuronPursuit.Core.Numerics.SeededRandom seed

    for b in net.Layout.Blocks do
        random.FillGaussian(Span(w, b.Offset, b.Count), sqrt (2.0 / float b.Columns))

    w

let private markdown (config: PursueConfig) (rows: AblationRow list) =
    let sb = StringBuilder()
    let line (s: string) = sb.AppendLine s |> ignore
    let o = config.Options
    line "# Neuron Pursuit: ablations and baselines on the hypercube demo"
    line ""

    line
        $"Data: f on {{±1}}^20 (the hypercube demo of arXiv 2509.12154), n = {config.Problem.Data.Count} training points, data seed {config.DataSeed |> Option.defaultValue 0L}. Test set: all 2^20 vertices."

    line
        $"Training: full-batch GD, η = {o.LearningRate} on (1/(2n))Σ(H − y)², 3-layer bias-free {config.Problem.Network.Activation.Specification} nets."

    line
        $"NP rows use the NP options (δ₀ = {o.InitialScale}, δ = {o.NeuronScale}, inner stop rule, seed {o.Seed}); the random-direction row draws the initial net's direction and each new neuron's unit (a, b) uniformly (seeded), and keeps the KKT layer choice and the scales δ₀, δ."

    line
        $"GD baselines: {config.BaselineEpochs} epochs for (4,2), {config.WideEpochs} for (64,64) (or until the loss is below 1e-7); small init: every weight N(0, {smallInitStd}²); He init: W_l ~ N(0, 2/k_(l−1)). Seed {o.Seed} for all draws."

    line
        $"Effective neurons: ‖incoming‖·‖outgoing‖ > {NetworkStatistics.DefaultEffectiveThreshold} per hidden layer. Irrelevant weights: max |W1[:, x5..x20]|."

    line ""
    line "| method | widths | effective neurons | epochs | train loss | cube MSE | max irrelevant weight | wall time (s) | note |"
    line "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"

    for r in rows do
        let widths = "(" + String.Join(",", r.Widths) + ")"
        let effective = "(" + String.Join(",", r.EffectiveNeurons) + ")"

        line
            $"| {r.Method} | {widths} | {effective} | {r.Epochs} | {g3 r.TrainLoss} | {g3 r.CubeMse} | {g3 r.MaxIrrelevantWeight} | {r.WallSeconds:F1} | {r.Note} |"

    sb.ToString()

let private csv (rows: AblationRow list) =
    let sb =
        StringBuilder("method,widths,effective_neurons,epochs,train_loss,cube_mse,max_irrelevant_weight,wall_seconds,note\n")

    let r (x: float) = x.ToString("R", culture)

    for row in rows do
        let fields =
            [ row.Method
              String.Join(";", row.Widths)
              String.Join(";", row.EffectiveNeurons)
              string row.Epochs
              r row.TrainLoss
              r row.CubeMse
              r row.MaxIrrelevantWeight
              r row.WallSeconds
              row.Note.Replace(",", ";") ]

        sb.AppendLine(String.Join(",", fields)) |> ignore

    sb.ToString()

/// Runs the five methods one after another (so that each wall time is its own), writes ablations.md and
/// ablations.csv into `dir`, and prints the table. After Ctrl-C the running method stops at its next epoch, the others
/// do not start, and the methods that completed are written; returns 130 then, else 0.
let run (config: PursueConfig) (dir: string) (out: TextWriter) (err: TextWriter) =
    let o = config.Options
    let seed = o.Seed

    let jobs: (string * (unit -> AblationRow)) list =
        [ "NP, KKT directions", (fun () -> pursuit "NP, KKT directions" config (o.WithDirections DirectionRule.Kkt))
          "NP, random directions", (fun () -> pursuit "NP, random directions" config (o.WithDirections DirectionRule.Random))
          "GD, small init, (4,2)", (fun () -> gd "GD, small init, (4,2)" config [| 4; 2 |] (smallInit seed) config.BaselineEpochs "N(0, 0.02²)")
          "GD, small init, (64,64)", (fun () -> gd "GD, small init, (64,64)" config [| 64; 64 |] (smallInit seed) config.WideEpochs "N(0, 0.02²)")
          "GD, He init, (64,64)", (fun () -> gd "GD, He init, (64,64)" config [| 64; 64 |] (heInit seed) config.WideEpochs "He") ]

    let interrupted () = o.Cancellation.IsCancellationRequested

    let rows =
        [ for name, job in jobs do
              if not (interrupted ()) then
                  out.WriteLine($"running: {name} …")
                  out.Flush()
                  let r = job ()

                  if not (interrupted ()) then
                      let effective = String.Join(",", r.EffectiveNeurons)

                      out.WriteLine(
                          $"  cube MSE {g3 r.CubeMse}, effective neurons ({effective}), max irrelevant weight {g3 r.MaxIrrelevantWeight}, {r.WallSeconds:F1} s"
                      )

                      yield r ]

    let report = markdown config rows
    File.WriteAllText(Path.Combine(dir, "ablations.md"), report)
    File.WriteAllText(Path.Combine(dir, "ablations.csv"), csv rows)
    out.WriteLine()
    out.Write(report)
    out.WriteLine($"""output: {Path.GetFullPath config.OutDir} (ablations.md, ablations.csv)""")

    if interrupted () then
        err.WriteLine($"np: interrupted after {rows.Length} of {jobs.Length} methods (results so far written to {config.OutDir})")
        130
    else
        0
