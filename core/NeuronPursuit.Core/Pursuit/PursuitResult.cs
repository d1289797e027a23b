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
