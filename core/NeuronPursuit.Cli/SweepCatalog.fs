// SPDX-License-Identifier: MIT
/// The np commands a sweep can run and the options each takes, read from the declarations of the command line
/// itself (one source: a flag added to `np flow` is at once a sweep option and axis).
module NeuronPursuit.Cli.SweepCatalog

open System.Collections.Generic
open NeuronPursuit.Checks
open NeuronPursuit.Sweeps
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.CommandLine

/// The flags (without dashes) of a command, each with whether it is a switch.
let private flagsOf (flags: Flag list) =
    [ for f in flags -> f.Name, f.Kind = Switch ]

/// The problem options every subcommand inherits (ProblemSpec.Keys, as declared on `np`).
let problemFlags = flagsOf NpArgs.flags |> List.map fst

let private options (name: string) (flags: (string * bool) list) (reserved: (string * string) list) (positionals: string list option) (minimum: int) =
    let reservedNames = reserved |> List.map fst

    let allowed =
        flags |> List.filter (fun (f, _) -> not (List.contains f reservedNames))

    CommandOptions(
        name,
        [| for f, isSwitch in allowed do
               if not isSwitch then
                   yield f |],
        [| for f, isSwitch in allowed do
               if isSwitch then
                   yield f |],
        Dictionary<string, string>(reserved |> List.map KeyValuePair.Create) :> IReadOnlyDictionary<_, _>,
        (positionals |> Option.map Array.ofList |> Option.toObj),
        minimum
    )

let private outReason =
    "is set by the sweep: each task writes its run folder DIR/tasks/<index>/."

/// flow, pursue and check with their options.
let commands: IReadOnlyDictionary<string, CommandOptions> =
    let problem = flagsOf NpArgs.flags

    let pursueProblem =
        problem
        |> List.filter (fun (f, _) -> List.contains ("--" + f) PursueConfig.problemFlags)

    dict [
        "flow", options "flow" (flagsOf FlowArgs.command.Flags @ problem) [ "out", outReason ] None 0
        "pursue",
        options
            "pursue"
            (flagsOf PursueArgs.command.Flags @ pursueProblem)
            [ "out", outReason
              "seeds", "runs a range of data seeds itself; make data-seed an axis of the sweep instead."
              "ablations", "writes an ablation report, not one run; it cannot be a task of a sweep." ]
            None
            0
        "check",
        options
            "check"
            (flagsOf CheckArgs.command.Flags)
            [ "out", outReason; "list", "lists the checks; it runs nothing." ]
            (Some [ for c in Registry.all -> c.Name ])
            1
    ]
    |> fun d -> Dictionary<string, CommandOptions>(d) :> IReadOnlyDictionary<_, _>
