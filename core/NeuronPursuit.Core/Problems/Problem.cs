// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Flow;
using NeuronPursuit.Core.Kkt;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Problems;

/// <summary>
/// One problem of the papers' kind (Kumar &amp; Haupt, arXiv 2402.09226 and 2403.08121): data (X, y), a
/// bias-free network H(x; w), a loss ℒ(w) = ℓ(H(X; w), y) with its normalisation, the initial point w(0) = δw₀,
/// and the named weight blocks (per layer, per neuron). Everything else is built from it: the loss and the
/// neural correlation function N(u) = yᵀH(X; u) with their exact gradients and Hessian–vector products, and the
/// gradient flow dw/dt = −∇ℒ(w) with its Jacobian −∇²ℒ wired, so that every integration method applies.
/// Immutable; the <c>With…</c> methods return modified copies.
/// </summary>
public sealed class Problem
{
    /// <summary>Creates a problem.</summary>
    /// <param name="name">Short name, e.g. the example's or the data file's.</param>
    /// <param name="dataSource">Where the data come from, e.g. <c>example fig1</c> or a CSV path.</param>
    /// <param name="dataDescription">What the data are, one line.</param>
    /// <param name="data">(X, y).</param>
    /// <param name="network">H; its input dimension must be the data's.</param>
    /// <param name="loss">ℓ with its normalisation.</param>
    /// <param name="initialisation">w(0), or null when the problem has none yet.</param>
    /// <param name="teacherWeights">Weights of <paramref name="network"/> that generated the labels, or null.</param>
    /// <exception cref="SpecificationException">The data's d differs from the network's.</exception>
    public Problem(string name, string dataSource, string dataDescription, DataSet<double> data, HomogeneousNetwork network, ILoss loss,
                   Initialisation? initialisation = null, double[]? teacherWeights = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        if (data.InputDimension != network.InputDimension)
            throw new SpecificationException("net", $"the network expects d = {network.InputDimension} inputs, but the data have d = {data.InputDimension}.");
        if (teacherWeights is not null && teacherWeights.Length != network.ParameterCount)
            teacherWeights = null;
        Name = name;
        DataSource = dataSource;
        DataDescription = dataDescription;
        Data = data;
        Network = network;
        Loss = loss;
        Initialisation = initialisation;
        TeacherWeights = teacherWeights;
        Blocks = BlocksOf(network.Layout);
    }

    /// <summary>Short name.</summary>
    public string Name { get; }

    /// <summary>Where the data come from.</summary>
    public string DataSource { get; }

    /// <summary>What the data are.</summary>
    public string DataDescription { get; }

    /// <summary>(X, y).</summary>
    public DataSet<double> Data { get; }

    /// <summary>H.</summary>
    public HomogeneousNetwork Network { get; }

    /// <summary>ℓ.</summary>
    public ILoss Loss { get; }

    /// <summary>w(0), or null.</summary>
    public Initialisation? Initialisation { get; }

    /// <summary>Weights that generated the labels (an example's teacher in this network's layout), or null.</summary>
    public double[]? TeacherWeights { get; }

    /// <summary>The homogeneity degree L of H in w, or null when σ is not homogeneous.</summary>
    public int? Degree => Network.Degree;

    /// <summary>The number of weights P.</summary>
    public int Dimension => Network.ParameterCount;

    /// <summary>The named blocks: every layer W_l, then every hidden neuron (incoming and outgoing weights).</summary>
    public IReadOnlyList<WeightBlock> Blocks { get; }

    /// <summary>The hidden neurons' blocks, layer by layer.</summary>
    public IEnumerable<WeightBlock> NeuronBlocks => Blocks.Where(b => b.Neuron is not null);

    /// <summary>The layers' blocks.</summary>
    public IEnumerable<WeightBlock> LayerBlocks => Blocks.Where(b => b.Neuron is null);

    /// <summary>One line: data, network, loss, initialisation.</summary>
    public string Description =>
        $"{DataDescription}; {Network.Specification}; {Loss.Specification} loss" + (Initialisation is { } i ? $"; w(0) {i.Specification}" : "");

    /// <summary>w(0): a fresh array.</summary>
    /// <returns>The initial weights.</returns>
    /// <exception cref="SpecificationException">The problem has no initialisation (key <c>init</c>).</exception>
    public double[] InitialWeights() =>
        Initialisation is { } init
            ? init.Weights(Network)
            : throw new SpecificationException("init", "the problem has no initial point; give an initialisation (--init-scale DELTA [--seed S], or --init FILE).");

    /// <summary>The data in scalar type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <returns>The data (the same object for double).</returns>
    public DataSet<T> DataAs<T>() where T : struct, INumber<T> =>
        Data is DataSet<T> same ? same : Data.To<T>();

