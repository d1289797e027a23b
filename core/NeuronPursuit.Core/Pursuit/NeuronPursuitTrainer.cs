// SPDX-License-Identifier: MIT
using System.Diagnostics;
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Kkt;
using NeuronPursuit.Core.Models;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>Progress of a running pursuit, for progress lines.</summary>
/// <param name="Iteration">Current iteration.</param>
/// <param name="Widths">Current hidden widths.</param>
/// <param name="Epoch">Epochs of the current minimisation.</param>
/// <param name="Loss">Current loss.</param>
public readonly record struct PursuitProgress(int Iteration, IReadOnlyList<int> Widths, long Epoch, double Loss);

/// <summary>
/// Neuron Pursuit (Kumar &amp; Haupt, arXiv 2509.12154; the algorithm as reconstructed in docs/claims.md NP-3) for
/// bias-free feed-forward homogeneous networks of any depth: start from one neuron per hidden layer at
/// δ₀·u* (u* the best KKT point of the constrained NCF) and minimise; then repeatedly compute the residual
/// r = y − H(X; w), find for every hidden layer l the best KKT point (a, b) of the residual NCF N_l
/// (<see cref="ResidualNcf"/>), add a neuron (δ·a, δ·b) to the layer with the largest value, and minimise
/// the loss over all weights; stop when the loss is below a tolerance, no layer's value exceeds a tolerance,
/// the iteration limit or the neuron budget is reached, a minimisation diverged or was interrupted (the options'
/// cancellation token), or the network's neurons are all inactive on the data. Results depend only on the data and the options
/// (seeds), not on the number of threads.
/// </summary>
public static class NeuronPursuitTrainer
{
    /// <summary>Seed of the KKT search of iteration k, layer l (layer 0: the initial NCF).</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="iteration">k ≥ 1.</param>
    /// <param name="layer">l ≥ 0.</param>
    /// <returns>The search seed.</returns>
    public static long SearchSeed(long seed, int iteration, int layer) => KktSearch.RestartSeed(seed, 1_000 * iteration + layer);

