// SPDX-License-Identifier: MIT
/// run.json's writer: for every shape a run record holds (nested records, options, lists, maps with string keys,
/// integers, floats, non-ASCII text) it writes what System.Text.Json's serializer wrote with run.json's former options
/// (snake_case names, named floating-point literals, indentation), so tools that read run.json see the same file.
module NeuronPursuit.Tests.Cli.RunRecordTests

open System
open System.Text.Json
open System.Text.Json.Serialization
open Expecto
open NeuronPursuit.Cli

type Inner =
    { LayerValues: float list
      Degree: int option
      Note: string option }

type Settings =
    { TEnd: float
      MaxSteps: int64
      Observe: string list
      Inner: Inner
      Options: Map<string, obj | null>
      KeyNumbers: Map<string, string>
      Alternatives: Inner list
      Flag: bool }

type Result =
    { FinalLoss: float
      Sharpness: float option
      Widths: int list
      Empty: Inner list }

let private record (loss: float) =
    RunRecord.create
        "flow"
        [| "flow"; "--t-end"; "1" |]
        None
        { TEnd = 150.0
          MaxSteps = 100000000L
          Observe = [ "loss"; "norm" ]
          Inner =
            { LayerValues = [ 0.1; -2.5e-300; 1e21 ]
              Degree = Some 7
              Note = Some "‖w‖ ≤ δ, “quoted” \\ \"x\"" }
          Options =
            Map.ofList [
                "eta", box 0.02
                "seed", box 1L
                "threads", box 2
                "kinks", box "one-sided"
                "cap", box (Some 3)
                "none", null
            ]
          KeyNumbers = Map.ofList [ "λ_max", "1.5e3"; "a", "b" ]
          Alternatives =
            [ { LayerValues = []
                Degree = None
                Note = None } ]
          Flag = true }
        { FinalLoss = loss
          Sharpness = Some 6.662498532837571e-19
          Widths = [ 4; 2 ]
          Empty = [] }
        [ "run.json"; "series.csv" ]

/// run.json's former options: System.Text.Json's serializer in snake_case, NaN and ±∞ as strings, indented.
let private serializer =
    JsonSerializerOptions(
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals
    )

/// An envelope without problem or settings around the given result.
let private holding (result: 'R) =
    RunRecord.create "flow" [| "flow" |] None () result [ "run.json" ]

let tests =
    testList "run.json writer" [
        for loss in
            [ 262.11
              0.0
              -0.0
              1e-320
              Double.NaN
              Double.PositiveInfinity
              Double.NegativeInfinity ] do
            test $"writes what System.Text.Json wrote (final loss {loss})" {
                let r = record loss
                Expect.equal (RunRecord.toJson r) (JsonSerializer.Serialize(r, serializer)) "the same JSON text"
            }

        test "a NaN or infinite float option is a string, None is null" {
            let json =
                RunRecord.toJson (holding {| Values = [ Some Double.NaN; Some Double.PositiveInfinity; None; Some 1.5 ] |})

            use document = JsonDocument.Parse json
            let values = document.RootElement.GetProperty("result").GetProperty("values")

            Expect.equal [ for v in values.EnumerateArray() -> v.ToString() ] [ "NaN"; "Infinity"; ""; "1.5" ] "NaN and ∞ as strings, None as null"

            Expect.equal values[2].ValueKind JsonValueKind.Null "None is null"
        }

        test "a value run.json cannot hold is refused by name" {
            Expect.throwsT<ArgumentException> (fun () -> RunRecord.toJson (holding Guid.Empty) |> ignore) "a Guid is not a run record value"
        }
    ]
