// SPDX-License-Identifier: MIT
/// The --observe names of `np flow` as recorded quantities (series.csv columns), evaluated in double
/// on the state rounded to double whatever the precision of the integration.
module NeuronPursuit.Cli.Observables

open NeuronPursuit
open NeuronPursuit.Core.Flow

/// The columns of one --observe name: loss → loss; norm → ‖w‖; grad_norm → ‖∇ℒ‖;
/// layer_norms → norm_W1 … norm_WL (‖W_l‖_F); neuron_norms → in_l{l}_n{j}, out_l{l}_n{j} for every
/// hidden neuron; ncf_direction → N(w/‖w‖) (Kumar & Haupt, arXiv 2402.09226).
let quantitiesOf (p: Problem) (name: string) : FlowQuantity list =
    let net = p.Network

    match name with
    | "loss" -> [ Flow.lossQuantity (Problem.loss p) ]
    | "norm" -> [ Flow.normQuantity ]
    | "grad_norm" -> [ Flow.gradientNormQuantity (Problem.loss p) ]
    | "layer_norms" -> [ for l in 1 .. net.LayerCount -> FlowQuantities.LayerNorm(net.Layout, l) ]
    | "neuron_norms" -> List.ofSeq (FlowQuantities.NeuronNorms net.Layout)
    | "ncf_direction" -> [ FlowQuantities.NcfOfDirection (Problem.ncf p).Objective ]
    | other -> invalidArg "name" $"observe: '{other}' is not an observable."

/// The columns of all names, in the order given.
let quantities (p: Problem) (names: string list) = names |> List.collect (quantitiesOf p)
