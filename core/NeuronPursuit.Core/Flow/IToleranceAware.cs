// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow;

/// <summary>
/// A stepper with an inner iteration (an implicit method's Newton iteration) that stops when its error is well below
/// the integration's tolerances. The integrator passes them before the first step; without them the iteration runs to
/// the precision of the scalar type.
/// </summary>
public interface IToleranceAware
{
    /// <summary>The tolerances of the integration.</summary>
    /// <param name="relative">rtol.</param>
    /// <param name="absolute">atol of every component.</param>
    /// <param name="perComponent">Per-component atol that overrides <paramref name="absolute"/>, or null.</param>
    void UseTolerances(double relative, double absolute, IReadOnlyList<double>? perComponent);
}
