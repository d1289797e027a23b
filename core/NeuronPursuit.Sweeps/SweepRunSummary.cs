// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Sweeps;

/// <summary>What a local run did.</summary>
/// <param name="Total">Tasks in the sweep.</param>
/// <param name="Skipped">Tasks already done before this run (not run again).</param>
/// <param name="Ran">Tasks this run started.</param>
/// <param name="Done">Tasks done at the end.</param>
/// <param name="Failed">Tasks failed at the end.</param>
/// <param name="WallSeconds">Wall time of this run.</param>
public sealed record SweepRunSummary(int Total, int Skipped, int Ran, int Done, int Failed, double WallSeconds);
