using System.Threading.Channels;

namespace NetOpsBot.Core;

/// <summary>
/// The one queue for work that must not hold a chat platform's answer (Teams replies and slow clicks, Slack commands
/// and clicks after their acknowledgement): bounded, at most <c>maxConcurrency</c> items at once, in the order they
/// came. A failed item is reported with what it was and never stops the others; on stop, running items get their
/// token cancelled and <see cref="ShutdownGrace"/> to end, and every item that never ran is reported, not dropped silently.
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
        try
        {
            await Task.WhenAll(_workers).WaitAsync(ShutdownGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return;
        }

        while (_queue.Reader.TryRead(out var left))
        {
            Interlocked.Decrement(ref _pending);
            _onError(left.What, new OperationCanceledException("not run: the host stopped first"));
        }

        _stopping.Dispose();
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
