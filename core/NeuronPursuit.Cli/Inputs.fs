// SPDX-License-Identifier: MIT
/// Usage errors and the option values several subcommands share (numbers, precision).
module NeuronPursuit.Cli.Inputs

open System
open System.Globalization

/// A usage error: the options given are inconsistent or incomplete. The message is one line naming the option.
exception UsageError of string

/// The message of an exception as one line, without .NET's "(Parameter 'x')" suffix.
let oneLine (e: exn) =
    let message =
        match e with
        | :? ArgumentException as a when not (isNull a.ParamName) -> a.Message.Replace($" (Parameter '{a.ParamName}')", "")
        | _ -> e.Message

    message.Replace("\r", " ").Replace("\n", " ")

/// Round-trip text of a double in invariant culture.
let invariant (x: float) =
    x.ToString("R", CultureInfo.InvariantCulture)

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

/// A value that must be positive and finite, or a UsageError naming the option.
let positive (option: string) (value: float) =
    if not (value > 0.0 && Double.IsFinite value) then
        raise (UsageError $"{option}: must be positive and finite, got {invariant value}.")

    value

/// The arithmetic of a computation.
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
