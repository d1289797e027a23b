// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// Argument validation shared by the public entry points. Every failure is an
/// <see cref="ArgumentException"/> whose one-line message starts with the argument's name and
/// states the problem, so the CLI can print it as it is.
/// </summary>
public static class Guard
{
    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    /// <param name="actual">Length found.</param>
    /// <param name="expected">Length required.</param>
    /// <param name="name">Argument name.</param>
    /// <param name="what">What the length should match, e.g. "n·d = 20".</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Length(int actual, int expected, string name, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"{name}: has length {actual}, expected {expected} ({what}).", name);
    }

    /// <summary>Throws unless two spans that must match have the same length.</summary>
    /// <param name="actual">Length of the argument checked.</param>
    /// <param name="expected">Length of the reference argument.</param>
    /// <param name="name">Argument name.</param>
    /// <param name="reference">Name of the reference argument.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void SameLength(int actual, int expected, string name, string reference)
    {
        if (actual != expected)
            throw new ArgumentException($"{name}: has length {actual}, but {reference} has length {expected}.", name);
    }

    /// <summary>Throws if any element is NaN or infinite, naming the first offending index.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="values">Values to check.</param>
    /// <param name="name">Argument name.</param>
    /// <exception cref="ArgumentException">Some element is NaN or ±∞.</exception>
    public static void Finite<T>(ReadOnlySpan<T> values, string name) where T : struct, INumber<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                string kind = T.IsNaN(values[i]) ? "NaN" : "an infinity";
                throw new ArgumentException($"{name}: element {i} is {kind}; all values must be finite.", name);
            }
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is strictly positive.</summary>
    /// <param name="value">Value to check.</param>
    /// <param name="name">Argument name.</param>
    /// <exception cref="ArgumentException">The value is zero or negative.</exception>
    public static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentException($"{name}: must be positive, got {value}.", name);
    }
}
