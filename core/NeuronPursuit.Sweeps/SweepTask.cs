// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Sweeps;

/// <summary>One task of a sweep: its index (0-based, fixed by the deterministic expansion of the grid, and the Slurm
/// array index) and its parameters (one value per axis, in axis order).</summary>
/// <param name="Index">0 … N − 1.</param>
/// <param name="Parameters">Axis name → value.</param>
public sealed record SweepTask(int Index, SweepValues Parameters);
