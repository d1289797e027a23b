// SPDX-License-Identifier: MIT
/// The command line of `np`, declared with Argu.
module NeuronPursuit.Cli.Arguments

open Argu

/// Arguments of `np eval`: evaluate the training loss of a network at given weights.
type EvalArgs =
    | [<Unique>] Data of path: string
    | [<Unique>] Example of name: string
    | [<Unique>] Net of kind: string
    | [<Unique>] Width of m: int
    | [<Unique>] Widths of list: string
    | [<Unique>] Activation of spec: string
    | [<Unique>] Weights of path: string
    | [<Unique>] Loss of kind: string
    | [<Unique>] Precision of kind: string

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Data _ -> "CSV data: a header row x1,...,xd,y, then one sample per row."
            | Example _ -> "use a built-in example instead of --data (two-relu-teacher); its teacher network and weights are the defaults."
            | Net _ -> "network kind: two-layer | ff."
            | Width _ -> "hidden width m of a two-layer network."
            | Widths _ -> "hidden widths of a feed-forward network, e.g. 4,2."
            | Activation _ -> "activation: relu | leaky-relu:ALPHA | relu-power:P | leaky-relu-power:ALPHA:P (default relu)."
            | Weights _ -> "weights file: one number per line in the network's parameter layout (W1..WL row-major; two-layer: W then v)."
            | Loss _ -> "loss: square (½Σ, default) | square-mean (½·mean) | logistic."
            | Precision _ -> "arithmetic: double (default) | double-double."

/// The subcommands of `np`.
type NpArgs =
    | [<CliPrefix(CliPrefix.None)>] Version
    | [<CliPrefix(CliPrefix.None)>] Eval of ParseResults<EvalArgs>

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Version -> "print the version of np and of its core."
            | Eval _ -> "evaluate the training loss (and gradient norm) of a network at given weights."
