// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// Runs the two halves of a computation, part 0 on the calling thread and part 1 on a thread-pool thread when the
/// machine has a second processor; the caller takes part 1 back if no pool thread has started it by the time part 0
/// is done, so a busy pool costs no waiting. What each part computes is fixed by its index, never by the thread
/// that runs it, so results are the same with one thread or two. Allocates nothing per run. Not reentrant.
/// </summary>
internal sealed class TwoWaySplit : IThreadPoolWorkItem
{
    private const int Idle = 0, Queued = 1, Claimed = 2;
    private readonly Action<int> _part;
    private readonly ManualResetEventSlim _done = new(false);
    private int _state;
    private Exception? _failure;

    /// <summary>Binds the work: <paramref name="part"/>(0) and <paramref name="part"/>(1) are independent.</summary>
    /// <param name="part">The work of one part, by index.</param>
    internal TwoWaySplit(Action<int> part) => _part = part;

    private static readonly bool HasSecondProcessor = Environment.ProcessorCount > 1;
    private static int _sequentialScopes;

    /// <summary>Whether a second processor can take part 1 (otherwise <see cref="Run"/> runs both parts in turn).</summary>
    internal static bool Parallel => HasSecondProcessor && Volatile.Read(ref _sequentialScopes) == 0;

    /// <summary>Runs every split on the calling thread until the scope is disposed (for tests of thread-count independence).</summary>
    /// <returns>The scope; disposing it restores parallel runs.</returns>
    internal static IDisposable SequentialScope()
    {
        Interlocked.Increment(ref _sequentialScopes);
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref _sequentialScopes);
        }
    }

    /// <summary>Runs both parts and returns when both are done; an exception of either part is rethrown.</summary>
    internal void Run()
    {
        if (!Parallel)
        {
            _part(0);
            _part(1);
            return;
        }
        _failure = null;
        _done.Reset();
        Volatile.Write(ref _state, Queued);
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        try
        {
            _part(0);
        }
        finally
        {
            // Take part 1 back if no pool thread has claimed it; otherwise wait for it.
            if (Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued) ExecutePart1();
            _done.Wait();
        }
        if (_failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_failure).Throw();
    }

    void IThreadPoolWorkItem.Execute()
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued) ExecutePart1();
    }

    private void ExecutePart1()
    {
        try
        {
            _part(1);
        }
        catch (Exception e)
        {
            _failure = e;
        }
        finally
        {
            Volatile.Write(ref _state, Idle);
            _done.Set();
        }
    }
}
