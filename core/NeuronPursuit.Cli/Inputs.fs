// SPDX-License-Identifier: MIT
/// The option values that several subcommands share (network, loss, precision, numbers), parsed into
/// core objects; anything malformed raises a UsageError naming the option.
module NeuronPursuit.Cli.Inputs

open System
open System.Globalization
open NeuronPursuit
open NeuronPursuit.Core.Objectives

/// A usage error: the options given are inconsistent or incomplete.
exception UsageError of string

/// The message of an exception as one line, without .NET's "(Parameter 'x')" suffix.
let oneLine (e: exn) =
    let message =
        match e with
        | :? ArgumentException as a when not (isNull a.ParamName) ->
            a.Message.Replace($" (Parameter '{a.ParamName}')", "")
        | _ -> e.Message
    message.Replace("\r", " ").Replace("\n", " ")

/// Round-trip text of a double in invariant culture.
let invariant (x: float) = x.ToString("R", CultureInfo.InvariantCulture)

/// Parses a finite number in invariant culture, or raises a UsageError naming the option.
let parseFinite (option: string) (text: string) =
    match Double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture) with
    | true, x when Double.IsFinite x -> x
    | _ -> raise (UsageError $"{option}: '{text}' is not a finite number.")

/// Parses a positive integer, or raises a UsageError naming the option.
let parsePositiveInt (option: string) (text: string) =
    match Int32.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture) with
    | true, k when k >= 1 -> k
    | _ -> raise (UsageError $"{option}: '{text}' is not a positive integer.")

let private parseWidths (text: string) =
    text.Split(',', StringSplitOptions.TrimEntries)
    |> Array.map (fun p ->
        match Int32.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture) with
        | true, k when k >= 1 -> k
        | _ -> raise (UsageError $"--widths: '{text}' is not a list of positive integers such as 4,2."))
    |> Array.toList

/// The network named by --net/--width/--widths/--activation for inputs of dimension d.
let network (kind: string option) (width: int option) (widths: string option) (activation: string) (d: int) =
    let sigma = Activation.parse activation
    match kind with
    | Some "two-layer" ->
        match width with
        | Some m when m >= 1 -> Net.twoLayer d m sigma
        | Some m -> raise (UsageError $"--width: must be at least 1, got {m}.")
        | None -> raise (UsageError "--width: a two-layer network needs its hidden width, e.g. --width 10.")
    | Some "ff" ->
        match widths with
        | Some text -> Net.feedForward d (parseWidths text) sigma
        | None -> raise (UsageError "--widths: a feed-forward network needs its hidden widths, e.g. --widths 4,2.")
    | Some other -> raise (UsageError $"--net: '{other}' is not a network kind; expected two-layer or ff.")
    | None -> raise (UsageError "--net: name the network, two-layer or ff.")

/// The loss named by --loss.
let loss (name: string) : ILoss =
    match name with
    | "square" -> squareLoss
    | "square-mean" -> squareLossMean
    | "logistic" -> logisticLoss
    | other -> raise (UsageError $"--loss: '{other}' is not a loss; expected square, square-mean or logistic.")

/// The arithmetic named by --precision.
type Precision =
    | Double
    | DoubleDouble

    /// The command-line name.
    member this.Name =
        match this with
        | Double -> "double"
        | DoubleDouble -> "double-double"

/// Parses --precision.
let precision (name: string) =
    match name with
    | "double" -> Double
    | "double-double" -> DoubleDouble
    | other -> raise (UsageError $"--precision: '{other}' is not a precision; expected double or double-double.")
