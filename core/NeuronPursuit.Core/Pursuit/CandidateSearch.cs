// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Kkt;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// The candidate search of Neuron Pursuit (docs/claims.md NP-3, step 2): at the current network w, the features
/// h_{l−1} (forward pass), the output sensitivities J_{l+1} (back-propagation), the residual r = y − H(X; w) (for
/// another loss, r = −ℓ′(H(X; w), y)),
/// and for a hidden layer l the best KKT point of max N_l(a, b) s.t. ‖a‖² + ‖b‖² = 1 (<see cref="ResidualNcf"/>)
/// over seeded restarts of <see cref="KktSearch"/>, duplicates screened out (<see cref="ScreenedKktSearch"/>).
/// </summary>
public sealed class CandidateSearch
{
    private readonly FeedForwardNetwork _network;
    private readonly FeatureMajorEvaluator _evaluator;
    private readonly double[] _weights;
    private readonly double[] _parameters;
    private readonly KinkRule _kinks;

    /// <summary>
    /// A downstream pre-activation counts as on the kink when |z| ≤ this × max over the samples of that unit's |z|
    /// (1e-9): the exact zeros of a bias-free ReLU net (a unit all of whose inputs are 0), with room for rounding.
    /// </summary>
    public const double KinkTolerance = 1e-9;

    /// <summary>Evaluates the network on the data at w and keeps what the layer objectives need.</summary>
    /// <param name="network">The current network.</param>
    /// <param name="data">The training data.</param>
    /// <param name="w">Its weights.</param>
    /// <param name="kinks">The leading term on samples where a downstream ReLU sits on its kink (default: the exact,
    /// one-sided one; <see cref="KinkRule"/>).</param>
    /// <param name="loss">The training loss ℒ = (1/n)Σℓ whose negative derivative −ℓ′ is the residual (default null:
    /// square-mean, r = y − H).</param>
    public CandidateSearch(FeedForwardNetwork network, DataSet<double> data, ReadOnlySpan<double> w, KinkRule kinks = KinkRule.OneSided,
        ILoss? loss = null)
    {
        _kinks = kinks;
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        _network = network;
        _parameters = w.ToArray();
        _evaluator = new FeatureMajorEvaluator(network, data.X);
        _evaluator.Forward(_parameters);
        int n = data.Count;
        _weights = new double[n];
        ReadOnlySpan<double> h = _evaluator.Outputs;
        if (loss is null or SquareLoss)
        {
            for (int i = 0; i < n; i++) _weights[i] = (data.Y[i] - h[i]) / n;
        }
        else
        {
            // −∂ℒ/∂hᵢ = −ℓ′(hᵢ, yᵢ)/n for a mean loss.
            loss.Evaluate(h, data.Y, _weights);
            for (int i = 0; i < n; i++) _weights[i] = -_weights[i];
        }
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
        DownstreamKinks? kinks = sensitivities is not null && _kinks == KinkRule.OneSided && activation.Degree == 1
            ? FindKinks(layer, sensitivities)
            : null;
        return () => new ResidualNcf(features, sensitivities, outgoing, weights, activation, kinks);
    }

