// SPDX-License-Identifier: MIT
/// What each `np` subcommand does. Every function returns the process exit code and writes its
/// results to the given writer; invalid input raises exceptions that Program maps to one-line errors.
module NeuronPursuit.Cli.Commands

open System
open System.IO
open Argu
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.Inputs

/// The version line.
let version (out: TextWriter) =
    out.WriteLine($"np {Versions.np} (NeuronPursuit core {Versions.core}, .NET {Versions.dotnet})")
    0

let private networkFrom (args: ParseResults<EvalArgs>) (d: int) =
    Inputs.network (args.TryGetResult EvalArgs.Net) (args.TryGetResult EvalArgs.Width) (args.TryGetResult EvalArgs.Widths)
                   (args.GetResult(EvalArgs.Activation, defaultValue = "relu")) d

/// Loss and gradient norm at w, in the requested precision.
let private evaluate precision (loss: ILoss) net (data: DataSet<float>) (w: float[]) =
    match precision with
    | Precision.Double ->
        let value, g = fgrad (lossWith loss net data) w
        value, Vec.norm g
    | Precision.DoubleDouble ->
        let value, g = fgrad (lossWith loss net (Data.toDoubleDouble data)) (Weights.toDoubleDouble w)
        double value, Vec.norm g

/// `np eval`: prints n, d, the network, the loss and ‖∇ℒ‖ at the given weights.
let eval (args: ParseResults<EvalArgs>) (out: TextWriter) =
    let data, net, w, source =
        match args.TryGetResult EvalArgs.Example, args.TryGetResult EvalArgs.Data with
        | Some _, Some _ -> raise (UsageError "--example and --data: give one of them, not both.")
        | None, None -> raise (UsageError "--data: name a CSV data file, or use --example two-relu-teacher.")
        | Some name, None ->
            let ex = Data.example name 1L
            let net = if args.Contains EvalArgs.Net then networkFrom args ex.Data.InputDimension else ex.Network
            let w =
                match args.TryGetResult EvalArgs.Weights with
                | Some path -> Weights.read net path
                | None when args.Contains EvalArgs.Net -> raise (UsageError "--weights: a network other than the example's teacher needs a weights file.")
                | None -> ex.TeacherWeights
            ex.Data, net, w, $"example {name}"
        | None, Some path ->
            let data = Data.readCsv path
            let net = networkFrom args data.InputDimension
            let w =
                match args.TryGetResult EvalArgs.Weights with
                | Some wpath -> Weights.read net wpath
                | None -> raise (UsageError "--weights: name the weights file to evaluate.")
            data, net, w, path
    let loss = Inputs.loss (args.GetResult(EvalArgs.Loss, defaultValue = "square"))
    let precision = Inputs.precision (args.GetResult(EvalArgs.Precision, defaultValue = "double"))
    let value, gradientNorm = evaluate precision loss net data w
    out.WriteLine($"data: {source} (n = {data.Count}, d = {data.InputDimension})")
    out.WriteLine($"network: {net.Specification} (P = {net.ParameterCount} weights, homogeneity degree L = {Net.degree net})")
    out.WriteLine($"loss: {loss.Specification}, {precision.Name}")
    out.WriteLine($"value: {invariant value}")
    out.WriteLine($"gradient norm: {invariant gradientNorm}")
    0
