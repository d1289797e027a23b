// SPDX-License-Identifier: MIT
/// `np pursue`, run in-process: the files it writes, their agreement bit for bit with Neuron Pursuit called
/// through the core, options from --config and flags, the hypercube demo's evaluation, and one-line errors with
/// exit code 2 and nothing written for bad input.
module NeuronPursuit.Tests.Cli.PursueCliTests

open System
open System.IO
open System.Text.Json
open Expecto
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Pursuit

let private np (args: string list) =
    use out = new StringWriter()
    use err = new StringWriter()
    let code = NeuronPursuit.Cli.Program.run (List.toArray args) out err
    code, out.ToString(), err.ToString()

let private tempDir () =
    let dir = Path.Combine(Path.GetTempPath(), $"np-pursue-{Guid.NewGuid():N}")
    Directory.CreateDirectory dir |> ignore
    dir

/// The two-ReLU teacher's data as a CSV file in a fresh folder.
let private teacherCsv () =
    let dir = tempDir ()
    let path = Path.Combine(dir, "teacher.csv")
    CsvDataReader.Write(path, ExampleData.Get("two-relu-teacher", 1L).Data)
    dir, path

let private runJson (dir: string) = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.json"))).RootElement

let private expectOneLineError (fragment: string) (exitCode, _out: string, err: string) =
    Expect.equal exitCode 2 $"exit code, stderr: {err}"
    let lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries)
    Expect.equal lines.Length 1 $"one line on stderr: {err}"
    Expect.stringStarts lines.[0] "np: " "prefixed by the program name"
    Expect.stringContains lines.[0] fragment "states the problem"
    Expect.isFalse (err.Contains "   at ") "no stack trace"

