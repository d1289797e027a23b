// SPDX-License-Identifier: MIT
/// `np` run in-process on generated bad input: malformed data files (ragged rows, NaN/∞, 1e308, empty, BOM, CRLF,
/// quoted fields, non-numeric cells, non-UTF-8 bytes) and argument lists drawn from the real options (as `Arguments` declares them)
/// with bad values. Whatever the input: the exit code is 0, 1 or 2; exit 2 comes with exactly one line `np: …` that
/// does not name an internal parameter; no stack trace and no internal error is printed; the output folder is either
/// complete (run.json) or absent, with no temporary folder left beside it, and an existing folder is never changed
/// without --overwrite. Each property prints how many inputs it ran and what came out.
module NeuronPursuit.Tests.Cli.FuzzTests

open System
open System.IO
open System.Text
open System.Text.RegularExpressions
open Expecto
open FsCheck
open FsCheck.FSharp
open NeuronPursuit
open NeuronPursuit.Cli
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Tests.Support.NpRunner

/// The words a one-line error may start with besides a flag (--x), a file path or a subcommand: the parser's own.
let private allowedLeads =
    set [ "check"; "unrecognized argument"; "name a subcommand" ]

/// What one run showed: its exit code, for exit 2 its message, and how long it took.
type private Observation =
    { Code: int
      Message: string
      Args: string list
      Seconds: float }

/// Every run's outcome, for the summary each property prints.
type private Tally(name: string) =
    let observations = Collections.Concurrent.ConcurrentBag<Observation>()
    member _.Add(o: Observation) = observations.Add o

    member _.Summary() =
        let all = List.ofSeq observations
        let byCode = all |> List.countBy (fun o -> o.Code) |> List.sort

        let messages =
            all
            |> List.filter (fun o -> o.Code = 2)
            |> List.map (fun o -> Regex.Replace(o.Message, "'[^']*'|\"[^\"]*\"|[-+]?[0-9][0-9.eE+-]*", "…"))
            |> List.distinct

        let codes = String.Join(", ", byCode |> List.map (fun (c, k) -> $"exit {c}: {k}"))
        let slowest = all |> List.sortByDescending (fun o -> o.Seconds) |> List.truncate 3

        let slow =
            String.Join(
                "; ",
                slowest
                |> List.map (fun o -> $"""{o.Seconds:F1} s: np {String.Join(' ', o.Args |> List.truncate 8)} …""")
            )

        $"fuzz {name}: {all.Length} inputs ran ({codes}); {messages.Length} distinct one-line errors; slowest: {slow}"

/// The invariants of one run of np with `args` that may write to `out` (None: no output folder involved).
let private checkRun (tally: Tally) (args: string list) (out: string option) (existing: bool) =
    let before =
        out
        |> Option.filter (fun _ -> existing)
        |> Option.map (fun dir ->
            Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            |> Array.map File.ReadAllText)

    let clock = Diagnostics.Stopwatch.StartNew()
    let code, stdout, stderr = np args
    let seconds = clock.Elapsed.TotalSeconds

    let lines =
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        |> Array.filter (fun l -> not (l.StartsWith "np: warning:"))

    let shown = $"np {String.Join(' ', args)}\n exit {code}\n stderr: {stderr}"
    Expect.contains [ 0; 1; 2 ] code $"exit code 0, 1 or 2: {shown}"
    Expect.isFalse (stdout.Contains "   at " || stderr.Contains "   at ") $"no stack trace: {shown}"
    Expect.isFalse (stderr.Contains "internal error") $"no internal error: {shown}"

    if code = 2 then
        Expect.equal lines.Length 1 $"exit 2 with exactly one line: {shown}"
        Expect.stringStarts lines.[0] "np: " $"the line starts with np: ({shown})"
        // "np: name: …" must name a flag (--name), a file or a subcommand, never an internal parameter (c:, start:, y0:).
        let m = Regex.Match(lines.[0], "^np: ([A-Za-z][A-Za-z0-9 ]*):")

        if m.Success then
            let lead = m.Groups.[1].Value

            Expect.isTrue
                (allowedLeads.Contains lead || args |> List.exists (fun a -> a = lead))
                $"the message names the user's input, not an internal parameter '{lead}': {shown}"

        tally.Add
            { Code = code
              Message = lines.[0]
              Args = args
              Seconds = seconds }
    else
        tally.Add
            { Code = code
              Message = ""
              Args = args
              Seconds = seconds }

    match out with
    | Some dir ->
        let parent = Path.GetDirectoryName(Path.GetFullPath dir) |> nonNull

        if Directory.Exists parent then
            let partial = Directory.GetDirectories(parent, $".{Path.GetFileName dir}.*")
            Expect.isEmpty partial $"no temporary folder left beside the output folder: {shown}"

        match before with
        | Some files when code = 2 || not (List.contains "--overwrite" args) ->
            let after =
                Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
                |> Array.map File.ReadAllText

            Expect.equal after files $"an existing folder is left as it was: {shown}"
        | _ ->
            if code = 2 then
                Expect.isFalse (Directory.Exists dir) $"bad input writes nothing: {shown}"
            elif Directory.Exists dir then
                Expect.isTrue (File.Exists(Path.Combine(dir, "run.json"))) $"a written folder is complete: {shown}"
    | None -> ()

    true

