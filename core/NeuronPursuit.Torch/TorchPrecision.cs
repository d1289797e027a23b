// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Torch;

/// <summary>The floating-point type libtorch computes in.</summary>
public enum TorchPrecision
{
    /// <summary>IEEE double (torch.float64): the precision of differential tests against the core.</summary>
    Float64,

    /// <summary>IEEE single (torch.float32): for larger, faster training runs.</summary>
    Float32,
}
