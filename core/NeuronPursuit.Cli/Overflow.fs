// SPDX-License-Identifier: MIT
/// The boundary check of a problem's data against double precision: a quantity computed from the user's data at the
/// start of a run (the loss at w(0), the network's output) that overflows is bad input, reported as one line that
/// names the data and its largest values, not a failure deep inside the computation.
module NeuronPursuit.Cli.Overflow

open System
open NeuronPursuit
open NeuronPursuit.Cli.Inputs

/// The data's value of largest magnitude and where it is: (value, sample number from 1, column x1…xd or y).
let largestValue (p: Problem) =
    let data = p.Data
    let d = data.InputDimension
    let mutable best = 0.0, 0, ""

    let consider (v: float) (i: int) (column: string) =
        let value, _, _ = best

        if abs v > abs value || Double.IsNaN v then
            best <- v, i + 1, column

    for i in 0 .. data.Count - 1 do
        let x = data.Sample i

        for k in 0 .. d - 1 do
            consider x.[k] i $"x{k + 1}"

        consider data.Y.[i] i "y"

    best

/// The data as the user named them: `--data: 'FILE'` or `--example NAME`.
let dataOption (p: Problem) =
    match p.DataSource with
    | source when source.StartsWith("example ", StringComparison.Ordinal) -> $"--example {source.Substring 8}"
    | source -> $"--data: '{source}'"

/// Raises a UsageError when the square of the data's largest value overflows double precision: the loss of any network
/// homogeneous of degree ≥ 1 in its input (ReLU and its powers) then overflows wherever one of its neurons is active,
/// whatever the weights, so no run on these data means anything. A check on one network alone can miss it (a network
/// whose neurons are all inactive on the data has loss (1/(2n))Σy²).
let requireFiniteSquares (p: Problem) =
    let largest, sample, column = largestValue p

    if not (Double.IsFinite(largest * largest)) then
        raise (
            UsageError
                $"{dataOption p}: the data reach {Format.g4 largest} (sample {sample}, {column}), whose square overflows double precision; rescale the data."
        )

/// Raises a UsageError when `value` (described by `what`, e.g. "the loss at w(0)") is not finite: the data are too
/// large for double precision with this network; the message names them, their largest value and the remedy.
let requireFinite (p: Problem) (what: string) (remedy: string) (value: float) =
    if not (Double.IsFinite value) then
        let largest, sample, column = largestValue p

        raise (
            UsageError
                $"{dataOption p}: {what} is {invariant value} in double precision; the data reach {Format.g4 largest} (sample {sample}, {column}); {remedy}"
        )

/// Evaluates a quantity of the user's problem at the start of a run (e.g. the loss and gradient at w(0)): when it
/// overflows — a non-finite value, or the core's refusal of a non-finite intermediate (an ArgumentException from deep
/// inside, naming an internal parameter) — raises the one-line UsageError of `requireFinite` naming the data.
let evaluateFinite (p: Problem) (what: string) (remedy: string) (compute: unit -> float) =
    let value =
        try
            compute ()
        with :? ArgumentException ->
            nan

    requireFinite p what remedy value
    value
