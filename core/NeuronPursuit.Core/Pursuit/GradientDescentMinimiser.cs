// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// Watches a minimisation every <see cref="PursuitOptions.StopWindow"/> epochs (validation monitoring): returns true to
/// end it (<see cref="InnerStopReason.EarlyStopped"/>).
/// </summary>
/// <param name="epoch">Epochs taken in this minimisation.</param>
/// <param name="loss">The training loss at w.</param>
/// <param name="w">The current weights (do not keep the span).</param>
/// <returns>True to stop.</returns>
public delegate bool EpochMonitor(long epoch, double loss, ReadOnlySpan<double> w);

/// <summary>
/// Full-batch gradient descent w ← w − η∇ℒ(w) on ℒ = (1/n)Σℓ (default (1/(2n))Σ(H − y)²), one step per epoch, over all
/// weights, until the <see cref="InnerStopRule"/> fires (Neuron Pursuit's minimisation, docs/claims.md NP-3): converged,
/// at the loss floor or the epoch cap, diverged (a non-finite or exploding loss), stopped by a monitor (validation),
/// outpaced in a race (pruning), or interrupted through the options' cancellation token. The epoch loop allocates nothing.
/// </summary>
public static class GradientDescentMinimiser
{
    /// <summary>Minimises in place.</summary>
    /// <param name="network">The network.</param>
    /// <param name="data">The data.</param>
    /// <param name="w">Weights; updated in place.</param>
    /// <param name="options">η, the stop rule and the recording interval.</param>
    /// <param name="progress">Receives (epoch, loss) every 1000 epochs, or null.</param>
    /// <param name="monitor">Called every stop window, or null.</param>
    /// <param name="estimateSharpness">Whether to estimate λ_max of ∇²ℒ at the start before the first step (the
    /// stability check η &lt; 2/λ_max); it is estimated after a divergence in any case.</param>
    /// <param name="race">The race this minimisation runs in, or null (see the other overload).</param>
    /// <returns>Epochs, losses, why it stopped and, when estimated, λ_max at the start.</returns>
    public static MinimisationResult Minimise(FeedForwardNetwork network, DataSet<double> data, Span<double> w,
        PursuitOptions options, IProgress<(long Epoch, double Loss)>? progress = null, EpochMonitor? monitor = null,
        bool estimateSharpness = false, FewestEpochs? race = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ITrainingLoss kernel = TrainingLoss.Create(options.Loss, network, data);
        double[] start = w.ToArray();
        EigenvalueEstimate? sharpness = estimateSharpness ? LossSharpness.TryAt(options.Loss, network, data, start) : null;
        MinimisationResult result = Minimise(kernel, w, options, progress, monitor, race);
        if (result.Reason == InnerStopReason.Diverged) sharpness ??= LossSharpness.TryAt(options.Loss, network, data, start);
        return result with { Sharpness = sharpness };
    }

    /// <summary>Minimises in place with a prepared kernel.</summary>
    /// <param name="kernel">Loss and gradient.</param>
    /// <param name="w">Weights; updated in place.</param>
    /// <param name="options">η, the stop rule, the recording interval and the cancellation token (checked every
    /// epoch).</param>
    /// <param name="progress">Receives (epoch, loss) every 1000 epochs, or null.</param>
    /// <param name="monitor">Called every <see cref="PursuitOptions.StopWindow"/> epochs, or null.</param>
    /// <param name="race">The race this minimisation runs in, or null: once the stop rule would take another step at an
    /// epoch count at which a concurrent run has already reached the goal, the step cannot make this run the fastest, and
    /// it stops (<see cref="InnerStopReason.Outpaced"/>). The path up to that point is the one without the race.</param>
    /// <remarks>The divergence test's reference loss is ℒ(0), the loss of the zero network (<see cref="InnerStopRule"/>);
    /// the options' cancellation token is checked every epoch.</remarks>
    /// <returns>Epochs, losses and why it stopped.</returns>
    public static MinimisationResult Minimise(ITrainingLoss kernel, Span<double> w, PursuitOptions options,
        IProgress<(long Epoch, double Loss)>? progress = null, EpochMonitor? monitor = null, FewestEpochs? race = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(options);
        var rule = new InnerStopRule(options, ZeroNetworkLoss(v => kernel.Value(v), w.Length));
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
            if (race is not null && !race.CanStillWin(epoch)) { reason = InnerStopReason.Outpaced; break; }
            if (cancellation.IsCancellationRequested) { reason = InnerStopReason.Interrupted; break; }
            if (monitor is not null && epoch > 0 && epoch % options.StopWindow == 0 && monitor(epoch, loss, w))
            {
                reason = InnerStopReason.EarlyStopped;
                break;
            }
            if (progress is not null && epoch % 1000 == 0) progress.Report((epoch, loss));
            for (int k = 0; k < w.Length; k++) w[k] -= eta * gradient[k];
            epoch++;
        }
        if (epochs[^1] != epoch) { epochs.Add(epoch); losses.Add(loss); }
        return new MinimisationResult(epoch, rule.StartLoss, loss, reason, epochs, losses);
    }

    /// <summary>ℒ(0), the loss of the zero network (for the square loss (1/(2n))Σyᵢ², for the logistic loss ln 2): the
    /// scale of the divergence test.</summary>
    /// <param name="loss">ℒ.</param>
    /// <param name="parameterCount">P, the length of w.</param>
    /// <returns>ℒ(0).</returns>
    internal static double ZeroNetworkLoss(Func<double[], double> loss, int parameterCount) => loss(new double[parameterCount]);
}
