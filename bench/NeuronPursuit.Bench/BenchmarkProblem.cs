// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Problems;

namespace NeuronPursuit.Bench;

/// <summary>A benchmark problem: a network, Gaussian data (n = 1000, d = 20) and Gaussian weights, from a seed.</summary>
/// <param name="Network">The network.</param>
/// <param name="Data">X with N(0, 1) entries, y with N(0, 1) labels.</param>
/// <param name="Weights">N(0, σ²) weights.</param>
public sealed record BenchmarkProblem(HomogeneousNetwork Network, DataSet<double> Data, double[] Weights)
{
    /// <summary>Samples n.</summary>
    public const int SampleCount = 1000;

    /// <summary>Input dimension d.</summary>
    public const int InputDimension = 20;

    /// <summary>Builds the problem for a network given in the problem specification grammar.</summary>
    /// <param name="networkSpecification">The keys net, widths and activation, e.g. <c>net=two-layer widths=100 activation=relu-power:2</c>.</param>
    /// <param name="seed">Seed of data and weights.</param>
    /// <param name="weightScale">σ of the weights.</param>
    /// <param name="samples">n (default <see cref="SampleCount"/>).</param>
    /// <param name="inputDimension">d (default <see cref="InputDimension"/>).</param>
    /// <returns>The problem.</returns>
    public static BenchmarkProblem Create(string networkSpecification, long seed, double weightScale, int samples = SampleCount,
        int inputDimension = InputDimension)
    {
        HomogeneousNetwork network = ProblemSpec.Parse(networkSpecification).NetworkFor(inputDimension);
        var random = new SeededRandom(seed);
        var x = new double[samples * inputDimension];
        var y = new double[samples];
        random.FillGaussian(x);
        random.FillGaussian(y);
        var w = new double[network.ParameterCount];
        random.FillGaussian(w, weightScale);
        return new BenchmarkProblem(network, new DataSet<double>(x, y, inputDimension), w);
    }
}
