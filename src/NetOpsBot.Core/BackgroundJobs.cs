using System.Threading.Channels;

namespace NetOpsBot.Core;

/// <summary>
/// The one mechanism for work that runs after its caller returned, in two lanes. The queue lane
/// (<see cref="TryEnqueue"/>) takes work that must not hold a chat platform's answer (Teams replies and slow clicks,
/// Slack commands and clicks after their acknowledgement): bounded, at most <c>maxConcurrency</c> items at once, in
/// the order they came. The long lane (<see cref="Start"/>) takes long-lived work its caller already admitted (a
/// diagnosis under its limits, an execution with its approvals, a recovery watch of up to ~10 minutes, an alert's
/// re-check): it starts at once on its own task, never in one of the queue's workers, so ten running diagnoses
/// cannot starve a chat reply and a burst of chat work cannot delay an admitted diagnosis (the work marks itself
/// <see cref="BackgroundWork"/> where its writes are on nobody's behalf, so storage lets people's go first). In both lanes a failure is reported with what
/// it was and stops nothing else; on stop, running work gets its token cancelled and <see cref="ShutdownGrace"/> to
/// end, and everything that never ran or was left running is reported by name, not dropped silently.
/// </summary>
public sealed class BackgroundJobs : IAsyncDisposable
{
    /// <summary>Items running at once unless a surface asks for more.</summary>
    public const int DefaultConcurrency = 16;

    /// <summary>Items waiting at most; beyond it <see cref="TryEnqueue"/> refuses (and reports) rather than grow without end.</summary>
    public const int Capacity = 10_000;

    /// <summary>How long a stop waits for running items.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    private readonly Channel<(string What, Func<CancellationToken, Task> Work)> _queue =
        Channel.CreateBounded<(string, Func<CancellationToken, Task>)>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait });

    private readonly Action<string, Exception> _onError;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _workers;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, string> _long = new();
    private int _pending;
    private int _disposed;

    /// <param name="maxConcurrency">Items running at once.</param>
    /// <param name="onError">Told about an item that failed, was refused (queue full) or never ran (stopped): what it was, and why.</param>
    public BackgroundJobs(int maxConcurrency, Action<string, Exception> onError)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        ArgumentNullException.ThrowIfNull(onError);
        _onError = onError;
        _workers = [.. Enumerable.Range(0, maxConcurrency).Select(_ => Task.Run(WorkAsync))];
    }

    /// <summary>Items queued or running (tests wait for zero).</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Queues <paramref name="work"/>; false (and reported) when the queue is full or stopping.</summary>
    public bool TryEnqueue(string what, Func<CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(what);
        ArgumentNullException.ThrowIfNull(work);
        Interlocked.Increment(ref _pending);
        if (_queue.Writer.TryWrite((what, work)))
        {
            return true;
        }

        Interlocked.Decrement(ref _pending);
        _onError(what, new InvalidOperationException(_stopping.IsCancellationRequested ? "not run: the host is stopping" : $"not run: the background queue is full ({Capacity} items)"));
        return false;
    }

    /// <summary>Long-lane work still running, by what it is.</summary>
    public IReadOnlyCollection<string> LongRunning => [.. _long.Values];

    /// <summary>
    /// Starts long-lived <paramref name="work"/> now, in the long lane (see the class summary). The returned task ends
    /// when the work did and never faults: a failure is reported as <paramref name="what"/> (say what and which, e.g.
    /// "diagnosis of INC-…", never a secret). After the stop began nothing starts: it is reported as not run.
    /// </summary>
    public Task Start(string what, Func<CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(what);
        ArgumentNullException.ThrowIfNull(work);
        if (Volatile.Read(ref _disposed) == 1)
        {
            _onError(what, new InvalidOperationException("not run: the host is stopping"));
            return Task.CompletedTask;
        }

        var ct = _stopping.Token;
        var task = Task.Run(
            async () =>
            {
                try
                {
                    await work(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Cut by the stop, not a failure.
                }
#pragma warning disable CA1031 // long work that failed is reported; it must not surface as an unobserved task exception
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    _onError(what, ex);
                }
            },
            CancellationToken.None);
        _long[task] = what;
        _ = task.ContinueWith(t => _long.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    /// <summary>Waits until nothing is queued or running (tests).</summary>
    public async Task DrainAsync()
    {
        while (Pending > 0)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops: nothing new is taken, running items are cancelled and get <see cref="ShutdownGrace"/> to end (one that
    /// ignores its token is left behind rather than holding the process), and queued items are reported as not run.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        var stopped = true;
        try
        {
            await Task.WhenAll([.. _workers, .. _long.Keys]).WaitAsync(ShutdownGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            stopped = false;
        }

        // Work that ignored its token is left behind rather than holding the process, and said so.
        foreach (var (task, what) in _long)
        {
            if (!task.IsCompleted)
            {
                _onError(what, new TimeoutException($"left running: it did not end within {ShutdownGrace.TotalSeconds:0} s of the stop"));
            }
        }

        while (_queue.Reader.TryRead(out var left))
        {
            Interlocked.Decrement(ref _pending);
            _onError(left.What, new OperationCanceledException("not run: the host stopped first"));
        }

        if (stopped)
        {
            _stopping.Dispose();
        }
    }

    private async Task WorkAsync()
    {
        var ct = _stopping.Token;
        while (!ct.IsCancellationRequested && await WaitAsync(ct).ConfigureAwait(false))
        {
            if (ct.IsCancellationRequested || !_queue.Reader.TryRead(out var item))
            {
                continue;
            }

            try
            {
                await item.Work(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Cut by the stop, not a failure.
            }
#pragma warning disable CA1031 // one failed item must not stop the workers that serve every other one
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _onError(item.What, ex);
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    private async Task<bool> WaitAsync(CancellationToken ct)
    {
        try
        {
            return await _queue.Reader.WaitToReadAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
