// SPDX-License-Identifier: MIT
/// run.json: one schema for every command that writes a run folder (`kind` says which), written as indented JSON in
/// snake_case (so `TEnd` is "t_end"; an absent option is null). The envelope — kind, command, versions, time, problem,
/// files — is the same for all; `settings` and `result` hold what the kind adds. Other tools (sweeps, reports) parse
/// this file: add fields, never rename or remove them.
module NeuronPursuit.Cli.RunRecord

open System
open System.Globalization
open System.IO
open System.Text.Json
open Microsoft.FSharp.Reflection
open NeuronPursuit.Core.Problems

/// Versions of the software that made the run.
type VersionsRecord =
    {
        Np: string
        Core: string
        Dotnet: string
        /// `git rev-parse HEAD` where np's binaries live, or null.
        GitRevision: string option
    }

/// The data.
type DataRecord =
    {
        /// "example NAME" or the CSV path as given.
        Source: string
        Description: string
        Samples: int
        InputDimension: int
    }

/// The network.
type NetworkRecord =
    {
        /// two-layer | ff | sum-of-powers.
        Kind: string
        Specification: string
        Activation: string
        HiddenWidths: int list
        Parameters: int
        /// Homogeneity degree L, or null for a non-homogeneous activation.
        Degree: int option
    }

/// The initial point w(0).
type InitRecord =
    {
        /// The initialisation's specification: gaussian:δ:seed | sphere:δ:seed | file:PATH.
        Specification: string
        /// gaussian | sphere | file.
        Kind: string
        /// δ, or null for a file.
        Scale: float option
        /// Seed of w₀, or null for a file.
        Seed: int64 option
        /// The weights file, or null.
        File: string option
        /// ‖w(0)‖.
        Norm: float
    }

/// The loss.
type LossRecord =
    {
        /// The specification, e.g. square-mean.
        Name: string
        /// In words, with the normalisation.
        Description: string
    }

/// The problem of the run.
type ProblemRecord =
    {
        Name: string
        /// The problem options as `key=value` pairs (the one specification grammar).
        Specification: string
        Data: DataRecord
        Network: NetworkRecord
        Loss: LossRecord
        /// w(0), or null when the command has none.
        Init: InitRecord option
    }

/// run.json.
type RunRecord<'Settings, 'Result> =
    {
        /// flow | pursue | check.
        Kind: string
        /// The arguments of np, starting with the subcommand.
        Command: string list
        Versions: VersionsRecord
        /// UTC time the run finished, ISO 8601.
        CreatedUtc: string
        /// The problem (null for np check, whose checks build their own).
        Problem: ProblemRecord option
        /// What the command was asked to do, defaults included.
        Settings: 'Settings
        /// What came out.
        Result: 'Result
        /// The files written to the output folder, run.json included.
        Files: string list
    }

/// The problem as recorded, with ‖w(0)‖ when w(0) was drawn.
let problemRecord (spec: ProblemSpec) (p: Problem) (initialNorm: float option) =
    { Name = p.Name
      Specification = string spec
      Data =
        { Source = p.DataSource
          Description = p.DataDescription
          Samples = p.Data.Count
          InputDimension = p.Data.InputDimension }
      Network =
        { Kind = NetworkSpec.Of(p.Network).KindName
          Specification = p.Network.Specification
          Activation = p.Network.Activation.Specification
          HiddenWidths = List.ofSeq p.Network.HiddenWidths
          Parameters = p.Network.ParameterCount
          Degree = Option.ofNullable p.Network.Degree }
      Loss =
        { Name = p.Loss.Name
          Description = p.Loss.Specification }
      Init =
        match p.Initialisation, initialNorm with
        | null, _
        | _, None -> None
        | init, Some norm ->
            let isFile = not (isNull init.File)

            Some
                { Specification = init.Specification
                  Kind =
                    (if isFile then
                         "file"
                     elif init.Direction = InitialDirection.Gaussian then
                         "gaussian"
                     else
                         "sphere")
                  Scale = (if isFile then None else Some init.Scale)
                  Seed = (if isFile then None else Some init.Seed)
                  File = Option.ofObj init.File
                  Norm = norm } }

/// The versions of this np.
let versions () : VersionsRecord =
    { Np = Versions.np
      Core = Versions.core
      Dotnet = Versions.dotnet
      GitRevision = Versions.gitRevision () }