    /// <summary>Runs Neuron Pursuit.</summary>
    /// <param name="data">Training data (X, y).</param>
    /// <param name="hiddenLayers">Number of hidden layers L − 1 ≥ 1 (1: a two-layer net).</param>
    /// <param name="activation">σ (homogeneous; ReLU in the demo).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="onIteration">Called after each iteration with its log, or null.</param>
    /// <param name="progress">Receives progress during minimisations, or null.</param>
    /// <returns>The grown network and the log.</returns>
    /// <exception cref="ArgumentException">An option is out of range or hiddenLayers &lt; 1.</exception>
    public static PursuitResult Run(DataSet<double> data, int hiddenLayers, IActivation activation, PursuitOptions? options = null,
        Action<PursuitIteration>? onIteration = null, IProgress<PursuitProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(activation);
        options ??= new PursuitOptions();
        options.Validate();
        Numerics.Guard.Positive(hiddenLayers, nameof(hiddenLayers));
        if (options.Minimiser == MinimiserKind.GradientFlow) Flow.Methods.MethodRegistry.Get(options.FlowMethod);

        var iterations = new List<PursuitIteration>();
        long epochOffset = 0;

        // Iteration 1: widths (1, …, 1) at δ₀·u*.
        var network = new FeedForwardNetwork(data.InputDimension, Enumerable.Repeat(1, hiddenLayers).ToArray(), activation);
        var clock = Stopwatch.StartNew();
        KktPoint start = InitialDirection.Find(network, data, options, SearchSeed(options.Seed, 1, 0));
        if (options.Directions == DirectionRule.Random)
        {
            // Ablation: the initial net's direction is random too, with its NCF value.
            var u = new double[network.ParameterCount];
            new Numerics.SeededRandom(SearchSeed(options.Seed, 1, 100)).FillUnitSphere(u);
            start = new KktPoint(u, new NetworkNcf(network, data).Value(u), double.NaN, 0, false, -1);
        }
        double searchSeconds = clock.Elapsed.TotalSeconds;
        double[] w = start.Direction.Select(u => options.InitialScale * u).ToArray();
        double[] initial = (double[])w.Clone();
        (MinimisationResult first, double firstSeconds) = Minimise(network, data, w, options, 1, progress);
        Record(new PursuitIteration(1, [], network.HiddenWidths.ToArray(), [start.Value], [], [], initial, first, epochOffset,
            searchSeconds, firstSeconds));
        double loss = first.LossAfter;
        PursuitStopReason? ended = EndedEarly(first, network, data, w);

        PursuitStopReason reason = PursuitStopReason.MaxIterations;
        for (int k = 2; ; k++)
        {
            if (ended is { } early) { reason = early; break; }
            if (loss < options.LossTolerance) { reason = PursuitStopReason.LossTolerance; break; }
            if (k > options.MaxIterations) { reason = PursuitStopReason.MaxIterations; break; }
            int neurons = network.HiddenWidths.Sum();
            if (neurons >= options.MaxNeurons) { reason = PursuitStopReason.NeuronBudget; break; }

            if (options.Cancellation.IsCancellationRequested) { reason = PursuitStopReason.Interrupted; break; }

            // Step 5: the best candidate of every hidden layer at the current network.
            clock.Restart();
            var search = new CandidateSearch(network, data, w);
            var candidates = new Candidate[hiddenLayers];
            for (int l = 1; l <= hiddenLayers; l++)
                candidates[l - 1] = search.Best(l, options, SearchSeed(options.Seed, k, l));
            // Step 6: the layers with the largest values (ties: the lower layer).
            Candidate[] chosen = candidates.Where(c => c.Value > options.ValueTolerance)
                .OrderByDescending(c => c.Value).ThenBy(c => c.Layer)
                .Take(Math.Min(options.NeuronsPerIteration, options.MaxNeurons - neurons)).ToArray();
            if (options.Directions == DirectionRule.Random)
                chosen = chosen.Select(c => search.Random(c.Layer, SearchSeed(options.Seed, k, 100 + c.Layer))).ToArray();
            double seconds = clock.Elapsed.TotalSeconds;
            if (chosen.Length == 0) { reason = PursuitStopReason.NoCandidate; break; }

            // Step 7: grow, the new neuron at (δ·a, δ·b).
            IReadOnlyList<int> before = network.HiddenWidths.ToArray();
            var added = new List<AddedNeuron>();
            foreach (Candidate c in chosen)
            {
                double[] a = c.Incoming.Select(v => options.NeuronScale * v).ToArray();
                double[] b = c.Outgoing.Select(v => options.NeuronScale * v).ToArray();
                network = NetworkGrowth.AddNeuron(network, w, c.Layer, a, b, out w);
                added.Add(new AddedNeuron(c.Layer, network.HiddenWidths[c.Layer - 1] - 1, a, b, c.Value, c.KktResidual));
            }

            // Step 8: minimise over all weights.
            (MinimisationResult result, double minimiseSeconds) = Minimise(network, data, w, options, k, progress);
            Record(new PursuitIteration(k, before, network.HiddenWidths.ToArray(), candidates.Select(c => c.Value).ToArray(),
                chosen.Select(c => c.Layer).ToArray(), added, null, result, epochOffset, seconds, minimiseSeconds));
            loss = result.LossAfter;
            ended = EndedEarly(result, network, data, w);
        }
        return new PursuitResult(network, w, iterations, reason, loss);

        void Record(PursuitIteration iteration)
        {
            iterations.Add(iteration);
            epochOffset += iteration.Minimisation.Epochs;
            onIteration?.Invoke(iteration);
        }
    }

    private static (MinimisationResult, double) Minimise(FeedForwardNetwork network, DataSet<double> data, double[] w,
        PursuitOptions options, int iteration, IProgress<PursuitProgress>? progress)
    {
        var clock = Stopwatch.StartNew();
        // λ_max before the first minimisation: whether η < 2/λ_max at the initial network (reported with iteration 1).
        MinimisationResult result = options.Minimiser == MinimiserKind.GradientDescent
            ? GradientDescentMinimiser.Minimise(network, data, w, options,
                progress is null ? null : new EpochProgress(progress, iteration, network.HiddenWidths.ToArray()), estimateSharpness: iteration == 1)
            : GradientFlowMinimiser.Minimise(network, data, w, options);
        return (result, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Why the pursuit must stop after this minimisation, beyond its global stop rules: it diverged, it was
    /// interrupted, or it left a network whose neurons are all inactive on the data (never a convergence); else null.</summary>
    private static PursuitStopReason? EndedEarly(MinimisationResult result, FeedForwardNetwork network, DataSet<double> data, double[] w) =>
        result.Reason switch
        {
            InnerStopReason.Diverged => PursuitStopReason.Diverged,
            InnerStopReason.Interrupted => PursuitStopReason.Interrupted,
            _ when NetworkStatistics.OutputVanishes(network, data, w) => PursuitStopReason.AllNeuronsInactive,
            _ => null,
        };

    /// <summary>Forwards epoch reports synchronously (Progress&lt;T&gt; would post them to a thread pool).</summary>
    private sealed class EpochProgress(IProgress<PursuitProgress> target, int iteration, IReadOnlyList<int> widths)
        : IProgress<(long Epoch, double Loss)>
    {
        public void Report((long Epoch, double Loss) value) => target.Report(new PursuitProgress(iteration, widths, value.Epoch, value.Loss));
    }
}
