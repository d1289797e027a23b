// SPDX-License-Identifier: MIT
/// Entry point of `np`: parses the command line and maps every input error to a one-line message and a non-zero
/// exit code (2 for usage and input errors, 1 for failures of a computation, 130 for a run stopped by Ctrl-C).
module NeuronPursuit.Cli.Program

open System
open System.IO
open System.Runtime.InteropServices
open System.Threading
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Problems
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.CommandLine
open NeuronPursuit.Cli.Inputs

/// The command line's results; for `pursue --config FILE` with the file's options appended as the flags they stand for.
let private parse (argv: string[]) =
    let results = Arguments.parse argv

    match results.Command.Path with
    | [ "pursue" ] ->
        match results.TryGet PursueArgs.config with
        | Some path ->
            let extended = PursueConfig.withConfig argv results.Given path

            try
                Arguments.parse extended
            with UsageError message ->
                raise (UsageError $"--config: '{path}': {message}")
        | None -> results
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

        match results.Command.Path with
        | [ "version" ] ->
            ProblemOptions.allowOnly "version" [] results
            out.WriteLine($"np {Versions.np} (NeuronPursuit core {Versions.core}, .NET {Versions.dotnet})")
            0
        | [ "eval" ] -> EvalCommand.run results out
        | [ "flow" ] ->
            observesInterrupt <- true
            FlowCommand.run argv results out err cancellation
        | [ "check" ] ->
            observesInterrupt <- true
            CheckCommand.run argv results out err cancellation
        | [ "pursue" ] ->
            observesInterrupt <- true
            PursueCommand.run argv results out err cancellation
        | [ "predict" ] -> PredictCommand.run results out
        | "sweep" :: _ -> SweepCommand.run results out err
        | _ ->
            err.WriteLine("np: name a subcommand: version, eval, flow, pursue, predict, check or sweep (see np --help)")
            2
    with
    | HelpRequested text ->
        out.WriteLine(text)
        0
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
