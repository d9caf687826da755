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
        var incident = notification.Incident;
        hub.Publish(new WebChatEvent("card", id, new { incidentId = id, device = incident.Device.Value, card = IncidentCards.Render(view), state = incident.State.ToString(), causes = IncidentList.Causes(incident), createdAt = incident.CreatedAt }));
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

/// <summary>What the page's incident list shows of an incident besides device and state.</summary>
internal static class IncidentList
{
    /// <summary>Root causes by title ("SSH listener stuck on another port"), as people read them.</summary>
    public static IReadOnlyList<string> Causes(Incident incident) =>
        [.. incident.RootCauseCodes.Select(c => Core.Diagnosis.RootCause.FromCode(c)?.Title ?? c)];
}
