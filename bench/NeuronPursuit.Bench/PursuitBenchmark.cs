// SPDX-License-Identifier: MIT
using BenchmarkDotNet.Attributes;
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Pursuit;

namespace NeuronPursuit.Bench;

/// <summary>
/// The two hot loops of Neuron Pursuit on the hypercube demo (n = 1000, d = 20, final widths (4, 2)): one GD epoch
/// (loss, gradient and the update) and one evaluation of the layer-1 and layer-2 candidate objectives (residual
/// NCF value and gradient on precomputed features). Run:
/// <c>dotnet run -c Release --project bench/NeuronPursuit.Bench -- --filter '*PursuitBenchmark*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class PursuitBenchmark
{
    private SquareLossKernel _kernel = null!;
    private double[] _w = [];
    private double[] _gradient = [];
    private ResidualNcf _layer1 = null!;
    private ResidualNcf _layer2 = null!;
    private double[] _u1 = [];
    private double[] _u2 = [];
    private double[] _g1 = [];
    private double[] _g2 = [];

    /// <summary>The teacher's (4, 2) net, perturbed, on the demo data.</summary>
    [GlobalSetup]
    public void Setup()
    {
        DataSet<double> data = HypercubeExample.TrainingSet(1);
        FeedForwardNetwork net = HypercubeExample.TeacherNetwork;
        _w = HypercubeExample.TeacherWeights().Select((v, k) => 0.9 * v + 0.01 * Math.Sin(k)).ToArray();
        _gradient = new double[_w.Length];
        _kernel = new SquareLossKernel(net, data);
        var search = new CandidateSearch(net, data, _w);
        _layer1 = search.Objective(1)();
        _layer2 = search.Objective(2)();
        _u1 = Enumerable.Range(0, _layer1.Dimension).Select(k => Math.Cos(k + 1.0)).ToArray();
        _u2 = Enumerable.Range(0, _layer2.Dimension).Select(k => Math.Cos(k + 1.0)).ToArray();
        _g1 = new double[_u1.Length];
        _g2 = new double[_u2.Length];
    }

    /// <summary>One full-batch GD epoch (the update with a zero step keeps w fixed across iterations).</summary>
    /// <returns>The loss.</returns>
    [Benchmark]
    public double GdEpoch()
    {
        double loss = _kernel.ValueAndGradient(_w, _gradient);
        for (int k = 0; k < _w.Length; k++) _w[k] -= 0.0 * _gradient[k];
        return loss;
    }

    /// <summary>N₁ and ∇N₁ (a ∈ ℝ²⁰, b ∈ ℝ², J₂ back-propagated).</summary>
    /// <returns>N₁.</returns>
    [Benchmark]
    public double CandidateLayer1() => _layer1.ValueAndGradient(_u1, _g1);

    /// <summary>N₂ and ∇N₂ (a ∈ ℝ⁴, b ∈ ℝ, J ≡ 1).</summary>
    /// <returns>N₂.</returns>
    [Benchmark]
    public double CandidateLayer2() => _layer2.ValueAndGradient(_u2, _g2);
}