/// The envelope with the kind's settings and result.
let create (kind: string) (argv: string[]) (problem: ProblemRecord option) (settings: 'S) (result: 'R) (files: string list) : RunRecord<'S, 'R> =
    { Kind = kind
      Command = List.ofArray argv
      Versions = versions ()
      CreatedUtc = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture)
      Problem = problem
      Settings = settings
      Result = result
      Files = files }

/// The snake_case name of an enum value or identifier, e.g. MaxStepsReached → max_steps_reached.
let snakeCase (name: string) =
    JsonNamingPolicy.SnakeCaseLower.ConvertName name


/// A float as a JSON number, or NaN and ±∞ as the strings "NaN", "Infinity", "-Infinity" (an infinite or NaN loss is
/// recorded rather than failing the run).
let private writeFloat (w: Utf8JsonWriter) (x: float) =
    if Double.IsFinite x then w.WriteNumberValue x
    elif Double.IsNaN x then w.WriteStringValue "NaN"
    elif x > 0.0 then w.WriteStringValue "Infinity"
    else w.WriteStringValue "-Infinity"

/// Writes a value of a run record: F# records as objects of their fields in declaration order with snake_case names,
/// `Some x` as x and `None` as null, lists and arrays as arrays, maps with string keys as objects (keys as given),
/// strings, booleans, integers and floats as themselves. It walks the value with F# reflection through non-generic
/// code, so a run does not build serializer metadata or compile serializer code for its record types at run time
/// (System.Text.Json took ~0.05–0.1 s of every run for that); the JSON is what System.Text.Json wrote with snake_case
/// names, named floating-point literals and indentation (test "run.json writer").
[<Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming",
                                                        "IL2072",
                                                        Justification =
                                                            "run.json holds np's own F# records, whose properties np compiled ahead of time keeps (NativeBuildTests: its run.json is the JIT build's).")>]
[<Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming",
                                                        "IL2075",
                                                        Justification = "as above: the Value property of an option of np's records.")>]
let rec private writeValue (w: Utf8JsonWriter) (value: objnull) =
    match value with
    | null -> w.WriteNullValue()
    | :? string as s -> w.WriteStringValue s
    | :? bool as b -> w.WriteBooleanValue b
    | :? int as i -> w.WriteNumberValue i
    | :? int64 as i -> w.WriteNumberValue i
    | :? float as x -> writeFloat w x
    | :? Collections.Generic.KeyValuePair<string, objnull> as kv -> writeMember w kv.Key kv.Value
    | :? Collections.Generic.KeyValuePair<string, string> as kv -> writeMember w kv.Key kv.Value
    | value ->
        let t = value.GetType()

        if FSharpType.IsRecord(t, true) then
            w.WriteStartObject()

            for field in FSharpType.GetRecordFields(t, true) do
                writeMember w (snakeCase field.Name) (field.GetValue value)

            w.WriteEndObject()
        elif t.IsGenericType && t.GetGenericTypeDefinition() = typedefof<option<obj>> then
            writeValue w ((t.GetProperty("Value") |> nonNull).GetValue(value))
        elif t.IsGenericType && t.GetGenericTypeDefinition() = typedefof<Map<string, obj>> then
            w.WriteStartObject()

            for kv in value :?> Collections.IEnumerable do
                writeValue w kv

            w.WriteEndObject()
        else
            match value with
            | :? Collections.IEnumerable as items ->
                w.WriteStartArray()

                for item in items do
                    writeValue w item

                w.WriteEndArray()
            | _ -> invalidArg "value" $"run.json cannot hold a {t.Name}"

and private writeMember (w: Utf8JsonWriter) (name: string) (value: objnull) =
    w.WritePropertyName name
    writeValue w value

/// The record as indented JSON.
let toJson (record: RunRecord<'S, 'R>) =
    use stream = new MemoryStream()

    do
        use w = new Utf8JsonWriter(stream, JsonWriterOptions(Indented = true))
        writeValue w (box record)

    Text.Encoding.UTF8.GetString(stream.ToArray())

/// Writes the record as indented JSON.
let write (path: string) (record: RunRecord<'S, 'R>) =
    File.WriteAllText(path, toJson record + "\n")
