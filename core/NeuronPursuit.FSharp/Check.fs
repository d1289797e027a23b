// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open System.Diagnostics
open System.Threading
open System.Threading.Tasks
open System.Text

/// PASS, FAIL with the reason, or UNVERIFIABLE with why the material does not allow a check.
type Verdict =
    | Pass
    | Fail of reason: string
    | Unverifiable of why: string

    /// PASS, FAIL or UNVERIFIABLE.
    member this.Label =
        match this with
        | Pass -> "PASS"
        | Fail _ -> "FAIL"
        | Unverifiable _ -> "UNVERIFIABLE"

    /// The reason of a FAIL or UNVERIFIABLE, else "".
    member this.Reason =
        match this with
        | Pass -> ""
        | Fail reason -> reason
        | Unverifiable why -> why

/// Fast (seconds, run in CI) or full (the δ sweeps the claim is about).
type Mode =
    | Fast
    | Full

    /// "Fast" or "Full", as the reports print it.
    override this.ToString() =
        match this with
        | Fast -> "Fast"
        | Full -> "Full"

/// A table: column names and rows of formatted cells.
type Table =
    { Columns: string list
      Rows: string list list }

/// What a check measured and concluded.
type Outcome =
    {
        Verdict: Verdict
        /// The criterion, in one line.
        Criterion: string
        /// Every parameter the check chose.
        Parameters: (string * string) list
        /// What it measured.
        Table: Table
        /// The numbers a report's summary shows.
        KeyNumbers: (string * string) list
        /// Reference numbers from elsewhere (e.g. a reference simulation) where the set-ups match.
        Reference: string list
    }

/// A named check of one claim: name, claim and source are written here once.
type Check =
    {
        Name: string
        Family: string
        /// The claim in one line.
        Claim: string
        /// Paper(s), section and the claim's entry in docs/claims.md.
        Source: string
        /// The measurement in a configuration.
        Run: Mode -> Outcome
    }

/// A check's identity, its outcome in a mode, and the wall time.
type CheckResult =
    { Check: Check
      Mode: Mode
      Outcome: Outcome
      Seconds: float }

