// SPDX-License-Identifier: MIT
/// `np eval`: the training loss and gradient norm of a problem's network at given weights (an example's teacher
/// weights by default).
module NeuronPursuit.Cli.EvalCommand

open System.IO
open NeuronPursuit
open NeuronPursuit.Core.Problems
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.CommandLine
open NeuronPursuit.Cli.Inputs

/// Loss and gradient norm at w, in the requested precision.
let private evaluate precision (p: Problem) (w: float[]) =
    match precision with
    | Precision.Double ->
        let value, g = fgrad (Problem.loss p) w
        value, Vec.norm g
    | Precision.DoubleDouble ->
        let value, g =
            fgrad (Problem.lossOf<NeuronPursuit.Core.Numerics.DoubleDouble> p) (Weights.toDoubleDouble w)

        double value, Vec.norm g

/// Prints n, d, the network, the loss and ‖∇ℒ‖ at the weights; returns 0.
let run (args: Parsed) (out: TextWriter) =
    ProblemOptions.allowOnly
        "eval"
        [ "--example"
          "--data"
          "--data-seed"
          "--samples"
          "--net"
          "--widths"
          "--activation"
          "--loss" ]
        args

    let p = (ProblemOptions.spec args).Build()

    let w =
        match args.TryGet EvalArgs.weights with
        | Some path -> Weights.read p.Network path
        | None ->
            match p.TeacherWeights with
            | null -> raise (UsageError "--weights: name the weights file to evaluate (only an example's own network has default weights).")
            | teacher -> Array.copy teacher

    let precision = Inputs.precision (args.Get(EvalArgs.precision, "double"))

    let value, gradientNorm = evaluate precision p w
    out.WriteLine($"data: {p.DataSource} (n = {p.Data.Count}, d = {p.Data.InputDimension})")

    let degree =
        match Option.ofNullable p.Degree with
        | Some l -> $"homogeneity degree L = {l}"
        | None -> "not homogeneous"

    out.WriteLine($"network: {p.Network.Specification} (P = {p.Dimension} weights, {degree})")
    out.WriteLine($"loss: {p.Loss.Specification}, {precision.Name}")
    out.WriteLine($"value: {invariant value}")
    out.WriteLine($"gradient norm: {invariant gradientNorm}")
    0
