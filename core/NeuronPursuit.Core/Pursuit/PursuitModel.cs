// SPDX-License-Identifier: MIT
using System.Text.Json;
using System.Text.Json.Serialization;
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// A trained Neuron Pursuit model as stored in a run folder (docs/pursuit.md, "The model file"): model.json (format
/// <see cref="Format"/>, version <see cref="Version"/>) holds the network (input dimension, hidden widths, activation),
/// the loss and task, the names of the raw input columns and of the label, and the preprocessing; weights.csv next to
/// it holds the weights in the network's layout. <see cref="Predict"/> applies the preprocessing and the network to raw
/// inputs and maps outputs back to the label scale (regression) or gives the scores H (classification: the class is
/// sign H, P(y = +1) = 1/(1 + e^{−H})).
/// </summary>
public sealed partial class PursuitModel
{
    /// <summary>The format name in model.json.</summary>
    public const string Format = "neuron-pursuit-model";

    /// <summary>The version of the model.json layout (fields are only ever added).</summary>
    public const int Version = 1;

    /// <summary>The model file's name in a run folder.</summary>
    public const string FileName = "model.json";

    /// <summary>The weights file's name in a run folder.</summary>
    public const string WeightsFileName = "weights.csv";

    /// <summary>Creates a model.</summary>
    /// <param name="network">The trained network (on the preprocessed inputs).</param>
    /// <param name="weights">Its weights.</param>
    /// <param name="preprocessing">The preprocessing of raw data.</param>
    /// <param name="loss">The training loss (square-mean or logistic-mean).</param>
    /// <param name="inputNames">Names of the raw input columns (d of them).</param>
    /// <param name="labelName">Name of the label column.</param>
    /// <exception cref="ArgumentException">Sizes do not match.</exception>
    public PursuitModel(FeedForwardNetwork network, double[] weights, Preprocessing preprocessing, ILoss loss,
        IReadOnlyList<string> inputNames, string labelName)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(preprocessing);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(inputNames);
        Numerics.Guard.Length(weights.Length, network.ParameterCount, nameof(weights), "one per weight of the network");
        if (preprocessing.ModelDimension != network.InputDimension)
            throw new ArgumentException($"preprocessing: gives {preprocessing.ModelDimension} inputs, the network takes {network.InputDimension}.", nameof(preprocessing));
        if (inputNames.Count != preprocessing.InputDimension)
            throw new ArgumentException($"inputNames: {inputNames.Count} names for d = {preprocessing.InputDimension} inputs.", nameof(inputNames));
        Network = network;
        Weights = weights;
        Preprocessing = preprocessing;
        Loss = loss;
        InputNames = inputNames;
        LabelName = labelName;
    }

    /// <summary>The network.</summary>
    public FeedForwardNetwork Network { get; }

    /// <summary>Its weights.</summary>
    public double[] Weights { get; }

    /// <summary>The preprocessing.</summary>
    public Preprocessing Preprocessing { get; }

    /// <summary>The training loss.</summary>
    public ILoss Loss { get; }

    /// <summary>Whether it classifies (logistic loss, labels ±1) rather than regresses.</summary>
    public bool IsClassifier => Loss is LogisticLoss;

    /// <summary>The raw input columns' names.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>The label column's name.</summary>
    public string LabelName { get; }

    /// <summary>Predictions for raw inputs X (n × d row-major): ŷ on the label scale (regression) or scores H
    /// (classification).</summary>
    /// <param name="x">Raw inputs.</param>
    /// <returns>One value per row.</returns>
    public double[] Predict(ReadOnlySpan<double> x)
    {
        double[] inputs = Preprocessing.Inputs(x);
        int n = inputs.Length / Network.InputDimension;
        var evaluator = new FeatureMajorEvaluator(Network, inputs);
        evaluator.Forward(Weights);
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = IsClassifier ? evaluator.Outputs[i] : Preprocessing.ToLabel(evaluator.Outputs[i]);
        return y;
    }

    /// <summary>Metrics of predictions against labels: MSE and R² (regression) or accuracy and log-loss (classification).</summary>
    /// <param name="predictions">From <see cref="Predict"/>.</param>
    /// <param name="labels">The labels.</param>
    /// <returns>The metrics.</returns>
    public PredictionMetrics Evaluate(ReadOnlySpan<double> predictions, ReadOnlySpan<double> labels) =>
        IsClassifier ? PredictionMetrics.Classification(predictions, labels) : PredictionMetrics.Regression(predictions, labels);

    /// <summary>Writes model.json and weights.csv into a folder.</summary>
    /// <param name="directory">The run folder (existing).</param>
    public void Save(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        WeightsFile.Write<double>(Path.Combine(directory, WeightsFileName), Weights, Network.Specification);
        var document = new ModelDocument
        {
            Format = Format,
            Version = Version,
            Network = new NetworkDocument
            {
                Kind = "ff",
                InputDimension = Network.InputDimension,
                HiddenWidths = Network.HiddenWidths.ToArray(),
                Activation = Network.Activation.Specification,
                Specification = Network.Specification,
                Parameters = Network.ParameterCount,
            },
            WeightsFile = WeightsFileName,
            Loss = Loss.Name,
            Task = IsClassifier ? "classification" : "regression",
            Inputs = InputNames.ToArray(),
            Label = LabelName,
            Preprocessing = new PreprocessingDocument
            {
                Standardise = Preprocessing.Standardised,
                InputMeans = Preprocessing.InputMeans,
                InputScales = Preprocessing.InputScales,
                Bias = Preprocessing.Bias,
                LabelShift = Preprocessing.LabelShift,
                LabelScale = Preprocessing.LabelScale,
            },
        };
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(document, ModelJson.Default.ModelDocument) + "\n");
    }

    /// <summary>Reads a model from a run folder.</summary>
    /// <param name="directory">The run folder.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InputFormatException">No model.json or weights, an unknown format or version, or inconsistent contents.</exception>
    public static PursuitModel Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string path = Path.Combine(directory, FileName);
        if (!Directory.Exists(directory)) throw new InputFormatException(directory, "no such folder.");
        if (!File.Exists(path))
            throw new InputFormatException(directory, $"holds no model ({FileName} is missing; np pursue writes it into its --out folder).");
        ModelDocument? doc;
        try { doc = JsonSerializer.Deserialize(File.ReadAllText(path), ModelJson.Default.ModelDocument); }
        catch (JsonException e) { throw new InputFormatException(path, $"is not valid JSON: {e.Message.Split('\n')[0]}"); }
        if (doc is null || doc.Format != Format)
            throw new InputFormatException(path, $"is not a Neuron Pursuit model (format '{doc?.Format}', expected '{Format}').");
        if (doc.Version < 1 || doc.Version > Version)
            throw new InputFormatException(path, $"has model version {doc.Version}; this np reads versions 1 to {Version}.");
        if (doc.Network is null || doc.Preprocessing is null || doc.Inputs is null || doc.Network.HiddenWidths is null
            || doc.Preprocessing.InputMeans is null || doc.Preprocessing.InputScales is null || doc.Network.Activation is null || doc.Loss is null)
            throw new InputFormatException(path, "lacks the network, the loss, the inputs or the preprocessing.");
        string weightsPath = Path.Combine(directory, doc.WeightsFile ?? WeightsFileName);
        if (!File.Exists(weightsPath))
            throw new InputFormatException(directory, $"holds no network weights ({Path.GetFileName(weightsPath)} is missing).");
        try
        {
            var network = new FeedForwardNetwork(doc.Network.InputDimension, doc.Network.HiddenWidths, Activations.Parse(doc.Network.Activation));
            double[] weights = WeightsFile.Read<double>(weightsPath, network.ParameterCount);
            var preprocessing = new Preprocessing(doc.Preprocessing.InputMeans, doc.Preprocessing.InputScales, doc.Preprocessing.Bias,
                doc.Preprocessing.LabelShift, doc.Preprocessing.LabelScale);
            return new PursuitModel(network, weights, preprocessing, Losses.Parse(doc.Loss), doc.Inputs, doc.Label ?? "y");
        }
        catch (ArgumentException e)
        {
            throw new InputFormatException(path, $"is inconsistent: {e.Message}");
        }
    }

    /// <summary>model.json's serializer, generated at compile time (no reflection, so np compiled ahead of time reads and
    /// writes it too): snake_case keys, indented, every field written.</summary>
    [JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
    [JsonSerializable(typeof(ModelDocument))]
    private sealed partial class ModelJson : JsonSerializerContext;

    private sealed class ModelDocument
    {
        public string? Format { get; set; }
        public int Version { get; set; }
        public NetworkDocument? Network { get; set; }
        public string? WeightsFile { get; set; }
        public string? Loss { get; set; }
        public string? Task { get; set; }
        public string[]? Inputs { get; set; }
        public string? Label { get; set; }
        public PreprocessingDocument? Preprocessing { get; set; }
    }

    private sealed class NetworkDocument
    {
        public string? Kind { get; set; }
        public int InputDimension { get; set; }
        public int[]? HiddenWidths { get; set; }
        public string? Activation { get; set; }
        public string? Specification { get; set; }
        public int Parameters { get; set; }
    }

    private sealed class PreprocessingDocument
    {
        public bool Standardise { get; set; }
        public double[]? InputMeans { get; set; }
        public double[]? InputScales { get; set; }
        public bool Bias { get; set; }
        public double LabelShift { get; set; }
        public double LabelScale { get; set; } = 1.0;
    }
}
