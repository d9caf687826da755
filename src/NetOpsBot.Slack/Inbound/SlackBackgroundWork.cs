using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NetOpsBot.Slack.Inbound;

/// <summary>
/// Work that follows an acknowledgement (route the command, post the card, answer a click). The ack path
/// only enqueues, so Slack gets its answer in milliseconds whatever the database or Slack's API do.
/// </summary>
public sealed partial class SlackBackgroundWork(SlackOptions options, ILogger<SlackBackgroundWork> log) : BackgroundService
{
    private readonly Channel<(string What, Func<CancellationToken, Task> Work)> _queue =
        Channel.CreateBounded<(string, Func<CancellationToken, Task>)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite });

    private int _pending;

    /// <summary>Items queued or running (tests wait for zero).</summary>
    public int Pending => Volatile.Read(ref _pending);

    public bool TryEnqueue(string what, Func<CancellationToken, Task> work)
    {
        Interlocked.Increment(ref _pending);
        if (_queue.Writer.TryWrite((what, work)))
        {
            return true;
        }

        Interlocked.Decrement(ref _pending);
        LogQueueFull(log, what);
        return false;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

    private async Task WorkAsync(CancellationToken ct)
    {
        await foreach (var (what, work) in _queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            try
            {
                await work(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // one failed command must not stop the workers that serve every other one
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogWorkFailed(log, ex, what);
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "slack: {What} failed")]
    private static partial void LogWorkFailed(ILogger log, Exception ex, string what);

    [LoggerMessage(Level = LogLevel.Error, Message = "slack: work queue full, dropped {What}")]
    private static partial void LogQueueFull(ILogger log, string what);
}
