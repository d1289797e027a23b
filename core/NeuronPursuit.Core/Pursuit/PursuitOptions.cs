// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Kkt;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Pursuit;

/// <summary>How new neurons get their directions.</summary>
public enum DirectionRule
{
    /// <summary>The KKT point (a, b) of the layer's residual NCF with the largest value (the algorithm).</summary>
    Kkt,

    /// <summary>Ablation: uniformly random unit directions, seeded, for the initial net's u and every new neuron's
    /// (a, b); the layer is still chosen by the KKT values, and the scales δ₀, δ are kept.</summary>
    Random,
}

/// <summary>
/// The leading term of the residual NCF on samples where a downstream unit of a piecewise-linear network (ReLU, leaky
/// ReLU) sits exactly on its kink (<see cref="DownstreamKinks"/>; docs/pursuit.md).
/// </summary>
public enum KinkRule
{
    /// <summary>The exact, one-sided directional derivative of H: a unit on the kink passes σ(Δz) on.</summary>
    OneSided,

    /// <summary>Ablation: the linearisation with σ′(0) (0 for ReLU), as the reference simulation had it: a unit on the
    /// kink passes nothing on, so a new neuron that could only act through it is invisible.</summary>
    Linearised,
}

/// <summary>How the loss is minimised after each addition.</summary>
public enum MinimiserKind
{
    /// <summary>Full-batch gradient descent with step η (one step = one epoch), as in the authors' demo.</summary>
    GradientDescent,

    /// <summary>The gradient-flow integrator <see cref="Flow.FlowSolver"/> (method <see cref="PursuitOptions.FlowMethod"/>),
    /// in segments of t = η·window, one "epoch" = η of flow time.</summary>
    GradientFlow,
}

/// <summary>
/// Settings of <see cref="NeuronPursuitTrainer"/>. The paper's values of these settings are not known (arXiv
/// 2509.12154; docs/claims.md NP-3); the defaults are those of a reference simulation that reproduced the
/// authors' demo, except the KKT-search budget, which is chosen here. All losses are
/// ℒ = (1/(2n)) Σᵢ (H(xᵢ) − yᵢ)²; all NCF values carry the factor 1/n.
/// Defaults: δ₀ = 0.2, δ = 0.03, η = 0.02, inner stop 0.97 / window 1000 / relative change 1e-7 / loss floor
/// 1e-7 / cap 50,000 epochs, global stop loss 1e-6 / candidate value 1e-8 / 8 iterations / 64 neurons,
/// 12 restarts × at most 1,500 ascent steps (KKT tolerance 1e-6), one neuron per iteration, seed 1, 2 threads.
/// </summary>
public sealed record PursuitOptions
{
    /// <summary>δ₀, the norm of the initial one-neuron-per-layer net δ₀·u* (default 0.2: each of three layers then has
    /// norm ≈ 0.115, the "0.12" of the authors' demo; docs/claims.md NP-3).</summary>
    public double InitialScale { get; init; } = 0.2;

    /// <summary>δ, the norm of each new neuron's (incoming, outgoing) weights (default 0.03, the reference
    /// simulation's; docs/claims.md NP-3).</summary>
    public double NeuronScale { get; init; } = 0.03;

    /// <summary>The loss ℒ = (1/n)Σℓ minimised after each addition; its negative derivative −ℓ′ weights the candidate
    /// NCFs (default <c>square-mean</c>, (1/(2n))Σ(H − y)²; <c>logistic-mean</c> for labels ±1; docs/pursuit.md).</summary>
    public ILoss Loss { get; init; } = Losses.SquareMean;

    /// <summary>GD step η on ℒ = (1/(2n))Σ(H − y)² (default 0.02, the reference simulation's;
    /// docs/claims.md NP-3).</summary>
    public double LearningRate { get; init; } = 0.02;

    /// <summary>Sign forced on the output weight of the initial KKT point: +1, −1, or 0 for the maximiser
    /// (default 0: take the maximiser, as the reference simulation did; docs/claims.md NP-3).</summary>
    public int InitialSign { get; init; }

    /// <summary>Restarts of each KKT search (default 12; at most 100 000).</summary>
    public int Restarts { get; init; } = 12;

    /// <summary>Ascent budget and tolerance of each restart (default: KKT tolerance 1e-6, 1,500 steps).</summary>
    public SphericalAscentOptions Ascent { get; init; } = new() { KktTolerance = 1e-6, MaxSteps = 1_500 };

