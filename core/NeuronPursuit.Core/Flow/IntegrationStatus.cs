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
}
