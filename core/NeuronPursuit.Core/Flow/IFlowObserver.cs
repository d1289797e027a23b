// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow;

/// <summary>
/// Records derived quantities at requested times from the dense output, without storing the
/// trajectory. The integrator calls <see cref="Observe"/> once for every requested time in
/// [t₀, t_end] that it passes, in increasing order.
/// </summary>
public interface IFlowObserver
{
    /// <summary>The requested times, ascending.</summary>
    IReadOnlyList<double> Times { get; }

    /// <summary>Receives the state (rounded to double) at one requested time.</summary>
    /// <param name="t">The time.</param>
    /// <param name="y">The state at t.</param>
    void Observe(double t, ReadOnlySpan<double> y);
}
