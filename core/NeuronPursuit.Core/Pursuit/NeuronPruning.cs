// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>One trial of the pruning pass: a hidden neuron removed and the narrower network refitted.</summary>
/// <param name="Pass">The pass (from 1); a pass tries every removable neuron of the network it starts from.</param>
/// <param name="Layer">Hidden layer l of the neuron.</param>
/// <param name="Index">Its index in the layer at that pass (0-based).</param>
/// <param name="AddedInIteration">The iteration that added it (1: the initial net).</param>
/// <param name="LossRemoved">ℒ right after the removal, before refitting.</param>
/// <param name="LossRefitted">ℒ after the refit (at most <see cref="PursuitOptions.PruneEpochs"/> epochs of GD), or where
/// it was stopped.</param>
/// <param name="Epochs">Epochs of the refit (run until it stopped).</param>
/// <param name="Success">Whether the refit brought ℒ below the loss tolerance.</param>
/// <param name="Kept">Whether this removal was the one kept in its pass (the successful trial with the fewest epochs).</param>
/// <param name="Reason">Why the refit ended: <see cref="InnerStopReason.LossFloor"/> for a success; for a failure, the
/// epoch budget, convergence above the tolerance or divergence; <see cref="InnerStopReason.Outpaced"/> for a trial
/// stopped because another removal of its pass was already refitted in no more epochs than it had taken.</param>
/// <param name="RivalEpochs">For an outpaced trial, the fewest epochs of a successful trial of its pass known when it
/// stopped (it could not beat them); else null.</param>
public sealed record PruningTrial(int Pass, int Layer, int Index, int AddedInIteration, double LossRemoved, double LossRefitted,
    long Epochs, bool Success, bool Kept, InnerStopReason Reason, long? RivalEpochs);

/// <summary>
/// The pruning pass of Neuron Pursuit (docs/pursuit.md, "Pruning"): greedy growth can end with more neurons than the
/// data need, when an earlier addition led gradient descent to a stationary point of a network that the minimal
/// architecture cannot reach by further additions. Once the training loss is below the global tolerance, every hidden
/// neuron (of a layer with more than one) is removed in turn and the narrower network refitted by GD from the
/// remaining weights for at most <see cref="PursuitOptions.PruneEpochs"/> epochs; a removal succeeds when the loss
/// falls below the tolerance. Of the successful removals the one refitted in the fewest epochs (the one the network
/// absorbs most easily; ties: the smaller loss, then the lower layer and index) is kept, and the pass repeats on
/// the narrower network until no removal succeeds. The trials of a pass are independent and run in parallel, in
/// increasing order of the loss right after the removal (the likeliest quick refits first). A trial that has taken as
/// many epochs as a successful trial of its pass without reaching the tolerance cannot be the one kept, and stops there
/// (early rejection, <see cref="FewestEpochs"/>); the kept trial, its refit and every success that ties with it run as
/// without early rejection, so the choice depends on the trials' results only and not on the number of threads (what
/// the rejected trials record, the epochs and loss at which they stopped, does).
/// </summary>
public static class NeuronPruning
{
    /// <summary>The outcome: the pruned network, its weights and where each neuron came from, and every trial.</summary>
    /// <param name="Network">The network after the last successful removal (the input if none succeeded).</param>
    /// <param name="Weights">Its weights (after the successful trial's refit).</param>
    /// <param name="Origins">Per hidden layer, the iteration that added each remaining neuron.</param>
    /// <param name="Trials">Every trial, pass by pass.</param>
    public sealed record Outcome(FeedForwardNetwork Network, double[] Weights, IReadOnlyList<IReadOnlyList<int>> Origins,
        IReadOnlyList<PruningTrial> Trials);

