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

    /// <summary>The validation loss did not improve for <see cref="PursuitOptions.Patience"/> iterations.</summary>
    Patience,

    /// <summary>A minimisation diverged (its loss became NaN, ∞ or exploded; see
    /// <see cref="PursuitOptions.DivergenceFactor"/>; <see cref="PursuitResult.Divergence"/> says where). After an
    /// addition, the network before that addition is returned; in iteration 1 there is none, and the returned network is
    /// the blown-up one, not a fit.</summary>
    Diverged,

    /// <summary>The network's output is 0 on every sample: the neurons of a hidden layer are all inactive on the data
    /// (for ReLU-type σ, every pre-activation ≤ 0), so ∇ℒ = 0 and no minimisation can move it. Not a convergence.</summary>
    AllNeuronsInactive,

    /// <summary>The options' cancellation token was signalled (e.g. Ctrl-C); the result holds what was computed.</summary>
    Interrupted,
}

/// <summary>The grown network (with validation data: the best iterate), its weights and the iteration log.</summary>
/// <param name="Network">The final network.</param>
/// <param name="Weights">Its weights.</param>
/// <param name="Iterations">One entry per iteration.</param>
/// <param name="StopReason">Why it stopped.</param>
/// <param name="FinalLoss">The training loss ℒ of the returned network.</param>
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

    /// <summary>The iteration whose network is returned: the one with the smallest validation loss when there were
    /// validation data, else the last.</summary>
    public int ReturnedIteration { get; init; }

    /// <summary>With <see cref="PursuitStopReason.Diverged"/>: the iteration whose minimisation diverged and that
    /// minimisation (its <see cref="MinimisationResult.Sharpness"/> is λ_max at its start); else null.</summary>
    public (int Iteration, MinimisationResult Minimisation)? Divergence { get; init; }

    /// <summary>Every trial of the pruning pass (empty when it did not run).</summary>
    public IReadOnlyList<PruningTrial> Pruning { get; init; } = [];

    /// <summary>Wall time of the pruning pass, seconds.</summary>
    public double PruneSeconds { get; init; }

    /// <summary>The final refit: of a pruned network, or of one whose last minimisation reached the epoch cap with
    /// the loss below the tolerance; null when none was needed.</summary>
    public MinimisationResult? Refit { get; init; }

    /// <summary>Per hidden layer, the iteration that added each neuron of the final network (1: the initial net).</summary>
    public IReadOnlyList<IReadOnlyList<int>> Origins { get; init; } = [];

    /// <summary>The neurons removed by the pruning pass, as (layer, iteration that added it), in order.</summary>
    public IReadOnlyList<(int Layer, int AddedInIteration)> Removed =>
        Pruning.Where(t => t.Kept).Select(t => (t.Layer, t.AddedInIteration)).ToArray();

    /// <summary>The layers of the added neurons that survived the pruning pass, in the order they were added (equal to
    /// <see cref="LayerSequence"/> when nothing was pruned).</summary>
    public IReadOnlyList<int> FinalLayerSequence =>
        Iterations.SelectMany(i => i.ChosenLayers.Where(l => Origins.Count == 0 || Origins[l - 1].Contains(i.Index))).ToArray();

    /// <summary>Epochs of all iterations, the pruning trials and the refit.</summary>
    public long AllEpochs => TotalEpochs + Pruning.Sum(t => t.Epochs) + (Refit?.Epochs ?? 0);
}
