// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Data;

/// <summary>
/// The Neuron Pursuit demo of the authors' project page (arXiv 2509.12154; docs/claims.md NP-3): the bias-free
/// three-layer ReLU target f(x) = 2σ(σ(2x₁ + x₃) − σ(x₃ − x₂)) − σ(σ(2x₂ + x₄) + σ(x₄ + x₃)) on the hypercube
/// {±1}²⁰ (only x₁ … x₄ matter), a (4, 2) network: layer 1 computes 2x₁+x₃, x₃−x₂, 2x₂+x₄, x₄+x₃, layer 2
/// h₁ − h₂ and h₃ + h₄, the output (2, −1). Vertices are numbered in lexicographic order from (1, …, 1) to
/// (−1, …, −1): bit 19 − k of the index (most significant first) is 1 exactly when x_{k+1} = −1.
/// </summary>
public static class HypercubeExample
{
    /// <summary>Input dimension d = 20.</summary>
    public const int Dimension = 20;

    /// <summary>Number of training samples of the demo, n = 1000.</summary>
    public const int DefaultSamples = 1000;

    /// <summary>Number of relevant inputs (x₁ … x₄).</summary>
    public const int RelevantInputs = 4;

    /// <summary>Number of cube vertices, 2²⁰.</summary>
    public const int VertexCount = 1 << Dimension;

    /// <summary>The target's network: ff d = 20, widths (4, 2), ReLU.</summary>
    public static FeedForwardNetwork TeacherNetwork { get; } = new(Dimension, [4, 2], Activations.Relu);

    /// <summary>The target's weights in <see cref="TeacherNetwork"/>'s layout.</summary>
    /// <returns>A fresh array of 4·20 + 2·4 + 2 = 90 weights.</returns>
    public static double[] TeacherWeights()
    {
        var w = new double[TeacherNetwork.ParameterCount];
        double[][] rows = [[2, 0, 1, 0], [0, -1, 1, 0], [0, 2, 0, 1], [0, 0, 1, 1]];
        for (int j = 0; j < 4; j++)
            for (int k = 0; k < 4; k++) w[j * Dimension + k] = rows[j][k];
        int o = 4 * Dimension;
        double[] w2 = [1, -1, 0, 0, 0, 0, 1, 1];
        w2.CopyTo(w, o);
        w[o + 8] = 2;
        w[o + 9] = -1;
        return w;
    }

    /// <summary>f(x) evaluated directly from its formula.</summary>
    /// <param name="x">x ∈ ℝᵈ, d ≥ 4.</param>
    /// <returns>f(x).</returns>
    public static double Target(ReadOnlySpan<double> x)
    {
        static double Relu(double z) => Math.Max(z, 0.0);
        return 2 * Relu(Relu(2 * x[0] + x[2]) - Relu(x[2] - x[1])) - Relu(Relu(2 * x[1] + x[3]) + Relu(x[3] + x[2]));
    }

    /// <summary>Writes vertex <paramref name="index"/> of the cube into <paramref name="x"/>.</summary>
    /// <param name="index">0 ≤ index &lt; 2²⁰.</param>
    /// <param name="x">Receives the 20 coordinates ±1.</param>
    public static void Vertex(int index, Span<double> x)
    {
        for (int k = 0; k < Dimension; k++) x[k] = ((index >> (Dimension - 1 - k)) & 1) == 0 ? 1.0 : -1.0;
    }

    /// <summary>
    /// The training set: n vertices drawn uniformly (independently, with replacement) from {±1}²⁰ by
    /// <see cref="SeededRandom"/>(seed), labelled by f.
    /// </summary>
    /// <param name="seed">Data seed.</param>
    /// <param name="samples">n ≥ 1 (default 1000).</param>
    /// <returns>The data set.</returns>
    public static DataSet<double> TrainingSet(long seed, int samples = DefaultSamples)
    {
        Guard.Positive(samples, nameof(samples));
        var random = new SeededRandom(seed);
        var x = new double[samples * Dimension];
        var y = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            Vertex((int)(random.NextUInt64() >> (64 - Dimension)), x.AsSpan(i * Dimension, Dimension));
            y[i] = Target(x.AsSpan(i * Dimension, Dimension));
        }
        return new DataSet<double>(x, y, Dimension);
    }

    /// <summary>
    /// The vertices [first, first + count) and their labels f, in lexicographic order: a chunk of the test set.
    /// </summary>
    /// <param name="first">First vertex index.</param>
    /// <param name="count">Number of vertices.</param>
    /// <returns>The chunk as a data set.</returns>
    public static DataSet<double> Vertices(int first, int count)
    {
        if (first < 0 || count < 1 || (long)first + count > VertexCount)
            throw new ArgumentOutOfRangeException(nameof(count), $"vertices: [{first}, {first + count}) is not within [0, 2^20).");
        var x = new double[count * Dimension];
        var y = new double[count];
        for (int i = 0; i < count; i++)
        {
            Span<double> xi = x.AsSpan(i * Dimension, Dimension);
            Vertex(first + i, xi);
            y[i] = Target(xi);
        }
        return new DataSet<double>(x, y, Dimension);
    }
}
