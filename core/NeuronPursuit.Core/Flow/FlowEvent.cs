// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow;

/// <summary>An event function g(t, y), evaluated on the state rounded to double.</summary>
/// <param name="t">Time.</param>
/// <param name="y">State.</param>
/// <returns>g(t, y); the event occurs where g crosses zero.</returns>
public delegate double EventFunction(double t, ReadOnlySpan<double> y);

/// <summary>Which zero crossings of g count.</summary>
public enum CrossingDirection
{
    /// <summary>Both directions.</summary>
    Any,

    /// <summary>g goes from negative to non-negative.</summary>
    Rising,

    /// <summary>g goes from positive to non-positive.</summary>
    Falling,
}

/// <summary>
/// An event: a zero crossing of g(t, y) located by root finding on the dense output of accepted steps
/// (never on rejected steps), as in SciPy's solve_ivp and DifferentialEquations.jl's callbacks.
/// </summary>
/// <param name="Name">Name in reports.</param>
/// <param name="Function">g.</param>
/// <param name="Direction">Crossings that count.</param>
/// <param name="Terminal">Whether the first occurrence stops the integration.</param>
public sealed record FlowEvent(string Name, EventFunction Function, CrossingDirection Direction = CrossingDirection.Any, bool Terminal = false);

/// <summary>An event that occurred.</summary>
/// <param name="Name">The event's name.</param>
/// <param name="Time">The located crossing time.</param>
/// <param name="State">The state at that time (dense output, rounded to double).</param>
/// <param name="Rising">Whether g was rising through zero.</param>
public sealed record EventOccurrence(string Name, double Time, double[] State, bool Rising);
