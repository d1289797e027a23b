// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Kkt;
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// The KKT search of Neuron Pursuit's candidates and initial direction with duplicate restarts screened out: the seeded
/// restarts of <see cref="KktSearch"/> (same starts, same <see cref="SphericalAscent"/>) first run for
/// <see cref="ScreeningFraction"/> of the step budget; of the restarts that have not converged, those whose directions
/// coincide (cosine ≥ <see cref="SamePoint"/>, the angle at which <see cref="CandidateSearch.Distinct"/> calls two
/// points one) with a better restart's, converged or not, stop there, and only the best of each group continues, from
/// where it stopped, to the full budget. On the ReLU ridges where the ascent does not converge, most restarts of a
/// layer creep to the same point for the whole budget; screening spends that budget once (docs/pursuit.md,
/// "Minimisation and search cost"). The result depends on the seed and the options only, not on the thread count.
/// </summary>
public static class ScreenedKktSearch
{
    /// <summary>The fraction of the step budget every restart runs before screening (1/10).</summary>
    public const double ScreeningFraction = 0.1;

    /// <summary>Cosine at or above which two directions are the same point (0.999).</summary>
    public const double SamePoint = 0.999;

    /// <summary>Runs the screened search.</summary>
    /// <param name="createObjective">Creates one objective per worker thread.</param>
    /// <param name="restarts">Number of restarts ≥ 1.</param>
    /// <param name="seed">Seed of the starts (<see cref="KktSearch.RestartSeed"/>).</param>
    /// <param name="options">Ascent settings (the full budget is <see cref="SphericalAscentOptions.MaxSteps"/>).</param>
    /// <param name="parallelism">Worker threads ≥ 1.</param>
    /// <returns>One point per restart, best value first (ties: the lower restart).</returns>
    public static IReadOnlyList<KktPoint> Run(Func<IObjective<double>> createObjective, int restarts, long seed,
        SphericalAscentOptions options, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(createObjective);
        ArgumentNullException.ThrowIfNull(options);
        Guard.Positive(restarts, nameof(restarts));
        Guard.Positive(parallelism, nameof(parallelism));
        int screening = (int)Math.Ceiling(ScreeningFraction * options.MaxSteps);
        var results = new KktPoint[restarts];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelism };
        SphericalAscentOptions first = options with { MaxSteps = screening };
        Parallel.For(0, restarts, parallel, createObjective, (k, _, objective) =>
        {
            var start = new double[objective.Dimension];
            new SeededRandom(KktSearch.RestartSeed(seed, k)).FillUnitSphere(start);
            results[k] = SphericalAscent.Run(objective, start, first, k);
            return objective;
        }, _ => { });
        if (screening >= options.MaxSteps) return Sorted(results);

        // The best restart of each group of coinciding directions continues; converged ones are final.
        int[] order = Enumerable.Range(0, restarts).OrderByDescending(k => results[k].Value).ThenBy(k => k).ToArray();
        var kept = new List<int>();
        var continuing = new List<int>();
        foreach (int k in order)
        {
            KktPoint p = results[k];
            bool duplicate = kept.Any(j => DenseKernels.Dot<double>(p.Direction, results[j].Direction) >= SamePoint);
            kept.Add(k);
            if (!p.Converged && !duplicate && p.Steps >= screening) continuing.Add(k);
        }
        SphericalAscentOptions rest = options with { MaxSteps = options.MaxSteps - screening };
        Parallel.For(0, continuing.Count, parallel, createObjective, (c, _, objective) =>
        {
            int k = continuing[c];
            KktPoint p = SphericalAscent.Run(objective, results[k].Direction, rest, k);
            results[k] = p with { Steps = screening + p.Steps };
            return objective;
        }, _ => { });
        return Sorted(results);
    }

    private static KktPoint[] Sorted(KktPoint[] results) =>
        results.OrderByDescending(r => r.Value).ThenBy(r => r.Restart).ToArray();
}
