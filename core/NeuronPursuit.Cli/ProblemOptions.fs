// SPDX-License-Identifier: MIT
/// The problem options of `np` (declared once in `Arguments.NpArgs`) as the core's one problem specification.
module NeuronPursuit.Cli.ProblemOptions

open NeuronPursuit.Core.Problems
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.CommandLine
open NeuronPursuit.Cli.Inputs

/// The flags of the problem options that were given, e.g. ["--example"; "--widths"].
let given (args: Parsed) =
    let problem = set [ for f in NpArgs.flags -> f.Text ]
    args.Given |> List.filter problem.Contains

/// Raises a UsageError when a problem option outside `allowed` (flag names) was given to `command`.
let allowOnly (command: string) (allowed: string list) (args: Parsed) =
    match given args |> List.tryFind (fun flag -> not (List.contains flag allowed)) with
    | Some flag ->
        let what =
            if allowed.IsEmpty then
                "takes no problem options"
            else
                $"""takes only {String.concat ", " allowed} of the problem options"""

        raise (UsageError $"{flag}: np {command} {what}.")
    | None -> ()

/// The problem specification the options give.
let spec (args: Parsed) =
    ProblemSpec(
        Example = (args.TryGet NpArgs.example |> Option.toObj),
        Data = (args.TryGet NpArgs.data |> Option.toObj),
        DataSeed = (args.TryGet NpArgs.dataSeed |> Option.toNullable),
        Samples = (args.TryGet NpArgs.samples |> Option.toNullable),
        Net = (args.TryGet NpArgs.net |> Option.toObj),
        Widths = (args.TryGet NpArgs.widths |> Option.toObj),
        Activation = (args.TryGet NpArgs.activation |> Option.toObj),
        Loss = (args.TryGet NpArgs.loss |> Option.toObj),
        Init = (args.TryGet NpArgs.init |> Option.toObj),
        InitScale = (args.TryGet NpArgs.initScale |> Option.toNullable),
        InitDirection = (args.TryGet NpArgs.initDirection |> Option.toObj),
        Seed = (args.TryGet NpArgs.seed |> Option.toNullable)
    )
