// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow;

/// <summary>Counts of an integration.</summary>
/// <param name="Evaluations">Right-hand-side evaluations (including the first-step selection).</param>
/// <param name="AcceptedSteps">Accepted steps.</param>
/// <param name="RejectedSteps">Rejected steps (error too large, or a non-finite trial).</param>
public sealed record IntegrationStatistics(long Evaluations, long AcceptedSteps, long RejectedSteps);

/// <summary>The outcome of an integration.</summary>
/// <typeparam name="T">Scalar type.</typeparam>
/// <param name="Status">How it ended.</param>
/// <param name="Message">One line saying how it ended.</param>
/// <param name="FinalTime">The time reached.</param>
/// <param name="FinalState">The state at <paramref name="FinalTime"/>.</param>
/// <param name="Statistics">Evaluations and steps.</param>
/// <param name="Events">Every event that occurred, in time order.</param>
public sealed record FlowSolution<T>(IntegrationStatus Status, string Message, T FinalTime, T[] FinalState, IntegrationStatistics Statistics, IReadOnlyList<EventOccurrence> Events);
