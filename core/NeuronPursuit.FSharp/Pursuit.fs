// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Objectives
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
        | :? TwoLayerNetwork ->
            NeuronPursuitTrainer.Run(p.Data, p.Network.HiddenWidths.Count, p.Network.Activation, options, Action<_>(onIteration), progress)
        | net -> invalidArg "p" $"net: Neuron Pursuit grows a feed-forward network, not {net.Specification}."

    /// Neuron Pursuit on a problem (see `runWith`).
    let run (options: PursuitOptions) (p: Problem) = runWith ignore null options p

    /// Neuron Pursuit on (preprocessed) training data for a net of `hiddenLayers` hidden layers with activation σ, with
    /// optional validation data: with them the validation loss is recorded after every iteration, the returned network
    /// is the iterate with the smallest validation loss, and NP stops after `options.Patience` iterations without
    /// improvement.
    let learn
        (onIteration: PursuitIteration -> unit)
        (progress: IProgress<PursuitProgress> | null)
        (options: PursuitOptions)
        (hiddenLayers: int)
        (activation: IActivation)
        (training: DataSet<float>)
        (validation: DataSet<float> option)
        =
        NeuronPursuitTrainer.Run(training, hiddenLayers, activation, options, Action<_>(onIteration), progress, Option.toObj validation)

    /// The preprocessing of raw training data: standardised inputs (and, for the square loss, labels) when `standardise`,
    /// a constant input 1 appended when `bias`.
    let preprocessing (standardise: bool) (bias: bool) (loss: ILoss) (training: DataSet<float>) =
        Preprocessing.Fit(training, standardise, bias, standardise && (loss :? SquareLoss))

    /// The model of a result: its network and weights with the preprocessing, the loss and the raw columns' names.
    let model (preprocessing: Preprocessing) (loss: ILoss) (inputNames: string list) (labelName: string) (result: PursuitResult) =
        PursuitModel(result.Network, result.Weights, preprocessing, loss, List.toArray inputNames, labelName)

    /// Writes model.json and weights.csv into a run folder.
    let save (directory: string) (model: PursuitModel) = model.Save directory

    /// Reads the model of a run folder (model.json and weights.csv).
    let load (directory: string) = PursuitModel.Load directory

    /// Predictions for raw inputs (rows): ŷ on the label scale (regression) or the scores H (classification: the class
    /// is sign H).
    let predict (model: PursuitModel) (rows: float[][]) =
        if rows.Length = 0 then
            [||]
        else
            model.Predict(ReadOnlySpan(Array.concat rows))

    /// Predictions for a raw data set and their metrics against its labels: MSE and R², or accuracy and log-loss.
    let evaluate (model: PursuitModel) (data: DataSet<float>) =
        let predictions = model.Predict data.X
        predictions, model.Evaluate(ReadOnlySpan predictions, data.Y)

    /// Full-batch gradient descent with the options' step η on (1/(2n))Σ(H − y)² for at most `epochs` epochs (the
    /// loss floor may end it earlier), in place on w: Neuron Pursuit's minimiser on a fixed network.
    let descend (epochs: int) (options: PursuitOptions) (net: FeedForwardNetwork) (data: DataSet<float>) (w: float[]) =
        GradientDescentMinimiser.Minimise(net, data, Span w, options.WithEpochBudget epochs)

    /// The error of a network on all 2²⁰ vertices of the hypercube demo (MSE and max |error|).
    let cubeError (net: FeedForwardNetwork) (w: float[]) =
        HypercubeEvaluation.OnAllVertices(net, ReadOnlySpan w)

    /// Hidden neurons with ‖incoming‖·‖outgoing‖ above the threshold, per hidden layer.
    let effectiveNeurons (net: FeedForwardNetwork) (w: float[]) =
        NetworkStatistics.EffectiveNeurons(net, ReadOnlySpan w) |> List.ofArray

    /// max |W₁[:, k]| over the inputs k ≥ firstInput (0-based): weights on irrelevant inputs.
    let maxInputWeight (firstInput: int) (net: FeedForwardNetwork) (w: float[]) =
        NetworkStatistics.MaxInputWeight(net, ReadOnlySpan w, firstInput)
