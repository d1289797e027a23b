// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow;

/// <summary>A named scalar derived from the state, recorded along a flow (loss, ‖w‖, a neuron's norm, …).</summary>
/// <param name="Name">Column name in series files.</param>
/// <param name="Evaluate">The quantity as a function of the state (rounded to double).</param>
public sealed record FlowQuantity(string Name, Func<double[], double> Evaluate);
