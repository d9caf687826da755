namespace NetOpsBot.Core.Incidents;

/// <summary>
/// Keeps an activity's lease alive for as long as the activity runs: renews it every third of its duration
/// (on the injected clock), and, while held, tells the local sweep that this host owns the work. Disposing it
/// ends the activity; the caller's state transition releases the stored lease.
/// </summary>
public sealed class LeaseKeeper : IDisposable
{
    private readonly ITimer _timer;
    private readonly Action _onEnd;
    private readonly Func<DateTimeOffset, Task> _renew;
    private readonly TimeProvider _time;
    private readonly TimeSpan _duration;
    private int _disposed;

    private LeaseKeeper(TimeProvider time, TimeSpan duration, Func<DateTimeOffset, Task> renew, Action onEnd)
    {
        _time = time;
        _duration = duration;
        _renew = renew;
        _onEnd = onEnd;
        var every = IncidentLifecycle.RenewalInterval(duration);
        _timer = time.CreateTimer(_ => _ = RenewAsync(), null, every, every);
    }

    /// <summary>Renewals attempted so far (for tests).</summary>
    public int Renewals { get; private set; }

    /// <param name="renew">Extends the stored lease(s) to the given instant; failures are retried on the next tick.</param>
    /// <param name="onEnd">Runs once when the activity ends.</param>
    public static LeaseKeeper Start(TimeProvider time, TimeSpan duration, Func<DateTimeOffset, Task> renew, Action? onEnd = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(renew);
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), "a lease lasts a positive time");
        }

        return new LeaseKeeper(time, duration, renew, onEnd ?? (() => { }));
    }

    private async Task RenewAsync()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        Renewals++;
        try
        {
            await _renew(_time.GetUtcNow() + _duration).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a missed renewal is retried on the next tick; two more remain before the lease ends
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _timer.Dispose();
        _onEnd();
    }
}
