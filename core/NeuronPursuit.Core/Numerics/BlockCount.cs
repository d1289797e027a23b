// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// A count known to the compiler (the rows of a register block, its vectors of samples, its outputs), so that a block
/// kernel generic in it is compiled once per count with no branches on it and its accumulators in registers.
/// </summary>
internal interface IBlockCount
{
    /// <summary>The count.</summary>
    static abstract int Count { get; }
}

/// <summary>The count 1.</summary>
internal readonly struct One : IBlockCount
{
    public static int Count => 1;
}

/// <summary>The count 2.</summary>
internal readonly struct Two : IBlockCount
{
    public static int Count => 2;
}

/// <summary>The count 3.</summary>
internal readonly struct Three : IBlockCount
{
    public static int Count => 3;
}

/// <summary>The count 4.</summary>
internal readonly struct Four : IBlockCount
{
    public static int Count => 4;
}
