// SPDX-License-Identifier: MIT
/// What a check returns: a verdict, the criterion, every parameter it chose, a table of what it measured, key
/// numbers, and the comparison with the digest's reference simulation where the set-ups match.
module NeuronPursuit.Checks.CheckTypes

open System
open System.Diagnostics
open System.Globalization
open NeuronPursuit.Core.Analysis

/// PASS, FAIL with the reason, or UNVERIFIABLE with why the material does not allow a check.
type Verdict =
    | Pass
    | Fail of reason: string
    | Unverifiable of why: string

    member this.Label =
        match this with
        | Pass -> "PASS"
        | Fail _ -> "FAIL"
        | Unverifiable _ -> "UNVERIFIABLE"

/// Fast (seconds, run in CI) or full (the δ sweeps the claim is about).
type Mode =
    | Fast
    | Full

/// A table: column names and rows of formatted cells.
type Table = { Columns: string list; Rows: string list list }

/// The outcome of one check.
type CheckResult =
    { Name: string
      Claim: string
      Source: string
      Mode: Mode
      Verdict: Verdict
      Criterion: string
      Parameters: (string * string) list
      Table: Table
      KeyNumbers: (string * string) list
      Reference: string list
      Seconds: float }

/// A named check of one claim.
type Check =
    { Name: string
      Family: string
      /// The claim in one line.
      Claim: string
      /// Paper and statement (digest section, claim number).
      Source: string
      Run: Mode -> CheckResult }

/// Invariant-culture formatting with 4 significant digits.
let fmt (x: float) =
    if Double.IsNaN x then "NaN"
    elif Double.IsPositiveInfinity x then "inf"
    else x.ToString("G4", CultureInfo.InvariantCulture)

/// Invariant-culture formatting with 6 significant digits.
let fmt6 (x: float) = x.ToString("G6", CultureInfo.InvariantCulture)

/// Builds the result; measures the wall time of `body`, which returns (verdict, table, key numbers, references).
let measure name claim source mode criterion (parameters: (string * string) list) (body: unit -> Verdict * Table * (string * string) list * string list) =
    let clock = Stopwatch.StartNew()
    let verdict, table, keys, reference =
        try body ()
        with e -> Fail $"the computation failed: {e.Message}", { Columns = []; Rows = [] }, [], []
    { Name = name; Claim = claim; Source = source; Mode = mode; Verdict = verdict; Criterion = criterion; Parameters = parameters
      Table = table; KeyNumbers = keys; Reference = reference; Seconds = clock.Elapsed.TotalSeconds }

/// PASS when every condition holds; else FAIL naming the first that does not.
let allOf (conditions: (bool * string) list) =
    match conditions |> List.tryFind (fun (ok, _) -> not ok) with
    | None -> Pass
    | Some(_, why) -> Fail why

/// A fit as "b = … ± … (95 % CI [lo, hi])".
let describeSlope (fit: LinearFitResult) =
    $"{fmt fit.Slope} ± {fmt fit.SlopeStandardError} (95%% CI [{fmt fit.SlopeLower}, {fmt fit.SlopeUpper}])"

/// Whether the predicted slope lies in the 95 % interval widened by a relative model tolerance.
let slopeMatches (fit: LinearFitResult) (predicted: float) (relativeTolerance: float) =
    abs (fit.Slope - predicted) <= fit.TQuantile * fit.SlopeStandardError + relativeTolerance * abs predicted

/// The result as plain text: header, parameters, table, key numbers, reference, verdict.
let render (r: CheckResult) =
    let sb = Text.StringBuilder()
    let line (s: string) = sb.AppendLine s |> ignore
    line $"== {r.Name} ({r.Mode}) — {r.Claim}"
    line $"   source: {r.Source}"
    line $"   criterion: {r.Criterion}"
    line ("   parameters: " + String.Join("; ", r.Parameters |> List.map (fun (k, v) -> $"{k} = {v}")))
    if not r.Table.Columns.IsEmpty then
        let widths =
            r.Table.Columns |> List.mapi (fun i c ->
                r.Table.Rows |> List.fold (fun w row -> max w (if i < row.Length then row.[i].Length else 0)) c.Length)
        let pad (cells: string list) = "   " + String.Join("  ", cells |> List.mapi (fun i c -> c.PadLeft widths.[i]))
        line (pad r.Table.Columns)
        for row in r.Table.Rows do line (pad row)
    for k, v in r.KeyNumbers do line $"   {k}: {v}"
    for s in r.Reference do line $"   [REFSIM] {s}"
    let why =
        match r.Verdict with
        | Pass -> ""
        | Fail reason -> $": {reason}"
        | Unverifiable why -> $": {why}"
    line $"   verdict: {r.Verdict.Label}{why}  ({r.Seconds:F1} s)"
    sb.ToString()
