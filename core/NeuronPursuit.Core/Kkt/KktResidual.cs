// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Kkt;

/// <summary>
/// First-order optimality of a unit vector û for max N(u) s.t. ‖u‖ = 1: the KKT condition is
/// ∇N(û) = λ û, and by Euler's identity λ = ⟨∇N(û), û⟩ = L·N(û) for an L-homogeneous N
/// (Kumar &amp; Haupt, arXiv 2402.09226; docs/claims.md (Notation and background)).
/// </summary>
public static class KktResidual
{
    /// <summary>
    /// The relative KKT residual r(û) = ‖∇N(û) − ⟨∇N(û), û⟩û‖ / ‖∇N(û)‖ (docs/claims.md (Notation and background)):
    /// the size of the tangential (spherical) gradient relative to the whole gradient. It is 0 at a KKT
    /// point and at most 1. A zero gradient counts as stationary and gives 0.
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="unitDirection">û, ‖û‖ = 1 (not checked; normalise first).</param>
    /// <param name="gradient">∇N(û), same length.</param>
    /// <returns>r(û) ∈ [0, 1].</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static T Of<T>(ReadOnlySpan<T> unitDirection, ReadOnlySpan<T> gradient)
        where T : struct, INumber<T>, IRootFunctions<T>
    {
        Numerics.Guard.SameLength(gradient.Length, unitDirection.Length, nameof(gradient), nameof(unitDirection));
        T lambda = T.Zero, gradient2 = T.Zero;
        for (int i = 0; i < gradient.Length; i++)
        {
            lambda += gradient[i] * unitDirection[i];
            gradient2 += gradient[i] * gradient[i];
        }
        if (T.IsZero(gradient2)) return T.Zero;
        T tangential2 = T.Zero;
        for (int i = 0; i < gradient.Length; i++)
        {
            T g = gradient[i] - lambda * unitDirection[i];
            tangential2 += g * g;
        }
        return T.Sqrt(tangential2 / gradient2);
    }
}
