// SPDX-License-Identifier: MIT
/// run.json of `np flow`: the schema (F# records, serialised with System.Text.Json in snake_case, so
/// `TEnd` is "t_end"; an absent option is null) and its writer. Other tools parse this file: add fields,
/// never rename or remove them.
module NeuronPursuit.Cli.RunRecord

open System.IO
open System.Text.Json
open System.Text.Json.Serialization

/// Versions of the software that made the run.
type VersionsRecord =
    { Np: string
      Core: string
      Dotnet: string
      /// `git rev-parse HEAD` where np's binaries live, or null.
      GitRevision: string option }

/// The training data.
type DataRecord =
    { /// "example NAME" or the CSV path as given.
      Source: string
      Samples: int
      InputDimension: int }

/// The network.
type NetworkRecord =
    { /// two-layer | ff.
      Kind: string
      Specification: string
      Activation: string
      HiddenWidths: int list
      Parameters: int
      /// Homogeneity degree L, or null for a non-homogeneous activation.
      Degree: int option }

/// The initial point w(0).
type InitRecord =
    { /// gaussian | file.
      Kind: string
      /// δ of w(0) = δ·w₀ (gaussian), else null.
      Scale: float option
      /// Seed of w₀ (gaussian), else null.
      Seed: int64 option
      /// The weights file (file), else null.
      File: string option
      /// ‖w(0)‖.
      Norm: float }

/// The integration's settings, defaults included.
type IntegrationRecord =
    { Method: string
      Order: int
      /// Order of the error estimate, or null for a fixed-step method.
      EmbeddedOrder: int option
      /// Integration runs over [0, t_end].
      TEnd: float
      /// --step, or null.
      Step: float option
      /// "fixed" (fixed-step method), "initial" (the first step of an adaptive method) or null.
      StepRole: string option
      Rtol: float
      Atol: float
      MaxSteps: int64
      /// double | double-double.
      Precision: string
      /// R of the terminal event ‖w‖ = R (rising), or null.
      EscapeNorm: float option
      /// τ of the logarithmic time s = ln(1 + t/τ), or null when integrating in t.
      LogTimeScale: float option }

/// What was recorded in series.csv.
type ObservationRecord =
    { /// The --observe names.
      Observe: string list
      /// The columns of series.csv after t.
      Columns: string list
      /// The --times text.
      Times: string
      /// The number of requested times.
      Count: int }

/// Counts of the solver.
type StatisticsRecord = { Evaluations: int64; AcceptedSteps: int64; RejectedSteps: int64 }

/// An event that occurred.
type EventRecord =
    { Name: string
      Time: float
      Rising: bool
      /// ‖w‖ at the event.
      Norm: float }

/// How the integration ended.
type ResultRecord =
    { /// completed | terminal_event | max_steps_reached | step_size_too_small.
      Status: string
      Message: string
      FinalTime: float
      /// ℒ(w(final_time)), computed in the run's precision and rounded to double.
      FinalLoss: float
      FinalNorm: float
      /// Wall-clock time of the integration (observers included), seconds.
      WallTimeSeconds: float
      Statistics: StatisticsRecord
      Events: EventRecord list }

/// run.json.
type RunRecord =
    { /// The arguments of np, starting with "flow".
      Command: string list
      Versions: VersionsRecord
      /// UTC time the run finished, ISO 8601.
      CreatedUtc: string
      Data: DataRecord
      Network: NetworkRecord
      /// square | square-mean | logistic.
      Loss: string
      Init: InitRecord
      Integration: IntegrationRecord
      Observation: ObservationRecord
      Result: ResultRecord
      /// The files written to the output folder, run.json included.
      Files: string list }

let private options =
    JsonSerializerOptions(
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // An infinite or NaN loss is written as the string "Infinity" or "NaN" rather than failing the run.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)

/// The snake_case name of an enum value or identifier, e.g. MaxStepsReached → max_steps_reached.
let snakeCase (name: string) = JsonNamingPolicy.SnakeCaseLower.ConvertName name

/// Writes the record as indented JSON.
let write (path: string) (record: RunRecord) =
    File.WriteAllText(path, JsonSerializer.Serialize(record, options) + "\n")
