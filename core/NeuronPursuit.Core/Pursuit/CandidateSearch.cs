// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Kkt;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// The candidate search of Neuron Pursuit (docs/claims.md NP-3, step 2): at the current network w, the features
/// h_{l−1} (forward pass), the output sensitivities J_{l+1} (back-propagation), the residual r = y − H(X; w),
/// and for a hidden layer l the best KKT point of max N_l(a, b) s.t. ‖a‖² + ‖b‖² = 1 (<see cref="ResidualNcf"/>)
/// over seeded restarts of <see cref="KktSearch"/>.
/// </summary>
public sealed class CandidateSearch
{
    private readonly FeedForwardNetwork _network;
    private readonly FeatureMajorEvaluator _evaluator;
    private readonly double[] _weights;
    private readonly double[] _parameters;

    /// <summary>Evaluates the network on the data at w and keeps what the layer objectives need.</summary>
    /// <param name="network">The current network.</param>
    /// <param name="data">The training data.</param>
    /// <param name="w">Its weights.</param>
    public CandidateSearch(FeedForwardNetwork network, DataSet<double> data, ReadOnlySpan<double> w)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        _network = network;
        _parameters = w.ToArray();
        _evaluator = new FeatureMajorEvaluator(network, data.X);
        _evaluator.Forward(_parameters);
        int n = data.Count;
        _weights = new double[n];
        ReadOnlySpan<double> h = _evaluator.Outputs;
        for (int i = 0; i < n; i++) _weights[i] = (data.Y[i] - h[i]) / n;
    }

    /// <summary>The residual NCF of a new neuron in hidden layer l, with the features copied out.</summary>
    /// <param name="layer">l, from 1 to L − 1.</param>
    /// <returns>A factory of independent objectives sharing the features (one per worker thread).</returns>
    public Func<ResidualNcf> Objective(int layer)
    {
        int layers = _network.LayerCount;
        if (layer < 1 || layer > layers - 1)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layer: hidden layers are 1..{layers - 1}.");
        int n = _weights.Length;
        double[] features = _evaluator.PostActivations(layer - 1).ToArray();
        double[]? sensitivities = null;
        int outgoing = 1;
        if (layer < layers - 1)
        {
            outgoing = _network.HiddenWidths[layer];
            sensitivities = new double[outgoing * n];
            _evaluator.OutputSensitivities(_parameters, layer, sensitivities);
        }
        IActivation activation = _network.Activation;
        double[] weights = _weights;
        return () => new ResidualNcf(features, sensitivities, outgoing, weights, activation);
    }

    /// <summary>The best KKT candidate of hidden layer l over seeded restarts.</summary>
    /// <param name="layer">l, from 1 to L − 1.</param>
    /// <param name="options">Restarts, ascent settings, threads.</param>
    /// <param name="seed">Seed of the restarts.</param>
    /// <returns>The restart with the largest value.</returns>
    public Candidate Best(int layer, PursuitOptions options, long seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        Func<ResidualNcf> create = Objective(layer);
        KktPoint best = KktSearch.Best(create, options.Restarts, seed, options.Ascent, options.Parallelism);
        return ToCandidate(layer, best.Direction, best.Value, best.Residual, best.Converged, best.Restart);
    }

    /// <summary>Ablation: a uniformly random unit (a, b) for layer l, with its value.</summary>
    /// <param name="layer">l, from 1 to L − 1.</param>
    /// <param name="seed">Seed of the draw.</param>
    /// <returns>The candidate.</returns>
    public Candidate Random(int layer, long seed)
    {
        ResidualNcf objective = Objective(layer)();
        var u = new double[objective.Dimension];
        new SeededRandom(seed).FillUnitSphere(u);
        return ToCandidate(layer, u, objective.Value(u), double.NaN, false, -1);
    }

    private Candidate ToCandidate(int layer, double[] u, double value, double residual, bool converged, int restart)
    {
        int incoming = layer == 1 ? _network.InputDimension : _network.HiddenWidths[layer - 2];
        return new Candidate(layer, u[..incoming], u[incoming..], value, residual, converged, restart);
    }
}
