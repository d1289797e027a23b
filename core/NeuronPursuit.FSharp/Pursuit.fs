// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Pursuit

/// Neuron Pursuit (Kumar & Haupt, arXiv 2509.12154): grow a bias-free feed-forward network neuron by neuron
/// from the best KKT point of each layer's residual NCF, minimising ℒ = (1/(2n))Σᵢ(H(xᵢ) − yᵢ)² after each
/// addition. The options and their defaults are `PursuitOptions`'s (docs/claims.md says which are reconstructed).
module Pursuit =
    /// The default options.
    let defaults = PursuitOptions()

    /// Neuron Pursuit on a problem's data with its network's depth and activation, growing from one neuron per
    /// hidden layer (the problem's widths are not used), calling `onIteration` after each iteration and reporting
    /// progress during minimisations.
    let runWith (onIteration: PursuitIteration -> unit) (progress: IProgress<PursuitProgress> | null) (options: PursuitOptions) (p: Problem) =
        match p.Network with
        | :? FeedForwardNetwork
        | :? TwoLayerNetwork -> NeuronPursuitTrainer.Run(p.Data, p.Network.HiddenWidths.Count, p.Network.Activation, options, Action<_>(onIteration), progress)
        | net -> invalidArg "p" $"net: Neuron Pursuit grows a feed-forward network, not {net.Specification}."

    /// Neuron Pursuit on a problem (see `runWith`).
    let run (options: PursuitOptions) (p: Problem) = runWith ignore null options p

    /// Full-batch gradient descent with the options' step η on (1/(2n))Σ(H − y)² for at most `epochs` epochs (the
    /// loss floor may end it earlier), in place on w: Neuron Pursuit's minimiser on a fixed network.
    let descend (epochs: int) (options: PursuitOptions) (net: FeedForwardNetwork) (data: DataSet<float>) (w: float[]) =
        GradientDescentMinimiser.Minimise(net, data, Span w, options.WithEpochBudget epochs)

    /// The error of a network on all 2²⁰ vertices of the hypercube demo (MSE and max |error|).
    let cubeError (net: FeedForwardNetwork) (w: float[]) = HypercubeEvaluation.OnAllVertices(net, ReadOnlySpan w)

    /// Hidden neurons with ‖incoming‖·‖outgoing‖ above the threshold, per hidden layer.
    let effectiveNeurons (net: FeedForwardNetwork) (w: float[]) = NetworkStatistics.EffectiveNeurons(net, ReadOnlySpan w) |> List.ofArray

    /// max |W₁[:, k]| over the inputs k ≥ firstInput (0-based): weights on irrelevant inputs.
    let maxInputWeight (firstInput: int) (net: FeedForwardNetwork) (w: float[]) = NetworkStatistics.MaxInputWeight(net, ReadOnlySpan w, firstInput)
