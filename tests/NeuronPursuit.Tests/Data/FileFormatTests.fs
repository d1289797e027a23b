// SPDX-License-Identifier: MIT
/// The CSV data format and the weights file: good files read back exactly, bad files give one-line
/// errors naming the file, the line and the problem.
module NeuronPursuit.Tests.Data.FileFormatTests

open System
open System.IO
open Expecto
open FsCheck
open FsCheck.FSharp
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Testing

let private readCsvText (text: string) =
    CsvDataReader.Read(new StringReader(text), "data.csv")

let private expectFormatError (fragment: string) (f: unit -> 'a) =
    try
        f () |> ignore
        failtestf "expected an InputFormatException containing '%s'" fragment
    with :? InputFormatException as e ->
        Expect.stringStarts e.Message "data.csv:" "names the input"
        Expect.stringContains e.Message fragment "states the problem and place"
        Expect.isFalse (e.Message.Contains '\n') "one line"

let private tempFile () =
    Path.Combine(Path.GetTempPath(), $"np-test-{Guid.NewGuid():N}")

let tests =
    testList "File formats" [
        test "a well-formed CSV is read with d = columns − 1" {
            let data = readCsvText "x1,x2,y\n1,2,3\n-0.5, 1e-3 ,7\n\n"
            Expect.equal data.InputDimension 2 "d"
            Expect.equal data.Count 2 "n"
            Expect.sequenceEqual (data.X.ToArray()) [| 1.0; 2.0; -0.5; 1e-3 |] "X"
            Expect.sequenceEqual (data.Y.ToArray()) [| 3.0; 7.0 |] "y"
        }
        test "a CSV field that is not a number is reported with line and column" {
            expectFormatError "line 3, column 2 (x2): 'abc' is not a number" (fun () -> readCsvText "x1,x2,y\n1,2,3\n1,abc,3\n")
        }
        test "a CSV row with the wrong number of fields is reported" {
            expectFormatError "line 2: has 2 fields, but the header has 3" (fun () -> readCsvText "x1,x2,y\n1,2\n")
        }
        test "a CSV without header is reported" { expectFormatError "expected a header row" (fun () -> readCsvText "1,2,3\n4,5,6\n") }
        test "an empty CSV is reported" { expectFormatError "empty" (fun () -> readCsvText "") }
        test "a CSV with a header only is reported" { expectFormatError "no samples" (fun () -> readCsvText "x1,y\n") }
        test "NaN and infinity in a CSV are reported" {
            expectFormatError "not finite" (fun () -> readCsvText "x1,y\nNaN,1\n")
            expectFormatError "not finite" (fun () -> readCsvText "x1,y\n1,Infinity\n")
        }
        test "a missing CSV file is reported by name" {
            let path = tempFile ()
            Expect.throwsT<InputFormatException> (fun () -> CsvDataReader.Read path |> ignore) "missing file"
        }
        testProperty "CSV written and read back gives the same bits"
        <| Prop.forAll Arbitraries.defaultCases (fun case ->
            let path = tempFile ()

            try
                Data.writeCsv path case.Data
                let back = Data.readCsv path
                Expect.sequenceEqual (back.X.ToArray()) (case.Data.X.ToArray()) "X"
                Expect.sequenceEqual (back.Y.ToArray()) (case.Data.Y.ToArray()) "y"
            finally
                File.Delete path)
        testProperty "weights written and read back give the same bits (double)"
        <| Prop.forAll Arbitraries.defaultCases (fun case ->
            let path = tempFile ()

            try
                let w = case.WeightVector 0 |> Array.map (fun x -> x * 1e-7)
                Weights.write case.Network path w
                Expect.sequenceEqual (Weights.read case.Network path) w "weights"
            finally
                File.Delete path)
        testProperty "weights written and read back give the same value (double-double)"
        <| Prop.forAll Arbitraries.defaultCases (fun case ->
            let path = tempFile ()

            try
                let w =
                    case.WeightVector 0
                    |> Weights.toDoubleDouble
                    |> Array.map (fun x -> x / DoubleDouble.Parse "3")

                WeightsFile.Write<DoubleDouble>(path, ReadOnlySpan w, "test")
                let back = WeightsFile.Read<DoubleDouble>(path, Nullable w.Length)
                Expect.isTrue (Array.forall2 (fun (a: DoubleDouble) (b: DoubleDouble) -> a.Hi = b.Hi && a.Lo = b.Lo) back w) "hi and lo parts"
            finally
                File.Delete path)
        test "a weights file with the wrong count is reported" {
            Expect.throwsT<InputFormatException>
                (fun () ->
                    WeightsFile.Read<float>(new StringReader("1\n2\n"), "w.txt", Nullable 3)
                    |> ignore)
                "count"
        }
        test "a weights line that is not a number is reported with its line" {
            try
                WeightsFile.Read<float>(new StringReader("# net\n1\nx\n"), "w.txt") |> ignore
                failtest "expected an error"
            with :? InputFormatException as e ->
                Expect.equal e.Message "w.txt: line 3: 'x' is not a number (one weight per line)." "message"
        }
    ]
