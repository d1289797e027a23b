// SPDX-License-Identifier: MIT
/// The `np` command line, run in-process: version and help, `np eval` against the surface, the problem options
/// declared once and shared (the same parse for every subcommand), and for bad input a single line on stderr and
/// exit code 2, never a stack trace.
module NeuronPursuit.Tests.Cli.CliTests

open System
open System.IO
open Expecto
open NeuronPursuit
open NeuronPursuit.Tests.Support.NpRunner

/// Reads `value:` from eval's output.
let private valueOf (out: string) =
    out.Split('\n')
    |> Array.find (fun l -> l.StartsWith "value:")
    |> fun l -> Double.Parse(l.Substring 6, Globalization.CultureInfo.InvariantCulture)

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
        test "the activation and method lists of --help come from the core's registries" {
            let _, flowHelp, _ = np [ "flow"; "--help" ]

            for form in NeuronPursuit.Core.Models.Activations.Registry do
                Expect.stringContains flowHelp form.Pattern $"activation {form.Pattern} listed"

            for name in Flow.methods do
                Expect.stringContains flowHelp name $"method {name} listed"

            for name in Problem.examples do
                Expect.stringContains flowHelp name $"example {name} listed"
        }
        test "np eval on the built-in example gives loss 0 at the teacher's weights" {
            let code, out, err = np [ "eval"; "--example"; "two-relu-teacher" ]
            Expect.equal code 0 $"exit code, stderr: {err}"
            Expect.equal (valueOf out) 0.0 "the teacher fits its own data exactly"
        }
        test "eval --example with --activation evaluates the teacher's weights under that activation (not silently ignored)" {
            let _, out, err =
                np [ "eval"; "--example"; "two-relu-teacher"; "--activation"; "relu-power:2" ]

            let p = Problem.parse "example=two-relu-teacher activation=relu-power:2"
            Expect.equal err "" "no error"
            Expect.equal (valueOf out) (value (Problem.loss p) (nonNull p.TeacherWeights)) "the loss with ReLU² at the teacher's weights"
            Expect.isGreaterThan (valueOf out) 0.0 "ReLU² does not fit a ReLU teacher"
        }
        test "np eval on CSV files equals the loss computed through the F# surface, in both precisions" {
            let dir = tempDir ()

            let p =
                Problem.parse "example=deep net=ff widths=4,2 activation=leaky-relu-power:0.2:2"

            let dataPath = Path.Combine(dir, "d.csv")
            let weightsPath = Path.Combine(dir, "w.txt")
            let w = Vec.gaussian 17L 0.5 p.Dimension
            Data.writeCsv dataPath p.Data
            Weights.write p.Network weightsPath w
            let expected = value (Problem.loss p) w

            for precision in [ "double"; "double-double" ] do
                let code, out, err =
                    np [
                        "eval"
                        "--data"
                        dataPath
                        "--net"
                        "ff"
                        "--widths"
                        "4,2"
                        "--activation"
                        "leaky-relu-power:0.2:2"
                        "--weights"
                        weightsPath
                        "--precision"
                        precision
                    ]

                Expect.equal code 0 $"exit code, stderr: {err}"
                Expect.floatClose { absolute = 0.0; relative = 1e-13 } (valueOf out) expected $"loss in {precision}"
        }
        test "the problem options parse the same for eval and flow: both reject the same bad --widths with the same line" {
            let _, _, evalErr =
                np [
                    "eval"
                    "--example"
                    "two-relu-teacher"
                    "--net"
                    "two-layer"
                    "--widths"
                    "4,2"
                ]

            let _, _, flowErr =
                np [
                    "flow"
                    "--example"
                    "two-relu-teacher"
                    "--net"
                    "two-layer"
                    "--widths"
                    "4,2"
                    "--init-scale"
                    "0.1"
                    "--t-end"
                    "1"
                    "--out"
                    tempDir ()
                ]

            Expect.stringContains evalErr "--widths: a two-layer network has one hidden layer" "eval's message"
            Expect.equal flowErr evalErr "flow's message is eval's"
        }
        test "malformed CSV gives a one-line error and exit code 2" {
            let dir = tempDir ()
            let dataPath = Path.Combine(dir, "bad.csv")
            File.WriteAllText(dataPath, "x1,y\n1,2\n3,oops\n")

            np [
                "eval"
                "--data"
                dataPath
                "--net"
                "two-layer"
                "--widths"
                "2"
                "--weights"
                dataPath
            ]
            |> expectOneLineError 2 "line 3, column 2 (y): 'oops' is not a number"
        }
        test "a missing data file gives a one-line error" {
            np [
                "eval"
                "--data"
                "/nonexistent/d.csv"
                "--net"
                "two-layer"
                "--widths"
                "2"
                "--weights"
                "w"
            ]
            |> expectOneLineError 2 "no such file"
        }
        test "a weights file of the wrong length gives a one-line error" {
            let dir = tempDir ()
            let dataPath = Path.Combine(dir, "d.csv")
            let weightsPath = Path.Combine(dir, "w.txt")
            File.WriteAllText(dataPath, "x1,x2,y\n1,2,3\n")
            File.WriteAllText(weightsPath, "1\n2\n")

            np [
                "eval"
                "--data"
                dataPath
                "--net"
                "two-layer"
                "--widths"
                "3"
                "--weights"
                weightsPath
            ]
            |> expectOneLineError 2 "holds 2 weights, but the network has 9"
        }
        test "an unknown activation gives a one-line error naming the flag" {
            np [
                "eval"
                "--example"
                "two-relu-teacher"
                "--activation"
                "tanh"
                "--weights"
                "w"
            ]
            |> expectOneLineError 2 "--activation: 'tanh' is not an activation"
        }
        test "an unknown example names the known ones" {
            np [ "eval"; "--example"; "moons" ]
            |> expectOneLineError 2 "--example: 'moons' is not a built-in example; known: two-relu-teacher"
        }
        test "another architecture without widths gives a one-line error" {
            np [ "eval"; "--example"; "two-relu-teacher"; "--net"; "ff" ]
            |> expectOneLineError 2 "--widths"
        }
        test "a network other than the example's needs --weights" {
            np [ "eval"; "--example"; "two-relu-teacher"; "--widths"; "3" ]
            |> expectOneLineError 2 "--weights"
        }
        test "a problem option a subcommand does not take is refused" {
            np [ "check"; "--example"; "fig1"; "--list" ]
            |> expectOneLineError 2 "--example: np check takes no problem options"

            np [ "eval"; "--example"; "two-relu-teacher"; "--init-scale"; "0.1" ]
            |> expectOneLineError 2 "--init-scale: np eval takes only"
        }
        test "an unknown option gives a one-line error" { np [ "eval"; "--bogus" ] |> expectOneLineError 2 "unrecognized" }
        test "an unknown precision gives a one-line error" {
            np [ "eval"; "--example"; "two-relu-teacher"; "--precision"; "quad" ]
            |> expectOneLineError 2 "--precision"
        }
    ]
