namespace NetOpsBot.Core.Approvals;

/// <summary>Stopping with an execution or a recovery watch in flight (SIGTERM on a rolling update).</summary>
public sealed partial class RemediationService : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    // Executions and recovery watches start in the long lane of the host's one BackgroundJobs (or of this service's own).
    private readonly BackgroundJobs _jobs;
    private readonly BackgroundJobs? _ownJobs;
    private int _disposed;

    /// <summary>
    /// The host is stopping: executions and recovery watches stop where they are and are left claimed and leased,
    /// exactly as a host that died would leave them, so the next start reports the execution cut off (never
    /// repeated) and resumes a reboot's recovery watch. Called before the service container is disposed; waits at
    /// most <paramref name="grace"/>.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await StopWork.WaitAsync(Background, grace).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (_ownJobs is not null)
        {
            await _ownJobs.DisposeAsync().ConfigureAwait(false);
        }

        if (Background.All(t => t.IsCompleted))
        {
            _stopping.Dispose();
        }
    }
}
