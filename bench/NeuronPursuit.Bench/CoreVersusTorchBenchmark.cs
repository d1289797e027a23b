// SPDX-License-Identifier: MIT
using BenchmarkDotNet.Attributes;
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;
using NeuronPursuit.Torch;

namespace NeuronPursuit.Bench;

/// <summary>
/// The core against libtorch (TorchSharp) in float64, same data, weights and thread count (one: the
/// core is single-threaded): loss + gradient, and one full-batch gradient-descent step
/// (loss + gradient + update). Networks of issue 3: two-layer ReLU² with n = 1000, d = 20,
/// m ∈ {10, 100, 1000}, and three-layer ReLU with widths (20, 10) and (200, 100).
/// </summary>
/// <remarks>
/// Runs in-process: BenchmarkDotNet's out-of-process toolchain rebuilds a generated project into its
/// own folder, where TorchSharp's native library is copied without the native compatibility step.
/// </remarks>
[MemoryDiagnoser]
[InProcess]
public class CoreVersusTorchBenchmark
{
    private LossObjective<double> _core = null!;
    private TorchObjective _torch = null!;
    private double[] _w = [];
    private double[] _gradient = [];
    private double[] _next = [];
    private const double StepSize = 1e-4;

    /// <summary>Which network.</summary>
    [Params("two-layer relu-power:2 m=10", "two-layer relu-power:2 m=100", "two-layer relu-power:2 m=1000", "ff relu 20,10", "ff relu 200,100")]
    public string Network { get; set; } = "";

    /// <summary>Builds data, network and weights from fixed seeds; pins libtorch to one thread.</summary>
    [GlobalSetup]
    public void Setup()
    {
        const int n = 1000, d = 20;
        HomogeneousNetwork network = Create(Network, d);
        var random = new SeededRandom(7);
        var x = new double[n * d];
        var y = new double[n];
        random.FillGaussian(x);
        random.FillGaussian(y);
        var data = new DataSet<double>(x, y, d);
        _w = new double[network.ParameterCount];
        random.FillGaussian(_w, 0.1);
        _gradient = new double[_w.Length];
        _next = new double[_w.Length];
        _core = new LossObjective<double>(network, new SquareLoss(), data);
        TorchRuntime.Threads = 1;
        _torch = new TorchObjective(network, new SquareLoss(), data);
    }

    /// <summary>Releases the libtorch tensors.</summary>
    [GlobalCleanup]
    public void Cleanup() => _torch.Dispose();

    /// <summary>The network of a parameter value.</summary>
    /// <param name="name">Parameter value.</param>
    /// <param name="d">Input dimension.</param>
    /// <returns>The network.</returns>
    public static HomogeneousNetwork Create(string name, int d) => name switch
    {
        "two-layer relu-power:2 m=10" => new TwoLayerNetwork(d, 10, Activations.ReluPower(2)),
        "two-layer relu-power:2 m=100" => new TwoLayerNetwork(d, 100, Activations.ReluPower(2)),
        "two-layer relu-power:2 m=1000" => new TwoLayerNetwork(d, 1000, Activations.ReluPower(2)),
        "ff relu 20,10" => new FeedForwardNetwork(d, [20, 10], Activations.Relu),
        "ff relu 200,100" => new FeedForwardNetwork(d, [200, 100], Activations.Relu),
        _ => throw new ArgumentException($"unknown network {name}"),
    };

    /// <summary>Core: ℒ and ∇ℒ.</summary>
    /// <returns>The loss.</returns>
    [Benchmark(Baseline = true)]
    public double CoreLossGradient() => _core.ValueAndGradient(_w, _gradient);

    /// <summary>libtorch: ℒ and ∇ℒ by autograd.</summary>
    /// <returns>The loss.</returns>
    [Benchmark]
    public double TorchLossGradient() => _torch.ValueAndGradient(_w, _gradient);

    /// <summary>Core: one GD step w − η∇ℒ(w).</summary>
    /// <returns>The loss before the step.</returns>
    [Benchmark]
    public double CoreGradientStep()
    {
        double value = _core.ValueAndGradient(_w, _gradient);
        for (int k = 0; k < _w.Length; k++) _next[k] = _w[k] - StepSize * _gradient[k];
        return value;
    }

    /// <summary>libtorch: one GD step inside libtorch.</summary>
    /// <returns>The loss before the step.</returns>
    [Benchmark]
    public double TorchGradientStep() => _torch.GradientDescent(_w, StepSize, 1).Losses[0];
}
