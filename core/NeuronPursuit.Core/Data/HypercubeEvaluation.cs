// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;
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

    private const int ChunkCount = HypercubeExample.VertexCount / ChunkSize;

    /// <summary>
    /// The error on all 2²⁰ vertices, chunk by chunk: chunk c holds vertices c·8192 … c·8192 + 8191; the two parts of a
    /// <see cref="TwoWaySplit"/> compute the errors of the even and of the odd chunks, each with one evaluator it loads
    /// chunk by chunk; then the squared errors are summed in vertex order. The result is the sequential one bit for bit,
    /// on one thread or two.
    /// </summary>
    /// <param name="network">A network with d = 20.</param>
    /// <param name="w">Its weights.</param>
    /// <returns>MSE and max error.</returns>
    public static CubeError OnAllVertices(FeedForwardNetwork network, ReadOnlySpan<double> w)
    {
        ArgumentNullException.ThrowIfNull(network);
        double[] weights = w.ToArray();
        var errors = new double[HypercubeExample.VertexCount];
        new TwoWaySplit(part =>
        {
            const int d = HypercubeExample.Dimension;
            var x = new double[ChunkSize * d];
            var y = new double[ChunkSize];
            FeatureMajorEvaluator? evaluator = null;
            for (int c = part; c < ChunkCount; c += 2)
            {
                for (int i = 0; i < ChunkSize; i++)
                {
                    Span<double> xi = x.AsSpan(i * d, d);
                    HypercubeExample.Vertex(c * ChunkSize + i, xi);
                    y[i] = HypercubeExample.Target(xi);
                }
                if (evaluator is null) evaluator = new FeatureMajorEvaluator(network, x);
                else evaluator.Load(x);
                evaluator.Forward(weights);
                ReadOnlySpan<double> h = evaluator.Outputs;
                Span<double> e = errors.AsSpan(c * ChunkSize, ChunkSize);
                for (int i = 0; i < ChunkSize; i++) e[i] = h[i] - y[i];
            }
        }).Run();
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