    /// <summary>Inner stop: the loss must first fall below this fraction of the loss at the start of the
    /// minimisation (default 0.97, the reference rule; it keeps the rule from firing on the plateau after an addition).</summary>
    public double DecreaseFactor { get; init; } = 0.97;

    /// <summary>Inner stop: the window, in epochs, of the relative-change test (default 1000; at most 10 000 000).</summary>
    public int StopWindow { get; init; } = 1000;

    /// <summary>Inner stop: relative change of the loss over <see cref="StopWindow"/> epochs below which the
    /// minimisation has converged (default 1e-7).</summary>
    public double RelativeChange { get; init; } = 1e-7;

    /// <summary>Inner stop: the minimisation ends at once when the loss falls below this (default 1e-7).</summary>
    public double LossFloor { get; init; } = 1e-7;

    /// <summary>Inner stop: at most this many epochs per minimisation (default 50,000).</summary>
    public int MaxEpochs { get; init; } = 50_000;

    /// <summary>Global stop: training loss below this (default 1e-6).</summary>
    public double LossTolerance { get; init; } = 1e-6;

    /// <summary>Global stop: the best candidate's NCF value (with 1/n) at most this (default 1e-8).</summary>
    public double ValueTolerance { get; init; } = 1e-8;

    /// <summary>Global stop: at most this many iterations, the first (initial net) included (default 8).</summary>
    public int MaxIterations { get; init; } = 8;

    /// <summary>Global stop: no more additions once the hidden layers hold this many neurons in all (default 64).</summary>
    public int MaxNeurons { get; init; } = 64;

    /// <summary>Lookahead: the number of candidates tried per iteration (default 1: the greedy choice). With K &gt; 1, the
    /// K distinct KKT points with the largest values over all layers are each added and minimised (in parallel), and
    /// the one with the smallest training loss is kept (docs/pursuit.md, "Lookahead").</summary>
    public int Lookahead { get; init; } = 1;

    /// <summary>With validation data: stop after this many iterations without a smaller validation loss (default 3).</summary>
    public int Patience { get; init; } = 3;

    /// <summary>Pruning: the GD budget, in epochs, of each trial removal after an exact fit (default 10,000; 0: no
    /// pruning). A removal is kept when the refit brings the loss below <see cref="LossTolerance"/>
    /// (<see cref="NeuronPruning"/>).</summary>
    public int PruneEpochs { get; init; } = 10_000;

    /// <summary>Neurons added per iteration: the best candidates of this many distinct layers, best first
    /// (default 1, as in the demo; at most the number of hidden layers).</summary>
    public int NeuronsPerIteration { get; init; } = 1;

    /// <summary>The leading term at downstream ReLU kinks: exact one-sided (default) or linearised (ablation).</summary>
    public KinkRule Kinks { get; init; } = KinkRule.OneSided;

    /// <summary>KKT directions (default) or random ones (ablation).</summary>
    public DirectionRule Directions { get; init; } = DirectionRule.Kkt;

    /// <summary>GD (default) or the gradient-flow integrator.</summary>
    public MinimiserKind Minimiser { get; init; } = MinimiserKind.GradientDescent;

    /// <summary>Method of <see cref="MinimiserKind.GradientFlow"/> (default "euler": with step η it is GD; the
    /// adaptive methods may stall on ReLU kinks).</summary>
    public string FlowMethod { get; init; } = "euler";

    /// <summary>Seed of every KKT search's restarts (and of random directions) (default 1).</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Worker threads of the candidate searches (default 2); results do not depend on it.</summary>
    public int Parallelism { get; init; } = 2;

    /// <summary>The loss is recorded every this many epochs for plots (default 100).</summary>
    public int RecordEvery { get; init; } = 100;

    /// <summary>A minimisation has diverged once its loss exceeds this many times its value at the start (default
    /// 1e4), or is NaN or ∞: gradient descent has left the basin (η above 2/λ_max) and a blown-up loss is no fit.</summary>
    public double DivergenceFactor { get; init; } = 1e4;

    /// <summary>Stops the pursuit at the next step (epoch, or before a candidate search) once signalled, e.g. by
    /// Ctrl-C; the result then holds what was computed; none by default.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>A copy that stops at the next step once the token is signalled.</summary>
    /// <param name="cancellation">The token.</param>
    /// <returns>The copy.</returns>
    public PursuitOptions WithCancellation(CancellationToken cancellation) => this with { Cancellation = cancellation };

