// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Flow;
using NeuronPursuit.Core.Flow.Methods;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// The minimisation after an addition by the gradient-flow integrator instead of GD: dw/dt = −∇ℒ(w) on
/// ℒ = (1/(2n))Σ(H − y)² with <see cref="FlowSolver"/>, in segments of flow time η·(stop window), with the
/// same <see cref="InnerStopRule"/> applied at the segment ends, where one "epoch" is η of flow time (so that
/// explicit Euler with step η is GD). Fixed-step methods use step η; adaptive ones their default tolerances. A blown-up
/// loss (or state) ends it as diverged, the options' cancellation token as interrupted.
/// </summary>
public static class GradientFlowMinimiser
{
    /// <summary>Minimises in place.</summary>
    /// <param name="network">The network.</param>
    /// <param name="data">The data.</param>
    /// <param name="w">Weights; updated in place.</param>
    /// <param name="options">η, <see cref="PursuitOptions.FlowMethod"/> and the stop rule.</param>
    /// <param name="monitor">Called at every segment end, or null.</param>
    /// <returns>Epochs (flow time / η), losses and why it stopped.</returns>
    /// <exception cref="ArgumentException">Unknown method name.</exception>
    public static MinimisationResult Minimise(FeedForwardNetwork network, DataSet<double> data, Span<double> w, PursuitOptions options,
        EpochMonitor? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        IRungeKuttaMethod method = MethodRegistry.Get(options.FlowMethod);
        var objective = new LossObjective<double>(network, options.Loss, data);
        var system = new GradientFlowSystem<double>(objective);
        var integration = method.EmbeddedOrder is null
            ? new IntegrationOptions { FixedStep = options.LearningRate, Cancellation = options.Cancellation }
            : new IntegrationOptions { InitialStep = options.LearningRate, Cancellation = options.Cancellation };
        var rule = new InnerStopRule(options, GradientDescentMinimiser.ZeroNetworkLoss(v => objective.Value(v), w.Length));
        double[] start = w.ToArray();
        double eta = options.LearningRate;
        int segment = options.StopWindow;
        var epochs = new List<long>();
        var losses = new List<double>();
        double[] state = w.ToArray();
        long epoch = 0;
        double loss = objective.Value(state);
        InnerStopReason reason;
        while (true)
        {
            epochs.Add(epoch);
            losses.Add(loss);
            if (rule.ShouldStop(epoch, loss, out reason)) break;
            if (monitor is not null && epoch > 0 && monitor(epoch, loss, state))
            {
                reason = InnerStopReason.EarlyStopped;
                break;
            }
            long length = Math.Min(segment, options.MaxEpochs - epoch);
            FlowSolution<double> s = FlowSolver.Solve(system, method, 0.0, state, length * eta, integration);
            state = s.FinalState;
            epoch += length;
            loss = objective.Value(state);
            if (s.Status is not (IntegrationStatus.Completed or IntegrationStatus.TerminalEvent))
            {
                epochs.Add(epoch);
                losses.Add(loss);
                reason = s.Status == IntegrationStatus.Interrupted ? InnerStopReason.Interrupted
                    : double.IsFinite(loss) && s.Status != IntegrationStatus.Diverged ? InnerStopReason.EpochCap
                    : InnerStopReason.Diverged;
                break;
            }
        }
        state.CopyTo(w);
        return new MinimisationResult(epoch, rule.StartLoss, loss, reason, epochs, losses)
        {
            Sharpness = reason == InnerStopReason.Diverged ? LossSharpness.TryAt(options.Loss, network, data, start) : null,
        };
    }
}
