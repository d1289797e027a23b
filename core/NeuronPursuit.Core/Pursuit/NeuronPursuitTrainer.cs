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
    /// <param name="validation">Validation data, or null. With it, the validation loss is recorded after every
    /// iteration, the returned network is the iterate with the smallest validation loss, and the pursuit stops after
    /// <see cref="PursuitOptions.Patience"/> iterations without improvement (docs/pursuit.md, "Validation").</param>
    /// <returns>The grown network and the log.</returns>
    /// <exception cref="ArgumentException">An option is out of range, hiddenLayers &lt; 1, or the validation data's d differs.</exception>
    public static PursuitResult Run(DataSet<double> data, int hiddenLayers, IActivation activation, PursuitOptions? options = null,
        Action<PursuitIteration>? onIteration = null, IProgress<PursuitProgress>? progress = null, DataSet<double>? validation = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(activation);
        options ??= new PursuitOptions();
        options.Validate();
        Numerics.Guard.Positive(hiddenLayers, nameof(hiddenLayers));
        if (options.Minimiser == MinimiserKind.GradientFlow) Flow.Methods.MethodRegistry.Get(options.FlowMethod);
        if (validation is not null && validation.InputDimension != data.InputDimension)
            throw new ArgumentException($"validation: has d = {validation.InputDimension} inputs, the training data d = {data.InputDimension}.", nameof(validation));

        var iterations = new List<PursuitIteration>();
        long epochOffset = 0;
        // The iteration that added each neuron, per hidden layer (1: the initial net), for the pruning pass.
        var origins = Enumerable.Range(0, hiddenLayers).Select(_ => new List<int> { 1 }).ToArray();
        // The iterate with the smallest validation loss.
        (FeedForwardNetwork Network, double[] W, List<int>[] Origins, int Iteration, double Loss)? best = null;

        // Iteration 1: widths (1, …, 1) at δ₀·u*.
        var network = new FeedForwardNetwork(data.InputDimension, Enumerable.Repeat(1, hiddenLayers).ToArray(), activation);
        var clock = Stopwatch.StartNew();
        KktPoint start = InitialDirection.Find(network, data, options, SearchSeed(options.Seed, 1, 0));
        if (options.Directions == DirectionRule.Random)
        {
            // Ablation: the initial net's direction is random too, with its NCF value.
            var u = new double[network.ParameterCount];
            new Numerics.SeededRandom(SearchSeed(options.Seed, 1, 100)).FillUnitSphere(u);
            start = new KktPoint(u, new NetworkNcf(network, data, options.Loss).Value(u), double.NaN, 0, false, -1);
        }
        double startClarke = ClarkeStationarity.Measure(new NetworkNcf(network, data, options.Loss), start.Direction,
            ClarkeStationarity.DefaultRadius, 0, SearchSeed(options.Seed, 1, 0)).Value;
        double searchSeconds = clock.Elapsed.TotalSeconds, pruneSeconds = 0;
        double[] w = start.Direction.Select(u => options.InitialScale * u).ToArray();
        double[] initial = (double[])w.Clone();
        (MinimisationResult first, double firstSeconds) = Minimise(network, data, w, options, 1, progress, Watch(network, w, 1, []));
        Record(new PursuitIteration(1, [], network.HiddenWidths.ToArray(), [start.Value], [], [], initial, first, epochOffset,
            searchSeconds, firstSeconds) { LayerClarke = [startClarke] });
        double loss = first.LossAfter;
        PursuitStopReason? ended = EndedEarly(first, network, data, w);
        (int, MinimisationResult)? divergence = first.Reason == InnerStopReason.Diverged ? (1, first) : null;

        PursuitStopReason reason = PursuitStopReason.MaxIterations;
        for (int k = 2; ; k++)
        {
            if (ended is { } early) { reason = early; break; }
            if (loss < options.LossTolerance) { reason = PursuitStopReason.LossTolerance; break; }
            if (k > options.MaxIterations) { reason = PursuitStopReason.MaxIterations; break; }
            if (best is { } b0 && k - 1 - b0.Iteration >= options.Patience) { reason = PursuitStopReason.Patience; break; }
            int neurons = network.HiddenWidths.Sum();
            if (neurons >= options.MaxNeurons) { reason = PursuitStopReason.NeuronBudget; break; }

            if (options.Cancellation.IsCancellationRequested) { reason = PursuitStopReason.Interrupted; break; }

            // Step 5: the best candidates of every hidden layer at the current network (K distinct ones with lookahead).
            clock.Restart();
            var search = new CandidateSearch(network, data, w, options.Kinks, options.Loss);
            var perLayer = new IReadOnlyList<Candidate>[hiddenLayers];
            for (int l = 1; l <= hiddenLayers; l++)
                perLayer[l - 1] = search.Distinct(l, options, SearchSeed(options.Seed, k, l), options.Lookahead);
            Candidate[] candidates = perLayer.Select(c => c[0]).ToArray();
            // Step 6: the layers with the largest values (ties: the lower layer); with lookahead, the K largest values.
            Candidate[] chosen = (options.Lookahead > 1 ? perLayer.SelectMany(c => c) : candidates)
                .Where(c => c.Value > options.ValueTolerance)
                .OrderByDescending(c => c.Value).ThenBy(c => c.Layer)
                .Take(Math.Min(Math.Max(options.NeuronsPerIteration, options.Lookahead), options.MaxNeurons - neurons)).ToArray();
            if (options.Directions == DirectionRule.Random)
                chosen = chosen.Select(c => search.Random(c.Layer, SearchSeed(options.Seed, k, 100 + c.Layer))).ToArray();
            double seconds = clock.Elapsed.TotalSeconds;
            if (chosen.Length == 0) { reason = PursuitStopReason.NoCandidate; break; }

            // Steps 7 and 8: grow, each new neuron at (δ·a, δ·b), and minimise over all weights; with lookahead, each
            // candidate on its own copy, keeping the smallest loss (ties: the larger value, listed first).
            IReadOnlyList<int> before = network.HiddenWidths.ToArray();
            Candidate[][] tries = options.Lookahead > 1 ? chosen.Select(c => new[] { c }).ToArray() : [chosen];
            var outcomes = new (FeedForwardNetwork Net, double[] W, List<AddedNeuron> Added, MinimisationResult Fit, double Seconds)[tries.Length];
            FeedForwardNetwork current = network;
            double[] weights = w;
            int iteration = k;
            Parallel.For(0, tries.Length, new ParallelOptions { MaxDegreeOfParallelism = tries.Length > 1 ? options.Parallelism : 1 }, t =>
            {
                FeedForwardNetwork grown = current;
                double[] wt = weights;
                var added = new List<AddedNeuron>();
                foreach (Candidate c in tries[t])
                {
                    double[] a = c.Incoming.Select(v => options.NeuronScale * v).ToArray();
                    double[] b = c.Outgoing.Select(v => options.NeuronScale * v).ToArray();
                    grown = NetworkGrowth.AddNeuron(grown, wt, c.Layer, a, b, out wt);
                    added.Add(new AddedNeuron(c.Layer, grown.HiddenWidths[c.Layer - 1] - 1, a, b, c.Value, c.KktResidual, c.Clarke));
                }
                // Validation is watched during the minimisation only without lookahead (a discarded trial must not
                // provide the returned network); with lookahead it is compared at the iteration's end.
                (MinimisationResult fit, double fitSeconds) = tries.Length > 1
                    ? Minimise(grown, data, wt, options, iteration, null)
                    : Minimise(grown, data, wt, options, iteration, progress, Watch(grown, wt, iteration, tries[t].Select(c => c.Layer).ToArray()));
                outcomes[t] = (grown, wt, added, fit, fitSeconds);
            });
            // The smallest loss among the trials that did not diverge (a diverged trial only when all did).
            int keep = 0;
            for (int t = 1; t < outcomes.Length; t++)
            {
                bool diverged = outcomes[t].Fit.Reason == InnerStopReason.Diverged, keptDiverged = outcomes[keep].Fit.Reason == InnerStopReason.Diverged;
                if (keptDiverged && !diverged || diverged == keptDiverged && outcomes[t].Fit.LossAfter < outcomes[keep].Fit.LossAfter) keep = t;
            }
            if (outcomes[keep].Fit.Reason == InnerStopReason.Diverged)
            {
                // The step η is too large for the grown network: stop with the network before the addition.
                divergence = (k, outcomes[keep].Fit);
                reason = PursuitStopReason.Diverged;
                break;
            }
            network = outcomes[keep].Net;
            w = outcomes[keep].W;
            foreach (AddedNeuron a in outcomes[keep].Added) origins[a.Layer - 1].Add(k);
            MinimisationResult result = outcomes[keep].Fit;
            Record(new PursuitIteration(k, before, network.HiddenWidths.ToArray(), candidates.Select(c => c.Value).ToArray(),
                outcomes[keep].Added.Select(a => a.Layer).ToArray(), outcomes[keep].Added, null, result, epochOffset, seconds,
                outcomes.Sum(o => o.Seconds))
            {
                LayerClarke = candidates.Select(c => c.Clarke).ToArray(),
                Alternatives = outcomes.Select(o => new LookaheadTrial(o.Added[0].Layer, o.Added[0].Value, o.Added[0].Clarke,
                    o.Fit.LossAfter, o.Fit.Epochs)).ToArray(),
            });
            loss = result.LossAfter;
            ended = EndedEarly(result, network, data, w);
        }

        // With validation data: the best iterate. Without: pruning (an exact fit only), then a refit to the loss floor
        // of a pruned network or of one whose last minimisation was cut at the epoch cap.
        IReadOnlyList<PruningTrial> trials = [];
        MinimisationResult? refit = null;
        int returned = iterations.Count;
        if (best is { } chosenIterate)
        {
            network = chosenIterate.Network;
            w = chosenIterate.W;
            origins = chosenIterate.Origins;
            returned = chosenIterate.Iteration;
            loss = TrainingLoss.Create(options.Loss, network, data).Value(w);
        }
        else
        {
            bool pruned = false;
            if (options.PruneEpochs > 0 && loss < options.LossTolerance)
            {
                clock.Restart();
                NeuronPruning.Outcome outcome = NeuronPruning.Run(network, w, origins, data, options);
                trials = outcome.Trials;
                pruned = outcome.Network != network;
                network = outcome.Network;
                w = outcome.Weights;
                for (int l = 0; l < hiddenLayers; l++) origins[l] = outcome.Origins[l].ToList();
                pruneSeconds = clock.Elapsed.TotalSeconds;
            }
            if (pruned || iterations[^1].Minimisation.Reason == InnerStopReason.EpochCap && loss < options.LossTolerance)
            {
                (refit, _) = Minimise(network, data, w, options, iterations.Count, progress);
                loss = refit.LossAfter;
            }
        }
        return new PursuitResult(network, w, iterations, reason, loss)
        {
            Pruning = trials,
            PruneSeconds = pruneSeconds,
            Refit = refit,
            Origins = origins.Select(o => (IReadOnlyList<int>)o.ToArray()).ToArray(),
            ReturnedIteration = returned,
            Divergence = divergence,
        };

        // The best iterate so far: strictly smaller validation loss (ties keep the smaller, earlier network).
        void Offer(FeedForwardNetwork net, ReadOnlySpan<double> weights, int iteration, double validationLoss, int[] pending)
        {
            if (best is not null && !(validationLoss < best.Value.Loss)) return;
            List<int>[] snapshot = origins.Select(o => o.ToList()).ToArray();
            foreach (int layer in pending) snapshot[layer - 1].Add(iteration);
            best = (net, weights.ToArray(), snapshot, iteration, validationLoss);
        }

        // With validation data: every stop window, the validation loss is offered as a candidate for the returned
        // iterate, and once the training loss has left the plateau (below the decrease factor × its start), the
        // minimisation ends when the validation loss has not improved on this minimisation's best for Patience windows.
        EpochMonitor? Watch(FeedForwardNetwork net, double[] start, int iteration, int[] pending)
        {
            if (validation is null) return null;
            ITrainingLoss held = TrainingLoss.Create(options.Loss, net, validation);
            double startLoss = TrainingLoss.Create(options.Loss, net, data).Value(start);
            double own = double.PositiveInfinity;
            int since = 0;
            return (epoch, trainLoss, weights) =>
            {
                double v = held.Value(weights);
                Offer(net, weights, iteration, v, pending);
                if (v < own) { own = v; since = 0; }
                else since++;
                return trainLoss < options.DecreaseFactor * startLoss && since >= options.Patience;
            };
        }

        void Record(PursuitIteration iteration)
        {
            if (validation is not null)
            {
                double validationLoss = TrainingLoss.Create(options.Loss, network, validation).Value(w);
                iteration = iteration with { ValidationLoss = validationLoss };
                Offer(network, w, iteration.Index, validationLoss, []);
            }
            iterations.Add(iteration);
            epochOffset += iteration.Minimisation.Epochs;
            onIteration?.Invoke(iteration);
        }
    }

    private static (MinimisationResult, double) Minimise(FeedForwardNetwork network, DataSet<double> data, double[] w,
        PursuitOptions options, int iteration, IProgress<PursuitProgress>? progress, EpochMonitor? monitor = null)
    {
        var clock = Stopwatch.StartNew();
        // λ_max before the first minimisation: whether η < 2/λ_max at the initial network (reported with iteration 1).
        MinimisationResult result = options.Minimiser == MinimiserKind.GradientDescent
            ? GradientDescentMinimiser.Minimise(network, data, w, options,
                progress is null ? null : new EpochProgress(progress, iteration, network.HiddenWidths.ToArray()), monitor,
                estimateSharpness: iteration == 1)
            : GradientFlowMinimiser.Minimise(network, data, w, options, monitor);
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