    /// <summary>A copy with another direction rule (for the random-direction ablation).</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>The copy.</returns>
    public PursuitOptions WithDirections(DirectionRule rule) => this with { Directions = rule };

    /// <summary>A copy with another number of worker threads.</summary>
    /// <param name="threads">Threads ≥ 1.</param>
    /// <returns>The copy.</returns>
    public PursuitOptions WithParallelism(int threads) => this with { Parallelism = threads };

    /// <summary>A copy with another iteration budget (the initial net's iteration included).</summary>
    /// <param name="iterations">At least 1.</param>
    /// <returns>The copy.</returns>
    public PursuitOptions WithMaxIterations(int iterations) => this with { MaxIterations = iterations };

    /// <summary>
    /// A copy whose inner stop rule runs GD for a fixed budget (baselines): cap <paramref name="epochs"/>, no
    /// convergence test (relative change 0), the loss floor kept.
    /// </summary>
    /// <param name="epochs">Epoch budget ≥ 1.</param>
    /// <returns>The copy.</returns>
    public PursuitOptions WithEpochBudget(int epochs) => this with { MaxEpochs = epochs, RelativeChange = 0.0 };

    /// <summary>Throws unless every setting is in range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        static void Check(bool ok, string name, string rule, object value)
        {
            if (!ok) throw new ArgumentException($"{name}: must be {rule}, got {value}.", name);
        }
        static bool PositiveFinite(double v) => v > 0 && double.IsFinite(v);
        ArgumentNullException.ThrowIfNull(Loss);
        Check(Loss.Normalisation == LossNormalisation.Mean, "loss", "mean-normalised (square-mean or logistic-mean)", Loss.Name);
        Check(PositiveFinite(InitialScale), "delta0", "positive and finite", InitialScale);
        Check(PositiveFinite(NeuronScale), "delta", "positive and finite", NeuronScale);
        Check(PositiveFinite(LearningRate), "eta", "positive and finite", LearningRate);
        Check(InitialSign is -1 or 0 or 1, "initial-sign", "-1, 0 or +1", InitialSign);
        Check(Restarts is >= 1 and <= 100_000, "restarts", "between 1 and 100000", Restarts);
        ArgumentNullException.ThrowIfNull(Ascent);
        Ascent.Validate();
        Check(DecreaseFactor > 0 && DecreaseFactor <= 1, "decrease-factor", "in (0, 1]", DecreaseFactor);
        // The stop rule keeps the window's losses in memory.
        Check(StopWindow is >= 1 and <= 10_000_000, "stop-window", "between 1 and 10000000", StopWindow);
        Check(RelativeChange >= 0 && double.IsFinite(RelativeChange), "relative-change", "finite and ≥ 0", RelativeChange);
        Check(LossFloor >= 0 && double.IsFinite(LossFloor), "loss-floor", "finite and ≥ 0", LossFloor);
        Check(MaxEpochs >= 1, "max-epochs", "at least 1", MaxEpochs);
        Check(PruneEpochs >= 0, "prune-epochs", "at least 0", PruneEpochs);
        Check(Patience >= 1, "patience", "at least 1", Patience);
        Check(Lookahead >= 1, "lookahead", "at least 1", Lookahead);
        Check(Lookahead == 1 || NeuronsPerIteration == 1, "lookahead", "1 when several neurons are added per iteration", Lookahead);
        Check(LossTolerance >= 0 && double.IsFinite(LossTolerance), "loss-tol", "finite and ≥ 0", LossTolerance);
        Check(ValueTolerance >= 0 && double.IsFinite(ValueTolerance), "value-tol", "finite and ≥ 0", ValueTolerance);
        Check(MaxIterations >= 1, "max-iterations", "at least 1", MaxIterations);
        Check(MaxNeurons >= 1, "max-neurons", "at least 1", MaxNeurons);
        Check(NeuronsPerIteration >= 1, "neurons-per-iteration", "at least 1", NeuronsPerIteration);
        Check(Parallelism >= 1, "threads", "at least 1", Parallelism);
        Check(RecordEvery >= 1, "record-every", "at least 1", RecordEvery);
        Check(DivergenceFactor > 1 && !double.IsNaN(DivergenceFactor), "divergence-factor", "greater than 1", DivergenceFactor);
        Check(!string.IsNullOrWhiteSpace(FlowMethod), "flow-method", "a method name", FlowMethod ?? "null");
    }
}
