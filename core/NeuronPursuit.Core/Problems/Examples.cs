// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Problems;

/// <summary>
/// One built-in example: its data generator and the problem it comes with (network, loss, initial point).
/// Every part but the data can be overridden by a <see cref="ProblemSpec"/>.
/// </summary>
/// <param name="Name">The example's name.</param>
/// <param name="Summary">What it is, one line (help texts).</param>
/// <param name="DefaultDataSeed">Seed of the data draw unless another is given.</param>
/// <param name="DefaultSamples">n unless another is given.</param>
/// <param name="Build">The problem for a data seed and n.</param>
public sealed record Example(string Name, string Summary, long DefaultDataSeed, int DefaultSamples, Func<long, int, Problem> Build);

/// <summary>
/// The built-in examples by name: the teacher data sets of the command line, Neuron Pursuit's hypercube demo
/// (arXiv 2509.12154), A's Figure 1 (arXiv 2402.09226) and the set-ups of a reference simulation that the claim
/// checks use (docs/claims.md, The examples the checks use).
/// Data are generated from a seed with <see cref="SeededRandom"/>, so every run sees the same numbers; they are
/// not the papers' own draws.
/// </summary>
public static class Examples
{
    /// <summary>Every example, in the order help texts list them.</summary>
    public static IReadOnlyList<Example> All { get; } =
    [
        new("two-relu-teacher", "n = 100 Gaussian inputs in d = 5, y = relu(x1 + x2) - relu(x3); its teacher net, two-layer ReLU m = 2", 1, 100, TwoReluTeacher),
        new("hypercube", "Neuron Pursuit's demo: n = 1000 vertices of {-1,1}^20, 3-layer ReLU target of widths (4,2) on x1..x4", 1, HypercubeExample.DefaultSamples, Hypercube),
        new("fig1", "Figure 1 of arXiv 2402.09226: sum of 10 ReLU^2 neurons on 50 unit inputs in d = 2, y = 5 relu(x1)^2 + 4 relu(x2)^2 (L = 2)", 0, 50, (s, n) => Figure1(s, n, 1.0)),
        new("fig1-negative", "fig1 with the labels negated, so that N(u) <= 0 everywhere (the collapse branch)", 0, 50, (s, n) => Figure1(s, n, -1.0)),
        new("two-layer-relu2", "30 points on S^2, y = relu(x1)^2 + 0.5 relu(x2)^2, two-layer ReLU^2 m = 6 (L = 3; the checks' escape set-up)", 11, 30, TwoLayerReluSquared),
        new("deep", "20 points on S^3, y = relu(a.x)^2 - 0.5 relu(b.x)^2, 3-layer net of widths (5,5), ReLU^2 (the checks' rank-one set-up)", 21, 20, Deep),
    ];

    /// <summary>The names, for help texts and messages.</summary>
    public static string Names { get; } = string.Join(", ", All.Select(e => e.Name));

    /// <summary>The example with a name.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <returns>The example.</returns>
    /// <exception cref="SpecificationException">Unknown name (key <c>example</c>).</exception>
    public static Example Get(string name) =>
        All.FirstOrDefault(e => e.Name == name)
        ?? throw new SpecificationException("example", $"'{name}' is not a built-in example; known: {Names}.");

    /// <summary>The problem of an example with its default data seed and n.</summary>
    /// <param name="name">The example's name.</param>
    /// <returns>The problem.</returns>
    public static Problem Problem(string name)
    {
        Example e = Get(name);
        return e.Build(e.DefaultDataSeed, e.DefaultSamples);
    }

    private static DataSet<double> Labelled(double[] x, int d, Func<double[], double> target)
    {
        int n = x.Length / d;
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = target(x[(i * d)..((i + 1) * d)]);
        return new DataSet<double>(x, y, d);
    }

    private static double Relu2(double z) => z > 0.0 ? z * z : 0.0;

    private static double Dot(double[] a, double[] b)
    {
        double s = 0.0;
        for (int k = 0; k < a.Length; k++) s += a[k] * b[k];
        return s;
    }

    /// <summary>n points uniform on the unit sphere of ℝᵈ, drawn one after another from one seed.</summary>
    private static double[] OnSphere(long seed, int n, int d)
    {
        var random = new SeededRandom(seed);
        var x = new double[n * d];
        for (int i = 0; i < n; i++) random.FillUnitSphere(x.AsSpan(i * d, d));
        return x;
    }

    private static double[] UnitVector(long seed, int d)
    {
        var v = new double[d];
        new SeededRandom(seed).FillUnitSphere(v);
        return v;
    }

