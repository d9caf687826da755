using NetOpsBot.Cards;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Host.WebChat;

/// <summary>
/// The local web chat as a chat surface: the card updates in place, each event is a thread line. It is the
/// operator console of this host, so it shows the incidents of every platform.
/// </summary>
internal sealed partial class WebChatNotifier(WebChatHub hub, IncidentCards cards, ILogger<WebChatNotifier> log) : IChatSurface
{
    public string Platform => "webchat";

    public Task NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken)
    {
        var view = cards.Apply(notification);
        var id = notification.Incident.Id.Value;
        using var scope = log.BeginScope(new Dictionary<string, object> { ["IncidentId"] = id });
        hub.Publish(new WebChatEvent("card", id, new { incidentId = id, device = notification.Incident.Device.Value, card = IncidentCards.Render(view) }));
        if (notification.ThreadText is { } line)
        {
            hub.Publish(new WebChatEvent("thread", id, ThreadLine.From(notification.Event, line)));
        }

        LogPublished(log, notification.Event.Kind, notification.Event.Sequence);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "web chat: {Kind} #{Sequence} published")]
    private static partial void LogPublished(ILogger log, TimelineEventKind kind, long sequence);
}

/// <summary>A timeline event as one line in the incident's thread.</summary>
internal sealed record ThreadLine(string IncidentId, long Sequence, DateTimeOffset At, string Kind, string Actor, string Text)
{
    public static ThreadLine From(TimelineEvent e) => From(e, e.Summary);

    public static ThreadLine From(TimelineEvent e, string text) => new(e.IncidentId.Value, e.Sequence, e.At, e.Kind.ToString(), e.Actor, text);
}
