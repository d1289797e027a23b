// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Problems;

/// <summary>One key of the problem specification: its name (the command-line flag without dashes) and meaning.</summary>
/// <param name="Name">E.g. <c>widths</c>.</param>
/// <param name="Value">What the value looks like, e.g. <c>K1,K2,...</c>.</param>
/// <param name="Description">What it sets, with its default.</param>
public sealed record SpecKey(string Name, string Value, string Description);

/// <summary>
/// The one specification grammar of a <see cref="Problem"/>: data (a built-in example or a CSV file), network,
/// activation, loss and initial point, each an optional value under a key named like its command-line flag.
/// What is left out comes from the example (its network, loss and initial point) or from the defaults below.
/// Text form: <c>key=value</c> pairs separated by spaces, e.g.
/// <c>example=two-relu-teacher net=ff widths=4,2 activation=relu-power:2 init-scale=1e-3 seed=7</c>.
/// Every error is a <see cref="SpecificationException"/> naming the key.
/// </summary>
public sealed record ProblemSpec
{
    /// <summary>A built-in example by name (<see cref="Examples"/>).</summary>
    public string? Example { get; init; }

    /// <summary>A CSV data file (header x1,…,xd,y).</summary>
    public string? Data { get; init; }

    /// <summary>The example's data seed (default: the example's).</summary>
    public long? DataSeed { get; init; }

    /// <summary>The example's n (default: the example's).</summary>
    public int? Samples { get; init; }

    /// <summary>The largest n of a built-in example (<see cref="Samples"/>): 1 000 000.</summary>
    public const int MaxSamples = 1_000_000;

    /// <summary>The largest number of weights P of a network built from a specification: 50 000 000 (400 MB in double).</summary>
    public const long MaxParameters = 50_000_000;

    /// <summary>The network kind (<see cref="NetworkSpec.KindForms"/>; default: the example's).</summary>
    public string? Net { get; init; }

    /// <summary>Hidden widths, e.g. <c>4,2</c> (default: the example's when the kind is the example's).</summary>
    public string? Widths { get; init; }

    /// <summary>σ (<see cref="Activations.Forms"/>; default: the example's, else relu).</summary>
    public string? Activation { get; init; }

    /// <summary>ℓ (<see cref="Losses.Forms"/>; default: the example's, else square).</summary>
    public string? Loss { get; init; }

    /// <summary>A weights file for w(0).</summary>
    public string? Init { get; init; }

    /// <summary>δ of w(0) = δw₀.</summary>
    public double? InitScale { get; init; }

    /// <summary>How w₀ is drawn: gaussian or sphere (default: the example's, else gaussian).</summary>
    public string? InitDirection { get; init; }

    /// <summary>Seed of w₀ (default: the example's, else 1).</summary>
    public long? Seed { get; init; }

    /// <summary>Every key, in the order help texts list them.</summary>
    public static IReadOnlyList<SpecKey> Keys { get; } =
    [
        new("example", "NAME", $"a built-in example ({Examples.Names})"),
        new("data", "FILE.csv", "CSV data: a header row x1,...,xd,y, then one sample per row"),
        new("data-seed", "S", "seed of the example's data draw (default: the example's)"),
        new("samples", "N", "number of samples n of the example (default: the example's)"),
        new("net", "KIND", $"network kind: {NetworkSpec.KindForms} (default: the example's)"),
        new("widths", "K1,K2,...", "hidden widths, e.g. 4,2; one width for two-layer and sum-of-powers (default: the example's)"),
        new("activation", "SPEC", $"activation: {Activations.Forms} (default: the example's, else relu)"),
        new("loss", "SPEC", $"loss: {Losses.Forms} (default: the example's, else square)"),
        new("init", "FILE", "initial weights file (one number per line, the network's parameter layout)"),
        new("init-scale", "DELTA", "initial scale delta of w(0) = delta w0 (default: the example's)"),
        new("init-direction", "KIND", "how w0 is drawn: gaussian (N(0,1) entries) or sphere (unit norm) (default: the example's, else gaussian)"),
        new("seed", "S", "seed of w0 (default: the example's, else 1)"),
    ];

