using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace NetOpsBot.Teams;

/// <summary>
/// Work that must not hold an HTTP answer (replies through the connector, slow clicks): tracked so tests and
/// shutdown can wait for it, and logged when it fails, never thrown into the request.
/// </summary>
public sealed partial class TeamsBackground(ILogger<TeamsBackground> log) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Task, string> _running = new();
    private readonly CancellationTokenSource _stopping = new();

    public Task Run(string what, Func<CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var task = Task.Run(async () =>
        {
            try
            {
                await work(_stopping.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a failed reply is logged; it must not take the process or other replies down
            catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
#pragma warning restore CA1031
            {
                LogFailed(log, ex, what, ex.Message);
            }
        });
        _running[task] = what;
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
        return task;
    }

    public async Task DrainAsync()
    {
        while (!_running.IsEmpty)
        {
            await Task.WhenAll(_running.Keys.ToArray()).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running.Keys.ToArray()).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: {What} failed: {Error}")]
    private static partial void LogFailed(ILogger log, Exception ex, string what, string error);
}
