// SPDX-License-Identifier: MIT
/// Entry point of `np`: parses the command line and maps every input error to a one-line message and a non-zero
/// exit code (2 for usage and input errors, 1 for failures of a computation, 130 for a run stopped by Ctrl-C).
module NeuronPursuit.Cli.Program

open System
open System.IO
open System.Runtime.InteropServices
open System.Threading
open Argu
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Problems
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.Inputs

/// The parser, without Argu's check of the whole declaration at creation: the check forces every subcommand's options
/// (their attributes, usage texts and parsers, ~100 cases), which took ~0.05 s of every start; a run computes only
/// what its own subcommand needs. The check runs in the tests instead ("np command line").
let private parser =
    lazy (ArgumentParser.Create<NpArgs>(programName = "np", checkStructure = false))

/// The first line of Argu's message, without its "ERROR: " prefix (np's own "np: " says that).
let private arguMessage (e: ArguParseException) =
    let first = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).[0].Trim()

    if first.StartsWith("ERROR: ", StringComparison.Ordinal) then
        first.Substring 7
    else
        first

/// The pursue options given on the command line, as flags.
let private pursueFlags (args: ParseResults<PursueArgs>) =
    [ for a in args.GetAllResults() -> args.Parser.GetArgumentCaseInfo(a).Name.Value ]

/// The command line's results; for `pursue --config FILE` with the file's options appended as the flags they stand for.
let private parse (argv: string[]) =
    let results = parser.Value.ParseCommandLine(argv, raiseOnUsage = true)

    match
        results.GetAllResults()
        |> List.tryPick (function
            | Pursue p -> Some p
            | _ -> None)
    with
    | Some pursue when pursue.Contains PursueArgs.Config ->
        let path = pursue.GetResult PursueArgs.Config

        let extended =
            PursueConfig.withConfig argv (ProblemOptions.given results @ pursueFlags pursue) path

        try
            parser.Value.ParseCommandLine(extended, raiseOnUsage = true)
        with :? ArguParseException as e ->
            raise (UsageError $"--config: '{path}': {arguMessage e}")
    | _ -> results

/// Whether the command being run stops on the first Ctrl-C by itself (flow, pursue, check observe the token); any
/// other command (eval, predict, sweep) ends on it as usual, a sweep's running tasks with it.
let mutable private observesInterrupt = false

/// Runs `np` with the given arguments, writing results to `out` and errors to `err`, until done or until the token is
/// signalled (Ctrl-C: the run stops at its next step, writes what it computed with status `interrupted` and returns
/// 130); returns the exit code: 0 success, 1 a failed computation, 2 bad input, 130 interrupted.
let runWith (cancellation: CancellationToken) (argv: string[]) (out: TextWriter) (err: TextWriter) =
    try
        let results = parse argv

        match
            results.GetAllResults()
            |> List.tryFind (function
                | Version
                | Eval _
                | Flow _
                | Check _
                | Pursue _
                | Predict _
                | Sweep _ -> true
                | _ -> false)
        with
        | Some Version ->
            ProblemOptions.allowOnly "version" [] results
            out.WriteLine($"np {Versions.np} (NeuronPursuit core {Versions.core}, .NET {Versions.dotnet})")
            0
        | Some(Eval args) -> EvalCommand.run results args out
        | Some(Flow args) ->
            observesInterrupt <- true
            FlowCommand.run argv results args out err cancellation
        | Some(Check args) ->
            observesInterrupt <- true
            CheckCommand.run argv results args out err cancellation
        | Some(Pursue args) ->
            observesInterrupt <- true
            PursueCommand.run argv results args out err cancellation
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
        err.WriteLine($"np: {arguMessage e} (see np --help)")
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

/// Runs `np` to completion (no interruption).
let run (argv: string[]) (out: TextWriter) (err: TextWriter) =
    runWith CancellationToken.None argv out err

[<EntryPoint>]
let main argv =
    // Methods this subcommand compiled at run time last time are compiled ahead on the second core from now on.
    StartupProfile.start argv
    // A task of a sweep ends itself when the sweep that started it is gone (NP_SWEEP_PARENT).
    NeuronPursuit.Sweeps.ParentWatch.StartIfRequested()
    // Work that a run needs only at its end starts now on other threads, overlapping the parse and the computation:
    // the figures' graphics library, fonts and plotting code, and the source revision for run.json.
    let command = argv |> Array.tryFind (fun a -> not (a.StartsWith '-'))

    match command with
    | Some("flow" | "pursue") ->
        NeuronPursuit.Plot.prepare ()
        Versions.startGitRevision ()
    | Some "check" -> Versions.startGitRevision ()
    | _ -> ()

    use interrupt = new CancellationTokenSource()
    // The first Ctrl-C (SIGINT) asks the run to stop at its next step and keep what it computed; a second one, while
    // it is still writing, ends the process as usual.
    use _sigint =
        PosixSignalRegistration.Create(
            PosixSignal.SIGINT,
            fun context ->
                if observesInterrupt && not interrupt.IsCancellationRequested then
                    context.Cancel <- true
                    interrupt.Cancel()
        )

    runWith interrupt.Token argv Console.Out Console.Error
