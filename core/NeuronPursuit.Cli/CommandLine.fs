// SPDX-License-Identifier: MIT
/// The command-line machinery of `np`: flags, commands and their parse, as plain values read without reflection.
///
/// A command declares its flags (`--name`, what follows, a help line) and its subcommands. `parse` walks the arguments
/// once: a subcommand's name descends into it; a flag is looked up in the current command and in the problem options,
/// which every command accepts (each command then refuses those it has no use for, naming them); anything else is an
/// operand, where the command takes operands. Values are checked as they are read (a number must be a finite number,
/// an integer an integer), so every error is one line naming the flag. The commands read their options through typed
/// handles (`Arg<'T>`), and reading a flag the command does not declare is a programming error, raised at once.
///
/// np parsed its command line with Argu until 2026-11-30; Argu builds its parser by reflection over F# unions, which
/// cost every run 80–110 ms of start-up (bench/work-precision/README.md), more than the whole computation of a short
/// flow. The flags, help lines and messages kept their form.
module NeuronPursuit.Cli.CommandLine

open System
open System.Collections.Generic
open System.Globalization
open System.Text
open NeuronPursuit.Cli.Inputs

/// What follows a flag.
type ValueKind =
    /// Nothing: the flag alone switches something on.
    | Switch
    /// Any text.
    | Text
    /// A finite number (invariant culture: 1e-8, 0.5).
    | Real
    /// A 32-bit integer.
    | Integer
    /// A 64-bit integer.
    | Long

/// One flag: `--Name <Placeholder>`, the kind of its value, its help line.
type Flag =
    { Name: string
      Kind: ValueKind
      Placeholder: string
      Usage: string }

    /// The flag as typed: `--t-end`.
    member this.Text = "--" + this.Name

/// A flag with the type its value is read as.
type Arg<'T> = { Flag: Flag; Read: string -> 'T }

/// The operands of a command (arguments that are not flags): their placeholder, help line and whether several may be
/// given.
type Operands =
    { Placeholder: string
      Usage: string
      Many: bool }

/// A command: `np`, `np flow`, `np sweep run`.
type Command =
    {
        /// The words that name it after `np`: [] for np itself, ["sweep"; "run"].
        Path: string list
        Usage: string
        Flags: Flag list
        Operands: Operands option
        Subcommands: Command list
        /// Whether its help lists the problem options (the commands that build a problem).
        TakesProblem: bool
    }

    /// The name it is typed as: "flow", "run-task"; "np" for np itself.
    member this.Name = List.tryLast this.Path |> Option.defaultValue "np"

    /// `np sweep run`.
    member this.Title = String.Join(" ", "np" :: this.Path)

/// The help text of a command, asked for by --help (printed, exit 0).
exception HelpRequested of string

let private readReal (text: string) =
    Double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)

let private readInteger (text: string) =
    Int32.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)

let private readLong (text: string) =
    Int64.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)

/// A flag of the given kind, read by `read`.
let private declare kind read name placeholder usage =
    { Flag =
        { Name = name
          Kind = kind
          Placeholder = placeholder
          Usage = usage }
      Read = read }

/// Declares a flag taking any text.
let text name placeholder usage : Arg<string> = declare Text id name placeholder usage

/// Declares a flag taking a finite number.
let real name placeholder usage : Arg<float> =
    declare Real readReal name placeholder usage

/// Declares a flag taking a 32-bit integer.
let integer name placeholder usage : Arg<int> =
    declare Integer readInteger name placeholder usage

/// Declares a flag taking a 64-bit integer.
let long name placeholder usage : Arg<int64> =
    declare Long readLong name placeholder usage

/// Declares a switch.
let switch name usage : Arg<unit> = declare Switch ignore name "" usage

/// The problem in a value's text, if any: "is not a finite number", "is not an integer".
let private valueProblem (kind: ValueKind) (value: string) =
    let s = value

    match kind with
    | Switch
    | Text -> None
    | Real ->
        match Double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture) with
        | true, x when Double.IsFinite x -> None
        | _ -> Some "is not a finite number"
    | Integer ->
        match Int32.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture) with
        | true, _ -> None
        | _ -> Some "is not an integer (at most 2147483647 in size)"
    | Long ->
        match Int64.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture) with
        | true, _ -> None
        | _ -> Some "is not an integer (at most 9223372036854775807 in size)"

