// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Data;

/// <summary>A built-in example: data labelled by a known network, with that network's weights.</summary>
/// <param name="Name">The example's name.</param>
/// <param name="Data">The data set.</param>
/// <param name="Network">The teacher's architecture.</param>
/// <param name="TeacherWeights">The teacher's weights in the layout of <paramref name="Network"/>.</param>
public sealed record TeacherExample(string Name, DataSet<double> Data, HomogeneousNetwork Network, double[] TeacherWeights);

/// <summary>Built-in example data sets, generated from a seed so that every run sees the same numbers.</summary>
public static class ExampleData
{
    /// <summary>The names accepted by <see cref="Get"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["two-relu-teacher"];

    /// <summary>Returns a built-in example by name.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="seed">Seed of the sample draw.</param>
    /// <returns>The example.</returns>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static TeacherExample Get(string name, long seed = 1) => name switch
    {
        "two-relu-teacher" => TwoReluTeacher(seed),
        _ => throw new ArgumentException($"example: '{name}' is not a built-in example; known: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>
    /// n = 100 Gaussian inputs in d = 5 labelled by the two-neuron teacher
    /// y = relu(x₁ + x₂) − relu(x₃), a two-layer ReLU net with m = 2 (weights W = [[1,1,0,0,0],[0,0,1,0,0]],
    /// v = [1, −1]); the kind of target of Kumar &amp; Haupt's two-homogeneous experiments.
    /// </summary>
    /// <param name="seed">Seed of the Gaussian draw.</param>
    /// <returns>The example.</returns>
    public static TeacherExample TwoReluTeacher(long seed)
    {
        const int n = 100, d = 5;
        var network = new TwoLayerNetwork(d, 2, Activations.Relu);
        double[] teacher = [1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, -1];
        var random = new SeededRandom(seed);
        var x = new double[n * d];
        random.FillGaussian(x);
        var y = new double[n];
        var workspace = network.CreateWorkspace<double>(n);
        network.Forward<double>(x, teacher, y, workspace);
        return new TeacherExample("two-relu-teacher", new DataSet<double>(x, y, d), network, teacher);
    }
}