// ---------------------------------------------------------------------------------------------------------------
// Malformed data files

/// A cell: a number, or one of the malformations.
let private cell =
    Gen.frequency [
        6,
        Gen.choose (-300, 300)
        |> Gen.map (fun k -> (float k / 100.0).ToString(Globalization.CultureInfo.InvariantCulture))
        1,
        Gen.elements [
            "NaN"
            "nan"
            "Infinity"
            "-Infinity"
            "inf"
            "∞"
            "1e308"
            "-1e308"
            "1e309"
            "1.7976931348623157e308"
            "1e-320"
            "1e154"
        ]
        1,
        Gen.elements [
            ""
            " "
            "abc"
            "1,5"
            "0x1F"
            "\"1.5\""
            "'2'"
            "1.2.3"
            "--1"
            "1e"
            "１"
            "٣"
            "true"
            "\t7"
        ]
    ]

/// A data file's bytes: header and rows, with the formatting faults of real files.
let private dataFile =
    gen {
        let! d = Gen.choose (1, 3)

        let! header =
            Gen.frequency [
                6, Gen.constant (String.Join(",", [ for k in 1..d -> $"x{k}" ] @ [ "y" ]))
                1, Gen.elements [ ""; "y"; "1,2,3"; "\"x1\",\"y\""; "x1;y"; "x1,,y" ]
            ]

        let! rows = Gen.choose (0, 6)

        let! lines =
            Gen.listOfLength
                rows
                (gen {
                    let! width = Gen.frequency [ 8, Gen.constant (d + 1); 1, Gen.choose (0, d + 3) ]
                    let! cells = Gen.listOfLength width cell
                    return String.Join(",", cells)
                })

        let! newline = Gen.elements [ "\n"; "\r\n"; "\r" ]
        let! bom = Gen.frequency [ 5, Gen.constant false; 1, Gen.constant true ]
        let! blank = Gen.frequency [ 5, Gen.constant false; 1, Gen.constant true ]

        let! garbage =
            Gen.frequency [
                6, Gen.constant [||]
                1, Gen.arrayOfLength 3 (Gen.choose (128, 255) |> Gen.map byte)
            ]

        let text =
            String.Join(newline, (header :: (if blank then [ "" ] else []) @ lines))
            + (if rows > 0 then newline else "")

        let bytes =
            Array.append (if bom then Encoding.UTF8.GetPreamble() else [||]) (Encoding.UTF8.GetBytes text)

        return Array.append bytes garbage
    }

/// A command that reads the data file, with small budgets so that a run that goes through stays short.
let private dataCommand =
    Gen.elements [
        [ "eval"; "--net"; "two-layer"; "--widths"; "2" ]
        [ "flow"
          "--net"
          "two-layer"
          "--widths"
          "2"
          "--init-scale"
          "0.1"
          "--t-end"
          "1"
          "--max-steps"
          "2000" ]
        [ "flow"
          "--net"
          "ff"
          "--widths"
          "2,2"
          "--activation"
          "relu-power:2"
          "--init-scale"
          "0.5"
          "--t-end"
          "1"
          "--method"
          "euler"
          "--step"
          "0.1" ]
        [ "pursue"
          "--depth"
          "2"
          "--max-iterations"
          "2"
          "--max-epochs"
          "300"
          "--restarts"
          "2"
          "--ascent-steps"
          "100"
          "--threads"
          "1" ]
    ]

