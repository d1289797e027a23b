// SPDX-License-Identifier: MIT
/// `np predict`, run in-process: a pursue run's stored model applied to new data agrees with the model read through
/// the surface, metrics when the file has labels (regression and classification), none without, and one-line errors
/// with exit code 2 and nothing written for a folder without a model or a file whose columns do not match.
module NeuronPursuit.Tests.Cli.PredictCliTests

open System
open System.Globalization
open System.IO
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Tests.Support.NpRunner

/// A trained regression model (two-relu teacher, standardised, with a bias input) in a run folder, and its data file.
let private trained =
    lazy
        (let dir = tempDir ()
         let csv = Path.Combine(dir, "teacher.csv")
         Data.writeCsv csv (Problem.example "two-relu-teacher").Data
         let run = Path.Combine(dir, "run")

         let code, _, err =
             np [
                 "pursue"
                 "--data"
                 csv
                 "--depth"
                 "2"
                 "--standardise"
                 "--bias"
                 "--max-iterations"
                 "3"
                 "--out"
                 run
             ]

         if code <> 0 then
             failwith $"np pursue failed: {err}"

         dir, csv, run)

let private readColumn (path: string) (column: int) =
    File.ReadAllLines path
    |> Array.skip 1
    |> Array.map (fun l -> Double.Parse(l.Split(',').[column], CultureInfo.InvariantCulture))

let tests =
    testSequenced
    <| testList "np predict" [
        test "labelled data: predictions equal the model's, MSE and R² printed" {
            let dir, csv, run = trained.Force()
            let out = Path.Combine(dir, "pred.csv")

            let code, stdout, err =
                np [ "predict"; "--model"; run; "--data"; csv; "--out"; out ]

            Expect.equal code 0 $"exit code, stderr: {err}"
            Expect.stringContains stdout "R²" "regression metrics"
            let model = Pursuit.load run
            let data = Data.readCsv csv
            let expected, metrics = Pursuit.evaluate model data
            Expect.equal (readColumn out 0) expected "the surface's predictions, round-trip"
            Expect.isGreaterThan metrics.R2 0.5 "the model learned something"
            Expect.stringContains stdout (Format.g4 metrics.R2) "the printed R² is the surface's"
        }
        test "unlabelled data: predictions, no metrics" {
            let dir, csv, run = trained.Force()
            let inputs = Path.Combine(dir, "inputs.csv")

            File.WriteAllLines(
                inputs,
                File.ReadAllLines csv
                |> Array.map (fun l -> String.Join(",", l.Split(',') |> Array.take 5))
            )

            let out = Path.Combine(dir, "pred-unlabelled.csv")

            let code, stdout, err =
                np [ "predict"; "--model"; run; "--data"; inputs; "--out"; out ]

            Expect.equal code 0 $"exit code, stderr: {err}"
            Expect.isFalse (stdout.Contains "R²") "no metrics without labels"
            Expect.equal (readColumn out 0).Length 100 "one prediction per row"
        }
        test "a classifier: labels ±1, accuracy and log-loss, probability column" {
            let dir = tempDir ()
            let csv = Path.Combine(dir, "classes.csv")
            let p = Problem.example "two-relu-teacher"

            let labels =
                p.Data.Y.ToArray() |> Array.map (fun y -> if y > 0.0 then 1.0 else -1.0)

            Data.writeCsv csv (Data.withLabels labels p.Data)
            let run = Path.Combine(dir, "run")

            let code, stdout, err =
                np [
                    "pursue"
                    "--data"
                    csv
                    "--depth"
                    "2"
                    "--loss"
                    "logistic"
                    "--validation"
                    "0.2"
                    "--max-iterations"
                    "3"
                    "--out"
                    run
                ]

            Expect.equal code 0 $"pursue exit code, stderr: {err}"
            Expect.stringContains stdout "accuracy" "classification metrics after training"
            let out = Path.Combine(dir, "pred.csv")

            let code, stdout, err =
                np [ "predict"; "--model"; run; "--data"; csv; "--out"; out ]

            Expect.equal code 0 $"predict exit code, stderr: {err}"
            Expect.stringContains stdout "accuracy" "accuracy printed"
            Expect.stringContains stdout "log-loss" "log-loss printed"
            Expect.equal (File.ReadAllLines(out).[0]) "prediction,probability,score" "classifier columns"
            let classes = readColumn out 0
            Expect.isTrue (classes |> Array.forall (fun c -> c = 1.0 || c = -1.0)) "classes ±1"

            let accuracy =
                Array.map2 (fun c y -> if c = y then 1.0 else 0.0) classes labels
                |> Array.average

            Expect.isGreaterThan accuracy 0.8 "most samples classified right"
        }
        testList "bad input gives one line on stderr, exit code 2 and no output" [
            let dir, csv, run = trained.Force()
            let empty = Path.Combine(dir, "empty-run")
            Directory.CreateDirectory empty |> ignore
            let noWeights = Path.Combine(dir, "no-weights")
            Directory.CreateDirectory noWeights |> ignore
            File.Copy(Path.Combine(run, "model.json"), Path.Combine(noWeights, "model.json"))
            let wrongColumns = Path.Combine(dir, "wrong.csv")
            File.WriteAllText(wrongColumns, "a,b,c\n1,2,3\n")
            let tooFew = Path.Combine(dir, "few.csv")
            File.WriteAllText(tooFew, "x1,x2,x3,x4\n1,2,3,4\n")

            let cases =
                [ "a folder without a model", [ "--model"; empty; "--data"; csv ], "holds no model"
                  "a model without its weights", [ "--model"; noWeights; "--data"; csv ], "holds no network weights"
                  "no such folder", [ "--model"; Path.Combine(dir, "none"); "--data"; csv ], "no such folder"
                  "columns that do not match", [ "--model"; run; "--data"; wrongColumns ], "expects x1,x2,x3,x4,x5"
                  "too few columns", [ "--model"; run; "--data"; tooFew ], "expects x1,x2,x3,x4,x5"
                  "no --model", [ "--data"; csv ], "--model"
                  "a network flag", [ "--model"; run; "--data"; csv; "--widths"; "3" ], "--widths" ]

            for name, args, fragment in cases do
                test name {
                    let out = Path.Combine(tempDir (), "pred.csv")
                    np ([ "predict" ] @ args @ [ "--out"; out ]) |> expectOneLineError 2 fragment
                    Expect.isFalse (File.Exists out) "nothing written"
                }
        ]
    ]
