// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

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

    /// <summary>Builds the problem for a network named as in the benchmarks' parameters.</summary>
    /// <param name="networkName">E.g. "two-layer relu-power:2 m=100" or "ff relu 20,10".</param>
    /// <param name="seed">Seed of data and weights.</param>
    /// <param name="weightScale">σ of the weights.</param>
    /// <returns>The problem.</returns>
    public static BenchmarkProblem Create(string networkName, long seed, double weightScale)
    {
        HomogeneousNetwork network = CreateNetwork(networkName);
        var random = new SeededRandom(seed);
        var x = new double[SampleCount * InputDimension];
        var y = new double[SampleCount];
        random.FillGaussian(x);
        random.FillGaussian(y);
        var w = new double[network.ParameterCount];
        random.FillGaussian(w, weightScale);
        return new BenchmarkProblem(network, new DataSet<double>(x, y, InputDimension), w);
    }

    /// <summary>The network of a benchmark parameter value: "two-layer ACTIVATION m=M" or "ff ACTIVATION K1,K2,…".</summary>
    /// <param name="name">Parameter value.</param>
    /// <returns>The network.</returns>
    public static HomogeneousNetwork CreateNetwork(string name)
    {
        string[] parts = name.Split(' ');
        IActivation sigma = Activations.Parse(parts[1]);
        return parts[0] switch
        {
            "two-layer" => new TwoLayerNetwork(InputDimension, int.Parse(parts[2]["m=".Length..]), sigma),
            "ff" => new FeedForwardNetwork(InputDimension, parts[2].Split(',').Select(int.Parse).ToArray(), sigma),
            _ => throw new ArgumentException($"unknown network {name}"),
        };
    }
}
