// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Runtime.Intrinsics;
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Bench;

/// <summary>
/// Achieved GFLOP/s of loss + gradient (square loss, ReLU²) against this core's measured FMA peak, over
/// n ∈ {200, 1000, 10⁴}, m ∈ {10, 50, 200, 1000}, depth 2 (two-layer, width m) and 3 (feed-forward, widths m, m),
/// d = 20, double and double-double, and the paper-size shape (n = 200, d = 10, m = 50) (issue 13). Flop counts as in <see cref="LossGradientBenchmark.FlopCount"/>.
/// Each figure is the best of up to 100 timings of repeated evaluations lasting ≈ 2 ms each (a wall-clock loop, not
/// BenchmarkDotNet: 48 shapes × 2 scalars would take hours there). Run with <c>DOTNET_PROCESSOR_COUNT=1</c> for one
/// core (the kernels then never split the samples across two threads).
/// </summary>
public static class KernelThroughput
{
    private static readonly int[] SampleCounts = [200, 1000, 10_000];
    private static readonly int[] Widths = [10, 50, 200, 1000];

    /// <summary>Double-double evaluations above this many flop are not timed (minutes each).</summary>
    private const double DoubleDoubleFlopLimit = 2e9;

    /// <summary>Prints the markdown table.</summary>
    /// <param name="out">Where to write.</param>
    /// <param name="doubleDouble">Whether to time double-double too (the columns show — otherwise).</param>
    /// <param name="grid">Whether to time the grid of shapes (otherwise only the paper-size row).</param>
    public static void Run(TextWriter @out, bool doubleDouble = true, bool grid = true)
    {
        double peak = FmaPeak();
        @out.WriteLine($"Processors used: {Environment.ProcessorCount}; Vector512 accelerated: {Vector512.IsHardwareAccelerated}; " +
                       $"measured FMA peak of one core: {peak:F1} GFLOP/s");
        @out.WriteLine();
        @out.WriteLine("| depth | n | m | P | flop | double µs | GFLOP/s | % peak | double-double µs | GFLOP/s | dd / double |");
        @out.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        if (grid)
            foreach (int depth in new[] { 2, 3 })
                foreach (int n in SampleCounts)
                    foreach (int m in Widths)
                        Row(@out, peak, depth, n, m, BenchmarkProblem.InputDimension, doubleDouble);
        @out.WriteLine();
        @out.WriteLine("The paper-size right-hand side of the work-precision benchmark (n = 200, d = 10, m = 50, P = 550):");
        @out.WriteLine();
        @out.WriteLine("| depth | n | m | P | flop | double µs | GFLOP/s | % peak | double-double µs | GFLOP/s | dd / double |");
        @out.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        Row(@out, peak, 2, 200, 50, 10, doubleDouble);
        if (!grid && doubleDouble) ReferenceRow(@out, 200, 50, 10);
    }

    /// <summary>The double-double loss + gradient by the network's generic passes (the reference the fast passes equal bit for bit).</summary>
    private static void ReferenceRow(TextWriter @out, int n, int m, int d)
    {
        var problem = BenchmarkProblem.Create($"net=two-layer widths={m} activation=relu-power:2", seed: 42, weightScale: 0.2, samples: n, inputDimension: d);
        var data = problem.Data.To<DoubleDouble>();
        var w = Scalar.ToArray<DoubleDouble>(problem.Weights);
        var workspace = problem.Network.CreateWorkspace<DoubleDouble>(n);
        var h = new DoubleDouble[n];
        var c = new DoubleDouble[n];
        var gradient = new DoubleDouble[w.Length];
        var loss = new SquareLoss();
        double seconds = BestSeconds(() =>
        {
            problem.Network.Forward(data.X, w, h, workspace);
            loss.Evaluate<DoubleDouble>(h, data.Y, c);
            problem.Network.Backward(data.X, w, c, gradient, workspace);
        });
        @out.WriteLine();
        @out.WriteLine($"Double-double by the generic passes (the reference): {seconds * 1e6:F1} µs.");
    }

