// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow;

/// <summary>How an integration ended.</summary>
public enum IntegrationStatus
{
    /// <summary>The end time was reached.</summary>
    Completed,

    /// <summary>A terminal event stopped the integration at its time.</summary>
    TerminalEvent,

    /// <summary>The step limit was reached before the end time.</summary>
    MaxStepsReached,

    /// <summary>The step size fell below the minimum (or t + h = t): the problem is too stiff or singular for the method and tolerance.</summary>
    StepSizeTooSmall,

    /// <summary>A fixed step produced a non-finite state: the step is beyond the method's stability limit (for Euler,
    /// i.e. gradient descent, η above 2/λ_max of the loss Hessian), and the iteration blew up.</summary>
    Diverged,

    /// <summary>The caller's cancellation token was signalled (e.g. Ctrl-C); the state is the last accepted step's.</summary>
    Interrupted,
}
