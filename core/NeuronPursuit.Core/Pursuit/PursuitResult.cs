// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Models;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>Why Neuron Pursuit stopped.</summary>
public enum PursuitStopReason
{
    /// <summary>The training loss fell below <see cref="PursuitOptions.LossTolerance"/>.</summary>
    LossTolerance,

    /// <summary>No layer's best candidate value exceeded <see cref="PursuitOptions.ValueTolerance"/>.</summary>
    NoCandidate,

    /// <summary><see cref="PursuitOptions.MaxIterations"/> iterations were run.</summary>
    MaxIterations,

    /// <summary>The hidden layers hold <see cref="PursuitOptions.MaxNeurons"/> neurons.</summary>
    NeuronBudget,

    /// <summary>A minimisation diverged (its loss became NaN, ∞ or exploded; see
    /// <see cref="PursuitOptions.DivergenceFactor"/>): the network is the blown-up one, not a fit.</summary>
    Diverged,

    /// <summary>The network's output is 0 on every sample: the neurons of a hidden layer are all inactive on the data
    /// (for ReLU-type σ, every pre-activation ≤ 0), so ∇ℒ = 0 and no minimisation can move it. Not a convergence.</summary>
    AllNeuronsInactive,

    /// <summary>The options' cancellation token was signalled (e.g. Ctrl-C); the result holds what was computed.</summary>
    Interrupted,
}

/// <summary>The grown network, its weights and the iteration log.</summary>
/// <param name="Network">The final network.</param>
/// <param name="Weights">Its weights.</param>
/// <param name="Iterations">One entry per iteration.</param>
/// <param name="StopReason">Why it stopped.</param>
/// <param name="FinalLoss">ℒ = (1/(2n))Σ(H − y)² at the end.</param>
public sealed record PursuitResult(FeedForwardNetwork Network, double[] Weights, IReadOnlyList<PursuitIteration> Iterations,
    PursuitStopReason StopReason, double FinalLoss)
{
    /// <summary>All epochs of all iterations.</summary>
    public long TotalEpochs => Iterations.Sum(i => i.Minimisation.Epochs);

    /// <summary>Wall time of all KKT searches, seconds.</summary>
    public double SearchSeconds => Iterations.Sum(i => i.SearchSeconds);

    /// <summary>Wall time of all minimisations, seconds.</summary>
    public double MinimiseSeconds => Iterations.Sum(i => i.MinimiseSeconds);

    /// <summary>The layers neurons were added to, in order (1-based).</summary>
    public IReadOnlyList<int> LayerSequence => Iterations.SelectMany(i => i.ChosenLayers).ToArray();
}
