// SPDX-License-Identifier: MIT
/// `np predict`: applies the model a `np pursue` run stored in its folder (model.json, weights.csv: the network and
/// the preprocessing) to the inputs of a CSV file, writes the predictions, and prints metrics when the file has labels.
module NeuronPursuit.Cli.PredictCommand

open System
open System.IO
open System.Text
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Pursuit
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.CommandLine
open NeuronPursuit.Cli.Inputs

let private g4 = Format.g4
let private r = Format.roundTrip

/// The predictions file: `prediction` (regression: ŷ on the label scale), or for a classifier `prediction` (the
/// class ±1), `probability` (P(y = +1) = 1/(1 + e^{−H})) and `score` (H).
let private write (path: string) (model: PursuitModel) (predictions: float[]) =
    let sb = StringBuilder()

    if model.IsClassifier then
        sb.Append("prediction,probability,score\n") |> ignore

        for h in predictions do
            let p =
                if h >= 0.0 then
                    1.0 / (1.0 + exp -h)
                else
                    exp h / (1.0 + exp h)

            sb.Append(if h >= 0.0 then "1" else "-1").Append(',').Append(r p).Append(',').Append(r h).Append('\n')
            |> ignore
    else
        sb.Append("prediction\n") |> ignore

        for y in predictions do
            sb.Append(r y).Append('\n') |> ignore
    // Written beside the target and renamed over it: the file appears only when complete.
    NeuronPursuit.Sweeps.AtomicFile.Write(path, sb.ToString())

/// `np predict --model DIR --data FILE.csv --out PRED.csv`: returns 0; bad input raises (one line, exit 2, nothing written).
let run (args: Parsed) (out: TextWriter) =
    ProblemOptions.allowOnly "predict" [ "--data" ] args

    let dir =
        args.TryGet PredictArgs.model
        |> Option.defaultWith (fun () -> raise (UsageError "--model: name the run folder of np pursue."))

    let data =
        args.TryGet NpArgs.data
        |> Option.defaultWith (fun () -> raise (UsageError "--data: name the CSV file to predict for."))

    let target =
        args.TryGet PredictArgs.out
        |> Option.defaultWith (fun () -> raise (UsageError "--out: name the file for the predictions, e.g. --out predictions.csv."))

    let model = Pursuit.load dir
    let table = CsvDataReader.ReadTable data
    let inputs = List.ofSeq model.InputNames
    let names = List.ofSeq table.Names

    let hasLabels =
        if names = inputs then
            false
        elif names = inputs @ [ model.LabelName ] then
            true
        else
            let given, expected = String.Join(",", names), String.Join(",", inputs)

            raise (
                UsageError
                    $"--data: '{data}' has the columns {given}; the model in '{dir}' expects {expected} (optionally followed by {model.LabelName})."
            )

    let labels =
        if hasLabels then
            Some(table.Column(table.Columns - 1))
        else
            None

    match labels with
    | Some y when model.IsClassifier && y |> Array.exists (fun v -> v <> 1.0 && v <> -1.0) ->
        raise (UsageError $"--data: '{data}' has labels other than -1 and +1; the model is a classifier.")
    | _ -> ()

    let folder = Path.GetDirectoryName(Path.GetFullPath target)

    if not (Directory.Exists folder) then
        raise (UsageError $"--out: the folder '{folder}' does not exist.")

    if Directory.Exists target then
        raise (UsageError $"--out: '{target}' is a folder; name a file for the predictions.")

    if File.Exists target && not (args.Has PredictArgs.overwrite) then
        raise (UsageError $"--out: '{target}' exists; choose another file or pass --overwrite to replace it.")

    let predictions = model.Predict(ReadOnlySpan(table.Leading model.InputNames.Count))
    write target model predictions
    out.WriteLine($"model: {dir} ({model.Network.Specification}, {model.Loss.Specification}; {model.Preprocessing.Describe()})")
    let withLabels = if hasLabels then ", with labels" else ""
    out.WriteLine($"data: {data} (n = {table.Rows}{withLabels})")

    match labels with
    | Some y ->
        let m = model.Evaluate(ReadOnlySpan predictions, ReadOnlySpan y)

        if model.IsClassifier then
            out.WriteLine($"accuracy {g4 m.Accuracy}, log-loss {g4 m.LogLoss}")
        else
            out.WriteLine($"MSE {g4 m.Mse}, R² {g4 m.R2}")
    | None -> ()

    out.WriteLine($"output: {Path.GetFullPath target}")
    0