/// The options given on a command line, read through the flags of the command they were given to.
type Parsed(command: Command, problem: Flag list, values: IReadOnlyDictionary<string, string>, given: string list, operands: string list) =
    let declared =
        HashSet<string>(command.Flags @ problem |> List.map (fun f -> f.Name))

    let check (flag: Flag) =
        if not (declared.Contains flag.Name) then
            invalidOp $"{flag.Text} is not an option of {command.Title}."

    /// The command run: its path and flags.
    member _.Command = command

    /// The flags given, as typed (`--t-end`), in order.
    member _.Given = given

    /// The operands, in order.
    member _.Operands = operands

    /// The value of a flag, if given.
    member _.TryGet(arg: Arg<'T>) : 'T option =
        check arg.Flag

        match values.TryGetValue arg.Flag.Name with
        | true, v -> Some(arg.Read v)
        | _ -> None

    /// The value of a flag, or the default when it was not given.
    member this.Get(arg: Arg<'T>, defaultValue: 'T) =
        this.TryGet arg |> Option.defaultValue defaultValue

    /// Whether a flag (a switch, or one with a value) was given.
    member _.Has(arg: Arg<'T>) =
        check arg.Flag
        values.ContainsKey arg.Flag.Name

/// The help text of a command: its usage line, subcommands, flags and (where it builds a problem) the problem options.
let help (command: Command) (problem: Flag list) =
    let b = StringBuilder()
    let line (s: string) = b.Append(s).Append('\n') |> ignore

    let entries (rows: (string * string) list) =
        let width = rows |> List.map (fst >> String.length) |> List.fold max 0

        for left, right in rows do
            line ("    " + left.PadRight(width + 2) + right)

    let flagRow (f: Flag) =
        (if f.Kind = Switch then
             f.Text
         else
             $"{f.Text} <{f.Placeholder}>"),
        f.Usage

    let operand =
        match command.Operands with
        | Some o when o.Many -> $" [<{o.Placeholder}>...]"
        | Some o -> $" <{o.Placeholder}>"
        | None -> ""

    let subcommand =
        if command.Subcommands.IsEmpty then
            ""
        else
            " [<subcommand> [<options>]]"

    line $"USAGE: {command.Title} [--help] [<options>]{operand}{subcommand}"

    if not command.Subcommands.IsEmpty then
        line ""
        line "SUBCOMMANDS:"
        line ""

        entries [
            for s in command.Subcommands ->
                (if s.Flags.IsEmpty && s.Operands.IsNone && s.Subcommands.IsEmpty then
                     s.Name
                 else
                     s.Name + " <options>"),
                s.Usage
        ]

        line ""
        line $"    Use '{command.Title} <subcommand> --help' for additional information."

    match command.Operands with
    | Some o ->
        line ""
        line "OPERANDS:"
        line ""
        entries [ $"<{o.Placeholder}>", o.Usage ]
    | None -> ()

    line ""
    line "OPTIONS:"
    line ""

    entries [
        for f in command.Flags do
            yield flagRow f
        if command.Path.IsEmpty then
            for f in problem do
                yield flagRow f
        yield "--help", "display this list of options."
    ]

    if command.TakesProblem && not command.Path.IsEmpty then
        line ""
        line "PROBLEM OPTIONS (of np, given before or after the subcommand):"
        line ""
        entries [ for f in problem -> flagRow f ]

    b.ToString().TrimEnd()

/// Parses `argv` against the command tree under `root`, the problem options accepted at every level. Raises
/// HelpRequested for --help (or -h), and a UsageError naming the argument for anything else it cannot take: an unknown
/// flag, a flag given twice, a missing or malformed value, an operand where the command takes none.
let parse (root: Command) (problem: Flag list) (argv: string[]) =
    let values = Dictionary<string, string>()
    let given = List<string>()
    let operands = List<string>()
    let mutable command = root
    let mutable i = 0

    let find (name: string) =
        command.Flags @ problem |> List.tryFind (fun f -> f.Name = name)

    while i < argv.Length do
        let a = argv[i]

        if a = "--help" || a = "-h" then
            raise (HelpRequested(help command problem))
        elif a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2 then
            match find (a.Substring 2) with
            | None -> raise (UsageError $"unrecognized argument: '{a}'; see {command.Title} --help.")
            | Some flag ->
                if values.ContainsKey flag.Name then
                    raise (UsageError $"{a}: given more than once.")

                if flag.Kind = Switch then
                    values[flag.Name] <- ""
                elif i + 1 >= argv.Length then
                    raise (UsageError $"{a}: needs a value <{flag.Placeholder}>.")
                else
                    i <- i + 1
                    let value = argv[i]

                    match valueProblem flag.Kind value with
                    | Some problem -> raise (UsageError $"{a}: '{value}' {problem}.")
                    | None -> values[flag.Name] <- value

                given.Add a
        else
            match command.Subcommands |> List.tryFind (fun s -> s.Name = a) with
            | Some sub when operands.Count = 0 -> command <- sub
            | _ ->
                match command.Operands with
                | Some o when o.Many || operands.Count = 0 -> operands.Add a
                | _ -> raise (UsageError $"unrecognized argument: '{a}'; see {command.Title} --help.")

        i <- i + 1

    Parsed(command, problem, values, List.ofSeq given, List.ofSeq operands)