let tests =
    testSequenced <| testList "np pursue" [
        test "--data: a two-layer run writes its files, and weights.csv equals the core's result bit for bit" {
            let dir, csv = teacherCsv ()
            let out = Path.Combine(dir, "run")
            let code, stdout, err = np [ "pursue"; "--data"; csv; "--depth"; "2"; "--threads"; "1"; "--out"; out ]
            Expect.equal code 0 $"exit code, stderr: {err}"
            for file in [ "run.json"; "weights.csv"; "iterations.csv"; "loss.csv" ] do
                Expect.isTrue (File.Exists(Path.Combine(out, file))) $"{file} written"
            Expect.stringContains stdout "iteration 2: widths (2)" "per-iteration console log"
            let direct = NeuronPursuitTrainer.Run(CsvDataReader.Read csv, 1, Activations.Relu, PursuitOptions())
            let written = WeightsFile.Read<float>(Path.Combine(out, "weights.csv"))
            Expect.equal written direct.Weights "weights"
            let json = runJson out
            let result = json.GetProperty "result"
            Expect.equal (result.GetProperty("final_loss").GetDouble()) direct.FinalLoss "final loss"
            Expect.equal [ for w in json.GetProperty("network").GetProperty("final_widths").EnumerateArray() -> w.GetInt32() ] [ 2 ] "widths"
            let options = json.GetProperty "options"
            Expect.equal (options.GetProperty("delta").GetDouble()) 0.03 "default δ recorded"
            Expect.equal (options.GetProperty("decrease_factor").GetDouble()) 0.97 "default stop rule recorded"
            let iterations = json.GetProperty("iterations")
            Expect.equal (iterations.GetArrayLength()) direct.Iterations.Count "one record per iteration"
            let added = iterations.[1].GetProperty("added").[0]
            Expect.equal (added.GetProperty("layer").GetInt32()) 1 "layer of the new neuron"
            Expect.equal (added.GetProperty("incoming").GetArrayLength()) 5 "its incoming weights"
            let rows = File.ReadAllLines(Path.Combine(out, "iterations.csv"))
            Expect.equal rows.Length (direct.Iterations.Count + 1) "iterations.csv: header and one row per iteration"
        }
        test "--config sets options and flags override it" {
            let dir, csv = teacherCsv ()
            let config = Path.Combine(dir, "np.json")
            File.WriteAllText(config, """{ "delta": 0.05, "eta": 0.01, "max_iterations": 1, "depth": 2 }""")
            let out = Path.Combine(dir, "run")
            let code, _, err = np [ "pursue"; "--data"; csv; "--config"; config; "--eta"; "0.03"; "--out"; out ]
            Expect.equal code 0 $"exit code, stderr: {err}"
            let options = (runJson out).GetProperty "options"
            Expect.equal (options.GetProperty("delta").GetDouble()) 0.05 "from the config"
            Expect.equal (options.GetProperty("eta").GetDouble()) 0.03 "the flag wins"
            Expect.equal (options.GetProperty("max_iterations").GetInt32()) 1 "from the config"
            Expect.equal ((runJson out).GetProperty("network").GetProperty("depth").GetInt32()) 2 "depth from the config"
        }
        test "--example hypercube evaluates on the whole cube and prints a verdict" {
            let out = Path.Combine(tempDir (), "demo")
            let code, stdout, err = np [ "pursue"; "--example"; "hypercube"; "--samples"; "200"; "--max-iterations"; "2"; "--out"; out ]
            Expect.equal code 0 $"exit code, stderr: {err}"
            Expect.stringContains stdout "verdict: NOT REPRODUCED" "two iterations cannot reach (4,2)"
            let evaluation = (runJson out).GetProperty "evaluation"
            Expect.isGreaterThan (evaluation.GetProperty("cube_mse").GetDouble()) 1e-3 "a (2,1) net does not fit f"
            Expect.isFalse (evaluation.GetProperty("verdict").GetProperty("success").GetBoolean()) "verdict"
            Expect.equal ((runJson out).GetProperty("data").GetProperty("data_seed").GetInt64()) 1L "default data seed recorded"
        }
        testList "bad input gives one line on stderr, exit code 2 and no output" [
            let dir, csv = teacherCsv ()
            let malformed = Path.Combine(dir, "bad.csv")
            File.WriteAllText(malformed, "x1,x2,y\n1,2,3\n1,2\n")
            let nan = Path.Combine(dir, "nan.csv")
            File.WriteAllText(nan, "x1,x2,y\n1,2,3\n1,NaN,2\n")
            let badJson = Path.Combine(dir, "bad.json")
            File.WriteAllText(badJson, "{ \"delta\": ")
            let unknownKey = Path.Combine(dir, "unknown.json")
            File.WriteAllText(unknownKey, "{ \"delt\": 0.1 }")
            let data = [ "pursue"; "--data"; csv ]
            let cases =
                [ "malformed CSV", [ "pursue"; "--data"; malformed ], "has 2 fields"
                  "NaN in the CSV", [ "pursue"; "--data"; nan ], "not finite"
                  "missing file", [ "pursue"; "--data"; Path.Combine(dir, "none.csv") ], "no such file"
                  "δ = 0", data @ [ "--delta"; "0" ], "--delta: must be positive"
                  "δ < 0", data @ [ "--delta"; "-0.1" ], "--delta: must be positive"
                  "η = 0", data @ [ "--eta"; "0" ], "--eta"
                  "unknown activation", data @ [ "--activation"; "tanh" ], "--activation"
                  "unknown directions", data @ [ "--directions"; "greedy" ], "--directions"
                  "depth 1", data @ [ "--depth"; "1" ], "--depth"
                  "bad initial sign", data @ [ "--initial-sign"; "3" ], "--initial-sign"
                  "bad JSON config", data @ [ "--config"; badJson ], "not valid JSON"
                  "unknown config key", data @ [ "--config"; unknownKey ], "unknown key 'delt'"
                  "--data and --example", data @ [ "--example"; "hypercube" ], "not both"
                  "unknown example", [ "pursue"; "--example"; "moons" ], "not a pursue example"
                  "bad --seeds", [ "pursue"; "--example"; "hypercube"; "--seeds"; "3..1" ], "--seeds"
                  "--seeds with --data", data @ [ "--seeds"; "1..2" ], "applies only to --example" ]
            for name, args, fragment in cases do
                test name {
                    let out = Path.Combine(tempDir (), "never")
                    np (args @ [ "--out"; out ]) |> expectOneLineError fragment
                    Expect.isFalse (Directory.Exists out) "nothing written"
                }
            test "--data without --out" {
                np data |> expectOneLineError "--out"
            }
        ]
    ]
