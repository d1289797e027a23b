// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Torch;

/// <summary>The outcome of full-batch gradient descent w_{k+1} = w_k − η ∇ℒ(w_k).</summary>
/// <param name="Weights">The final weights w_K.</param>
/// <param name="Losses">ℒ(w_k) for k = 0 … K − 1, the loss before each step.</param>
public sealed record GradientDescentRun(double[] Weights, double[] Losses);