// ---------------------------------------------------------------------------------------------------------------
// Argument lists from the real options

/// The flags of a command as declared (`Arguments`): (flag, the types of the values that follow it).
let private optionsOf (flags: CommandLine.Flag list) =
    [ for f in flags ->
          f.Text,
          match f.Kind with
          | CommandLine.Switch -> []
          | CommandLine.Text -> [ typeof<string> ]
          | CommandLine.Real -> [ typeof<float> ]
          | CommandLine.Integer -> [ typeof<int> ]
          | CommandLine.Long -> [ typeof<int64> ] ]

let private problemOptions = optionsOf NpArgs.flags

/// Values a user might type, bad ones first; small valid ones keep a run that goes through short.
let private numbers =
    [ "nan"
      "NaN"
      "inf"
      "-inf"
      "Infinity"
      "-1"
      "0"
      "-0"
      "1e308"
      "1e-320"
      "abc"
      ""
      "1,5"
      "0x10"
      "0.5"
      "1"
      "2"
      "1e-3" ]

let private integers =
    [ "0"
      "-1"
      "2147483648"
      "9223372036854775808"
      "x"
      ""
      "1.5"
      "1"
      "2"
      "3" ]

let private texts =
    [ ""
      "x"
      "1.."
      "5..1"
      "1..1"
      "a,b,,"
      "log:0:0"
      "linear:1"
      "linear:2000000000"
      "log:1e-9:5"
      "dp5"
      "euler"
      "rodas4"
      "double-double"
      "kkt"
      "random"
      "gd"
      "flow"
      "relu"
      "relu-power:0"
      "relu-power:2"
      "leaky-relu:abc"
      "perturbed-relu-power:2:nan"
      "square"
      "logistic:-1"
      "two-layer"
      "ff"
      "sum-of-powers"
      "0,0"
      "1000000000"
      "100000,100000"
      "2,x"
      "loss,norm,nope"
      "hypercube"
      "two-relu-teacher"
      "nope" ]

/// Files to give to path options: missing, a folder, empty, malformed, non-UTF-8, JSON that is not an object, valid.
let private pathPool (dir: string) =
    let file name (content: byte[]) =
        let path = Path.Combine(dir, name)
        File.WriteAllBytes(path, content)
        path

    let teacher = Path.Combine(dir, "teacher.csv")
    Data.writeCsv teacher (Problem.example "two-relu-teacher").Data

    [ Path.Combine(dir, "missing.csv")
      dir
      file "empty.csv" [||]
      file "ragged.csv" (Encoding.UTF8.GetBytes "x1,y\n1,2,3\n")
      file "binary.csv" [| 0xFFuy; 0xFEuy; 0x00uy; 0x81uy |]
      file "list.json" (Encoding.UTF8.GetBytes "[1, 2]")
      file "bad.json" (Encoding.UTF8.GetBytes "{ \"eta\": \"fast\" }")
      file "weights.txt" (Encoding.UTF8.GetBytes "1\n2\nNaN\n")
      teacher ]

/// A value for an option, by its name and field type.
let private valueFor (paths: string list) (flag: string) (t: Type) =
    match flag with
    | "--data"
    | "--init"
    | "--weights"
    | "--config"
    | "--model" -> Gen.elements paths
    | "--out" -> Gen.constant "<out>"
    | "--seeds" -> Gen.elements [ "x"; "5..1"; "1..2000"; ""; "1..a" ]
    | "--samples" -> Gen.elements [ "0"; "-3"; "2000000000"; "x"; "5"; "50" ]
    | _ when t = typeof<float> -> Gen.elements numbers
    | _ when t = typeof<int> || t = typeof<int64> -> Gen.elements integers
    | _ -> Gen.elements texts

/// An argument list for a subcommand: some of its options and of the problem options, each with a drawn value.
let private argumentsFor (paths: string list) (command: string) (options: (string * Type list) list) =
    gen {
        let pool = options @ problemOptions
        let! count = Gen.choose (0, 5)
        let! picked = Gen.listOfLength count (Gen.elements pool)

        let! tokens =
            picked
            |> List.distinctBy fst
            |> List.map (fun (flag, fields) ->
                gen {
                    let! values = fields |> List.map (valueFor paths flag) |> Gen.sequenceToList
                    return flag :: values
                })
            |> Gen.sequenceToList

        return command :: List.concat tokens
    }