    private static void Row(TextWriter @out, double peak, int depth, int n, int m, int d, bool doubleDouble)
    {
        string spec = depth == 2 ? $"net=two-layer widths={m} activation=relu-power:2" : $"net=ff widths={m},{m} activation=relu-power:2";
        var problem = BenchmarkProblem.Create(spec, seed: 42, weightScale: 0.2, samples: n, inputDimension: d);
        double flop = LossGradientBenchmark.FlopCount(problem.Network, n);
        var objective = new LossObjective<double>(problem.Network, new SquareLoss(), problem.Data);
        var gradient = new double[problem.Weights.Length];
        double seconds = BestSeconds(() => objective.ValueAndGradient(problem.Weights, gradient));
        double gflops = flop / seconds / 1e9;
        string dd = "— | — | —";
        if (doubleDouble && flop <= DoubleDoubleFlopLimit)
        {
            var objectiveDD = new LossObjective<DoubleDouble>(problem.Network, new SquareLoss(), problem.Data.To<DoubleDouble>());
            var wDD = Scalar.ToArray<DoubleDouble>(problem.Weights);
            var gradientDD = new DoubleDouble[wDD.Length];
            double secondsDD = BestSeconds(() => objectiveDD.ValueAndGradient(wDD, gradientDD));
            dd = $"{secondsDD * 1e6:F1} | {flop / secondsDD / 1e9:F2} | {secondsDD / seconds:F1}×";
        }
        @out.WriteLine($"| {depth} | {n} | {m} | {problem.Network.ParameterCount} | {flop:G3} | {seconds * 1e6:F1} | {gflops:F1} | {100 * gflops / peak:F0} % | {dd} |");
    }

    /// <summary>The shortest time per evaluation over up to 100 windows of ≈ 2 ms each (at least 5 windows, of one
    /// evaluation each when it is longer): on a shared machine a short window often runs undisturbed, a long one rarely.</summary>
    private static double BestSeconds(Action evaluate)
    {
        evaluate();
        var clock = Stopwatch.StartNew();
        int repeats = 0;
        while (clock.Elapsed.TotalSeconds < 0.05 || repeats == 0) { evaluate(); repeats++; }
        double each = clock.Elapsed.TotalSeconds / repeats;
        repeats = Math.Max(1, (int)(0.002 / each));
        int trials = Math.Clamp((int)(0.2 / (repeats * each)), 5, 100);
        double best = double.PositiveInfinity;
        for (int trial = 0; trial < trials; trial++)
        {
            clock.Restart();
            for (int r = 0; r < repeats; r++) evaluate();
            best = Math.Min(best, clock.Elapsed.TotalSeconds / repeats);
        }
        return best;
    }

    /// <summary>GFLOP/s of independent fused multiply–adds in the widest accelerated vectors (16 chains, enough to
    /// cover the FMA latency on two ports), the ceiling a kernel on this core can reach.</summary>
    private static double FmaPeak()
    {
        const int iterations = 200_000;
        double best = 0.0;
        for (int trial = 0; trial < 300; trial++)
        {
            var clock = Stopwatch.StartNew();
            double lanes = Vector512.IsHardwareAccelerated ? FmaChains512(iterations) : FmaChains256(iterations);
            best = Math.Max(best, 2.0 * 16 * lanes * iterations / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    private static int FmaChains512(int iterations)
    {
        var a = Vector512.Create(0.999999);
        var b = Vector512.Create(1e-9);
        Vector512<double> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a;
        Vector512<double> c8 = a, c9 = a, c10 = a, c11 = a, c12 = a, c13 = a, c14 = a, c15 = a;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b); c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b); c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b); c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b); c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b); c9 = Vector512.FusedMultiplyAdd(c9, a, b);
            c10 = Vector512.FusedMultiplyAdd(c10, a, b); c11 = Vector512.FusedMultiplyAdd(c11, a, b);
            c12 = Vector512.FusedMultiplyAdd(c12, a, b); c13 = Vector512.FusedMultiplyAdd(c13, a, b);
            c14 = Vector512.FusedMultiplyAdd(c14, a, b); c15 = Vector512.FusedMultiplyAdd(c15, a, b);
        }
        var sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15;
        return Vector512.Sum(sum) > 0 ? Vector512<double>.Count : 0;
    }

    private static int FmaChains256(int iterations)
    {
        var a = Vector256.Create(0.999999);
        var b = Vector256.Create(1e-9);
        Vector256<double> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a;
        Vector256<double> c8 = a, c9 = a, c10 = a, c11 = a, c12 = a, c13 = a, c14 = a, c15 = a;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b); c1 = Vector256.FusedMultiplyAdd(c1, a, b);
            c2 = Vector256.FusedMultiplyAdd(c2, a, b); c3 = Vector256.FusedMultiplyAdd(c3, a, b);
            c4 = Vector256.FusedMultiplyAdd(c4, a, b); c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b); c7 = Vector256.FusedMultiplyAdd(c7, a, b);
            c8 = Vector256.FusedMultiplyAdd(c8, a, b); c9 = Vector256.FusedMultiplyAdd(c9, a, b);
            c10 = Vector256.FusedMultiplyAdd(c10, a, b); c11 = Vector256.FusedMultiplyAdd(c11, a, b);
            c12 = Vector256.FusedMultiplyAdd(c12, a, b); c13 = Vector256.FusedMultiplyAdd(c13, a, b);
            c14 = Vector256.FusedMultiplyAdd(c14, a, b); c15 = Vector256.FusedMultiplyAdd(c15, a, b);
        }
        var sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15;
        return Vector256.Sum(sum) > 0 ? Vector256<double>.Count : 0;
    }
}
