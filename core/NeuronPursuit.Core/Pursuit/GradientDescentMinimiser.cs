// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// Full-batch gradient descent w ← w − η∇ℒ(w) on ℒ = (1/(2n))Σ(H − y)², one step per epoch, over all weights,
/// until the <see cref="InnerStopRule"/> fires (Neuron Pursuit's minimisation, docs/claims.md NP-3): converged, at
/// the loss floor or the epoch cap, diverged (a non-finite or exploding loss), or interrupted through the options'
/// cancellation token. The epoch loop allocates nothing.
/// </summary>
public static class GradientDescentMinimiser
{
    /// <summary>Minimises in place.</summary>
    /// <param name="network">The network.</param>
    /// <param name="data">The data.</param>
    /// <param name="w">Weights; updated in place.</param>
    /// <param name="options">η, the stop rule and the recording interval.</param>
    /// <param name="progress">Receives (epoch, loss) every 1000 epochs, or null.</param>
    /// <param name="estimateSharpness">Whether to estimate λ_max of ∇²ℒ at the start before the first step (the
    /// stability check η &lt; 2/λ_max); it is estimated after a divergence in any case.</param>
    /// <returns>Epochs, losses, why it stopped and, when estimated, λ_max at the start.</returns>
    public static MinimisationResult Minimise(FeedForwardNetwork network, DataSet<double> data, Span<double> w,
        PursuitOptions options, IProgress<(long Epoch, double Loss)>? progress = null, bool estimateSharpness = false)
    {
        var kernel = new SquareLossKernel(network, data);
        double[] start = w.ToArray();
        EigenvalueEstimate? sharpness = estimateSharpness ? LossSharpness.TryAt(network, data, start) : null;
        MinimisationResult result = Minimise(kernel, w, options, progress);
        if (result.Reason == InnerStopReason.Diverged) sharpness ??= LossSharpness.TryAt(network, data, start);
        return result with { Sharpness = sharpness };
    }

    /// <summary>Minimises in place with a prepared kernel.</summary>
    /// <param name="kernel">Loss and gradient.</param>
    /// <param name="w">Weights; updated in place.</param>
    /// <param name="options">η, the stop rule, the recording interval and the cancellation token (checked every
    /// epoch).</param>
    /// <param name="progress">Receives (epoch, loss) every 1000 epochs, or null.</param>
    /// <returns>Epochs, losses and why it stopped.</returns>
    public static MinimisationResult Minimise(SquareLossKernel kernel, Span<double> w, PursuitOptions options,
        IProgress<(long Epoch, double Loss)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(options);
        var rule = new InnerStopRule(options, ZeroNetworkLoss(kernel.Labels));
        var gradient = new double[w.Length];
        var epochs = new List<long>();
        var losses = new List<double>();
        double eta = options.LearningRate;
        CancellationToken cancellation = options.Cancellation;
        long epoch = 0;
        double loss;
        InnerStopReason reason;
        while (true)
        {
            loss = kernel.ValueAndGradient(w, gradient);
            if (epoch % options.RecordEvery == 0) { epochs.Add(epoch); losses.Add(loss); }
            if (rule.ShouldStop(epoch, loss, out reason)) break;
            if (cancellation.IsCancellationRequested) { reason = InnerStopReason.Interrupted; break; }
            if (progress is not null && epoch % 1000 == 0) progress.Report((epoch, loss));
            for (int k = 0; k < w.Length; k++) w[k] -= eta * gradient[k];
            epoch++;
        }
        if (epochs[^1] != epoch) { epochs.Add(epoch); losses.Add(loss); }
        return new MinimisationResult(epoch, rule.StartLoss, loss, reason, epochs, losses);
    }

    /// <summary>ℒ(0) = (1/(2n))Σyᵢ², the loss of the zero network: the scale of the divergence test.</summary>
    /// <param name="labels">y.</param>
    /// <returns>ℒ(0).</returns>
    internal static double ZeroNetworkLoss(ReadOnlySpan<double> labels)
    {
        double sum = 0;
        foreach (double y in labels) sum += y * y;
        return labels.Length == 0 ? 0.0 : sum / (2.0 * labels.Length);
    }
}
