// SPDX-License-Identifier: MIT
/// `np check [NAME…] [--full] [--out DIR] [--list]`: runs the claim checks of proofs-checks/, prints each table and
/// verdict, and writes DIR/report.md and DIR/checks.csv. Exit 0 when every check passes or is unverifiable, 1 when
/// any fails, 2 for bad input.
module NeuronPursuit.Cli.CheckCommand

open System
open System.Globalization
open System.IO
open Argu
open NeuronPursuit.Checks.CheckTypes
open NeuronPursuit.Checks
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.Inputs

let private csvCell (s: string) = "\"" + s.Replace("\"", "\"\"") + "\""

let private mdCell (s: string) = s.Replace("|", "\\|")

/// The Markdown report: a summary table of claims, verdicts and key numbers, then each check's details.
let report (mode: Mode) (results: CheckResult list) =
    let sb = Text.StringBuilder()
    let line (s: string) = sb.AppendLine s |> ignore
    line $"# np check report ({mode})"
    line ""
    let stamp = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
    line $"Generated {stamp} UTC. Claims from `small-init-and-saddles.md` §4 (1–16) and `neuron-pursuit.md` §6 (1–2)."
    line ""
    line "| check | claim | source | verdict | key numbers | seconds |"
    line "| --- | --- | --- | --- | --- | --- |"
    for r in results do
        let keys = String.Join("; ", r.KeyNumbers |> List.map (fun (k, v) -> $"{k} = {v}"))
        line $"| [{r.Name}](#{r.Name}) | {mdCell r.Claim} | {mdCell r.Source} | **{r.Verdict.Label}** | {mdCell keys} | {r.Seconds:F1} |"
    line ""
    for r in results do
        line $"## {r.Name}"
        line ""
        line $"*{mdCell r.Claim}* — {mdCell r.Source}"
        line ""
        match r.Verdict with
        | Pass -> line "**Verdict: PASS**"
        | Fail why -> line $"**Verdict: FAIL** — {why}"
        | Unverifiable why -> line $"**Verdict: UNVERIFIABLE** — {why}"
        line ""
        line $"Criterion: {r.Criterion}"
        line ""
        line "Parameters:"
        for k, v in r.Parameters do line $"- {k}: {v}"
        line ""
        if not r.Table.Columns.IsEmpty then
            line ("| " + String.Join(" | ", r.Table.Columns |> List.map mdCell) + " |")
            line ("|" + String.replicate r.Table.Columns.Length " --- |")
            for row in r.Table.Rows do line ("| " + String.Join(" | ", row |> List.map mdCell) + " |")
            line ""
        for k, v in r.KeyNumbers do line $"- {k}: {v}"
        for s in r.Reference do line $"- [REFSIM] {s}"
        line ""
    sb.ToString()

/// One CSV row per check: name, mode, verdict, reason, seconds, key numbers.
let csv (results: CheckResult list) =
    let rows =
        results |> List.map (fun r ->
            let reason = match r.Verdict with Pass -> "" | Fail w -> w | Unverifiable w -> w
            let keys = String.Join("; ", r.KeyNumbers |> List.map (fun (k, v) -> $"{k} = {v}"))
            String.Join(",", [ csvCell r.Name; csvCell (string r.Mode); csvCell r.Verdict.Label; csvCell reason
                               r.Seconds.ToString("F2", CultureInfo.InvariantCulture); csvCell keys ]))
    String.Join("\n", "check,mode,verdict,reason,seconds,key_numbers" :: rows) + "\n"

/// Runs `np check`.
let run (args: ParseResults<CheckArgs>) (out: TextWriter) (err: TextWriter) =
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
        Directory.CreateDirectory dir |> ignore
        let clock = Diagnostics.Stopwatch.StartNew()
        let results =
            [ for c in checks ->
                let r = c.Run mode
                out.Write(render r)
                out.Flush()
                r ]
        File.WriteAllText(Path.Combine(dir, "report.md"), report mode results)
        File.WriteAllText(Path.Combine(dir, "checks.csv"), csv results)
        let failed = results |> List.filter (fun r -> r.Verdict.Label = "FAIL")
        let count label = results |> List.filter (fun r -> r.Verdict.Label = label) |> List.length
        let passed, unverifiable, reportPath = count "PASS", count "UNVERIFIABLE", Path.Combine(dir, "report.md")
        out.WriteLine($"{passed} passed, {failed.Length} failed, {unverifiable} unverifiable in {clock.Elapsed.TotalSeconds:F1} s; report: {reportPath}")
        if failed.IsEmpty then 0 else 1