    /// <summary>Runs pruning passes until no removal succeeds.</summary>
    /// <param name="network">The grown network (training loss below <see cref="PursuitOptions.LossTolerance"/>).</param>
    /// <param name="w">Its weights.</param>
    /// <param name="origins">Per hidden layer, the iteration that added each neuron.</param>
    /// <param name="data">The training data.</param>
    /// <param name="options">Tolerance, <see cref="PursuitOptions.PruneEpochs"/>, η, the inner stop rule, threads.</param>
    /// <returns>The pruned network and the trials.</returns>
    public static Outcome Run(FeedForwardNetwork network, double[] w, IReadOnlyList<IReadOnlyList<int>> origins, DataSet<double> data,
        PursuitOptions options) => Run(network, w, origins, data, options, earlyRejection: true);

    /// <summary>Runs pruning passes, with or without the early rejection of trials that cannot be kept (tests compare
    /// the two).</summary>
    internal static Outcome Run(FeedForwardNetwork network, double[] w, IReadOnlyList<IReadOnlyList<int>> origins, DataSet<double> data,
        PursuitOptions options, bool earlyRejection)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(origins);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        // A trial stops as soon as the loss is below the tolerance: success needs no more.
        PursuitOptions trial = options with { MaxEpochs = options.PruneEpochs, LossFloor = options.LossTolerance };
        var trials = new List<PruningTrial>();
        var layerOrigins = origins.Select(o => o.ToList()).ToList();
        for (int pass = 1; ; pass++)
        {
            var candidates = new List<(int Layer, int Index)>();
            for (int l = 1; l <= network.HiddenWidths.Count; l++)
                if (network.HiddenWidths[l - 1] > 1)
                    for (int j = 0; j < network.HiddenWidths[l - 1]; j++) candidates.Add((l, j));
            if (candidates.Count == 0) break;
            var results = new (FeedForwardNetwork Net, double[] W, MinimisationResult Fit, long? Rival)[candidates.Count];
            var removed = new (FeedForwardNetwork Net, double[] W, double Loss)[candidates.Count];
            for (int k = 0; k < candidates.Count; k++)
            {
                FeedForwardNetwork narrower = NetworkGrowth.RemoveNeuron(network, w, candidates[k].Layer, candidates[k].Index, out double[] pruned);
                removed[k] = (narrower, pruned, TrainingLoss.Create(options.Loss, narrower, data).Value(pruned));
            }
            // The removals the network feels least first: they tend to be refitted fastest, and an early success bounds
            // every later trial (ties: candidate order, so the schedule is deterministic).
            int[] order = Enumerable.Range(0, candidates.Count).OrderBy(k => removed[k].Loss).ThenBy(k => k).ToArray();
            FewestEpochs? race = earlyRejection ? new FewestEpochs() : null;
            Parallel.ForEach(Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering),
                new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism }, k =>
                {
                    MinimisationResult fit = GradientDescentMinimiser.Minimise(removed[k].Net, data, removed[k].W, trial, race: race);
                    if (fit.LossAfter < options.LossTolerance) race?.Reached(fit.Epochs);
                    results[k] = (removed[k].Net, removed[k].W, fit, fit.Reason == InnerStopReason.Outpaced ? race!.Value : null);
                });
            int kept = -1;
            for (int k = 0; k < candidates.Count; k++)
            {
                MinimisationResult fit = results[k].Fit;
                if (!(fit.LossAfter < options.LossTolerance)) continue;
                if (kept < 0 || fit.Epochs < results[kept].Fit.Epochs
                    || (fit.Epochs == results[kept].Fit.Epochs && fit.LossAfter < results[kept].Fit.LossAfter))
                    kept = k;
            }
            for (int k = 0; k < candidates.Count; k++)
            {
                (int layer, int index) = candidates[k];
                MinimisationResult fit = results[k].Fit;
                trials.Add(new PruningTrial(pass, layer, index, layerOrigins[layer - 1][index], fit.LossBefore, fit.LossAfter, fit.Epochs,
                    fit.LossAfter < options.LossTolerance, k == kept, fit.Reason, results[k].Rival));
            }
            if (kept < 0) break;
            network = results[kept].Net;
            w = results[kept].W;
            layerOrigins[candidates[kept].Layer - 1].RemoveAt(candidates[kept].Index);
        }
        return new Outcome(network, w, layerOrigins.Select(o => (IReadOnlyList<int>)o.ToArray()).ToArray(), trials);
    }
}
