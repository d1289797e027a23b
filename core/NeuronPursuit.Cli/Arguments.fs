// SPDX-License-Identifier: MIT
/// The command line of `np`, declared with Argu.
module NeuronPursuit.Cli.Arguments

open Argu
open NeuronPursuit.Core.Flow.Methods

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

/// Arguments of `np flow`: integrate the gradient flow dw/dt = −∇ℒ(w) and record it.
type FlowArgs =
    | [<Unique>] Data of path: string
    | [<Unique>] Example of name: string
    | [<Unique>] Net of kind: string
    | [<Unique>] Width of m: int
    | [<Unique>] Widths of list: string
    | [<Unique>] Activation of spec: string
    | [<Unique>] Loss of kind: string
    | [<Unique>] Init of path: string
    | [<Unique; CustomCommandLine("--init-scale")>] Init_Scale of delta: float
    | [<Unique>] Seed of s: int64
    | [<Unique; CustomCommandLine("--t-end")>] T_End of T: float
    | [<Unique>] Method of name: string
    | [<Unique>] Step of eta: float
    | [<Unique>] Rtol of rtol: float
    | [<Unique>] Atol of atol: float
    | [<Unique; CustomCommandLine("--max-steps")>] Max_Steps of count: int64
    | [<Unique>] Precision of kind: string
    | [<Unique>] Observe of names: string
    | [<Unique>] Times of spec: string
    | [<Unique; CustomCommandLine("--escape-norm")>] Escape_Norm of R: float
    | [<Unique; CustomCommandLine("--log-time")>] Log_Time of tau: float
    | [<Unique>] Out of dir: string

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Data _ -> "CSV data: a header row x1,...,xd,y, then one sample per row."
            | Example _ -> "use a built-in example instead of --data (two-relu-teacher); without --net its teacher's architecture is trained."
            | Net _ -> "network kind: two-layer | ff."
            | Width _ -> "hidden width m of a two-layer network."
            | Widths _ -> "hidden widths of a feed-forward network, e.g. 4,2."
            | Activation _ -> "activation: relu | leaky-relu:ALPHA | relu-power:P | leaky-relu-power:ALPHA:P (default relu)."
            | Loss _ -> "loss: square (½Σ, default) | square-mean (½·mean) | logistic."
            | Init _ -> "initial weights file (one number per line in the network's parameter layout)."
            | Init_Scale _ -> "initial scale δ: w0 = δ·N(0,1) entries drawn from --seed (instead of --init)."
            | Seed _ -> "seed of the Gaussian initialisation (default 1)."
            | T_End _ -> "end time T of the flow (required)."
            | Method _ -> $"integration method: {MethodRegistry.Names} (default dp5)."
            | Step _ -> "step size: required by fixed-step methods (euler: the learning rate); the first step of adaptive ones."
            | Rtol _ -> "relative tolerance of adaptive methods (default 1e-8)."
            | Atol _ -> "absolute tolerance of adaptive methods (default 1e-12; 0 = purely relative)."
            | Max_Steps _ -> "largest number of steps, accepted and rejected (default 1000000)."
            | Precision _ -> "arithmetic of the integration: double (default) | double-double."
            | Observe _ -> "recorded quantities, comma list of loss, norm, grad_norm, layer_norms, neuron_norms, ncf_direction (default loss,norm,grad_norm)."
            | Times _ -> "observation times: linear:N | log:T0:N | t1,t2,... (default linear:201 over [0, T])."
            | Escape_Norm _ -> "stop when ‖w‖ rises through R (a terminal event)."
            | Log_Time _ -> "integrate in s = ln(1 + t/tau) (long horizons; steps geometric in t); outputs stay in t."
            | Out _ -> "output folder for run.json, series.csv, weights.csv, loss.png, norms.png (required)."

/// Arguments of `np check`: run the papers' claims as checks and write a report.
type CheckArgs =
    | [<MainCommand>] Names of name: string list
    | [<Unique>] Full
    | [<Unique>] Out of dir: string
    | [<Unique>] List

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Names _ -> "checks to run (default: all); see --list."
            | Full -> "run the full configurations (the delta sweeps) instead of the fast ones."
            | Out _ -> "output folder for report.md and checks.csv (default runs/checks)."
            | List -> "list the checks with their claims and exit."

/// The subcommands of `np`.
type NpArgs =
    | [<CliPrefix(CliPrefix.None)>] Version
    | [<CliPrefix(CliPrefix.None)>] Eval of ParseResults<EvalArgs>
    | [<CliPrefix(CliPrefix.None)>] Flow of ParseResults<FlowArgs>
    | [<CliPrefix(CliPrefix.None)>] Check of ParseResults<CheckArgs>

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Version -> "print the version of np and of its core."
            | Eval _ -> "evaluate the training loss (and gradient norm) of a network at given weights."
            | Flow _ -> "integrate the gradient flow from an initialisation and record loss, norms and the final weights."
            | Check _ -> "run the papers' claims as numerical checks; print each table and verdict, write report.md and checks.csv."
