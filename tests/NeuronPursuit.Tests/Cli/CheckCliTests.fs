// SPDX-License-Identifier: MIT
/// `np check`: listing, unknown names (exit 2, one line), and a run that writes report.md, checks.csv and run.json.
module NeuronPursuit.Tests.Cli.CheckCliTests

open System
open System.IO
open Expecto
open NeuronPursuit.Checks
open NeuronPursuit.Tests.Support.NpRunner

let tests =
    testList "np check" [
        test "--list names every registered check once and exits 0" {
            let code, out, _ = np [ "check"; "--list" ]
            Expect.equal code 0 "exit code"
            let lines = out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            Expect.equal lines.Length Registry.all.Length "one line per check"

            for c in Registry.all do
                Expect.isTrue (lines |> Array.exists (fun l -> l.StartsWith(c.Name + " "))) $"{c.Name} listed"
        }
        test "--list with an option that asks for a run is one line on stderr and exit 2, nothing written" {
            let dir = Path.Combine(tempDir (), "listed")
            np [ "check"; "--list"; "--out"; dir ] |> expectOneLineError 2 "--out"
            np [ "check"; "--list"; "origin-plateau" ] |> expectOneLineError 2 "check names"
            Expect.isFalse (Directory.Exists dir) "no folder written"
        }
        test "an unknown check name is one line on stderr and exit 2" { np [ "check"; "no-such-claim" ] |> expectOneLineError 2 "no-such-claim" }
        test "a run prints the verdict and writes report.md, checks.csv and run.json; exit 0 when nothing fails" {
            let dir = Path.Combine(tempDir (), "checks")

            let code, out, err =
                np [ "check"; "two-layer-balance"; "origin-plateau"; "--out"; dir ]

            Expect.equal code 0 $"exit code; {err}"
            Expect.stringContains out "verdict: PASS" "prints verdicts"
            let report = File.ReadAllText(Path.Combine(dir, "report.md"))
            Expect.stringContains report "| [two-layer-balance](#two-layer-balance)" "summary table row"
            Expect.stringContains report "Parameters:" "details"
            let csv = File.ReadAllLines(Path.Combine(dir, "checks.csv"))
            Expect.equal csv.Length 3 "header and two rows"
            let json = runJson dir
            Expect.equal (json.GetProperty("kind").GetString()) "check" "kind"
            Expect.equal (json.GetProperty("result").GetProperty("passed").GetInt32()) 2 "two passed"
            Expect.equal (json.GetProperty("result").GetProperty("checks").[1].GetProperty("name").GetString()) "origin-plateau" "in the order asked"
        }
    ]
