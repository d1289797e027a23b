// SPDX-License-Identifier: MIT
/// `np check [NAME…] [--full] [--out DIR] [--list]`: runs the claim checks of proofs-checks/, prints each table and
/// verdict, and writes DIR/report.md, DIR/report.html, DIR/checks.csv and DIR/run.json. Exit 0 when every check passes or
/// is unverifiable, 1 when any fails, 2 for bad input, 130 when interrupted (the checks that ran are written).
module NeuronPursuit.Cli.CheckCommand

open System
open System.IO
open System.Threading
open NeuronPursuit
open NeuronPursuit.Checks
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.CommandLine
open NeuronPursuit.Cli.Inputs

/// `settings` of a check run.
type CheckSettings = { Checks: string list; Mode: string }

/// One check in `result`.
type CheckRecord =
    { Name: string
      Claim: string
      Source: string
      Verdict: string
      Reason: string
      KeyNumbers: Map<string, string>
      Seconds: float }

/// `result` of a check run.
type CheckRunResult =
    {
        Passed: int
        Failed: int
        Unverifiable: int
        WallTimeSeconds: float
        Checks: CheckRecord list
        /// completed, or interrupted (Ctrl-C) with the checks that ran.
        Status: string
        /// The checks asked for that did not run (interrupted), in order.
        NotRun: string list
    }

/// The HTML report of a check run: the overall status and counts, then the summary and every check's details.
let private htmlReport (mode: Mode) (result: CheckRunResult) (results: CheckResult list) (argv: string[]) =
    let status, kind, reason =
        if result.Status = "interrupted" then
            "interrupted", Neutral, $"""stopped by Ctrl-C; not run: {String.Join(", ", result.NotRun)}"""
        elif result.Failed > 0 then
            "FAIL", Bad, $"{result.Failed} of {results.Length} checks failed"
        else
            "PASS", Good, "every check passed or is unverifiable"

    Report.ofChecks
        $"np check report ({mode})"
        [ ReportBlock.Status(status, kind, reason)
          Pairs [
              "mode", (string mode).ToLowerInvariant()
              "passed", string result.Passed
              "failed", string result.Failed
              "unverifiable", string result.Unverifiable
              "wall time", $"{result.WallTimeSeconds:F1} s"
          ]
          Paragraph "Claims, sources and criteria: docs/claims.md."
          Code("np " + String.Join(" ", argv)) ]
        results

/// Runs `np check`.
let run (argv: string[]) (args: Parsed) (out: TextWriter) (err: TextWriter) (cancellation: CancellationToken) =
    ProblemOptions.allowOnly "check" [] args

    if args.Has CheckArgs.list then
        // The list runs nothing and writes nothing, so an option that asks for a run (names, --full, --out) is refused
        // rather than ignored.
        let others =
            (if args.Operands.IsEmpty then [] else [ "check names" ])
            @ (args.Given |> List.filter (fun f -> f <> CheckArgs.list.Flag.Text))

        match others with
        | other :: _ -> raise (UsageError $"check: --list prints the checks and runs nothing; it takes no {other}.")
        | [] -> ()

        for c in Registry.all do
            out.WriteLine($"{c.Name, -28} {c.Claim} ({c.Source})")

        0
    else
        let names = args.Operands
        let unknown = names |> List.filter (fun n -> (Registry.tryFind n).IsNone)

        if not unknown.IsEmpty then
            raise (UsageError $"check: unknown check '{unknown.Head}'; np check --list shows the names.")

        let checks =
            if names.IsEmpty then
                Registry.all
            else
                names |> List.map (fun n -> (Registry.tryFind n).Value)

        let mode = if args.Has CheckArgs.full then Mode.Full else Mode.Fast

        let dir = args.Get(CheckArgs.out, Path.Combine("runs", "checks"))

        use folder = OutputFolder.create dir (args.Has CheckArgs.overwrite)
        let clock = Diagnostics.Stopwatch.StartNew()

        let results =
            checks
            |> Check.runAll mode cancellation (fun r ->
                out.Write(Check.render r)
                out.Flush())

        let interrupted = results.Length < checks.Length
        let wall = clock.Elapsed.TotalSeconds
        File.WriteAllText(folder.File "report.md", Check.markdown $"np check report ({mode})" results)
        File.WriteAllText(folder.File "checks.csv", Check.csv results)

        let count label =
            results |> List.filter (fun r -> r.Outcome.Verdict.Label = label) |> List.length

        let passed, failed, unverifiable = count "PASS", count "FAIL", count "UNVERIFIABLE"

        let result =
            { Passed = passed
              Failed = failed
              Unverifiable = unverifiable
              WallTimeSeconds = wall
              Checks =
                [ for r in results ->
                      { Name = r.Check.Name
                        Claim = r.Check.Claim
                        Source = r.Check.Source
                        Verdict = r.Outcome.Verdict.Label
                        Reason = r.Outcome.Verdict.Reason
                        KeyNumbers = Map.ofList r.Outcome.KeyNumbers
                        Seconds = r.Seconds } ]
              Status = (if interrupted then "interrupted" else "completed")
              NotRun = [ for c in checks |> List.skip results.Length -> c.Name ] }

        let record =
            RunRecord.create
                "check"
                argv
                None
                { Checks = [ for c in checks -> c.Name ]
                  Mode = (string mode).ToLowerInvariant() }
                result
                [ "run.json"; "report.md"; "report.html"; "checks.csv" ]

        RunRecord.write (folder.File "run.json") record
        Report.save (folder.File "report.html") (htmlReport mode result results argv)
        folder.Commit()
        out.WriteLine($"""{passed} passed, {failed} failed, {unverifiable} unverifiable in {wall:F1} s; report: {Path.Combine(dir, "report.md")}""")

        if interrupted then
            err.WriteLine(
                $"""np: interrupted after {results.Length} of {checks.Length} checks; not run: {String.Join(", ", result.NotRun)} (results so far written to {dir})"""
            )

            130
        elif failed = 0 then
            0
        else
            1
