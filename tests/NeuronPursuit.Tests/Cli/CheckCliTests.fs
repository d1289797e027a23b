// SPDX-License-Identifier: MIT
/// `np check`: listing, unknown names (exit 2, one line), and a run that writes report.md and checks.csv.
module NeuronPursuit.Tests.Cli.CheckCliTests

open System
open System.IO
open Expecto

let private np (args: string list) =
    use out = new StringWriter()
    use err = new StringWriter()
    let code = NeuronPursuit.Cli.Program.run (List.toArray args) out err
    code, out.ToString(), err.ToString()

let tests =
    testList "np check" [
        test "--list names all 18 checks and exits 0" {
            let code, out, _ = np [ "check"; "--list" ]
            Expect.equal code 0 "exit code"
            Expect.equal (out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length) 18 "one line per check"
            Expect.stringContains out "escape-time-L3" "names a check"
        }
        test "an unknown check name is one line on stderr and exit 2" {
            let code, _, err = np [ "check"; "no-such-claim" ]
            Expect.equal code 2 "exit code"
            let lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            Expect.equal lines.Length 1 "one line"
            Expect.stringContains lines.[0] "no-such-claim" "names it"
        }
        test "a run prints the verdict and writes report.md and checks.csv; exit 0 when nothing fails" {
            let dir = Path.Combine(Path.GetTempPath(), $"np-check-{Guid.NewGuid():N}")
            let code, out, err = np [ "check"; "two-layer-balance"; "origin-plateau"; "--out"; dir ]
            Expect.equal code 0 $"exit code; {err}"
            Expect.stringContains out "verdict: PASS" "prints verdicts"
            let report = File.ReadAllText(Path.Combine(dir, "report.md"))
            Expect.stringContains report "| [two-layer-balance](#two-layer-balance)" "summary table row"
            Expect.stringContains report "Parameters:" "details"
            let csv = File.ReadAllLines(Path.Combine(dir, "checks.csv"))
            Expect.equal csv.Length 3 "header and two rows"
            Directory.Delete(dir, true)
        }
    ]
