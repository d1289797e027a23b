// SPDX-License-Identifier: MIT
/// The problem options of `np` (declared once in `Arguments.NpArgs`) as the core's one problem specification.
module NeuronPursuit.Cli.ProblemOptions

open Argu
open NeuronPursuit.Core.Problems
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.Inputs

/// The flags of the problem options that were given, e.g. ["--example"; "--widths"].
let given (args: ParseResults<NpArgs>) =
    [ for a in args.GetAllResults() do
          match a with
          | Version
          | Eval _
          | Flow _
          | Check _
          | Pursue _
          | Predict _
          | Sweep _ -> ()
          | _ -> yield args.Parser.GetArgumentCaseInfo(a).Name.Value ]

/// Raises a UsageError when a problem option outside `allowed` (flag names) was given to `command`.
let allowOnly (command: string) (allowed: string list) (args: ParseResults<NpArgs>) =
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
let spec (args: ParseResults<NpArgs>) =
    ProblemSpec(
        Example = (args.TryGetResult NpArgs.Example |> Option.toObj),
        Data = (args.TryGetResult NpArgs.Data |> Option.toObj),
        DataSeed = (args.TryGetResult NpArgs.Data_Seed |> Option.toNullable),
        Samples = (args.TryGetResult NpArgs.Samples |> Option.toNullable),
        Net = (args.TryGetResult NpArgs.Net |> Option.toObj),
        Widths = (args.TryGetResult NpArgs.Widths |> Option.toObj),
        Activation = (args.TryGetResult NpArgs.Activation |> Option.toObj),
        Loss = (args.TryGetResult NpArgs.Loss |> Option.toObj),
        Init = (args.TryGetResult NpArgs.Init |> Option.toObj),
        InitScale = (args.TryGetResult NpArgs.Init_Scale |> Option.toNullable),
        InitDirection = (args.TryGetResult NpArgs.Init_Direction |> Option.toObj),
        Seed = (args.TryGetResult NpArgs.Seed |> Option.toNullable)
    )
