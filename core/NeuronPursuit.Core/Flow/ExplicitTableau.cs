// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow;

/// <summary>
/// The Butcher tableau of an explicit Runge–Kutta method, coefficients as text (see
/// <see cref="TableauCoefficient"/>): nodes c, the strictly lower-triangular A (row i holds a_{i,0..i−1}),
/// weights b, and optionally the error weights e = b − b̂ of an embedded pair.
/// </summary>
/// <param name="C">Nodes c_i.</param>
/// <param name="A">Rows of A.</param>
/// <param name="B">Weights b_i of the propagated solution.</param>
/// <param name="ErrorWeights">e_i = b_i − b̂_i, or null without an embedded solution.</param>
/// <param name="FirstSameAsLast">Whether the last stage is evaluated at y(t + h) (FSAL), so that it is f(t + h, y(t + h)).</param>
public sealed record ExplicitTableau(string[] C, string[][] A, string[] B, string[]? ErrorWeights, bool FirstSameAsLast)
{
    /// <summary>The number of stages s.</summary>
    public int Stages => B.Length;
}