    /// <summary>The training loss ℒ(w) with its exact gradient.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <returns>A new objective (not thread-safe; make one per thread).</returns>
    public LossObjective<T> CreateLoss<T>() where T : struct, INumber<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T> =>
        new(Network, Loss, DataAs<T>());

    /// <summary>∇²ℒ(w)·v, exact (closed form for two-layer networks, forward-over-reverse otherwise).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <returns>A new Hessian–vector product.</returns>
    public HessianVectorProduct<T> CreateLossHessian<T>() where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T> =>
        Objective.LossHessian<T>(Network, Loss, DataAs<T>());

    /// <summary>The neural correlation function N(u) = Σᵢ yᵢH(xᵢ; u) (Kumar &amp; Haupt, arXiv 2402.09226), or
    /// with other weights cᵢ in place of yᵢ (e.g. a residual).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="labels">cᵢ, length n, or null for y.</param>
    /// <returns>A new objective.</returns>
    public NeuralCorrelationFunction<T> CreateNcf<T>(double[]? labels = null) where T : struct, INumber<T> =>
        new(Network, labels is null ? DataAs<T>() : Data.WithLabels(labels).To<T>());

    /// <summary>∇²N(u)·v.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="labels">cᵢ in place of yᵢ, or null.</param>
    /// <returns>A new Hessian–vector product.</returns>
    public HessianVectorProduct<T> CreateNcfHessian<T>(double[]? labels = null) where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T> =>
        Objective.CorrelationHessian<T>(Network, labels is null ? DataAs<T>() : Data.WithLabels(labels).To<T>());

    /// <summary>The gradient flow dw/dt = −∇ℒ(w) with its Jacobian −∇²ℒ, ready for any method.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <returns>A new system.</returns>
    public GradientFlowSystem<T> CreateGradientFlow<T>() where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T> =>
        new(CreateLoss<T>(), CreateLossHessian<T>());

    /// <summary>The NCF flow du/dτ = ∇N(u) (Kumar &amp; Haupt, arXiv 2403.08121: the small-initialisation limit of the flow).</summary>
    /// <returns>A new system.</returns>
    public NcfFlowSystem<double> CreateNcfFlow() => new(CreateNcf<double>());

    /// <summary>The same problem with another network (same data, loss and initialisation). The name records what
    /// changed: <c>/KIND:WIDTHS</c> for another architecture, <c>/ACTIVATION</c> for another σ (e.g. <c>deep/leaky-relu:0.2</c>).</summary>
    /// <param name="network">H.</param>
    /// <returns>The copy.</returns>
    public Problem WithNetwork(HomogeneousNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (ReferenceEquals(network, Network)) return this;
        NetworkSpec before = NetworkSpec.Of(Network), after = NetworkSpec.Of(network);
        var parts = new List<string> { Name };
        if (before.Kind != after.Kind || !before.Widths.SequenceEqual(after.Widths)) parts.Add($"{after.KindName}:{after.WidthsText}");
        if (before.Activation.Specification != after.Activation.Specification) parts.Add(after.Activation.Specification);
        return new(string.Join('/', parts), DataSource, DataDescription, Data, network, Loss, Initialisation, TeacherWeights);
    }

    /// <summary>The same problem with another loss.</summary>
    /// <param name="loss">ℓ.</param>
    /// <returns>The copy.</returns>
    public Problem WithLoss(ILoss loss) => new(Name, DataSource, DataDescription, Data, Network, loss, Initialisation, TeacherWeights);

    /// <summary>The same problem with another initial point.</summary>
    /// <param name="initialisation">w(0).</param>
    /// <returns>The copy.</returns>
    public Problem WithInitialisation(Initialisation? initialisation) =>
        new(Name, DataSource, DataDescription, Data, Network, Loss, initialisation, TeacherWeights);

    /// <summary>The same problem with the same inputs and other labels.</summary>
    /// <param name="labels">y, length n.</param>
    /// <param name="description">What the new labels are.</param>
    /// <returns>The copy.</returns>
    public Problem WithLabels(double[] labels, string description) =>
        new(Name, DataSource, description, Data.WithLabels(labels), Network, Loss, Initialisation, null);

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Description}";

    private static WeightBlock[] BlocksOf(ParameterLayout layout)
    {
        var blocks = new List<WeightBlock>();
        foreach (LayerBlock b in layout.Blocks)
            blocks.Add(new WeightBlock(b.Name, b.Layer, null, Enumerable.Range(b.Offset, b.Count).ToArray()));
        for (int l = 1; l <= layout.HiddenWidths.Count; l++)
            for (int j = 0; j < layout.HiddenWidths[l - 1]; j++)
                blocks.Add(new WeightBlock($"l{l}n{j}", l, j, [.. layout.IncomingIndices(l, j), .. layout.OutgoingIndices(l, j)]));
        return [.. blocks];
    }
}
