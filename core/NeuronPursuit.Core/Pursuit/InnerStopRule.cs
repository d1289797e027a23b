// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Pursuit;

/// <summary>Why a minimisation ended.</summary>
public enum InnerStopReason
{
    /// <summary>The loss fell below the decrease threshold and then changed by less than the relative tolerance over the window.</summary>
    Converged,

    /// <summary>The loss fell below the loss floor.</summary>
    LossFloor,

    /// <summary>The epoch cap was reached.</summary>
    EpochCap,

    /// <summary>The loss became NaN or infinite, or exceeded <see cref="PursuitOptions.DivergenceFactor"/> times its
    /// start (step too large).</summary>
    Diverged,

    /// <summary>A monitor ended it: with validation data, the validation loss stopped improving (overfitting).</summary>
    EarlyStopped,

    /// <summary>The caller's cancellation token was signalled (e.g. Ctrl-C).</summary>
    Interrupted,

    /// <summary>A concurrent minimisation of the same race reached the goal in as few or fewer epochs than this one has
    /// taken without reaching it (<see cref="FewestEpochs"/>: the pruning pass's early rejection).</summary>
    Outpaced,
}

/// <summary>
/// The reference simulation's stop rule for the minimisation after an addition (Neuron Pursuit's inner stop,
/// docs/claims.md NP-3): stop once ℒ &lt; factor·ℒ(start) (default 0.97) AND the relative change of ℒ over
/// the last window of epochs (default 1000) is below a tolerance (default 1e-7); stop at once below a loss
/// floor; stop at the epoch cap; stop as diverged once ℒ is NaN, ∞ or above
/// <see cref="PursuitOptions.DivergenceFactor"/> (default 1e4) times the larger of ℒ(start) and a reference loss, the
/// loss of the zero network ℒ(0) = (1/(2n))Σyᵢ² for Neuron Pursuit: a fit 10⁴ times worse than predicting 0 has
/// blown up, whatever small loss the minimisation started from. A rule on the relative change alone fires during the plateau right after an
/// addition, where the new neuron is still aligning at norm ≈ δ and ℒ barely moves: the decrease condition
/// makes the rule wait for the escape. Feed it the loss at epochs 0, 1, 2, … (or at any increasing epochs:
/// the change is measured against the latest observation at least one window earlier).
/// </summary>
public sealed class InnerStopRule
{
    private readonly PursuitOptions _options;
    private readonly long[] _epochs;
    private readonly double[] _losses;
    private int _head;
    private int _count;
    private readonly double _referenceLoss;
    private double _start = double.NaN;

    /// <summary>Creates the rule with the inner-stop settings of the options.</summary>
    /// <param name="options">The options (DecreaseFactor, StopWindow, RelativeChange, LossFloor, MaxEpochs,
    /// DivergenceFactor).</param>
    /// <param name="referenceLoss">The loss scale of the divergence test besides ℒ(start), e.g. ℒ(0) (default 0).</param>
    public InnerStopRule(PursuitOptions options, double referenceLoss = 0.0)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _referenceLoss = double.IsFinite(referenceLoss) ? Math.Max(referenceLoss, 0.0) : 0.0;
        _epochs = new long[options.StopWindow + 2];
        _losses = new double[options.StopWindow + 2];
    }

    /// <summary>The loss at epoch 0.</summary>
    public double StartLoss => _start;

    /// <summary>Records the loss at an epoch and says whether to stop before the next step.</summary>
    /// <param name="epoch">Epochs taken so far (0 for the start), increasing from call to call.</param>
    /// <param name="loss">ℒ at that point.</param>
    /// <param name="reason">Why to stop, when the result is true.</param>
    /// <returns>True to stop.</returns>
    public bool ShouldStop(long epoch, double loss, out InnerStopReason reason)
    {
        reason = default;
        if (double.IsNaN(_start)) _start = loss;
        if (!double.IsFinite(loss)) { reason = InnerStopReason.Diverged; return true; }
        if (loss < _options.LossFloor) { reason = InnerStopReason.LossFloor; return true; }
        if (loss > _options.DivergenceFactor * Math.Max(_start, _referenceLoss)) { reason = InnerStopReason.Diverged; return true; }
        // Drop observations that a later one replaces as "at least one window earlier".
        int window = _options.StopWindow;
        while (_count >= 2 && _epochs[(_head + 1) % _epochs.Length] <= epoch - window)
        {
            _head = (_head + 1) % _epochs.Length;
            _count--;
        }
        bool converged = false;
        if (_count >= 1 && _epochs[_head] <= epoch - window && loss < _options.DecreaseFactor * _start)
        {
            double before = _losses[_head];
            converged = Math.Abs(before - loss) <= _options.RelativeChange * Math.Abs(before);
        }
        int tail = (_head + _count) % _epochs.Length;
        if (_count == _epochs.Length)
        {
            _head = (_head + 1) % _epochs.Length;
            _count--;
        }
        _epochs[tail] = epoch;
        _losses[tail] = loss;
        _count++;
        if (converged) { reason = InnerStopReason.Converged; return true; }
        if (epoch >= _options.MaxEpochs) { reason = InnerStopReason.EpochCap; return true; }
        return false;
    }
}