/// Checks of claims: define one, run it, render its result as text, Markdown or CSV.
module Check =
    /// An empty table.
    let noTable = { Columns = []; Rows = [] }

    /// Defines a check.
    let define (name: string) (family: string) (claim: string) (source: string) (run: Mode -> Outcome) =
        { Name = name
          Family = family
          Claim = claim
          Source = source
          Run = run }

    /// The outcome of a measurement: `body` returns (verdict, table, key numbers, references); an exception in it
    /// is a FAIL that names it, with the criterion and parameters still reported.
    let measure (criterion: string) (parameters: (string * string) list) (body: unit -> Verdict * Table * (string * string) list * string list) =
        let verdict, table, keys, reference =
            try
                body ()
            with e ->
                Fail $"the computation failed: {e.Message}", noTable, [], []

        { Verdict = verdict
          Criterion = criterion
          Parameters = parameters
          Table = table
          KeyNumbers = keys
          Reference = reference }

    /// PASS when every condition holds; else FAIL naming the first that does not.
    let allOf (conditions: (bool * string) list) =
        match conditions |> List.tryFind (fun (ok, _) -> not ok) with
        | None -> Pass
        | Some(_, why) -> Fail why

    /// Runs a check with another measurement of the same claim (e.g. a deliberately false configuration), timed.
    let runAs (check: Check) (mode: Mode) (measurement: unit -> Outcome) =
        let clock = Stopwatch.StartNew()

        let outcome =
            try
                measurement ()
            with e ->
                { Verdict = Fail $"the computation failed: {e.Message}"
                  Criterion = ""
                  Parameters = []
                  Table = noTable
                  KeyNumbers = []
                  Reference = [] }

        { Check = check
          Mode = mode
          Outcome = outcome
          Seconds = clock.Elapsed.TotalSeconds }

    /// Runs a check in a mode, timed.
    let run (mode: Mode) (check: Check) =
        runAs check mode (fun () -> check.Run mode)

    /// Runs independent checks concurrently on the thread pool (at most `Environment.ProcessorCount` at a time) and
    /// calls `completed` with each result in the order of `checks`, as soon as it and those before it are done. A
    /// check's outcome does not depend on the others or on the number of threads (each builds its own problems and
    /// the kernels give the same bits on one thread or two), so only the `Seconds` differ from a sequential run.
    /// When `cancellation` is signalled, checks not yet started are not started, the running ones are abandoned (they
    /// end with the process), and the results before the first unfinished check are returned.
    let runAll (mode: Mode) (cancellation: CancellationToken) (completed: CheckResult -> unit) (checks: Check list) =
        // Not disposed: an abandoned check may still release its slot after this returns.
        let slots = new SemaphoreSlim(Environment.ProcessorCount)

        let started =
            [ for c in checks ->
                  Task.Run(fun () ->
                      slots.Wait cancellation

                      try
                          run mode c
                      finally
                          slots.Release() |> ignore) ]

        let results = ResizeArray<CheckResult>()
        let mutable interrupted = false

        for t in started do
            if not interrupted then
                try
                    t.Wait cancellation
                with
                | :? OperationCanceledException
                | :? AggregateException -> ()

                if t.IsCompletedSuccessfully then
                    completed t.Result
                    results.Add t.Result
                else
                    interrupted <- true

        List.ofSeq results

    /// The result as plain text: header, parameters, table, key numbers, references, verdict.
    let render (r: CheckResult) =
        let sb = StringBuilder()
        let line (s: string) = sb.AppendLine s |> ignore
        let o = r.Outcome
        line $"== {r.Check.Name} ({r.Mode}) — {r.Check.Claim}"
        line $"   source: {r.Check.Source}"
        line $"   criterion: {o.Criterion}"

        line (
            "   parameters: "
            + String.Join("; ", o.Parameters |> List.map (fun (k, v) -> $"{k} = {v}"))
        )

        if not o.Table.Columns.IsEmpty then
            let widths =
                o.Table.Columns
                |> List.mapi (fun i c ->
                    o.Table.Rows
                    |> List.fold (fun w row -> max w (if i < row.Length then row.[i].Length else 0)) c.Length)

            let pad (cells: string list) =
                "   " + String.Join("  ", cells |> List.mapi (fun i c -> c.PadLeft widths.[i]))

            line (pad o.Table.Columns)

            for row in o.Table.Rows do
                line (pad row)

        for k, v in o.KeyNumbers do
            line $"   {k}: {v}"

        for s in o.Reference do
            line $"   [reference] {s}"

        let why = if o.Verdict = Pass then "" else $": {o.Verdict.Reason}"
        line $"   verdict: {o.Verdict.Label}{why}  ({r.Seconds:F1} s)"
        sb.ToString()

    let private mdCell (s: string) = s.Replace("|", "\\|")
    let private csvCell (s: string) = "\"" + s.Replace("\"", "\"\"") + "\""

    let private keys (o: Outcome) =
        String.Join("; ", o.KeyNumbers |> List.map (fun (k, v) -> $"{k} = {v}"))

    /// A Markdown report: a summary table of claims, verdicts and key numbers, then every check's details.
    let markdown (title: string) (results: CheckResult list) =
        let sb = StringBuilder()
        let line (s: string) = sb.AppendLine s |> ignore
        line $"# {title}"
        line ""
        line "Claims, sources and criteria: docs/claims.md."
        line ""
        line "| check | claim | source | verdict | key numbers | seconds |"
        line "| --- | --- | --- | --- | --- | --- |"

        for r in results do
            line
                $"| [{r.Check.Name}](#{r.Check.Name}) | {mdCell r.Check.Claim} | {mdCell r.Check.Source} | **{r.Outcome.Verdict.Label}** | {mdCell (keys r.Outcome)} | {r.Seconds:F1} |"

        line ""

        for r in results do
            let o = r.Outcome
            line $"## {r.Check.Name}"
            line ""
            line $"*{mdCell r.Check.Claim}* — {mdCell r.Check.Source}"
            line ""

            match o.Verdict with
            | Pass -> line "**Verdict: PASS**"
            | v -> line $"**Verdict: {v.Label}** — {v.Reason}"

            line ""
            line $"Criterion: {o.Criterion}"
            line ""
            line "Parameters:"

            for k, v in o.Parameters do
                line $"- {k}: {v}"

            line ""

            if not o.Table.Columns.IsEmpty then
                line ("| " + String.Join(" | ", o.Table.Columns |> List.map mdCell) + " |")
                line ("|" + String.replicate o.Table.Columns.Length " --- |")

                for row in o.Table.Rows do
                    line ("| " + String.Join(" | ", row |> List.map mdCell) + " |")

                line ""

            for k, v in o.KeyNumbers do
                line $"- {k}: {v}"

            for s in o.Reference do
                line $"- [reference] {s}"

            line ""

        sb.ToString()

    /// One CSV row per result: check, mode, verdict, reason, seconds, key numbers.
    let csv (results: CheckResult list) =
        let rows =
            results
            |> List.map (fun r ->
                String.Join(
                    ",",
                    [ csvCell r.Check.Name
                      csvCell (string r.Mode)
                      csvCell r.Outcome.Verdict.Label
                      csvCell r.Outcome.Verdict.Reason
                      r.Seconds.ToString("F2", Globalization.CultureInfo.InvariantCulture)
                      csvCell (keys r.Outcome) ]
                ))

        String.Join("\n", "check,mode,verdict,reason,seconds,key_numbers" :: rows)
        + "\n"
