// SPDX-License-Identifier: MIT
/// `np pursue`, run in-process: the files it writes, their agreement bit for bit with Neuron Pursuit run through the
/// surface, options from --config and flags, the hypercube demo's evaluation and verdict (the np-demo check's), and
/// one-line errors with exit code 2 and nothing written for bad input.
module NeuronPursuit.Tests.Cli.PursueCliTests

open System
open System.IO
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Tests.Support.NpRunner

let tests =
    testSequenced
    <| testList "np pursue" [
        test "--data: a two-layer run writes its files, and weights.csv equals the surface's result bit for bit" {
            let dir, csv = teacherCsv ()
            let out = Path.Combine(dir, "run")

            let code, stdout, err =
                np [ "pursue"; "--data"; csv; "--depth"; "2"; "--threads"; "1"; "--out"; out ]

            Expect.equal code 0 $"exit code, stderr: {err}"

            for file in [ "run.json"; "weights.csv"; "iterations.csv"; "loss.csv" ] do
                Expect.isTrue (File.Exists(Path.Combine(out, file))) $"{file} written"

            Expect.stringContains stdout "iteration 2: widths (2)" "per-iteration console log"

            let direct =
                Pursuit.run Pursuit.defaults (Problem.parse $"data={csv} net=ff widths=1 loss=square-mean")

            let written = WeightsFile.Read<float>(Path.Combine(out, "weights.csv"))
            Expect.equal written direct.Weights "weights"
            let json = runJson out
            Expect.equal (json.GetProperty("kind").GetString()) "pursue" "kind"
            let result = json.GetProperty "result"
            Expect.equal (result.GetProperty("final_loss").GetDouble()) direct.FinalLoss "final loss"
            Expect.equal [ for w in result.GetProperty("final_widths").EnumerateArray() -> w.GetInt32() ] [ 2 ] "widths"
            Expect.equal (json.GetProperty("problem").GetProperty("loss").GetProperty("name").GetString()) "square-mean" "NP's loss recorded"
            let options = json.GetProperty("settings").GetProperty "options"
            Expect.equal (options.GetProperty("delta").GetDouble()) 0.03 "default δ recorded"
            Expect.equal (options.GetProperty("decrease_factor").GetDouble()) 0.97 "default stop rule recorded"
            let iterations = result.GetProperty("iteration_log")
            Expect.equal (iterations.GetArrayLength()) direct.Iterations.Count "one record per iteration"
            let added = iterations.[1].GetProperty("added").[0]
            Expect.equal (added.GetProperty("layer").GetInt32()) 1 "layer of the new neuron"
            Expect.equal (added.GetProperty("incoming").GetArrayLength()) 5 "its incoming weights"
            let rows = File.ReadAllLines(Path.Combine(out, "iterations.csv"))
            Expect.equal rows.Length (direct.Iterations.Count + 1) "iterations.csv: header and one row per iteration"
        }
        test "--validation --standardise --bias: the best-validation iterate, validation losses in every record, model.json" {
            let dir, csv = teacherCsv ()
            let out = Path.Combine(dir, "run")

            let code, stdout, err =
                np [
                    "pursue"
                    "--data"
                    csv
                    "--depth"
                    "2"
                    "--validation"
                    "0.25"
                    "--standardise"
                    "--bias"
                    "--max-iterations"
                    "4"
                    "--out"
                    out
                ]

            Expect.equal code 0 $"exit code, stderr: {err}"
            Expect.stringContains stdout "validation: fraction 0.25" "the split is announced"
            Expect.stringContains stdout "validation: MSE" "validation metrics printed"
            let result = (runJson out).GetProperty "result"

            let log =
                [ for it in result.GetProperty("iteration_log").EnumerateArray() -> it.GetProperty("validation_loss").GetDouble() ]

            Expect.isNonEmpty log "validation loss after every iteration"
            let returned = result.GetProperty("returned_iteration").GetInt32()
            Expect.isTrue (returned >= 1 && returned <= log.Length) "the returned iteration is one of them"

            Expect.isTrue
                (result.GetProperty("validation_metrics").GetProperty("r2").ValueKind = Text.Json.JsonValueKind.Number)
                "validation R² recorded"

            Expect.stringContains (result.GetProperty("preprocessing").GetString() |> nonNull) "bias" "preprocessing recorded"
            let header = File.ReadAllLines(Path.Combine(out, "iterations.csv")).[0]
            Expect.stringContains header "validation_loss" "iterations.csv has the validation loss"
            let model = Pursuit.load out
            Expect.equal model.Network.InputDimension 6 "five standardised inputs and the constant"
            Expect.isTrue model.Preprocessing.Standardised "standardisation stored"
        }
        test "--config sets options as the flags they stand for, and flags override it" {
            let dir, csv = teacherCsv ()
            let config = Path.Combine(dir, "np.json")
            File.WriteAllText(config, """{ "delta": 0.05, "eta": 0.01, "max_iterations": 1, "depth": 2, "seed": 4 }""")
            let out = Path.Combine(dir, "run")

            let code, _, err =
                np [ "pursue"; "--data"; csv; "--config"; config; "--eta"; "0.03"; "--out"; out ]

            Expect.equal code 0 $"exit code, stderr: {err}"
            let settings = (runJson out).GetProperty "settings"
            let options = settings.GetProperty "options"
            Expect.equal (options.GetProperty("delta").GetDouble()) 0.05 "from the config"
            Expect.equal (options.GetProperty("eta").GetDouble()) 0.03 "the flag wins"
            Expect.equal (options.GetProperty("max_iterations").GetInt32()) 1 "from the config"
            Expect.equal (options.GetProperty("seed").GetInt64()) 4L "the shared --seed from the config"
            Expect.equal (settings.GetProperty("depth").GetInt32()) 2 "depth from the config"
        }
        test "--example hypercube evaluates on the whole cube and prints the np-demo check's verdict" {
            let out = Path.Combine(tempDir (), "demo")

            let code, stdout, err =
                np [
                    "pursue"
                    "--example"
                    "hypercube"
                    "--samples"
                    "200"
                    "--max-iterations"
                    "2"
                    "--out"
                    out
                ]

            Expect.equal code 0 $"exit code, stderr: {err}"
            Expect.stringContains stdout "verdict: NOT REPRODUCED" "two iterations cannot reach (4,2)"
            let result = (runJson out).GetProperty "result"
            let evaluation = result.GetProperty "evaluation"
            Expect.isGreaterThan (evaluation.GetProperty("cube_mse").GetDouble()) 1e-3 "a (2,1) net does not fit f"
            Expect.isFalse (evaluation.GetProperty("verdict").GetProperty("success").GetBoolean()) "verdict"
            Expect.equal (result.GetProperty("verdict").GetString()) "FAIL" "the check's verdict"

            Expect.stringContains
                ((runJson out).GetProperty("problem").GetProperty("specification").GetString()
                 |> nonNull)
                "data-seed=1"
                "default data seed recorded"
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
            let otherColumns = Path.Combine(dir, "other.csv")
            File.WriteAllText(otherColumns, "a,b,c,d,e,y\n1,2,3,4,5,6\n")
            let wrongType = Path.Combine(dir, "type.json")
            File.WriteAllText(wrongType, "{ \"eta\": \"fast\" }")
            let data = [ "pursue"; "--data"; csv ]

            let cases =
                [ "malformed CSV", [ "pursue"; "--data"; malformed ], "has 2 fields"
                  "NaN in the CSV", [ "pursue"; "--data"; nan ], "not finite"
                  "missing file", [ "pursue"; "--data"; Path.Combine(dir, "none.csv") ], "no such file"
                  "δ = 0", data @ [ "--delta"; "0" ], "--delta: must be positive"
                  "δ < 0", data @ [ "--delta"; "-0.1" ], "--delta: must be positive"
                  "η = 0", data @ [ "--eta"; "0" ], "--eta"
                  "unknown activation", data @ [ "--activation"; "tanh" ], "--activation"
                  "logistic loss, labels not ±1", data @ [ "--loss"; "logistic" ], "--loss: logistic needs labels -1 or +1"
                  "validation fraction 1.5", data @ [ "--validation"; "1.5" ], "--validation: the fraction must lie strictly between 0 and 1"
                  "validation fraction 0", data @ [ "--validation"; "0" ], "--validation: the fraction must lie strictly between 0 and 1"
                  "both validation options", data @ [ "--validation"; "0.2"; "--validation-data"; csv ], "not both"
                  "validation data with other columns", data @ [ "--validation-data"; otherColumns ], "--validation-data"
                  "split seed without --validation", data @ [ "--split-seed"; "3" ], "--split-seed"
                  "--seeds with --validation", [ "pursue"; "--example"; "hypercube"; "--seeds"; "1..2"; "--validation"; "0.2" ], "single runs"
                  "lookahead 0", data @ [ "--lookahead"; "0" ], "--lookahead"
                  "unknown kink rule", data @ [ "--kinks"; "two-sided" ], "--kinks"
                  "a network flag", data @ [ "--widths"; "4" ], "--widths: np pursue takes only"
                  "unknown directions", data @ [ "--directions"; "greedy" ], "--directions"
                  "depth 1", data @ [ "--depth"; "1" ], "--depth"
                  "bad initial sign", data @ [ "--initial-sign"; "3" ], "--initial-sign"
                  "bad JSON config", data @ [ "--config"; badJson ], "not valid JSON"
                  "unknown config key", data @ [ "--config"; unknownKey ], "unknown key 'delt'"
                  "a config value of the wrong type", data @ [ "--config"; wrongType ], "--config"
                  "--data and --example", data @ [ "--example"; "hypercube" ], "not both"
                  "unknown example", [ "pursue"; "--example"; "moons" ], "not a pursue example"
                  "bad --seeds", [ "pursue"; "--example"; "hypercube"; "--seeds"; "3..1" ], "--seeds"
                  "--seeds with --data", data @ [ "--seeds"; "1..2" ], "applies only to --example" ]

            for name, args, fragment in cases do
                test name {
                    let out = Path.Combine(tempDir (), "never")
                    np (args @ [ "--out"; out ]) |> expectOneLineError 2 fragment
                    Expect.isFalse (Directory.Exists out) "nothing written"
                }

            test "--data without --out" { np data |> expectOneLineError 2 "--out" }
        ]
    ]
