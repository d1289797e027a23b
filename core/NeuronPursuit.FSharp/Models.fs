// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Problems

/// Activations σ of the papers (the core's registry).
module Activation =
    /// σ(z) = max(z, 0).
    let relu = Activations.Relu
    /// σ(z) = max(z, αz).
    let leakyRelu (alpha: float) = Activations.LeakyRelu alpha
    /// σ(z) = max(z, 0)ᵖ.
    let reluPower (p: int) = Activations.ReluPower p
    /// σ(z) = max(z, αz)ᵖ.
    let leakyReluPower (alpha: float) (p: int) = Activations.LeakyReluPower(alpha, p)

    /// σ(z) = max(z, 0)ᵖ + εz: not homogeneous for ε ≠ 0.
    let perturbedReluPower (p: int) (epsilon: float) =
        Activations.PerturbedReluPower(p, epsilon)

    /// Parses an activation specification (`Activation.forms`).
    let parse (spec: string) = NetworkSpec.ParseActivation spec
    /// The accepted forms.
    let forms = Activations.Forms

/// Homogeneous networks.
module Net =
    /// H(x; W, v) = Σⱼ vⱼ σ(wⱼᵀx) with d inputs and m hidden neurons.
    let twoLayer (d: int) (m: int) (sigma: IActivation) : HomogeneousNetwork = TwoLayerNetwork(d, m, sigma)

    /// H(x) = W_L σ(… σ(W₁x)) with d inputs and hidden widths k₁ … k_{L−1}.
    let feedForward (d: int) (widths: int list) (sigma: IActivation) : HomogeneousNetwork =
        FeedForwardNetwork(d, List.toArray widths, sigma)

    /// H(x; W) = Σⱼ σ(wⱼᵀx), readout fixed to 1 (degree p for a p-homogeneous σ).
    let sumOfPowers (d: int) (m: int) (sigma: IActivation) : HomogeneousNetwork = SumOfPowersNetwork(d, m, sigma)

    /// The homogeneity degree L of H in its weights (fails for a non-homogeneous σ).
    let degree (net: HomogeneousNetwork) =
        if net.Degree.HasValue then
            net.Degree.Value
        else
            invalidArg "net" $"net: {net.Specification} is not positively homogeneous."

    /// The number of weights P.
    let parameterCount (net: HomogeneousNetwork) = net.ParameterCount
    /// Hidden widths k₁ … k_{L−1}.
    let widths (net: HomogeneousNetwork) = List.ofSeq net.HiddenWidths
