// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Kkt;

/// <summary>
/// Settings of <see cref="SphericalAscent"/>. Defaults: KKT tolerance 1e-9, 20,000 steps, initial step 1,
/// Armijo constant 1e-4, step bounds [1e-14, 1e6].
/// </summary>
public sealed record SphericalAscentOptions
{
    /// <summary>Stop when the relative KKT residual r(û) ≤ this (default 1e-9).</summary>
    public double KktTolerance { get; init; } = 1e-9;

    /// <summary>Budget of accepted steps (default 20,000).</summary>
    public int MaxSteps { get; init; } = 20_000;

    /// <summary>First trial step s in û ← (û + s·g⊥)/‖·‖ (default 1). The step adapts: doubled after
    /// an accepted step, halved on rejection.</summary>
    public double InitialStep { get; init; } = 1.0;

    /// <summary>Sufficient-increase constant c of the Armijo test N(trial) ≥ N(û) + c·s·‖g⊥‖² (default 1e-4).</summary>
    public double ArmijoConstant { get; init; } = 1e-4;

    /// <summary>The line search gives up below this step (default 1e-14).</summary>
    public double MinStep { get; init; } = 1e-14;

    /// <summary>Steps are capped at this (default 1e6).</summary>
    public double MaxStep { get; init; } = 1e6;

    /// <summary>Throws unless every setting is finite and in range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!(KktTolerance >= 0 && double.IsFinite(KktTolerance)))
            throw new ArgumentException($"KktTolerance: must be finite and ≥ 0, got {KktTolerance}.", nameof(KktTolerance));
        if (MaxSteps < 0)
            throw new ArgumentException($"MaxSteps: must be ≥ 0, got {MaxSteps}.", nameof(MaxSteps));
        if (!(MinStep > 0 && MinStep <= InitialStep && InitialStep <= MaxStep && double.IsFinite(MaxStep)))
            throw new ArgumentException($"InitialStep: need 0 < MinStep ≤ InitialStep ≤ MaxStep < ∞, got {MinStep}, {InitialStep}, {MaxStep}.", nameof(InitialStep));
        if (!(ArmijoConstant > 0 && ArmijoConstant < 1))
            throw new ArgumentException($"ArmijoConstant: must lie in (0, 1), got {ArmijoConstant}.", nameof(ArmijoConstant));
    }
}
