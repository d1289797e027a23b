// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// The fewest epochs in which any of several concurrent minimisations has reached its goal so far (the pruning
/// pass's early rejection, docs/pursuit.md, "Pruning"): a race in which only the fastest run can win. A run that has
/// taken this many epochs without reaching the goal needs more and cannot beat the finished one, so it may stop
/// (<see cref="InnerStopReason.Outpaced"/>). The value only ever decreases, and it is never below the fewest epochs
/// of all the runs that reach the goal, whatever the order in which they finish; so the fastest run (and every run
/// that ties with it) is never stopped, and the winner does not depend on the number of threads. Thread-safe.
/// </summary>
public sealed class FewestEpochs
{
    private long _value = long.MaxValue;

    /// <summary>The fewest epochs of a run known to have reached the goal (<see cref="long.MaxValue"/> before any has).</summary>
    public long Value => Interlocked.Read(ref _value);

    /// <summary>Reports a run that reached the goal in <paramref name="epochs"/> epochs.</summary>
    /// <param name="epochs">Its epochs, ≥ 0.</param>
    public void Reached(long epochs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        long seen = Interlocked.Read(ref _value);
        while (epochs < seen)
        {
            long previous = Interlocked.CompareExchange(ref _value, epochs, seen);
            if (previous == seen) return;
            seen = previous;
        }
    }

    /// <summary>Whether a run at <paramref name="epoch"/> epochs that has not reached the goal there can still beat
    /// (or tie with) every run known to have reached it: its goal is at least one epoch away, so it can only while
    /// <paramref name="epoch"/> &lt; <see cref="Value"/>.</summary>
    /// <param name="epoch">Epochs the run has taken.</param>
    /// <returns>False when the run cannot win.</returns>
    public bool CanStillWin(long epoch) => epoch < Value;
}
