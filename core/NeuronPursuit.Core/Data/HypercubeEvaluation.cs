// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Pursuit;

namespace NeuronPursuit.Core.Data;

/// <summary>Test error of a network on all 2²⁰ vertices of the hypercube demo.</summary>
/// <param name="MeanSquaredError">(1/2²⁰) Σ_v (H(v) − f(v))².</param>
/// <param name="MaxAbsoluteError">max_v |H(v) − f(v)|.</param>
public readonly record struct CubeError(double MeanSquaredError, double MaxAbsoluteError);

/// <summary>
/// Evaluation of a learned network against the target f of <see cref="HypercubeExample"/> on the whole cube,
/// in chunks of vertices (never 2²⁰ samples at once), and on a regular subsample for plots.
/// </summary>
public static class HypercubeEvaluation
{
    /// <summary>Vertices per chunk (8192: a 1.3 MB input block).</summary>
    public const int ChunkSize = 8192;

    /// <summary>The error on all 2²⁰ vertices, chunk by chunk: the chunks' outputs in parallel, then the errors summed
    /// in vertex order, so the result does not depend on the thread count.</summary>
    /// <param name="network">A network with d = 20.</param>
    /// <param name="w">Its weights.</param>
    /// <param name="parallelism">Threads for the chunks (default -1: as many as the machine has).</param>
    /// <returns>MSE and max error.</returns>
    public static CubeError OnAllVertices(FeedForwardNetwork network, ReadOnlySpan<double> w, int parallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(network);
        double[] weights = w.ToArray();
        var errors = new double[HypercubeExample.VertexCount];
        Parallel.For(0, HypercubeExample.VertexCount / ChunkSize, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, c =>
        {
            DataSet<double> chunk = HypercubeExample.Vertices(c * ChunkSize, ChunkSize);
            var evaluator = new FeatureMajorEvaluator(network, chunk.X);
            evaluator.Forward(weights);
            ReadOnlySpan<double> h = evaluator.Outputs;
            Span<double> e = errors.AsSpan(c * ChunkSize, ChunkSize);
            for (int i = 0; i < h.Length; i++) e[i] = h[i] - chunk.Y[i];
        });
        double sum = 0, max = 0;
        foreach (double e in errors)
        {
            sum += e * e;
            max = Math.Max(max, Math.Abs(e));
        }
        return new CubeError(sum / HypercubeExample.VertexCount, max);
    }

    /// <summary>Learned and true values at every <paramref name="stride"/>-th vertex in lexicographic order.</summary>
    /// <param name="network">A network with d = 20.</param>
    /// <param name="w">Its weights.</param>
    /// <param name="stride">Index step ≥ 1 (an odd stride such as 257 varies every coordinate).</param>
    /// <returns>The vertex indices, H and f there.</returns>
    public static (int[] Index, double[] Learned, double[] Target) Subsample(FeedForwardNetwork network, ReadOnlySpan<double> w, int stride)
    {
        ArgumentNullException.ThrowIfNull(network);
        Numerics.Guard.Positive(stride, nameof(stride));
        int count = (HypercubeExample.VertexCount + stride - 1) / stride;
        var index = new int[count];
        var x = new double[count * HypercubeExample.Dimension];
        var target = new double[count];
        for (int i = 0; i < count; i++)
        {
            index[i] = i * stride;
            Span<double> xi = x.AsSpan(i * HypercubeExample.Dimension, HypercubeExample.Dimension);
            HypercubeExample.Vertex(index[i], xi);
            target[i] = HypercubeExample.Target(xi);
        }
        var evaluator = new FeatureMajorEvaluator(network, x);
        evaluator.Forward(w);
        return (index, evaluator.Outputs.ToArray(), target);
    }
}