/// Bounds on the work of a drawn command, appended when the draw did not set them (a drawn bad value still counts).
let private budget (args: string list) =
    let add flag value extra =
        if List.contains flag args then
            extra
        else
            extra @ [ flag; value ]

    match args with
    | "flow" :: _ -> [] |> add "--max-steps" "3000" |> add "--t-end" "1"
    | "pursue" :: _ ->
        []
        |> add "--max-epochs" "300"
        |> add "--max-iterations" "2"
        |> add "--restarts" "2"
        |> add "--ascent-steps" "100"
        |> add "--baseline-epochs" "50"
        |> add "--wide-epochs" "50"
        |> add "--samples" "50"
    // A check name that does not exist: without one np check would run every check (minutes).
    | "check" :: _ -> [ "no-such-check" ]
    | _ -> []

/// Inputs per property: each runs np once (bad input in milliseconds, a short run otherwise).
let private inputs = 150

/// Checks the property on `inputs` generated inputs (FsCheck shrinks a failure to a minimal input), then prints the tally.
let private fuzz (tally: Tally) (property: Property) =
    Check.One(Config.QuickThrowOnFailure.WithMaxTest(inputs).WithQuietOnSuccess(true), property)
    printfn "%s" (tally.Summary())

let tests =
    testSequenced
    <| testList "np on generated bad input" [
        test "malformed data files: exit 0/1/2, one line for bad input, nothing partial" {
            let tally = Tally "data files"
            let dir = tempDir ()
            let mutable k = 0

            Prop.forAll (Arb.fromGen (Gen.zip dataFile dataCommand)) (fun (bytes, command) ->
                k <- k + 1
                let csv = Path.Combine(dir, $"data-{k}.csv")
                File.WriteAllBytes(csv, bytes)
                let out = Path.Combine(dir, $"run-{k}")
                let writes = command.Head <> "eval"
                let args = command @ [ "--data"; csv ] @ (if writes then [ "--out"; out ] else [])
                checkRun tally args (if writes then Some out else None) false)
            |> fuzz tally
        }
        test "argument lists from the real options with bad values: exit 0/1/2, one line, nothing partial" {
            let tally = Tally "arguments"
            let dir = tempDir ()
            let paths = pathPool dir

            let commands =
                [ "eval", optionsOf EvalArgs.command.Flags
                  "flow", optionsOf FlowArgs.command.Flags
                  "pursue", optionsOf PursueArgs.command.Flags
                  "check", optionsOf CheckArgs.command.Flags
                  "predict", optionsOf PredictArgs.command.Flags
                  "version", [] ]

            let mutable k = 0

            let generated =
                gen {
                    let! command, options = Gen.elements commands
                    let! args = argumentsFor paths command options
                    let! existing = Gen.frequency [ 4, Gen.constant false; 1, Gen.constant true ]
                    let! overwrite = Gen.frequency [ 4, Gen.constant false; 1, Gen.constant true ]
                    return args, existing, overwrite
                }

            Prop.forAll (Arb.fromGen generated) (fun (drawn, existing, overwrite) ->
                k <- k + 1
                let out = Path.Combine(dir, $"run-{k}")

                if existing then
                    Directory.CreateDirectory out |> ignore
                    File.WriteAllText(Path.Combine(out, "keep.txt"), "an earlier result")
                // Every command that writes gets a fresh folder under the test's own (never the working directory's
                // runs/), and sometimes --overwrite.
                let writes = List.contains drawn.Head [ "flow"; "pursue"; "check" ]

                let args =
                    drawn @ budget drawn
                    |> List.map (fun a -> if a = "<out>" then out else a)
                    |> fun a ->
                        if writes && not (List.contains "--out" a) then
                            a @ [ "--out"; out ]
                        else
                            a
                    |> fun a -> if writes && overwrite then a @ [ "--overwrite" ] else a

                checkRun tally args (if writes then Some out else None) existing)
            |> fuzz tally
        }
    ]
