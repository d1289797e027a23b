// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Kkt;

/// <summary>
/// The end point of one spherical ascent on max N(u) s.t. ‖u‖ = 1: a unit direction û with its value
/// N(û) and relative KKT residual r(û) (see <see cref="KktResidual"/>).
/// </summary>
/// <param name="Direction">û, ‖û‖ = 1, in the objective's parameter layout.</param>
/// <param name="Value">N(û).</param>
/// <param name="Residual">r(û) = ‖∇N − ⟨∇N, û⟩û‖ / ‖∇N‖.</param>
/// <param name="Steps">Accepted ascent steps taken.</param>
/// <param name="Converged">True when r(û) fell to the tolerance; false when the step budget ran out or
/// the line search stalled (e.g. on a kink of a ReLU network), in which case û is the best point found.</param>
/// <param name="Restart">Index of the restart that produced it (0 for a single run).</param>
public sealed record KktPoint(double[] Direction, double Value, double Residual, int Steps, bool Converged, int Restart);
