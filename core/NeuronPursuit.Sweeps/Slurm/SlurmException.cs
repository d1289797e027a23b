// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Sweeps.Slurm;

/// <summary>Slurm could not do what was asked (sbatch missing or refusing the job); the message is one line.</summary>
/// <param name="message">What went wrong.</param>
public sealed class SlurmException(string message) : Exception(message);
