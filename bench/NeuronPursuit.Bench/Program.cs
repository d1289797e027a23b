// SPDX-License-Identifier: MIT
using BenchmarkDotNet.Running;

namespace NeuronPursuit.Bench;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/NeuronPursuit.Bench -- --filter '*'</c> for the
/// BenchmarkDotNet benchmarks, <c>-- kernels [double] [paper]</c> for the <see cref="KernelThroughput"/> table
/// (<c>double</c>: without the double-double columns; <c>paper</c>: the paper-size row only, with the
/// double-double reference passes timed too).</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line.</summary>
    /// <param name="args">BenchmarkDotNet arguments (e.g. --filter).</param>
    public static void Main(string[] args)
    {
        if (args is ["kernels", ..]) KernelThroughput.Run(Console.Out, doubleDouble: !args.Contains("double"), grid: !args.Contains("paper"));
        else BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
