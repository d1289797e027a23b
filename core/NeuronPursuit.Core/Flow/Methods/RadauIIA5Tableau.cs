// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Flow.Methods;

/// <summary>
/// The coefficients of the three-stage Radau IIA collocation method of order 5 (Ehle 1969; Hairer &amp; Wanner,
/// Solving ODEs II, 2nd ed., §IV.5, Table 5.6, and §IV.8 for RADAU5's error estimate), computed in the scalar type
/// from their closed forms in √6 and cube roots of 3, so that a double-double integration gets every digit
/// (decimal coefficients would limit it to about 1e-16):
/// <code>
///   c = ((4 − √6)/10, (4 + √6)/10, 1)
///   A = [ (88 − 7√6)/360       (296 − 169√6)/1800   (−2 + 3√6)/225
///         (296 + 169√6)/1800   (88 + 7√6)/360       (−2 − 3√6)/225
///         (16 − √6)/36         (16 + √6)/36         1/9            ]     (b = last row: stiffly accurate)
///   error estimate: (γ/h I − J)⁻¹ (f(y₀) + Σᵢ eᵢ Zᵢ / h),  e = (−13 − 7√6, −13 + 7√6, −1)/3,  γ = 3 + 3^{2/3} − 3^{1/3}
/// </code>
/// (γ is the real eigenvalue of A⁻¹). The dense output is the collocation polynomial u(θ) = Σₖ qₖθᵏ, k = 1 … 3,
/// through u(cᵢ) = Zᵢ: q = P Z with P the inverse of the matrix (cᵢᵏ), computed here in the scalar type.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
internal sealed class RadauIIA5Tableau<T> where T : struct, INumber<T>, IRootFunctions<T>
{
    /// <summary>Computes the coefficients in <typeparamref name="T"/>.</summary>
    internal RadauIIA5Tableau()
    {
        T s6 = T.Sqrt(T.CreateTruncating(6));
        T Q(int numerator, int sqrtCoefficient, int denominator) =>
            (T.CreateTruncating(numerator) + T.CreateTruncating(sqrtCoefficient) * s6) / T.CreateTruncating(denominator);
        Nodes = [Q(4, -1, 10), Q(4, 1, 10), T.One];
        A = new T[3, 3]
        {
            { Q(88, -7, 360), Q(296, -169, 1800), Q(-2, 3, 225) },
            { Q(296, 169, 1800), Q(88, 7, 360), Q(-2, -3, 225) },
            { Q(16, -1, 36), Q(16, 1, 36), T.One / T.CreateTruncating(9) },
        };
        ErrorWeights = [Q(-13, -7, 3), Q(-13, 7, 3), -T.One / T.CreateTruncating(3)];
        T three = T.CreateTruncating(3);
        ErrorShift = three + T.Cbrt(T.CreateTruncating(9)) - T.Cbrt(three);

        // P = V⁻¹ for V[i, k] = cᵢ^{k+1}, by Gauss–Jordan elimination in T (V is well conditioned: c ∈ (0.15, 1]).
        var v = new T[3, 6];
        for (int i = 0; i < 3; i++)
        {
            T power = Nodes[i];
            for (int k = 0; k < 3; k++)
            {
                v[i, k] = power;
                power *= Nodes[i];
            }
            v[i, 3 + i] = T.One;
        }
        for (int col = 0; col < 3; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < 3; r++)
                if (T.Abs(v[r, col]) > T.Abs(v[pivot, col])) pivot = r;
            for (int k = 0; k < 6; k++) (v[col, k], v[pivot, k]) = (v[pivot, k], v[col, k]);
            T diagonal = v[col, col];
            for (int k = 0; k < 6; k++) v[col, k] /= diagonal;
            for (int r = 0; r < 3; r++)
            {
                if (r == col) continue;
                T factor = v[r, col];
                for (int k = 0; k < 6; k++) v[r, k] -= factor * v[col, k];
            }
        }
        Interpolation = new T[3, 3];
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < 3; i++) Interpolation[k, i] = v[k, 3 + i];
    }

    /// <summary>The nodes c₁, c₂, c₃ (fractions of h).</summary>
    internal T[] Nodes { get; }

    /// <summary>The matrix A = (aᵢⱼ).</summary>
    internal T[,] A { get; }

    /// <summary>e₁, e₂, e₃ of the error estimate.</summary>
    internal T[] ErrorWeights { get; }

    /// <summary>γ = 3 + 3^{2/3} − 3^{1/3}, the real eigenvalue of A⁻¹: the error estimate solves with γ/h I − J.</summary>
    internal T ErrorShift { get; }

    /// <summary>P with qₖ = Σᵢ P[k, i] Zᵢ, the coefficients of θ^{k+1} of the collocation polynomial.</summary>
    internal T[,] Interpolation { get; }
}
