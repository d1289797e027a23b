// SPDX-License-Identifier: MIT
/// Entry point of `np`: parses the command line and maps every input error to a one-line message
/// and a non-zero exit code (2 for usage and input errors, 1 for failures of a computation).
module NeuronPursuit.Cli.Program

open System
open System.IO
open Argu
open NeuronPursuit.Core.Data
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.Commands
open NeuronPursuit.Cli.Inputs

/// Runs `np` with the given arguments, writing results to `out` and errors to `err`; returns the exit code.
let run (argv: string[]) (out: TextWriter) (err: TextWriter) =
    let parser = ArgumentParser.Create<NpArgs>(programName = "np")
    try
        let results = parser.ParseCommandLine(argv, raiseOnUsage = true)
        match results.GetAllResults() with
        | Version :: _ -> version out
        | Eval args :: _ -> eval args out
        | Flow args :: _ -> FlowCommand.run argv args out err
        | Check args :: _ -> CheckCommand.run args out err
        | Pursue args :: _ -> PursueCommand.run argv args out err
        | [] ->
            err.WriteLine("np: name a subcommand: version, eval, flow, pursue or check (see np --help)")
            2
    with
    | :? ArguParseException as e when e.ErrorCode = ErrorCode.HelpText ->
        out.WriteLine(e.Message)
        0
    | :? ArguParseException as e ->
        let first = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).[0].Trim()
        err.WriteLine($"np: {first} (see np --help)")
        2
    | UsageError message ->
        err.WriteLine($"np: {message}")
        2
    | :? InputFormatException as e ->
        err.WriteLine($"np: {oneLine e}")
        2
    | :? ArgumentException as e ->
        err.WriteLine($"np: {oneLine e}")
        2
    | :? IOException as e ->
        err.WriteLine($"np: {oneLine e}")
        2
    | :? UnauthorizedAccessException as e ->
        err.WriteLine($"np: {oneLine e}")
        2
    | e ->
        err.WriteLine($"np: internal error: {oneLine e}")
        1

[<EntryPoint>]
let main argv = run argv Console.Out Console.Error
