// SPDX-License-Identifier: MIT
using System.Globalization;
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Problems;

/// <summary>How the direction w₀ of a small initialisation w(0) = δw₀ is drawn.</summary>
public enum InitialDirection
{
    /// <summary>Entries N(0, 1) (so ‖w(0)‖ ≈ δ√P).</summary>
    Gaussian,

    /// <summary>Uniform on the unit sphere (so ‖w(0)‖ = δ): the papers' w(0) = δw₀ with ‖w₀‖ = 1.</summary>
    Sphere,
}

/// <summary>
/// The initial point w(0): δ·w₀ with w₀ drawn from a seed (Kumar &amp; Haupt's small initialisation, arXiv
/// 2402.09226 and 2403.08121: δ is the scale, w₀ a fixed direction), or the weights of a file.
/// Specification: <c>gaussian:δ[:seed]</c>, <c>sphere:δ[:seed]</c>, <c>file:PATH</c>; the seed defaults to 1.
/// </summary>
/// <param name="Direction">How w₀ is drawn (ignored for a file).</param>
/// <param name="Scale">δ ≥ 0, finite.</param>
/// <param name="Seed">Seed of w₀.</param>
/// <param name="File">The weights file, or null.</param>
public sealed record Initialisation(InitialDirection Direction, double Scale, long Seed, string? File = null)
{
    /// <summary>δ·w₀ with N(0, 1) entries.</summary>
    /// <param name="scale">δ.</param>
    /// <param name="seed">Seed.</param>
    /// <returns>The initialisation.</returns>
    public static Initialisation Gaussian(double scale, long seed = 1) => Validated(new(InitialDirection.Gaussian, scale, seed));

    /// <summary>δ·w₀ with w₀ uniform on the unit sphere.</summary>
    /// <param name="scale">δ.</param>
    /// <param name="seed">Seed.</param>
    /// <returns>The initialisation.</returns>
    public static Initialisation Sphere(double scale, long seed = 1) => Validated(new(InitialDirection.Sphere, scale, seed));

    /// <summary>The weights of a file (one number per line, the network's layout).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The initialisation.</returns>
    public static Initialisation FromFile(string path) => new(InitialDirection.Gaussian, 0.0, 0, path);

    /// <summary>The accepted forms, for help texts and messages.</summary>
    public const string Forms = "gaussian:DELTA[:SEED] | sphere:DELTA[:SEED] | file:PATH";

    /// <summary>The same direction at another scale δ.</summary>
    /// <param name="scale">δ.</param>
    /// <returns>The initialisation.</returns>
    public Initialisation WithScale(double scale) =>
        File is null ? Validated(this with { Scale = scale }) : throw new SpecificationException("init-scale", "a weights file has no scale.");

    /// <summary>The same kind of direction from another seed.</summary>
    /// <param name="seed">Seed.</param>
    /// <returns>The initialisation.</returns>
    public Initialisation WithSeed(long seed) =>
        File is null ? this with { Seed = seed } : throw new SpecificationException("seed", "a weights file has no seed.");

    /// <summary>The specification text that <see cref="Parse"/> turns back into this initialisation.</summary>
    public string Specification => File is not null
        ? $"file:{File}"
        : $"{(Direction == InitialDirection.Gaussian ? "gaussian" : "sphere")}:{Scale.ToString("R", CultureInfo.InvariantCulture)}:{Seed}";

    /// <summary>w(0) for a network: a fresh array in its layout.</summary>
    /// <param name="network">The network.</param>
    /// <returns>The weights.</returns>
    /// <exception cref="InputFormatException">The file is malformed or has the wrong number of weights.</exception>
    public double[] Weights(HomogeneousNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (File is not null) return WeightsFile.Read<double>(File, network.ParameterCount);
        var w = new double[network.ParameterCount];
        var random = new SeededRandom(Seed);
        if (Direction == InitialDirection.Gaussian)
        {
            random.FillGaussian(w, Scale);
        }
        else
        {
            random.FillUnitSphere(w);
            for (int k = 0; k < w.Length; k++) w[k] *= Scale;
        }
        return w;
    }

    /// <summary>Parses <see cref="Forms"/>.</summary>
    /// <param name="specification">E.g. <c>sphere:1e-3:7</c>.</param>
    /// <returns>The initialisation.</returns>
    /// <exception cref="SpecificationException">Not one of the forms, or δ negative or not finite.</exception>
    public static Initialisation Parse(string specification)
    {
        ArgumentNullException.ThrowIfNull(specification);
        string text = specification.Trim();
        if (text.StartsWith("file:", StringComparison.Ordinal) && text.Length > 5) return FromFile(text[5..]);
        string[] parts = text.Split(':');
        if (parts.Length is 2 or 3 && parts[0] is "gaussian" or "sphere"
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double scale))
        {
            long seed = 1;
            if (parts.Length == 3 && !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
                throw new SpecificationException("init", $"'{specification}': the seed must be an integer.");
            return parts[0] == "gaussian" ? Gaussian(scale, seed) : Sphere(scale, seed);
        }
        throw new SpecificationException("init", $"'{specification}' is not an initialisation; expected {Forms}.");
    }

    private static Initialisation Validated(Initialisation init) =>
        double.IsFinite(init.Scale) && init.Scale >= 0.0
            ? init
            : throw new SpecificationException("init-scale", $"must be non-negative and finite, got {init.Scale.ToString("R", CultureInfo.InvariantCulture)}.");
}
