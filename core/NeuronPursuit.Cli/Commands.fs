// SPDX-License-Identifier: MIT
/// What each `np` subcommand does. Every function returns the process exit code and writes its
/// results to the given writer; invalid input raises exceptions that Program maps to one-line errors.
module NeuronPursuit.Cli.Commands

open System
open System.Globalization
open System.IO
open Argu
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Cli.Arguments

/// A usage error: the options given are inconsistent or incomplete.
exception UsageError of string

let private invariant (x: float) = x.ToString("R", CultureInfo.InvariantCulture)

/// The version line.
let version (out: TextWriter) =
    let core = typeof<HomogeneousNetwork>.Assembly.GetName().Version
    out.WriteLine($"np {core} (NeuronPursuit core {core}, .NET {Environment.Version})")
    0

let private parseWidths (text: string) =
    let parts = text.Split(',', StringSplitOptions.TrimEntries)
    parts
    |> Array.map (fun p ->
        match Int32.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture) with
        | true, k when k >= 1 -> k
        | _ -> raise (UsageError $"--widths: '{text}' is not a list of positive integers such as 4,2."))
    |> Array.toList

/// Builds the network named by --net/--width/--widths/--activation for inputs of dimension d.
let networkFrom (args: ParseResults<EvalArgs>) (d: int) =
    let sigma = Activation.parse (args.GetResult(EvalArgs.Activation, defaultValue = "relu"))
    match args.TryGetResult EvalArgs.Net with
    | Some "two-layer" ->
        match args.TryGetResult EvalArgs.Width with
        | Some m when m >= 1 -> Net.twoLayer d m sigma
        | Some m -> raise (UsageError $"--width: must be at least 1, got {m}.")
        | None -> raise (UsageError "--width: a two-layer network needs its hidden width, e.g. --width 10.")
    | Some "ff" ->
        match args.TryGetResult EvalArgs.Widths with
        | Some text -> Net.feedForward d (parseWidths text) sigma
        | None -> raise (UsageError "--widths: a feed-forward network needs its hidden widths, e.g. --widths 4,2.")
    | Some other -> raise (UsageError $"--net: '{other}' is not a network kind; expected two-layer or ff.")
    | None -> raise (UsageError "--net: name the network, two-layer or ff.")

let private lossFrom (args: ParseResults<EvalArgs>) =
    match args.GetResult(EvalArgs.Loss, defaultValue = "square") with
    | "square" -> squareLoss
    | "square-mean" -> squareLossMean
    | "logistic" -> logisticLoss
    | other -> raise (UsageError $"--loss: '{other}' is not a loss; expected square, square-mean or logistic.")

/// Loss and gradient norm at w, in the requested precision.
let private evaluate precision (loss: ILoss) net (data: DataSet<float>) (w: float[]) =
    match precision with
    | "double" ->
        let value, g = fgrad (lossWith loss net data) w
        value, Vec.norm g
    | "double-double" ->
        let value, g = fgrad (lossWith loss net (Data.toDoubleDouble data)) (Weights.toDoubleDouble w)
        double value, Vec.norm g
    | other -> raise (UsageError $"--precision: '{other}' is not a precision; expected double or double-double.")

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
    let loss = lossFrom args
    let precision = args.GetResult(EvalArgs.Precision, defaultValue = "double")
    let value, gradientNorm = evaluate precision loss net data w
    out.WriteLine($"data: {source} (n = {data.Count}, d = {data.InputDimension})")
    out.WriteLine($"network: {net.Specification} (P = {net.ParameterCount} weights, homogeneity degree L = {Net.degree net})")
    out.WriteLine($"loss: {loss.Specification}, {precision}")
    out.WriteLine($"value: {invariant value}")
    out.WriteLine($"gradient norm: {invariant gradientNorm}")
    0
