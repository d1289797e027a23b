// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow.Methods;

/// <summary>
/// Coefficients of RODAS, the stiffly accurate, L-stable Rosenbrock method of order 4 with an embedded
/// method of order 3 and six stages (Hairer &amp; Wanner, "Solving Ordinary Differential Equations II",
/// 2nd ed., Springer 1996, §VI.4 (the method RODAS) and the authors' code rodas.f with METH = 1; the same
/// values appear in Numerical Recipes 3rd ed., §17.5.1, StepperRoss). In the formulation of rodas.f, with
/// E = (1/(γh)) I − J and the stage arguments Yᵢ = y₀ + Σⱼ₍ⱼ₌₁..ᵢ₋₁₎ aᵢⱼ kⱼ,
/// <code>
///   E kᵢ = f(Yᵢ) + Σⱼ₍ⱼ₌₁..ᵢ₋₁₎ (cᵢⱼ/h) kⱼ   (+ h dᵢ ∂f/∂t, dropped: the gradient flow is autonomous),
///   y₁ = Y₆ + k₆,   embedded ŷ₁ = Y₆,   error estimate y₁ − ŷ₁ = k₆,
/// </code>
/// where Y₆ = Y₅ + k₅ (a₆ⱼ = a₅ⱼ, a₆₅ = 1) and c₅ = c₆ = 1: both solutions are stiffly accurate, so
/// R(∞) = 0. The coefficients are the published 16-digit decimals: in double-double they satisfy the
/// order conditions only to ≈ 1e-16, which bounds the accuracy of a double-double integration by this
/// method (use dop853 for double-double accuracy).
/// </summary>
public static class Rodas4Tableau
{
    /// <summary>Number of stages s.</summary>
    public const int Stages = 6;

    /// <summary>The diagonal γ of the method.</summary>
    public const double Gamma = 0.25;

    /// <summary>aᵢⱼ for i = 2 … 6 (row i − 2 holds aᵢ₁ … aᵢ,ᵢ₋₁): the stage arguments.</summary>
    public static readonly double[][] A =
    [
        [1.544],
        [0.9466785280815826, 0.2557011698983284],
        [3.314825187068521, 2.896124015972201, 0.9986419139977817],
        [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950],
        [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950, 1.0],
    ];

    /// <summary>cᵢⱼ for i = 2 … 6 (row i − 2 holds cᵢ₁ … cᵢ,ᵢ₋₁): the couplings of earlier stages in each linear system.</summary>
    public static readonly double[][] C =
    [
        [-5.6688],
        [-2.430093356833875, -0.2063599157091915],
        [-0.1073529058151375, -9.594562251023355, -20.47028614809616],
        [7.496443313967647, -10.24680431464352, -33.99990352819905, 11.70890893206160],
        [8.083246795921522, -7.981132988064893, -31.52159432874371, 16.31930543123136, -6.058818238834054],
    ];

    /// <summary>The stage times cᵢ (fractions of h) for i = 1 … 6.</summary>
    public static readonly double[] Nodes = [0.0, 0.386, 0.21, 0.63, 1.0, 1.0];
}
