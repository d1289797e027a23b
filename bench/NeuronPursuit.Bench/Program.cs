// SPDX-License-Identifier: MIT
using BenchmarkDotNet.Running;

namespace NeuronPursuit.Bench;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/NeuronPursuit.Bench -- --filter '*'</c> for the
/// BenchmarkDotNet benchmarks, <c>-- kernels</c> for the <see cref="KernelThroughput"/> table (<c>-- kernels paper-size</c>: its last row).</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line.</summary>
    /// <param name="args">BenchmarkDotNet arguments (e.g. --filter).</param>
    public static void Main(string[] args)
    {
        if (args is ["kernels", ..]) KernelThroughput.Run(Console.Out, paperSizeOnly: args is [_, "paper-size", ..]);
        else BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
