using System.Collections.Concurrent;
using NetOpsBot.Cards;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Host.WebChat;

/// <summary>
/// The local web chat's protocol edge: the card and thread lines go onto the live stream of every open page. It is
/// the operator console of this host, so it shows the incidents of every platform; the card is this replica's live
/// view (each notification applied in order), and the stream is not rate-limited, so publications are not spaced.
/// </summary>
internal sealed partial class WebChatCardSink(WebChatHub hub, IncidentCards cards, ILogger<WebChatCardSink> log) : ICardSink
{
    private const int MaxIncidents = 2_000;
    private readonly ConcurrentDictionary<IncidentId, WebChatEvent> _cards = new();

    public string Platform => "webchat";

    public TimeSpan MinUpdateInterval => TimeSpan.Zero;

    public int MaxLinesPerPost => int.MaxValue;

    public bool Shows(Incident incident) => true;

    public void Observe(IncidentNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var view = cards.Apply(notification);
        var incident = notification.Incident;
        var id = incident.Id.Value;
        if (_cards.Count > MaxIncidents)
        {
            // Only a cache of the last card per incident: the next notification of an incident brings its card again.
            _cards.Clear();
        }

        _cards[incident.Id] = new WebChatEvent("card", id, new { incidentId = id, device = incident.Device.Value, card = IncidentCards.Render(view), state = incident.State.ToString(), causes = IncidentList.Causes(incident, cards.RunbookOf(incident)), createdAt = incident.CreatedAt });
        using var scope = log.BeginScope(new Dictionary<string, object> { ["IncidentId"] = id });
        LogPublished(log, notification.Event.Kind, notification.Event.Sequence);
    }

    public Task<CardMessageRef?> PublishCardAsync(IncidentId id, CancellationToken cancellationToken)
    {
        if (_cards.TryGetValue(id, out var card))
        {
            hub.Publish(card);
        }

        return Task.FromResult<CardMessageRef?>(new CardMessageRef(Platform, "netops", id.Value));
    }

    public Task PostLinesAsync(IncidentId id, CardMessageRef card, IReadOnlyList<ChatLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var line in lines)
        {
            hub.Publish(new WebChatEvent("thread", id.Value, ThreadLine.From(line.Event, line.Text)));
        }

        return Task.CompletedTask;
    }

    /// <summary>Reports a failed publication in the log.</summary>
    public void LogPublishFailed(string incidentId, Exception ex) => LogFailed(log, ex, incidentId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "web chat: {Kind} #{Sequence} published")]
    private static partial void LogPublished(ILogger log, TimelineEventKind kind, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "web chat: publication of {IncidentId} failed")]
    private static partial void LogFailed(ILogger log, Exception ex, string incidentId);
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
    public static IReadOnlyList<string> Causes(Incident incident, Core.Runbooks.RunbookDefinition? runbook) =>
        [.. incident.RootCauseCodes.Select(c => Core.Diagnosis.RootCauseCatalogue.Title(runbook, c))];
}
