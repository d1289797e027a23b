// SPDX-License-Identifier: MIT
/// The `np` command line, run in-process: results on stdout, and for bad input a single line on
/// stderr and a non-zero exit code, never a stack trace.
module NeuronPursuit.Tests.Cli.CliTests

open System
open System.IO
open Expecto
open NeuronPursuit
open NeuronPursuit.Tests.Generators

/// Runs np, returning (exit code, stdout, stderr).
let private np (args: string list) =
    use out = new StringWriter()
    use err = new StringWriter()
    let code = NeuronPursuit.Cli.Program.run (List.toArray args) out err
    code, out.ToString(), err.ToString()

let private tempDir () =
    let dir = Path.Combine(Path.GetTempPath(), $"np-cli-{Guid.NewGuid():N}")
    Directory.CreateDirectory dir |> ignore
    dir

/// Asserts a failed run: non-zero code, exactly one line on stderr containing `fragment`, no trace.
let private expectOneLineError (fragment: string) (code, _out: string, err: string) =
    Expect.notEqual code 0 "exit code"
    let lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries)
    Expect.equal lines.Length 1 $"one line on stderr: {err}"
    Expect.stringStarts lines.[0] "np: " "prefixed by the program name"
    Expect.stringContains lines.[0] fragment "states the problem"
    Expect.isFalse (err.Contains "   at ") "no stack trace"

/// Reads `value:` from eval's output.
let private valueOf (out: string) =
    out.Split('\n') |> Array.find (fun l -> l.StartsWith "value:") |> fun l -> Double.Parse(l.Substring 6, Globalization.CultureInfo.InvariantCulture)

let tests =
    testList "np command line" [
        test "np version prints a version and exits 0" {
            let code, out, _ = np [ "version" ]
            Expect.equal code 0 "exit code"
            Expect.stringStarts out "np " "version line"
        }
        test "np --help prints the subcommands and exits 0" {
            let code, out, _ = np [ "--help" ]
            Expect.equal code 0 "exit code"
            Expect.stringContains out "eval" "lists eval"
        }
        test "np eval on the built-in example gives loss 0 at the teacher's weights" {
            let code, out, err = np [ "eval"; "--example"; "two-relu-teacher" ]
            Expect.equal code 0 $"exit code, stderr: {err}"
            Expect.equal (valueOf out) 0.0 "the teacher fits its own data exactly"
        }
        test "np eval on CSV files equals the loss computed through the F# surface, in both precisions" {
            let dir = tempDir ()
            let case = { Kind = "ff"; InputDimension = 3; Widths = [ 4; 2 ]; ActivationSpec = "leaky-relu-power:0.2:2"; SampleCount = 9; Seed = 17L }
            let dataPath = Path.Combine(dir, "d.csv")
            let weightsPath = Path.Combine(dir, "w.txt")
            let w = case.WeightVector 0
            Data.writeCsv dataPath case.Data
            Weights.write case.Network weightsPath w
            let expected = value (loss case.Network case.Data) w
            for precision in [ "double"; "double-double" ] do
                let code, out, err =
                    np [ "eval"; "--data"; dataPath; "--net"; "ff"; "--widths"; "4,2"; "--activation"; "leaky-relu-power:0.2:2"; "--weights"; weightsPath; "--precision"; precision ]
                Expect.equal code 0 $"exit code, stderr: {err}"
                expectCloseScalar 1e-13 (abs expected) (valueOf out) expected $"loss in {precision}"
        }
        test "malformed CSV gives a one-line error and exit code 2" {
            let dir = tempDir ()
            let dataPath = Path.Combine(dir, "bad.csv")
            File.WriteAllText(dataPath, "x1,y\n1,2\n3,oops\n")
            let result = np [ "eval"; "--data"; dataPath; "--net"; "two-layer"; "--width"; "2"; "--weights"; dataPath ]
            expectOneLineError "line 3, column 2 (y): 'oops' is not a number" result
            let code, _, _ = result
            Expect.equal code 2 "exit code 2 for bad input"
        }
        test "a missing data file gives a one-line error" {
            expectOneLineError "no such file" (np [ "eval"; "--data"; "/nonexistent/d.csv"; "--net"; "two-layer"; "--width"; "2"; "--weights"; "w" ])
        }
        test "a weights file of the wrong length gives a one-line error" {
            let dir = tempDir ()
            let dataPath = Path.Combine(dir, "d.csv")
            let weightsPath = Path.Combine(dir, "w.txt")
            File.WriteAllText(dataPath, "x1,x2,y\n1,2,3\n")
            File.WriteAllText(weightsPath, "1\n2\n")
            expectOneLineError "holds 2 weights, but the network has 9" (np [ "eval"; "--data"; dataPath; "--net"; "two-layer"; "--width"; "3"; "--weights"; weightsPath ])
        }
        test "an unknown activation gives a one-line error" {
            expectOneLineError "is not an activation" (np [ "eval"; "--example"; "two-relu-teacher"; "--net"; "two-layer"; "--width"; "2"; "--activation"; "tanh"; "--weights"; "w" ])
        }
        test "a two-layer network without --width gives a one-line error" {
            expectOneLineError "--width" (np [ "eval"; "--example"; "two-relu-teacher"; "--net"; "two-layer" ])
        }
        test "an unknown option gives a one-line error" {
            expectOneLineError "unrecognized" (np [ "eval"; "--bogus" ])
        }
        test "an unknown precision gives a one-line error" {
            expectOneLineError "--precision" (np [ "eval"; "--example"; "two-relu-teacher"; "--precision"; "quad" ])
        }
    ]
