// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Objectives;

/// <summary>
/// How per-sample losses are combined. The papers' square loss is ½ Σᵢ (H(xᵢ) − yᵢ)², a sum
/// (Kumar &amp; Haupt, arXiv 2402.09226); whether an experiment divides by n is not always stated, so
/// the choice is explicit in every configuration.
/// </summary>
public enum LossNormalisation
{
    /// <summary>Σᵢ ℓᵢ.</summary>
    Sum,

    /// <summary>(1/n) Σᵢ ℓᵢ.</summary>
    Mean,
}
