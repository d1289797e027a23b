// SPDX-License-Identifier: MIT
/// Entry point of `np`: parses the command line and maps every input error to a one-line message and a non-zero
/// exit code (2 for usage and input errors, 1 for failures of a computation).
module NeuronPursuit.Cli.Program

open System
open System.IO
open Argu
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Problems
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.Inputs

let private parser = lazy (ArgumentParser.Create<NpArgs>(programName = "np"))

/// The pursue options given on the command line, as flags.
let private pursueFlags (args: ParseResults<PursueArgs>) =
    [ for a in args.GetAllResults() -> args.Parser.GetArgumentCaseInfo(a).Name.Value ]

/// The command line's results; for `pursue --config FILE` with the file's options appended as the flags they stand for.
let private parse (argv: string[]) =
    let results = parser.Value.ParseCommandLine(argv, raiseOnUsage = true)
    match results.GetAllResults() |> List.tryPick (function Pursue p -> Some p | _ -> None) with
    | Some pursue when pursue.Contains PursueArgs.Config ->
        let path = pursue.GetResult PursueArgs.Config
        let extended = PursueConfig.withConfig argv (ProblemOptions.given results @ pursueFlags pursue) path
        try parser.Value.ParseCommandLine(extended, raiseOnUsage = true)
        with :? ArguParseException as e ->
            raise (UsageError $"""--config: '{path}': {e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).[0].Trim()}""")
    | _ -> results

/// Runs `np` with the given arguments, writing results to `out` and errors to `err`; returns the exit code.
let run (argv: string[]) (out: TextWriter) (err: TextWriter) =
    try
        let results = parse argv
        match results.GetAllResults() |> List.tryFind (function Version | Eval _ | Flow _ | Check _ | Pursue _ | Predict _ | Sweep _ -> true | _ -> false) with
        | Some Version ->
            ProblemOptions.allowOnly "version" [] results
            out.WriteLine($"np {Versions.np} (NeuronPursuit core {Versions.core}, .NET {Versions.dotnet})")
            0
        | Some(Eval args) -> EvalCommand.run results args out
        | Some(Flow args) -> FlowCommand.run argv results args out err
        | Some(Check args) -> CheckCommand.run argv results args out
        | Some(Pursue args) -> PursueCommand.run argv results args out err
        | Some(Predict args) -> PredictCommand.run results args out
        | Some(Sweep args) -> SweepCommand.run results args out err
        | _ ->
            err.WriteLine("np: name a subcommand: version, eval, flow, pursue, predict, check or sweep (see np --help)")
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
    | :? SpecificationException as e ->
        err.WriteLine($"np: --{e.Key}: {e.Problem}")
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
let main argv =
    // A task of a sweep ends itself when the sweep that started it is gone (NP_SWEEP_PARENT).
    NeuronPursuit.Sweeps.ParentWatch.StartIfRequested()
    run argv Console.Out Console.Error
