// SPDX-License-Identifier: MIT
/// np's command-line parser (`CommandLine`) and its declarations (`Arguments`): the declarations are consistent (no flag
/// twice in a command, each with a help line), values are read as their declared types wherever the flag stands, every
/// malformed argument is one UsageError naming it, and --help shows the innermost command.
module NeuronPursuit.Tests.Cli.CommandLineTests

open Expecto
open NeuronPursuit.Cli
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.CommandLine
open NeuronPursuit.Cli.Inputs

/// Every command under `np`, np itself included.
let rec private commands (c: Command) =
    c :: List.collect commands c.Subcommands

/// The UsageError message parsing `argv` raises.
let private refusal (argv: string list) =
    try
        Arguments.parse (Array.ofList argv) |> ignore
        failtest $"""np {String.concat " " argv}: parsed, but should have been refused"""
        ""
    with UsageError message ->
        message

let tests =
    testList "np command-line parser" [
        test "no command declares a flag twice or one of the problem options again; every flag is kebab-case with a help line" {
            for c in commands np do
                let names = [ for f in c.Flags @ NpArgs.flags -> f.Name ]
                Expect.equal (List.distinct names) names $"{c.Title}: flags distinct"

                for f in c.Flags @ NpArgs.flags do
                    Expect.isMatch f.Name "^[a-z][a-z0-9]*(-[a-z0-9]+)*$" $"{c.Title} {f.Text}: kebab-case"
                    Expect.isNotEmpty f.Usage $"{c.Title} {f.Text}: help line"

                    if f.Kind <> Switch then
                        Expect.isNotEmpty f.Placeholder $"{c.Title} {f.Text}: placeholder"
        }
        test "every command's help lists its subcommands and every flag it takes" {
            for c in commands np do
                let text = help c NpArgs.flags
                Expect.stringStarts text $"USAGE: {c.Title} " $"{c.Title}: usage line"

                for f in c.Flags do
                    Expect.stringContains text f.Text $"{c.Title}: lists {f.Text}"

                for s in c.Subcommands do
                    Expect.stringContains text ("    " + s.Name + " ") $"{c.Title}: lists {s.Name}"

                if c.TakesProblem then
                    for f in NpArgs.flags do
                        Expect.stringContains text f.Text $"{c.Title}: lists the problem option {f.Text}"
        }
        test "values are read as their declared types, problem options before or after the subcommand" {
            let parsed =
                Arguments.parse [|
                    "--example"
                    "deep"
                    "flow"
                    "--rtol"
                    "1e-6"
                    "--seed"
                    "-3"
                    "--max-steps"
                    "9000000000"
                    "--overwrite"
                |]

            Expect.equal parsed.Command.Path [ "flow" ] "the subcommand"
            Expect.equal (parsed.TryGet NpArgs.example) (Some "deep") "text before the subcommand"
            Expect.equal (parsed.TryGet FlowArgs.rtol) (Some 1e-6) "a number"
            Expect.equal (parsed.TryGet NpArgs.seed) (Some -3L) "a negative 64-bit integer after the subcommand"
            Expect.equal (parsed.TryGet FlowArgs.maxSteps) (Some 9_000_000_000L) "beyond 32 bits"
            Expect.isTrue (parsed.Has FlowArgs.overwrite) "a switch"
            Expect.isFalse (parsed.Has FlowArgs.atol) "not given"
            Expect.equal (parsed.Get(FlowArgs.atol, 1e-12)) 1e-12 "the default when not given"
            Expect.equal parsed.Given [ "--example"; "--rtol"; "--seed"; "--max-steps"; "--overwrite" ] "given, in order"
        }
        test "operands and nested subcommands: check names, sweep run SPEC --out DIR" {
            let check = Arguments.parse [| "check"; "origin-plateau"; "--full"; "escape-time" |]
            Expect.equal check.Operands [ "origin-plateau"; "escape-time" ] "check names around a flag"

            let sweep = Arguments.parse [| "sweep"; "run"; "spec.json"; "--out"; "dir" |]
            Expect.equal sweep.Command.Path [ "sweep"; "run" ] "the nested subcommand"
            Expect.equal sweep.Operands [ "spec.json" ] "its one operand"
            Expect.equal (sweep.TryGet SweepArgs.out) (Some "dir") "its flag"
        }
        test "an unknown flag, a flag twice, a missing or malformed value and a second operand are one UsageError naming the argument" {
            Expect.stringStarts (refusal [ "eval"; "--bogus" ]) "unrecognized argument: '--bogus'" "unknown flag"
            Expect.stringStarts (refusal [ "flow"; "--rtol"; "1"; "--rtol"; "2" ]) "--rtol: given more than once" "twice"
            Expect.stringStarts (refusal [ "flow"; "--rtol" ]) "--rtol: needs a value" "missing value"

            for bad in [ "abc"; "nan"; "Infinity"; "1e400"; ""; "1,5" ] do
                Expect.stringStarts (refusal [ "flow"; "--rtol"; bad ]) $"--rtol: '{bad}' is not a finite number" $"'{bad}' as a number"

            for bad in [ "1.5"; "2147483648"; "x"; "" ] do
                Expect.stringStarts (refusal [ "pursue"; "--restarts"; bad ]) $"--restarts: '{bad}'" $"'{bad}' as an integer"

            Expect.stringStarts (refusal [ "sweep"; "status"; "a"; "b" ]) "unrecognized argument: 'b'" "a second operand"
            Expect.stringStarts (refusal [ "flow"; "extra" ]) "unrecognized argument: 'extra'" "an operand where none is taken"
            Expect.stringStarts (refusal [ "flow"; "--out" ]) "--out: needs a value <dir>" "the placeholder"
        }
        test "--help anywhere shows the innermost command's help" {
            for argv, title in
                [ [ "--help" ], "np"
                  [ "flow"; "--rtol"; "1"; "--help" ], "np flow"
                  [ "sweep"; "run"; "-h" ], "np sweep run" ] do
                try
                    Arguments.parse (Array.ofList argv) |> ignore
                    failtest $"{argv}: no help"
                with HelpRequested text ->
                    Expect.stringStarts text $"USAGE: {title} " $"{argv}: help of {title}"
        }
        test "reading a flag the command does not declare is a programming error, not a silent None" {
            let parsed = Arguments.parse [| "flow" |]
            Expect.throwsT<System.InvalidOperationException> (fun () -> parsed.TryGet PursueArgs.delta |> ignore) "pursue's flag read in flow"
        }
    ]
