// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Testing

open NeuronPursuit
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Problems

/// Which networks and data sets a property is checked over: the kinds, the activations (by specification, in
/// order of simplicity: the shrinker moves towards the front of the list) and the largest sizes.
type Shapes =
    {
        /// Architectures, drawn equally often.
        Kinds: NetworkKind list
        /// Activation specifications (`Activation.forms`), simplest first.
        Activations: string list
        /// Largest input dimension d.
        MaxInputDimension: int
        /// Largest hidden width.
        MaxWidth: int
        /// Largest number of hidden layers of a feed-forward network.
        MaxDepth: int
        /// Largest number of samples n.
        MaxSamples: int
    }

/// The default shapes and what they accept.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Shapes =
    /// ReLU, leaky ReLU, ReLU², ReLU³ and leaky ReLU², simplest first.
    let activations =
        [ "relu"
          "leaky-relu:0.1"
          "relu-power:2"
          "relu-power:3"
          "leaky-relu-power:0.2:2" ]

    /// Every kind (two-layer, feed-forward, sum of powers), the five activations, d ≤ 6, widths ≤ 6, up to 3 hidden
    /// layers, n ≤ 12.
    let defaults =
        { Kinds = [ NetworkKind.TwoLayer; NetworkKind.FeedForward; NetworkKind.SumOfPowers ]
          Activations = activations
          MaxInputDimension = 6
          MaxWidth = 6
          MaxDepth = 3
          MaxSamples = 12 }

    /// Only the kinds in which every hidden neuron has trainable outgoing weights (two-layer, feed-forward; not the
    /// sum of powers, whose readout is fixed): the per-neuron laws ‖a‖² − p‖b‖² and balance are about them.
    let withOutgoingWeights (shapes: Shapes) =
        { shapes with
            Kinds = shapes.Kinds |> List.filter (fun k -> k <> NetworkKind.SumOfPowers) }

    /// The power p of σ = max(z, αz)ᵖ (+ εz): its degree when homogeneous.
    let power (activation: string) =
        match Activation.parse activation with
        | :? PerturbedReluPower as s -> s.Power
        | s when s.Degree.HasValue -> s.Degree.Value
        | _ -> 1

    /// The activations a network of `depth` hidden layers may have: powers p ≤ 2 when deep, since the degree
    /// 1 + p + … + p^depth grows fast (depth 3, p = 3 would give 40) and with it the range of the outputs.
    let activationsFor (depth: int) (shapes: Shapes) =
        if depth >= 2 then
            shapes.Activations |> List.filter (fun a -> power a <= 2)
        else
            shapes.Activations

    /// Whether the shapes can produce a network of this kind, d, widths, activation and n.
    let accepts (shapes: Shapes) (kind: NetworkKind) (d: int) (widths: int list) (activation: string) (n: int) =
        List.contains kind shapes.Kinds
        && d >= 1
        && d <= shapes.MaxInputDimension
        && n >= 1
        && n <= shapes.MaxSamples
        && not widths.IsEmpty
        && (kind = NetworkKind.FeedForward && widths.Length <= shapes.MaxDepth
            || widths.Length = 1)
        && widths |> List.forall (fun k -> k >= 1 && k <= shapes.MaxWidth)
        && List.contains activation (activationsFor widths.Length shapes)
