// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>The outcome of one minimisation of ℒ = (1/(2n))Σ(H − y)² after an addition.</summary>
/// <param name="Epochs">Epochs (GD steps, or flow time / η) taken.</param>
/// <param name="LossBefore">ℒ at the start.</param>
/// <param name="LossAfter">ℒ at the end.</param>
/// <param name="Reason">Why it stopped.</param>
/// <param name="LossEpochs">Epochs at which the loss was recorded (every <see cref="PursuitOptions.RecordEvery"/>
/// epochs, and the last), counted from the start of this minimisation.</param>
/// <param name="LossValues">The recorded losses.</param>
public sealed record MinimisationResult(long Epochs, double LossBefore, double LossAfter, InnerStopReason Reason,
    IReadOnlyList<long> LossEpochs, IReadOnlyList<double> LossValues)
{
    /// <summary>λ_max of ∇²ℒ at the start of the minimisation (power iteration on exact Hessian–vector products), when
    /// it was estimated: before the first minimisation, and after any that diverged; else null.</summary>
    public EigenvalueEstimate? Sharpness { get; init; }
}
