// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// The best candidate neuron for one hidden layer: a unit (a, b), ‖a‖² + ‖b‖² = 1, with its residual-NCF value
/// N_l(a, b) (with the factor 1/n) and the KKT residual of the ascent that found it.
/// </summary>
/// <param name="Layer">Hidden layer l, from 1 to L − 1.</param>
/// <param name="Incoming">a, length k_{l−1}: the new neuron's incoming weights (before scaling by δ).</param>
/// <param name="Outgoing">b, length k_{l+1}: its outgoing weights (before scaling by δ).</param>
/// <param name="Value">N_l(a, b).</param>
/// <param name="KktResidual">Relative KKT residual at (a, b) (NaN for a random direction).</param>
/// <param name="Converged">Whether the ascent met its KKT tolerance.</param>
/// <param name="Restart">The restart that found it (−1 for a random direction).</param>
/// <param name="Clarke">The Clarke-stationarity measure of (a, b) (<see cref="Kkt.ClarkeStationarity"/>, relative; NaN when
/// not measured): the certificate that (a, b) is a KKT point where N_l is not differentiable.</param>
public sealed record Candidate(int Layer, double[] Incoming, double[] Outgoing, double Value, double KktResidual, bool Converged, int Restart,
    double Clarke = double.NaN);
