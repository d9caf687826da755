using Microsoft.Extensions.Logging;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Slack.Inbound;

namespace NetOpsBot.Slack.Surface;

/// <summary>
/// Slack as a chat surface: every notification of a Slack incident asks for a coalesced flush of its card
/// and thread; it never waits for Slack and never throws.
/// </summary>
public sealed partial class SlackChatSurface : IChatSurface, IAsyncDisposable
{
    private readonly SlackCardPublisher _publisher;
    private readonly UpdateCoalescer _coalescer;

    public SlackChatSurface(SlackCardPublisher publisher, SlackOptions options, TimeProvider time, ILogger<SlackChatSurface> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _publisher = publisher;
        _coalescer = new UpdateCoalescer(TimeSpan.FromMilliseconds(options.CardUpdateIntervalMilliseconds), time, (key, ex) => LogFlushFailed(log, ex, key));
    }

    public string Platform => SlackInbound.Platform;

    public Task NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (string.Equals(notification.Incident.Channel.Platform, Platform, StringComparison.Ordinal))
        {
            Schedule(notification.Incident.Id);
        }

        return Task.CompletedTask;
    }

    public void Schedule(IncidentId id) => _coalescer.Schedule(id.Value, ct => _publisher.FlushAsync(id, ct));

    /// <summary>Waits for every scheduled flush (tests, shutdown).</summary>
    public Task DrainAsync() => _coalescer.DrainAsync();

    public ValueTask DisposeAsync() => _coalescer.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: card flush of {IncidentId} failed")]
    private static partial void LogFlushFailed(ILogger log, Exception ex, string incidentId);
}
