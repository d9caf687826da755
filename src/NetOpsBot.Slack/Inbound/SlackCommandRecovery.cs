using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NetOpsBot.Slack.Inbound;

/// <summary>
/// Picks up slash commands that were acknowledged but whose work never finished (a host stopped, a
/// full queue): shortly after start-up, then every <c>Slack:ResumeAfterSeconds</c> / 3 (at most 30 s). Every replica runs it; each attempt is
/// claimed by one.
/// </summary>
public sealed partial class SlackCommandRecovery(SlackInbound inbound, SlackOptions options, TimeProvider time, ILogger<SlackCommandRecovery> log) : BackgroundService
{
    private TimeSpan Orphaned => TimeSpan.FromSeconds(options.ResumeAfterSeconds);

    // Look three times per orphan age, at most every 30 s.
    private TimeSpan Interval => TimeSpan.FromSeconds(Math.Min(30.0, options.ResumeAfterSeconds / 3.0));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await inbound.ResumePendingAsync(Orphaned, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(log, ex);
            }

            await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: could not look for unfinished commands; retried later")]
    private static partial void LogFailed(ILogger log, Exception ex);
}
