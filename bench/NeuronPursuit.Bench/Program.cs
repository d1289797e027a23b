// SPDX-License-Identifier: MIT
using BenchmarkDotNet.Running;

namespace NeuronPursuit.Bench;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/NeuronPursuit.Bench -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line.</summary>
    /// <param name="args">BenchmarkDotNet arguments (e.g. --filter).</param>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
