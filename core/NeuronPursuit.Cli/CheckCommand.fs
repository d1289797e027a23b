// SPDX-License-Identifier: MIT
/// `np check [NAME…] [--full] [--out DIR] [--list]`: runs the claim checks of proofs-checks/, prints each table and
/// verdict, and writes DIR/report.md, DIR/checks.csv and DIR/run.json. Exit 0 when every check passes or is
/// unverifiable, 1 when any fails, 2 for bad input.
module NeuronPursuit.Cli.CheckCommand

open System
open System.IO
open Argu
open NeuronPursuit
open NeuronPursuit.Checks
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.Inputs

/// `settings` of a check run.
type CheckSettings = { Checks: string list; Mode: string }

/// One check in `result`.
type CheckRecord = { Name: string; Claim: string; Source: string; Verdict: string; Reason: string; KeyNumbers: Map<string, string>; Seconds: float }

/// `result` of a check run.
type CheckRunResult = { Passed: int; Failed: int; Unverifiable: int; WallTimeSeconds: float; Checks: CheckRecord list }

/// Runs `np check`.
let run (argv: string[]) (problemArgs: ParseResults<NpArgs>) (args: ParseResults<CheckArgs>) (out: TextWriter) =
    ProblemOptions.allowOnly "check" [] problemArgs
    if args.Contains CheckArgs.List then
        for c in Registry.all do out.WriteLine($"{c.Name,-28} {c.Claim} ({c.Source})")
        0
    else
        let names = args.GetResult(CheckArgs.Names, defaultValue = [])
        let unknown = names |> List.filter (fun n -> (Registry.tryFind n).IsNone)
        if not unknown.IsEmpty then
            raise (UsageError $"check: unknown check '{unknown.Head}'; np check --list shows the names.")
        let checks = if names.IsEmpty then Registry.all else names |> List.map (fun n -> (Registry.tryFind n).Value)
        let mode = if args.Contains CheckArgs.Full then Mode.Full else Mode.Fast
        let dir = args.GetResult(CheckArgs.Out, defaultValue = Path.Combine("runs", "checks"))
        OutputFolder.create dir
        let clock = Diagnostics.Stopwatch.StartNew()
        let results =
            checks
            |> Check.runAll mode (fun r ->
                out.Write(Check.render r)
                out.Flush())
        let wall = clock.Elapsed.TotalSeconds
        File.WriteAllText(Path.Combine(dir, "report.md"), Check.markdown $"np check report ({mode})" results)
        File.WriteAllText(Path.Combine(dir, "checks.csv"), Check.csv results)
        let count label = results |> List.filter (fun r -> r.Outcome.Verdict.Label = label) |> List.length
        let passed, failed, unverifiable = count "PASS", count "FAIL", count "UNVERIFIABLE"
        let record =
            RunRecord.create "check" argv None { Checks = [ for c in checks -> c.Name ]; Mode = (string mode).ToLowerInvariant() }
                { Passed = passed; Failed = failed; Unverifiable = unverifiable; WallTimeSeconds = wall
                  Checks =
                    [ for r in results ->
                        { Name = r.Check.Name; Claim = r.Check.Claim; Source = r.Check.Source; Verdict = r.Outcome.Verdict.Label
                          Reason = r.Outcome.Verdict.Reason; KeyNumbers = Map.ofList r.Outcome.KeyNumbers; Seconds = r.Seconds } ] }
                [ "run.json"; "report.md"; "checks.csv" ]
        RunRecord.write (Path.Combine(dir, "run.json")) record
        out.WriteLine($"""{passed} passed, {failed} failed, {unverifiable} unverifiable in {wall:F1} s; report: {Path.Combine(dir, "report.md")}""")
        if failed = 0 then 0 else 1
