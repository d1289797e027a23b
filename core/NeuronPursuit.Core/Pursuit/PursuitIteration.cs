// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Pursuit;

/// <summary>A neuron added in an iteration, with its weights as added (already scaled by δ).</summary>
/// <param name="Layer">Hidden layer l.</param>
/// <param name="Index">Its index in the layer (0-based; new neurons come last).</param>
/// <param name="Incoming">δ·a, the new row of W_l.</param>
/// <param name="Outgoing">δ·b, the new column of W_{l+1}.</param>
/// <param name="Value">N_l(a, b) of the unit direction (1/n normalisation).</param>
/// <param name="KktResidual">Relative KKT residual of (a, b) (NaN for a random direction).</param>
/// <param name="Clarke">Clarke-stationarity measure of (a, b) (relative; NaN when not measured).</param>
public sealed record AddedNeuron(int Layer, int Index, double[] Incoming, double[] Outgoing, double Value, double KktResidual,
    double Clarke = double.NaN);

/// <summary>One candidate tried by the lookahead: its layer, value, Clarke measure, and the loss its minimisation reached.</summary>
/// <param name="Layer">Hidden layer l.</param>
/// <param name="Value">N_l of the candidate (1/n).</param>
/// <param name="Clarke">Its Clarke-stationarity measure (relative).</param>
/// <param name="Loss">The training loss after adding it and minimising.</param>
/// <param name="Epochs">Epochs of that minimisation.</param>
public sealed record LookaheadTrial(int Layer, double Value, double Clarke, double Loss, long Epochs);

/// <summary>
/// The log of one Neuron Pursuit iteration. Iteration 1 trains the initial one-neuron-per-layer net
/// δ₀·u* (u* the best KKT point of the constrained NCF); iterations 2, 3, … add neurons and retrain.
/// </summary>
/// <param name="Index">Iteration number, from 1.</param>
/// <param name="WidthsBefore">Hidden widths before the addition (iteration 1: none, empty).</param>
/// <param name="Widths">Hidden widths trained in this iteration.</param>
/// <param name="LayerValues">The best candidate's value N_l for every hidden layer l (iteration 1: the single
/// value N(u*) of the constrained NCF of the whole net, 1/n normalisation).</param>
/// <param name="ChosenLayers">The layers neurons were added to (iteration 1: empty).</param>
/// <param name="Added">The added neurons (iteration 1: none).</param>
/// <param name="InitialWeights">Iteration 1: δ₀·u*; later iterations: null.</param>
/// <param name="Minimisation">The minimisation's epochs, losses and stop reason.</param>
/// <param name="EpochOffset">Epochs of all earlier iterations.</param>
/// <param name="SearchSeconds">Wall time of the KKT searches.</param>
/// <param name="MinimiseSeconds">Wall time of the minimisation.</param>
public sealed record PursuitIteration(int Index, IReadOnlyList<int> WidthsBefore, IReadOnlyList<int> Widths,
    IReadOnlyList<double> LayerValues, IReadOnlyList<int> ChosenLayers, IReadOnlyList<AddedNeuron> Added,
    double[]? InitialWeights, MinimisationResult Minimisation, long EpochOffset, double SearchSeconds, double MinimiseSeconds)
{
    /// <summary>The Clarke-stationarity measure of every hidden layer's best candidate (iteration 1: of u*), relative.</summary>
    public IReadOnlyList<double> LayerClarke { get; init; } = [];

    /// <summary>The candidates the lookahead tried, in order of value (one entry without lookahead).</summary>
    public IReadOnlyList<LookaheadTrial> Alternatives { get; init; } = [];

    /// <summary>ℒ on the validation data after the minimisation (NaN without validation data).</summary>
    public double ValidationLoss { get; init; } = double.NaN;

    /// <summary>The training loss after the minimisation.</summary>
    public double TrainLoss => Minimisation.LossAfter;
}
