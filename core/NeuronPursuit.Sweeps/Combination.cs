// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Sweeps;

/// <summary>How the axes of a sweep combine into tasks.</summary>
public enum Combination
{
    /// <summary>Every combination of values (the Cartesian product), the first axis varying slowest.</summary>
    Product,

    /// <summary>The k-th task takes the k-th value of every axis; the axes have equal lengths.</summary>
    Zip,
}
