// SPDX-License-Identifier: MIT
using System.Globalization;
using NeuronPursuit.Core.Models;

namespace NeuronPursuit.Core.Problems;

/// <summary>The network architectures by name.</summary>
public enum NetworkKind
{
    /// <summary>H(x; W, v) = Σⱼ vⱼ σ(wⱼᵀx) (<see cref="TwoLayerNetwork"/>).</summary>
    TwoLayer,

    /// <summary>H(x) = W_L σ(… σ(W₁x)) (<see cref="FeedForwardNetwork"/>).</summary>
    FeedForward,

    /// <summary>H(x; W) = Σⱼ σ(wⱼᵀx), readout fixed to 1 (<see cref="SumOfPowersNetwork"/>).</summary>
    SumOfPowers,
}

/// <summary>
/// A network by kind, hidden widths and activation, independent of the input dimension d (which the data give).
/// Text form of the kind: <c>two-layer</c>, <c>ff</c>, <c>sum-of-powers</c>; widths: <c>4,2</c> (one width for
/// the two-layer and sum-of-powers kinds).
/// </summary>
/// <param name="Kind">The architecture.</param>
/// <param name="Widths">Hidden widths k₁ … k_{L−1}, each ≥ 1.</param>
/// <param name="Activation">σ.</param>
public sealed record NetworkSpec(NetworkKind Kind, IReadOnlyList<int> Widths, IActivation Activation)
{
    /// <summary>The kinds' names, for help texts and messages.</summary>
    public const string KindForms = "two-layer | ff | sum-of-powers";

    /// <summary>The kind's name on the command line.</summary>
    public string KindName => NameOf(Kind);

    /// <summary>The number of weights P the network has on d inputs (as a 64-bit count: a specification may ask for
    /// more than an array can hold).</summary>
    /// <param name="inputDimension">d.</param>
    /// <returns>P.</returns>
    public long ParameterCount(int inputDimension)
    {
        long count = 0, previous = inputDimension;
        foreach (int width in Widths)
        {
            count += previous * width;
            previous = width;
        }
        // The readout: one output weight per last hidden neuron, except for sum-of-powers (fixed to 1).
        return Kind == NetworkKind.SumOfPowers ? count : count + previous;
    }

    /// <summary>The widths as text, e.g. <c>4,2</c>.</summary>
    public string WidthsText => string.Join(',', Widths);

    /// <summary>The same architecture with another activation.</summary>
    /// <param name="activation">σ.</param>
    /// <returns>The copy.</returns>
    public NetworkSpec WithActivation(IActivation activation) => this with { Activation = activation };

    /// <summary>The network for inputs of dimension d.</summary>
    /// <param name="inputDimension">d ≥ 1.</param>
    /// <returns>The network.</returns>
    public HomogeneousNetwork Build(int inputDimension) => Kind switch
    {
        NetworkKind.TwoLayer => new TwoLayerNetwork(inputDimension, Widths[0], Activation),
        NetworkKind.SumOfPowers => new SumOfPowersNetwork(inputDimension, Widths[0], Activation),
        _ => new FeedForwardNetwork(inputDimension, Widths, Activation),
    };

    /// <summary>The specification of an existing network.</summary>
    /// <param name="network">A network.</param>
    /// <returns>Its kind, widths and activation.</returns>
    public static NetworkSpec Of(HomogeneousNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        NetworkKind kind = network switch
        {
            TwoLayerNetwork => NetworkKind.TwoLayer,
            SumOfPowersNetwork => NetworkKind.SumOfPowers,
            FeedForwardNetwork => NetworkKind.FeedForward,
            _ => throw new ArgumentException($"network: {network.Specification} has no specification kind.", nameof(network)),
        };
        return new NetworkSpec(kind, network.HiddenWidths.ToArray(), network.Activation);
    }

    /// <summary>The kind's command-line name.</summary>
    /// <param name="kind">A kind.</param>
    /// <returns><c>two-layer</c>, <c>ff</c> or <c>sum-of-powers</c>.</returns>
    public static string NameOf(NetworkKind kind) => kind switch
    {
        NetworkKind.TwoLayer => "two-layer",
        NetworkKind.SumOfPowers => "sum-of-powers",
        _ => "ff",
    };

    /// <summary>Parses a kind (<see cref="KindForms"/>).</summary>
    /// <param name="text">The kind's name.</param>
    /// <returns>The kind.</returns>
    /// <exception cref="SpecificationException">Unknown kind (key <c>net</c>).</exception>
    public static NetworkKind ParseKind(string text) => text.Trim() switch
    {
        "two-layer" => NetworkKind.TwoLayer,
        "ff" => NetworkKind.FeedForward,
        "sum-of-powers" => NetworkKind.SumOfPowers,
        _ => throw new SpecificationException("net", $"'{text}' is not a network kind; expected {KindForms}."),
    };

    /// <summary>Parses hidden widths for a kind: a comma list of positive integers, one of them for the
    /// single-layer kinds.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="text">E.g. <c>4,2</c>.</param>
    /// <returns>The widths.</returns>
    /// <exception cref="SpecificationException">Not a list of positive integers, or several for a single-layer kind (key <c>widths</c>).</exception>
    public static int[] ParseWidths(NetworkKind kind, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int l = 0; l < parts.Length; l++)
            if (!int.TryParse(parts[l], NumberStyles.Integer, CultureInfo.InvariantCulture, out widths[l]) || widths[l] < 1)
                throw new SpecificationException("widths", $"'{text}' is not a list of positive integers such as 4,2.");
        if (kind != NetworkKind.FeedForward && widths.Length != 1)
            throw new SpecificationException("widths", $"a {NameOf(kind)} network has one hidden layer: give one width, e.g. --widths 10, not '{text}'.");
        return widths;
    }

    /// <summary>Parses an activation (<see cref="Activations.Forms"/>), naming the key <c>activation</c> on failure.</summary>
    /// <param name="text">The specification.</param>
    /// <returns>σ.</returns>
    /// <exception cref="SpecificationException">Not an activation.</exception>
    public static IActivation ParseActivation(string text) => SpecificationException.Under("activation", () => Activations.Parse(text));
}
