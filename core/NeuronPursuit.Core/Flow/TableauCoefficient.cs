// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Numerics;

namespace NeuronPursuit.Core.Flow;

/// <summary>
/// Runge–Kutta coefficients are stored as text: exact rationals "p/q" or decimals with as many digits
/// as their source gives. They are converted to the scalar type by that type's own parser, so that a
/// double-double integration is not limited by coefficients rounded to double (a residual of 1e-17 in
/// an order condition caps the global error at that level whatever the step).
/// </summary>
public static class TableauCoefficient
{
    /// <summary>The value of a coefficient "p/q" or a decimal in type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="text">The coefficient.</param>
    /// <returns>The value, to the precision of <typeparamref name="T"/>.</returns>
    public static T Parse<T>(string text) where T : struct, INumber<T>
    {
        int slash = text.IndexOf('/');
        if (slash < 0) return T.Parse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
        T numerator = T.Parse(text[..slash].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
        T denominator = T.Parse(text[(slash + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
        return numerator / denominator;
    }

    /// <summary>Parses every coefficient of a vector.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="texts">The coefficients.</param>
    /// <returns>The values.</returns>
    public static T[] Parse<T>(IReadOnlyList<string> texts) where T : struct, INumber<T>
    {
        var result = new T[texts.Count];
        for (int i = 0; i < result.Length; i++) result[i] = Parse<T>(texts[i]);
        return result;
    }

    /// <summary>Parses a lower-triangular matrix given row by row (row i has i entries).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="rows">The rows a_{i,0..i−1}.</param>
    /// <returns>The values, row by row.</returns>
    public static T[][] Parse<T>(IReadOnlyList<string[]> rows) where T : struct, INumber<T>
    {
        var result = new T[rows.Count][];
        for (int i = 0; i < result.Length; i++) result[i] = Parse<T>(rows[i]);
        return result;
    }
}