    /// <summary>y = relu(x₁ + x₂) − relu(x₃) on Gaussian inputs, labelled by the two-neuron teacher
    /// W = [[1,1,0,0,0],[0,0,1,0,0]], v = [1, −1].</summary>
    private static Problem TwoReluTeacher(long seed, int n)
    {
        const int d = 5;
        var network = new TwoLayerNetwork(d, 2, Activations.Relu);
        double[] teacher = [1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, -1];
        var x = new double[n * d];
        new SeededRandom(seed).FillGaussian(x);
        var y = new double[n];
        network.Forward<double>(x, teacher, y, network.CreateWorkspace<double>(n));
        return new Problem("two-relu-teacher", "example two-relu-teacher",
            $"two-relu-teacher: n = {n} Gaussian inputs in d = 5 (data seed {seed}), y = relu(x1 + x2) - relu(x3)",
            new DataSet<double>(x, y, d), network, Losses.Square, null, teacher);
    }

    /// <summary>The hypercube demo of Neuron Pursuit: <see cref="HypercubeExample"/>, loss (1/(2n))Σ(H − y)².</summary>
    private static Problem Hypercube(long seed, int n) =>
        new("hypercube", "example hypercube",
            $"hypercube: n = {n} vertices of {{-1,1}}^20 (data seed {seed}), f = 2 relu(relu(2x1+x3) - relu(x3-x2)) - relu(relu(2x2+x4) + relu(x4+x3))",
            HypercubeExample.TrainingSet(seed, n), HypercubeExample.TeacherNetwork, Losses.SquareMean, null, HypercubeExample.TeacherWeights());

    /// <summary>Figure 1 of arXiv 2402.09226 as quoted by a reproducibility report: Σⱼ relu(wⱼᵀx)² with m = 10 in d = 2,
    /// 50 unit inputs at angles θᵢ ~ U[0, 2π), y = sign·(5 relu(x₁)² + 4 relu(x₂)²); w₀ on the unit sphere (seed 3).</summary>
    private static Problem Figure1(long seed, int n, double sign)
    {
        var random = new SeededRandom(seed);
        var x = new double[2 * n];
        for (int i = 0; i < n; i++)
        {
            double theta = 2.0 * Math.PI * random.NextDouble();
            x[2 * i] = Math.Cos(theta);
            x[2 * i + 1] = Math.Sin(theta);
        }
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = sign * (5.0 * Relu2(x[2 * i]) + 4.0 * Relu2(x[2 * i + 1]));
        string name = sign > 0 ? "fig1" : "fig1-negative";
        string labels = sign > 0 ? "y = 5 relu(x1)^2 + 4 relu(x2)^2" : "y = -(5 relu(x1)^2 + 4 relu(x2)^2)";
        return new Problem(name, $"example {name}", $"{name}: n = {n} unit inputs in d = 2 at uniform angles (data seed {seed}), {labels}",
            new DataSet<double>(x, y, 2), new SumOfPowersNetwork(2, 10, Activations.ReluPower(2)), Losses.Square, Initialisation.Sphere(1.0, 3));
    }

    /// <summary>The checks' L = 3 escape set-up (a reference simulation's, not an experiment of arXiv 2403.08121):
    /// Σⱼ₌₁⁶ vⱼ relu(wⱼᵀx)² (L = 3), n = 30 on S², y = relu(x₁)² + 0.5 relu(x₂)²; w₀ on the unit sphere (seed 2).</summary>
    private static Problem TwoLayerReluSquared(long seed, int n)
    {
        DataSet<double> data = Labelled(OnSphere(seed, n, 3), 3, x => Relu2(x[0]) + 0.5 * Relu2(x[1]));
        return new Problem("two-layer-relu2", "example two-layer-relu2",
            $"two-layer-relu2: n = {n} points on S^2 (data seed {seed}), y = relu(x1)^2 + 0.5 relu(x2)^2",
            data, new TwoLayerNetwork(3, 6, Activations.ReluPower(2)), Losses.Square, Initialisation.Sphere(1.0, 2));
    }

    /// <summary>The checks' rank-one set-up (a reference simulation's, for arXiv 2403.08121's claims): a bias-free
    /// 3-layer net of widths (5, 5) on n = 20 points on S³, y = relu(a·x)² − 0.5 relu(b·x)² with unit a, b drawn from
    /// the data seed + 1 and + 2; w₀ on the unit sphere (seed 5).</summary>
    private static Problem Deep(long seed, int n)
    {
        double[] a = UnitVector(seed + 1, 4), b = UnitVector(seed + 2, 4);
        DataSet<double> data = Labelled(OnSphere(seed, n, 4), 4, x => Relu2(Dot(a, x)) - 0.5 * Relu2(Dot(b, x)));
        return new Problem("deep", "example deep", $"deep: n = {n} points on S^3 (data seed {seed}), y = relu(a.x)^2 - 0.5 relu(b.x)^2",
            data, new FeedForwardNetwork(4, [5, 5], Activations.ReluPower(2)), Losses.Square, Initialisation.Sphere(1.0, 5));
    }
}
