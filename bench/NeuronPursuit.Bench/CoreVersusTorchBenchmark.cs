// SPDX-License-Identifier: MIT
using BenchmarkDotNet.Attributes;
using NeuronPursuit.Core.Models;
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
    [Params("net=two-layer widths=10 activation=relu-power:2", "net=two-layer widths=100 activation=relu-power:2", "net=two-layer widths=1000 activation=relu-power:2", "net=ff widths=20,10 activation=relu", "net=ff widths=200,100 activation=relu")]
    public string Network { get; set; } = "";

    /// <summary>Builds data, network and weights from fixed seeds; pins libtorch to one thread.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var problem = BenchmarkProblem.Create(Network, seed: 7, weightScale: 0.1);
        _w = problem.Weights;
        _gradient = new double[_w.Length];
        _next = new double[_w.Length];
        _core = new LossObjective<double>(problem.Network, new SquareLoss(), problem.Data);
        TorchRuntime.Threads = 1;
        _torch = new TorchObjective(problem.Network, new SquareLoss(), problem.Data);
    }

    /// <summary>Releases the libtorch tensors.</summary>
    [GlobalCleanup]
    public void Cleanup() => _torch.Dispose();

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
