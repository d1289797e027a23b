// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Kkt;
using NeuronPursuit.Core.Models;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// Step 1 of Neuron Pursuit (arXiv 2509.12154; docs/claims.md NP-3): the KKT point u* of the
/// constrained NCF max (1/n) yᵀH(X; u) s.t. ‖u‖ = 1 of the net with one neuron per hidden layer, the restart
/// with the largest value, or, with a sign option, the best restart whose output weight has that sign.
/// </summary>
public static class InitialDirection
{
    /// <summary>Finds u*.</summary>
    /// <param name="network">The one-neuron-per-layer network.</param>
    /// <param name="data">The training data.</param>
    /// <param name="options">Restarts, ascent settings, threads, <see cref="PursuitOptions.InitialSign"/>.</param>
    /// <param name="seed">Seed of the restarts.</param>
    /// <returns>The chosen KKT point (value with the factor 1/n).</returns>
    /// <exception cref="InvalidOperationException">No restart ended with the requested sign.</exception>
    public static KktPoint Find(FeedForwardNetwork network, DataSet<double> data, PursuitOptions options, long seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<KktPoint> points = ScreenedKktSearch.Run(() => new NetworkNcf(network, data, options.Loss),
            options.Restarts, seed, options.Ascent, options.Parallelism);
        if (options.InitialSign == 0) return points[0];
        foreach (KktPoint p in points)
            if (Math.Sign(p.Direction[^1]) == options.InitialSign) return p;
        throw new InvalidOperationException(
            $"initial-sign: no restart of the initial KKT search ended with output weight of sign {options.InitialSign:+0;-0}; use more restarts or sign 0.");
    }
}
