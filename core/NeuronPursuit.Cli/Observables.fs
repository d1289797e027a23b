// SPDX-License-Identifier: MIT
/// The --observe names of `np flow` as recorded quantities (series.csv columns), evaluated in double
/// on the state rounded to double whatever the precision of the integration.
module NeuronPursuit.Cli.Observables

open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Objectives

/// The columns of one --observe name: loss → loss; norm → ‖w‖; grad_norm → ‖∇ℒ‖;
/// layer_norms → norm_W1 … norm_WL (‖W_l‖_F); neuron_norms → in_l{l}_n{j}, out_l{l}_n{j} for every
/// hidden neuron; ncf_direction → N(w/‖w‖) (Kumar & Haupt, TMLR 2024, eq. 5).
let quantitiesOf (loss: ILoss) (net: HomogeneousNetwork) (data: DataSet<float>) (name: string) : FlowQuantity list =
    match name with
    | "loss" -> [ FlowQuantities.Loss((lossWith loss net data).Objective) ]
    | "norm" -> [ FlowQuantities.WeightNorm() ]
    | "grad_norm" -> [ FlowQuantities.GradientNorm((lossWith loss net data).Objective) ]
    | "layer_norms" -> [ for l in 1 .. net.LayerCount -> FlowQuantities.LayerNorm(net.Layout, l) ]
    | "neuron_norms" -> List.ofSeq (FlowQuantities.NeuronNorms net.Layout)
    | "ncf_direction" -> [ FlowQuantities.NcfOfDirection((ncf net data).Objective) ]
    | other -> invalidArg "name" $"observe: '{other}' is not an observable."

/// The columns of all names, in the order given.
let quantities loss net data (names: string list) = names |> List.collect (quantitiesOf loss net data)
