// SPDX-License-Identifier: MIT
using System.Globalization;

namespace NeuronPursuit.Core.Models;

/// <summary>One activation form of the registry: its specification pattern and what it is.</summary>
/// <param name="Pattern">The specification pattern, e.g. <c>leaky-relu:ALPHA</c>.</param>
/// <param name="Description">σ(z) in one line, with its homogeneity degree.</param>
public sealed record ActivationForm(string Pattern, string Description);

/// <summary>The activations of the papers by name: the registry and the parser of their specification strings.</summary>
public static class Activations
{
    /// <summary>ReLU, σ(z) = max(z, 0), degree 1.</summary>
    public static IActivation Relu { get; } = new PolynomialLeakyRelu(0.0, 1);

    /// <summary>Leaky ReLU σ(z) = max(z, αz), degree 1.</summary>
    /// <param name="alpha">Negative-side slope, 0 ≤ α &lt; 1.</param>
    /// <returns>The activation.</returns>
    public static IActivation LeakyRelu(double alpha) => new PolynomialLeakyRelu(alpha, 1);

    /// <summary>Polynomial ReLU σ(z) = max(z, 0)ᵖ, degree p.</summary>
    /// <param name="power">p ≥ 1.</param>
    /// <returns>The activation.</returns>
    public static IActivation ReluPower(int power) => new PolynomialLeakyRelu(0.0, power);

    /// <summary>Polynomial leaky ReLU σ(z) = max(z, αz)ᵖ, degree p.</summary>
    /// <param name="alpha">Negative-side slope, 0 ≤ α &lt; 1.</param>
    /// <param name="power">p ≥ 1.</param>
    /// <returns>The activation.</returns>
    public static IActivation LeakyReluPower(double alpha, int power) => new PolynomialLeakyRelu(alpha, power);

    /// <summary>σ(z) = max(z, 0)ᵖ + εz, not homogeneous for ε ≠ 0.</summary>
    /// <param name="power">p ≥ 1.</param>
    /// <param name="epsilon">ε.</param>
    /// <returns>The activation.</returns>
    public static IActivation PerturbedReluPower(int power, double epsilon) => new PerturbedReluPower(power, epsilon);

    /// <summary>Every accepted form, in the order help texts list them.</summary>
    public static IReadOnlyList<ActivationForm> Registry { get; } =
    [
        new("relu", "max(z, 0), degree 1"),
        new("leaky-relu:ALPHA", "max(z, ALPHA z), 0 <= ALPHA < 1, degree 1"),
        new("relu-power:P", "max(z, 0)^P, integer P >= 1, degree P"),
        new("leaky-relu-power:ALPHA:P", "max(z, ALPHA z)^P, degree P"),
        new("perturbed-relu-power:P:EPS", "max(z, 0)^P + EPS z, not homogeneous for EPS != 0 (negative tests)"),
    ];

    /// <summary>The accepted specification forms, for error messages and help texts.</summary>
    public static string Forms { get; } = string.Join(" | ", Registry.Select(f => f.Pattern));

    /// <summary>
    /// Parses an activation specification: <c>relu</c>, <c>leaky-relu:0.1</c>, <c>relu-power:2</c>,
    /// <c>leaky-relu-power:0.1:2</c>, <c>perturbed-relu-power:2:0.5</c>.
    /// </summary>
    /// <param name="specification">The specification string.</param>
    /// <returns>The activation.</returns>
    /// <exception cref="ArgumentException">The string is not one of the forms, or a parameter is out of range.</exception>
    public static IActivation Parse(string specification)
    {
        ArgumentNullException.ThrowIfNull(specification);
        string[] parts = specification.Trim().Split(':');
        string name = parts[0].ToLowerInvariant();
        try
        {
            return (name, parts.Length) switch
            {
                ("relu", 1) => Relu,
                ("leaky-relu", 2) => LeakyRelu(ParseReal(parts[1])),
                ("relu-power", 2) => ReluPower(ParsePower(parts[1])),
                ("leaky-relu-power", 3) => LeakyReluPower(ParseReal(parts[1]), ParsePower(parts[2])),
                ("perturbed-relu-power", 3) => PerturbedReluPower(ParsePower(parts[1]), ParseReal(parts[2])),
                _ => throw new FormatException(),
            };
        }
        catch (FormatException)
        {
            throw new ArgumentException($"activation: '{specification}' is not an activation; expected {Forms}.", nameof(specification));
        }
        catch (OverflowException)
        {
            throw new ArgumentException($"activation: '{specification}' is not an activation; expected {Forms}.", nameof(specification));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"activation: '{specification}': {e.Message}", nameof(specification));
        }
    }

    private static double ParseReal(string text) =>
        double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static int ParsePower(string text) =>
        int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
