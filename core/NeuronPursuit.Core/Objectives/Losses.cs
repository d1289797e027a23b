// SPDX-License-Identifier: MIT
using System.Globalization;

namespace NeuronPursuit.Core.Objectives;

/// <summary>One loss form of the registry: its specification pattern and what it is.</summary>
/// <param name="Pattern">The specification pattern, e.g. <c>logistic:S</c>.</param>
/// <param name="Description">The loss in one line, with its normalisation.</param>
public sealed record LossForm(string Pattern, string Description);

/// <summary>
/// The losses by name: the registry and the parser of their specifications. The papers' square loss is
/// ½Σᵢ(H(xᵢ) − yᵢ)² (Kumar &amp; Haupt, arXiv 2402.09226); Neuron Pursuit's demo uses the mean, (1/(2n))Σᵢ(H(xᵢ) − yᵢ)².
/// </summary>
public static class Losses
{
    /// <summary>½Σᵢ(hᵢ − yᵢ)².</summary>
    public static ILoss Square { get; } = new SquareLoss(LossNormalisation.Sum);

    /// <summary>½·(1/n)Σᵢ(hᵢ − yᵢ)².</summary>
    public static ILoss SquareMean { get; } = new SquareLoss(LossNormalisation.Mean);

    /// <summary>s·Σᵢ ln(1 + exp(−yᵢhᵢ)).</summary>
    /// <param name="factor">s &gt; 0 (default 1).</param>
    /// <returns>The loss.</returns>
    public static ILoss Logistic(double factor = 1.0) => new LogisticLoss(LossNormalisation.Sum, factor);

    /// <summary>Every accepted form, in the order help texts list them.</summary>
    public static IReadOnlyList<LossForm> Registry { get; } =
    [
        new("square", "1/2 sum_i (H(x_i) - y_i)^2 (the papers' normalisation)"),
        new("square-mean", "1/(2n) sum_i (H(x_i) - y_i)^2 (Neuron Pursuit's)"),
        new("logistic[:S]", "S sum_i ln(1 + exp(-y_i H(x_i))), labels +-1, S > 0 (default 1)"),
        new("logistic-mean[:S]", "S/n sum_i ln(1 + exp(-y_i H(x_i)))"),
    ];

    /// <summary>The accepted specification forms, for error messages and help texts.</summary>
    public static string Forms { get; } = string.Join(" | ", Registry.Select(f => f.Pattern));

    /// <summary>Parses a loss specification (<see cref="Forms"/>).</summary>
    /// <param name="specification">E.g. <c>square</c>, <c>logistic:2</c>.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">Not one of the forms, or the factor is not positive.</exception>
    public static ILoss Parse(string specification)
    {
        ArgumentNullException.ThrowIfNull(specification);
        string[] parts = specification.Trim().Split(':');
        double Factor()
        {
            if (parts.Length == 1) return 1.0;
            if (double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && double.IsFinite(s) && s > 0.0)
                return s;
            throw new ArgumentException($"loss: '{specification}': the factor S must be a positive number.", nameof(specification));
        }
        return (parts[0].ToLowerInvariant(), parts.Length) switch
        {
            ("square", 1) => Square,
            ("square-mean", 1) => SquareMean,
            ("logistic", 1 or 2) => new LogisticLoss(LossNormalisation.Sum, Factor()),
            ("logistic-mean", 1 or 2) => new LogisticLoss(LossNormalisation.Mean, Factor()),
            _ => throw new ArgumentException($"loss: '{specification}' is not a loss; expected {Forms}.", nameof(specification)),
        };
    }
}
