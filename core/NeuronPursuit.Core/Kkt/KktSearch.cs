// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Kkt;

/// <summary>
/// KKT points of max N(u) s.t. ‖u‖ = 1 from many seeded restarts of <see cref="SphericalAscent"/>: restart k
/// starts from a point drawn uniformly on the sphere by a generator seeded with (seed, k), so a run is
/// reproducible bit for bit whatever the number of threads. Neuron Pursuit's rule "keep the restart with the
/// largest NCF value" (docs/claims.md NP-3, step 1) is <see cref="Best"/>.
/// </summary>
public static class KktSearch
{
    /// <summary>Seed of restart k's start point: the search seed and k mixed by SplitMix64.</summary>
    /// <param name="seed">Search seed.</param>
    /// <param name="restart">Restart index k ≥ 0.</param>
    /// <returns>The seed of restart k's generator.</returns>
    public static long RestartSeed(long seed, int restart)
    {
        ulong z = unchecked((ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)(restart + 1));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return unchecked((long)(z ^ (z >> 31)));
    }

    /// <summary>
    /// Runs <paramref name="restarts"/> ascents and returns their end points sorted by value, largest first
    /// (ties by restart index).
    /// </summary>
    /// <param name="createObjective">Makes one objective per worker (objectives hold buffers and are not
    /// thread-safe).</param>
    /// <param name="restarts">Number of restarts ≥ 1.</param>
    /// <param name="seed">Seed of the start points.</param>
    /// <param name="options">Ascent settings; null for the defaults.</param>
    /// <param name="parallelism">Worker threads ≥ 1 (default 1). Results do not depend on it.</param>
    /// <returns>All restarts' end points, best first.</returns>
    /// <exception cref="ArgumentException">restarts or parallelism &lt; 1, or an option is out of range.</exception>
    public static IReadOnlyList<KktPoint> Run(Func<IObjective<double>> createObjective, int restarts, long seed,
        SphericalAscentOptions? options = null, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(createObjective);
        Guard.Positive(restarts, nameof(restarts));
        Guard.Positive(parallelism, nameof(parallelism));
        options ??= new SphericalAscentOptions();
        options.Validate();
        var results = new KktPoint[restarts];
        int workers = Math.Min(parallelism, restarts);
        int next = -1;
        Exception? failure = null;
        void Work()
        {
            try { Ascend(); }
            catch (Exception e) { Interlocked.CompareExchange(ref failure, e, null); }
        }
        void Ascend()
        {
            IObjective<double> objective = createObjective();
            var start = new double[objective.Dimension];
            int k;
            while ((k = Interlocked.Increment(ref next)) < restarts)
            {
                new SeededRandom(RestartSeed(seed, k)).FillUnitSphere(start);
                results[k] = SphericalAscent.Run(objective, start, options, k);
            }
        }
        if (workers == 1) Work();
        else
        {
            var threads = new Thread[workers];
            for (int t = 0; t < workers; t++) (threads[t] = new Thread(Work) { IsBackground = true }).Start();
            foreach (Thread thread in threads) thread.Join();
        }
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return results.OrderByDescending(r => r.Value).ThenBy(r => r.Restart).ToArray();
    }

    /// <summary>The restart with the largest value (Neuron Pursuit's choice), from <see cref="Run"/>.</summary>
    /// <param name="createObjective">Makes one objective per worker.</param>
    /// <param name="restarts">Number of restarts ≥ 1.</param>
    /// <param name="seed">Seed of the start points.</param>
    /// <param name="options">Ascent settings; null for the defaults.</param>
    /// <param name="parallelism">Worker threads ≥ 1.</param>
    /// <returns>The best end point.</returns>
    public static KktPoint Best(Func<IObjective<double>> createObjective, int restarts, long seed,
        SphericalAscentOptions? options = null, int parallelism = 1) =>
        Run(createObjective, restarts, seed, options, parallelism)[0];
}
