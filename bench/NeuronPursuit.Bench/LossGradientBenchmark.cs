// SPDX-License-Identifier: MIT
using BenchmarkDotNet.Attributes;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Bench;

/// <summary>
/// Square loss + exact gradient, one evaluation per call, for the two networks of issue 2: a two-layer
/// ReLU² net (n = 1000, d = 20, m = 100) and a three-layer ReLU net (n = 1000, d = 20, widths 20, 10),
/// in double and double-double. Flop counts per evaluation are in <see cref="FlopCount"/>.
/// </summary>
[MemoryDiagnoser]
public class LossGradientBenchmark
{
    private LossObjective<double> _double = null!;
    private LossObjective<DoubleDouble> _doubleDouble = null!;
    private double[] _w = [];
    private double[] _gradient = [];
    private DoubleDouble[] _wDD = [];
    private DoubleDouble[] _gradientDD = [];

    /// <summary>Which network.</summary>
    [Params("net=two-layer widths=100 activation=relu-power:2", "net=ff widths=20,10 activation=relu")]
    public string Network { get; set; } = "";

    /// <summary>Builds data, network and weights from fixed seeds.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var problem = BenchmarkProblem.Create(Network, seed: 42, weightScale: 0.2);
        _w = problem.Weights;
        _gradient = new double[_w.Length];
        _double = new LossObjective<double>(problem.Network, new SquareLoss(), problem.Data);
        _doubleDouble = new LossObjective<DoubleDouble>(problem.Network, new SquareLoss(), problem.Data.To<DoubleDouble>());
        _wDD = Scalar.ToArray<DoubleDouble>(_w);
        _gradientDD = new DoubleDouble[_w.Length];
    }

    /// <summary>
    /// Floating-point operations of one loss + gradient evaluation, counting a multiply-add as 2:
    /// forward 2·n·Σ k_l k_{l−1}, backward (weight gradients and back-propagated signals) about
    /// twice that, i.e. 6·n·P in total less the signal into the input layer (2·n·k₁·d).
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="n">Samples.</param>
    /// <returns>The flop count.</returns>
    public static double FlopCount(HomogeneousNetwork network, int n) =>
        6.0 * n * network.ParameterCount - 2.0 * n * network.Layout.Blocks[0].Count;

    /// <summary>ℒ and ∇ℒ in double.</summary>
    /// <returns>The loss.</returns>
    [Benchmark(Baseline = true)]
    public double Double() => _double.ValueAndGradient(_w, _gradient);

    /// <summary>ℒ and ∇ℒ in double-double.</summary>
    /// <returns>The loss.</returns>
    [Benchmark]
    public DoubleDouble DoubleDouble() => _doubleDouble.ValueAndGradient(_wDD, _gradientDD);
}