    /// <summary>Parses the text form: <c>key=value</c> pairs separated by white space.</summary>
    /// <param name="text">The specification.</param>
    /// <returns>The specification (not yet built).</returns>
    /// <exception cref="SpecificationException">An unknown or repeated key, a pair without '=', or a value of the wrong type.</exception>
    public static ProblemSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spec = new ProblemSpec();
        var seen = new HashSet<string>();
        foreach (string pair in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) throw new SpecificationException("problem", $"'{pair}' is not a key=value pair.");
            string key = pair[..eq], value = pair[(eq + 1)..];
            if (!seen.Add(key)) throw new SpecificationException(key, "is given twice.");
            spec = spec.With(key, value);
        }
        return spec;
    }

    /// <summary>This specification with one key set from its text value.</summary>
    /// <param name="key">A key of <see cref="Keys"/>.</param>
    /// <param name="value">Its value as text.</param>
    /// <returns>The modified copy.</returns>
    /// <exception cref="SpecificationException">Unknown key, or a value of the wrong type.</exception>
    public ProblemSpec With(string key, string value) => key switch
    {
        "example" => this with { Example = value },
        "data" => this with { Data = value },
        "data-seed" => this with { DataSeed = Integer(key, value) },
        "samples" => this with { Samples = (int)Math.Clamp(Integer(key, value), int.MinValue, int.MaxValue) },
        "net" => this with { Net = value },
        "widths" => this with { Widths = value },
        "activation" => this with { Activation = value },
        "loss" => this with { Loss = value },
        "init" => this with { Init = value },
        "init-scale" => this with { InitScale = Real(key, value) },
        "init-direction" => this with { InitDirection = value },
        "seed" => this with { Seed = Integer(key, value) },
        _ => throw new SpecificationException(key, $"is not a problem key; known: {string.Join(", ", Keys.Select(k => k.Name))}."),
    };

    /// <summary>The text form, keys in <see cref="Keys"/> order; values with white space are not representable.</summary>
    /// <returns>E.g. <c>example=fig1 init-scale=0.001</c>.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        void Add(string key, string? value)
        {
            if (value is null) return;
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(key).Append('=').Append(value);
        }
        Add("example", Example);
        Add("data", Data);
        Add("data-seed", DataSeed?.ToString(CultureInfo.InvariantCulture));
        Add("samples", Samples?.ToString(CultureInfo.InvariantCulture));
        Add("net", Net);
        Add("widths", Widths);
        Add("activation", Activation);
        Add("loss", Loss);
        Add("init", Init);
        Add("init-scale", InitScale?.ToString("R", CultureInfo.InvariantCulture));
        Add("init-direction", InitDirection);
        Add("seed", Seed?.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>Builds the problem: reads or generates the data, then network, loss and initial point.</summary>
    /// <returns>The problem.</returns>
    /// <exception cref="SpecificationException">A value is missing, malformed or inconsistent with another.</exception>
    /// <exception cref="InputFormatException">The data file is malformed.</exception>
    public Problem Build()
    {
        Problem base_ = BaseProblem();
        HomogeneousNetwork network = BuildNetwork(base_);
        ILoss loss = Loss is null ? base_.Loss : ParseLoss(Loss);
        Initialisation? init = BuildInitialisation(base_.Initialisation);
        Problem problem = Example is null
            ? new Problem(base_.Name, base_.DataSource, base_.DataDescription, base_.Data, network, loss, init)
            : base_.WithNetwork(network).WithLoss(loss).WithInitialisation(init);
        return problem;
    }

    private Problem BaseProblem()
    {
        switch (Example, Data)
        {
            case (not null, not null):
                throw new SpecificationException("example", "give a built-in example or a data file (--data), not both.");
            case (null, null):
                throw new SpecificationException("data", $"name a CSV data file, or a built-in example with --example NAME ({Examples.Names}).");
            case (not null, null):
            {
                Example e = Examples.Get(Example);
                long seed = DataSeed ?? e.DefaultDataSeed;
                int n = Samples ?? e.DefaultSamples;
                if (n < 1 || n > MaxSamples) throw new SpecificationException("samples", $"must be between 1 and {MaxSamples}, got {n}.");
                return e.Build(seed, n);
            }
            default:
            {
                if (DataSeed is not null) throw new SpecificationException("data-seed", "applies to a built-in example (--example), not to a data file.");
                if (Samples is not null) throw new SpecificationException("samples", "applies to a built-in example (--example), not to a data file.");
                DataSet<double> data = CsvDataReader.Read(Data!);
                string name = Path.GetFileNameWithoutExtension(Data!);
                // A placeholder network of the data's dimension: replaced below, since a data file names none.
                var placeholder = new FeedForwardNetwork(data.InputDimension, [1], Activations.Relu);
                return new Problem(name, Data!, $"{Data} (n = {data.Count}, d = {data.InputDimension})", data, placeholder, Losses.Square);
            }
        }
    }

    /// <summary>The network the keys <c>net</c>, <c>widths</c> and <c>activation</c> name, for inputs of dimension d
    /// (for callers that make their own data, e.g. benchmarks).</summary>
    /// <param name="inputDimension">d ≥ 1.</param>
    /// <returns>The network.</returns>
    /// <exception cref="SpecificationException">A key is missing or malformed.</exception>
    public HomogeneousNetwork NetworkFor(int inputDimension)
    {
        NetworkKind kind = NetworkSpec.ParseKind(Net ?? throw new SpecificationException("net", $"name the network kind ({NetworkSpec.KindForms})."));
        int[] widths = NetworkSpec.ParseWidths(kind, Widths ?? throw new SpecificationException("widths", "give the hidden widths."));
        IActivation activation = Activation is null ? Activations.Relu : NetworkSpec.ParseActivation(Activation);
        return new NetworkSpec(kind, widths, activation).Build(inputDimension);
    }

    private HomogeneousNetwork BuildNetwork(Problem baseProblem)
    {
        bool fromExample = Example is not null;
        if (!fromExample && Net is null)
            throw new SpecificationException("net", $"name the network for data from a file: --net {NetworkSpec.KindForms} with --widths.");
        if (fromExample && Net is null && Widths is null && Activation is null) return baseProblem.Network;

        NetworkSpec? original = fromExample ? NetworkSpec.Of(baseProblem.Network) : null;
        NetworkKind kind = Net is null ? original!.Kind : NetworkSpec.ParseKind(Net);
        int[] widths;
        if (Widths is not null) widths = NetworkSpec.ParseWidths(kind, Widths);
        else if (original is not null && original.Kind == kind) widths = [.. original.Widths];
        else throw new SpecificationException("widths", $"give the hidden widths of the {NetworkSpec.NameOf(kind)} network, e.g. --widths {(kind == NetworkKind.FeedForward ? "4,2" : "10")}.");
        IActivation activation = Activation is null ? original?.Activation ?? Activations.Relu : NetworkSpec.ParseActivation(Activation);
        var spec = new NetworkSpec(kind, widths, activation);
        // The weights are one array of doubles: refuse a network too large to hold before allocating it.
        long parameters = spec.ParameterCount(baseProblem.Data.InputDimension);
        if (parameters > MaxParameters)
            throw new SpecificationException("widths", $"'{spec.WidthsText}' gives P = {parameters} weights on d = {baseProblem.Data.InputDimension} inputs; at most {MaxParameters} are supported.");
        if (original is not null && kind == original.Kind && widths.SequenceEqual(original.Widths)
            && activation.Specification == original.Activation.Specification)
            return baseProblem.Network;
        return spec.Build(baseProblem.Data.InputDimension);
    }

    private static ILoss ParseLoss(string text) => SpecificationException.Under("loss", () => Losses.Parse(text));

    private Initialisation? BuildInitialisation(Initialisation? fallback)
    {
        if (Init is not null)
        {
            if (InitScale is not null) throw new SpecificationException("init-scale", "give an initial scale or a weights file (--init), not both.");
            if (InitDirection is not null) throw new SpecificationException("init-direction", "applies to --init-scale, not to a weights file (--init).");
            if (Seed is not null) throw new SpecificationException("seed", "applies to --init-scale, not to a weights file (--init).");
            return Initialisation.FromFile(Init);
        }
        if (InitScale is null && InitDirection is null && Seed is null) return fallback;
        Initialisation? drawn = fallback is { File: null } ? fallback : null;
        double scale = InitScale ?? drawn?.Scale
            ?? throw new SpecificationException("init-scale", "give the initial scale delta of w(0) = delta w0, e.g. --init-scale 1e-3.");
        InitialDirection direction = InitDirection switch
        {
            null => drawn?.Direction ?? InitialDirection.Gaussian,
            "gaussian" => InitialDirection.Gaussian,
            "sphere" => InitialDirection.Sphere,
            _ => throw new SpecificationException("init-direction", $"'{InitDirection}' is not gaussian or sphere."),
        };
        long seed = Seed ?? drawn?.Seed ?? 1;
        return direction == InitialDirection.Gaussian ? Initialisation.Gaussian(scale, seed) : Initialisation.Sphere(scale, seed);
    }

    private static long Integer(string key, string value) =>
        long.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long k)
            ? k
            : throw new SpecificationException(key, $"'{value}' is not an integer.");

    private static double Real(string key, string value) =>
        double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x)
            ? x
            : throw new SpecificationException(key, $"'{value}' is not a finite number.");
}