    /// <summary>
    /// The samples with a unit of layers l+1 … L−1 on the kink, their downstream slopes and the matrices after layer
    /// l + 1 (<see cref="DownstreamKinks"/>); their columns of J are zeroed. Null when there are none.
    /// </summary>
    private DownstreamKinks? FindKinks(int layer, double[] sensitivities)
    {
        int n = _weights.Length;
        int layers = _network.HiddenWidths.Count - layer;
        IReadOnlyList<LayerBlock> blocks = _network.Layout.Blocks;
        // Pre-activations z = W_k h_{k−1} of the downstream hidden layers k = l+1 … L−1 (feature-major), and the
        // kink flags: |z| ≤ tolerance × the unit's largest |z|.
        var z = new double[layers][];
        var flags = new bool[layers][];
        var atKink = new bool[n];
        for (int t = 0; t < layers; t++)
        {
            LayerBlock b = blocks[layer + t];
            z[t] = new double[b.Rows * n];
            flags[t] = new bool[b.Rows * n];
            FeatureMajorEvaluator.CombineRows(_parameters.AsSpan(b.Offset, b.Count), b.Rows, b.Columns, _evaluator.PostActivations(layer + t), z[t], n);
            for (int j = 0; j < b.Rows; j++)
            {
                ReadOnlySpan<double> row = z[t].AsSpan(j * n, n);
                double scale = 0;
                foreach (double v in row) scale = Math.Max(scale, Math.Abs(v));
                for (int i = 0; i < n; i++)
                    if (Math.Abs(row[i]) <= KinkTolerance * scale) flags[t][j * n + i] = atKink[i] = true;
            }
        }
        int[] samples = Enumerable.Range(0, n).Where(i => atKink[i]).ToArray();
        if (samples.Length == 0) return null;
        int outgoing = blocks[layer].Rows;
        foreach (int i in samples)
            for (int m = 0; m < outgoing; m++) sensitivities[m * n + i] = 0.0;
        // The kink samples' slopes and flags, sample-major, and the matrices W_{l+2} … W_L.
        var widths = new int[layers];
        var slopes = new double[layers][];
        var kinkFlags = new bool[layers][];
        var matrices = new double[layers][];
        for (int t = 0; t < layers; t++)
        {
            int width = widths[t] = blocks[layer + t].Rows;
            slopes[t] = new double[samples.Length * width];
            kinkFlags[t] = new bool[samples.Length * width];
            for (int k = 0; k < samples.Length; k++)
                for (int j = 0; j < width; j++)
                {
                    slopes[t][k * width + j] = _network.Activation.Derivative(z[t][j * n + samples[k]]);
                    kinkFlags[t][k * width + j] = flags[t][j * n + samples[k]];
                }
            LayerBlock next = blocks[layer + t + 1];
            matrices[t] = _parameters.AsSpan(next.Offset, next.Count).ToArray();
        }
        return new DownstreamKinks(samples, widths, slopes, kinkFlags, matrices, _network.Activation);
    }

    /// <summary>The best KKT candidate of hidden layer l over seeded restarts.</summary>
    /// <param name="layer">l, from 1 to L − 1.</param>
    /// <param name="options">Restarts, ascent settings, threads.</param>
    /// <param name="seed">Seed of the restarts.</param>
    /// <returns>The restart with the largest value, with its Clarke-stationarity measure (radius
    /// <see cref="ClarkeStationarity.DefaultRadius"/>, seeded by <paramref name="seed"/>).</returns>
    public Candidate Best(int layer, PursuitOptions options, long seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Distinct(layer, options, seed, 1)[0];
    }

    /// <summary>
    /// The best <paramref name="count"/> distinct KKT candidates of hidden layer l over seeded restarts, best first:
    /// restarts whose directions are within angle arccos(0.999) of a better one are the same KKT point.
    /// </summary>
    /// <param name="layer">l, from 1 to L − 1.</param>
    /// <param name="options">Restarts, ascent settings, threads.</param>
    /// <param name="seed">Seed of the restarts.</param>
    /// <param name="count">How many distinct points at most (≥ 1).</param>
    /// <returns>Up to <paramref name="count"/> candidates, each with its Clarke-stationarity measure.</returns>
    public IReadOnlyList<Candidate> Distinct(int layer, PursuitOptions options, long seed, int count)
    {
        ArgumentNullException.ThrowIfNull(options);
        Guard.Positive(count, nameof(count));
        Func<ResidualNcf> create = Objective(layer);
        IReadOnlyList<KktPoint> points = ScreenedKktSearch.Run(create, options.Restarts, seed, options.Ascent, options.Parallelism);
        var kept = new List<KktPoint>();
        foreach (KktPoint p in points)
        {
            if (kept.Count == count) break;
            if (kept.All(q => DenseKernels.Dot<double>(p.Direction, q.Direction) < 0.999)) kept.Add(p);
        }
        return kept.Select(p => ToCandidate(layer, p.Direction, p.Value, p.Residual, p.Converged, p.Restart,
            ClarkeStationarity.Measure(create(), p.Direction, ClarkeStationarity.DefaultRadius, 0, seed).Value)).ToArray();
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

    private Candidate ToCandidate(int layer, double[] u, double value, double residual, bool converged, int restart,
        double clarke = double.NaN)
    {
        int incoming = layer == 1 ? _network.InputDimension : _network.HiddenWidths[layer - 2];
        return new Candidate(layer, u[..incoming], u[incoming..], value, residual, converged, restart, clarke);
    }
}
