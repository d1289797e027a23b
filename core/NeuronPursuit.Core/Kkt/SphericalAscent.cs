// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Kkt;

/// <summary>
/// Projected (Riemannian) gradient ascent of N on the unit sphere, the solver Neuron Pursuit's reference
/// simulation used for KKT points of max N(u) s.t. ‖u‖ = 1 (docs/claims.md NP-3; its fixed points are the
/// KKT points, docs/claims.md (Notation and background)). One step is
/// û ← (û + s·g⊥)/‖û + s·g⊥‖ with the tangential gradient g⊥ = ∇N(û) − ⟨∇N(û), û⟩û, and the step s chosen
/// by Armijo backtracking (accept when N increases by at least c·s·‖g⊥‖², then try 2s; else halve), so N
/// never decreases. This works for non-smooth (ReLU) N as long as the line search finds increase; at a kink
/// it may stall, which is reported as not converged.
/// </summary>
public static class SphericalAscent
{
    private const double UnitRoundoff = 1.1102230246251565e-16; // 2⁻⁵³

    /// <summary>Runs the ascent from u₀ (normalised first).</summary>
    /// <param name="objective">N and its gradient; any homogeneous objective, e.g.
    /// <see cref="NeuralCorrelationFunction{T}"/>.</param>
    /// <param name="start">u₀ ≠ 0, length P.</param>
    /// <param name="options">Tolerances and budgets; null for the defaults.</param>
    /// <param name="restart">Restart index recorded in the result.</param>
    /// <returns>The last point, its value, its KKT residual and whether the tolerance was met.</returns>
    /// <exception cref="ArgumentException">u₀ has the wrong length, is zero or not finite, or an option is out of range.</exception>
    public static KktPoint Run(IObjective<double> objective, ReadOnlySpan<double> start, SphericalAscentOptions? options = null, int restart = 0)
    {
        ArgumentNullException.ThrowIfNull(objective);
        options ??= new SphericalAscentOptions();
        options.Validate();
        int p = objective.Dimension;
        Guard.Length(start.Length, p, nameof(start), "the objective's dimension P");
        Guard.Finite(start, nameof(start));
        double startNorm = DenseKernels.Norm(start);
        if (startNorm == 0.0) throw new ArgumentException("start: is the zero vector; a direction on the sphere is needed.", nameof(start));

        var u = new double[p];
        var trial = new double[p];
        var gradient = new double[p];
        var trialGradient = new double[p];
        var tangential = new double[p];
        for (int i = 0; i < p; i++) u[i] = start[i] / startNorm;

        double value = objective.ValueAndGradient(u, gradient);
        double step = options.InitialStep;
        int steps = 0;
        while (true)
        {
            // Tangential gradient g⊥ and the residual ‖g⊥‖/‖∇N‖.
            double lambda = DenseKernels.Dot(gradient, u);
            for (int i = 0; i < p; i++) tangential[i] = gradient[i] - lambda * u[i];
            double tangential2 = DenseKernels.Dot(tangential, tangential);
            double gradient2 = DenseKernels.Dot(gradient, gradient);
            double residual = gradient2 == 0.0 ? 0.0 : Math.Sqrt(tangential2 / gradient2);
            if (residual <= options.KktTolerance)
                return new KktPoint(u, value, residual, steps, true, restart);
            if (steps >= options.MaxSteps)
                return new KktPoint(u, value, residual, steps, false, restart);

            // Armijo backtracking along the retraction.
            bool accepted = false;
            while (step >= options.MinStep)
            {
                for (int i = 0; i < p; i++) trial[i] = u[i] + step * tangential[i];
                double norm = DenseKernels.Norm(trial);
                for (int i = 0; i < p; i++) trial[i] /= norm;
                double trialValue = objective.ValueAndGradient(trial, trialGradient);
                if (trialValue >= value + options.ArmijoConstant * step * tangential2
                    || WithinRoundingAndMoreStationary(value, trialValue, step * tangential2, residual, trial, trialGradient))
                {
                    (u, trial) = (trial, u);
                    (gradient, trialGradient) = (trialGradient, gradient);
                    value = trialValue;
                    step = Math.Min(2.0 * step, options.MaxStep);
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted)
                return new KktPoint(u, value, residual, steps, false, restart);
            steps++;
        }
    }

    /// <summary>
    /// Near a KKT point the increase s·‖g⊥‖² falls below the rounding error of N itself, and the Armijo
    /// test can no longer tell increase from noise. There a step is accepted when N did not drop by more
    /// than rounding (8ε|N|) and the trial point is closer to stationarity (smaller KKT residual).
    /// </summary>
    private static bool WithinRoundingAndMoreStationary(double value, double trialValue, double predictedIncrease,
        double residual, ReadOnlySpan<double> trial, ReadOnlySpan<double> trialGradient)
    {
        double rounding = 8.0 * UnitRoundoff * Math.Abs(value);
        if (predictedIncrease > rounding || trialValue < value - rounding) return false;
        return KktResidual.Of(trial, trialGradient) < residual;
    }
}
