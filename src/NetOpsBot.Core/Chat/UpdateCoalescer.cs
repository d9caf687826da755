namespace NetOpsBot.Core.Chat;

/// <summary>
/// Coalesces message updates per key (an incident's card): at most one flush in flight per key, at
/// least <c>minInterval</c> between two flushes of the same key, and any number of requests made in
/// between fold into one later flush. Flushes read the latest state themselves, so folding loses
/// nothing; it only keeps a fast runbook under the platforms' per-conversation rate limits.
/// </summary>
public sealed class UpdateCoalescer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly TimeSpan _minInterval;
    private readonly TimeProvider _time;
    private readonly Action<string, Exception> _onError;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    /// <summary>How long a stop waits for flushes in flight before cancelling them, and again for them to end.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    /// <param name="minInterval">Shortest time between the starts of two flushes of one key.</param>
    /// <param name="time">Clock for the interval.</param>
    /// <param name="onError">Told about a flush that threw (the next request flushes again).</param>
    public UpdateCoalescer(TimeSpan minInterval, TimeProvider time, Action<string, Exception> onError)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minInterval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(onError);
        _minInterval = minInterval;
        _time = time;
        _onError = onError;
    }

    /// <summary>Asks for a flush of <paramref name="key"/>; returns at once. The last flush given wins.</summary>
    public void Schedule(string key, Func<CancellationToken, Task> flush)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(flush);
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (_slots.TryGetValue(key, out var slot))
            {
                slot.Pending = flush;
                return;
            }

            slot = new Slot { Pending = flush };
            _slots[key] = slot;
            slot.Runner = Task.Run(() => RunAsync(key, slot));
        }
    }

    /// <summary>Waits until every requested flush has run (tests, shutdown).</summary>
    public async Task DrainAsync()
    {
        while (true)
        {
            Task[] running;
            lock (_gate)
            {
                running = [.. _slots.Values.Select(s => s.Runner).OfType<Task>()];
            }

            if (running.Length == 0)
            {
                return;
            }

            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops: no new flush starts, the ones already asked for get <see cref="ShutdownGrace"/> (wall time: a process
    /// stop is real) to reach the platform, then they are cancelled. Safe to call more than once (the DI container
    /// disposes a surface registered under two service types twice).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        var drained = DrainAsync();
        try
        {
            await drained.WaitAsync(ShutdownGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        lock (_gate)
        {
            _stopping.Cancel();
        }

        try
        {
            // A flush that ignores its token is left behind rather than holding the process; the token source then
            // stays undisposed, because that flush may still read its token.
            await drained.WaitAsync(ShutdownGrace).ConfigureAwait(false);
            _stopping.Dispose();
        }
        catch (TimeoutException)
        {
        }
    }

    private async Task RunAsync(string key, Slot slot)
    {
        var last = DateTimeOffset.MinValue;
        while (true)
        {
            Func<CancellationToken, Task>? flush;
            lock (_gate)
            {
                flush = _stopping.IsCancellationRequested ? null : slot.Pending;
                slot.Pending = null;
                if (flush is null)
                {
                    _slots.Remove(key);
                    return;
                }
            }

            var wait = last + _minInterval - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopping: the card's state is stored, and the next host renders it whole.
                    continue;
                }

                // Requests that arrived while waiting fold into this flush.
                lock (_gate)
                {
                    flush = slot.Pending ?? flush;
                    slot.Pending = null;
                }
            }

            last = _time.GetUtcNow();
            try
            {
                await flush(_stopping.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a failed flush of one card must not stop updates of that card or any other
            catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
#pragma warning restore CA1031
            {
                _onError(key, ex);
            }
            catch (OperationCanceledException)
            {
                // Cut by the stop, not a failure: nothing to report.
            }
        }
    }

    private sealed class Slot
    {
        public Func<CancellationToken, Task>? Pending { get; set; }

        public Task? Runner { get; set; }
    }
}
