using NetOpsBot.Core;
using NetOpsBot.Core.Chat;

namespace NetOpsBot.Host;

/// <summary>
/// Forgets what the chat surfaces kept only against replays (delivery and activity ids) once it can no
/// longer matter, so the table does not grow with every message forever. Every replica runs it; the
/// deletes are idempotent.
/// </summary>
internal sealed partial class ConversationRetentionSweeper(
    IEnumerable<ConversationRetention> rules,
    IConversationStore store,
    TimeProvider time,
    ILogger<ConversationRetentionSweeper> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        BackgroundWork.Enter();
        var all = rules.ToList();
        while (all.Count > 0 && !stoppingToken.IsCancellationRequested)
        {
            foreach (var rule in all)
            {
                try
                {
                    var purged = await store.PurgeAsync(rule.Platform, rule.KeyPrefix, time.GetUtcNow() - rule.Keep, stoppingToken).ConfigureAwait(false);
                    if (purged > 0)
                    {
                        LogPurged(log, purged, rule.Platform, rule.KeyPrefix);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(log, ex, rule.Platform, rule.KeyPrefix);
                }
            }

            await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "retention: forgot {Count} {Platform} facts {Prefix}*")]
    private static partial void LogPurged(ILogger log, int count, string platform, string prefix);

    [LoggerMessage(Level = LogLevel.Warning, Message = "retention: could not purge {Platform} facts {Prefix}*; retried next hour")]
    private static partial void LogFailed(ILogger log, Exception ex, string platform, string prefix);
}
