using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Chat;

/// <summary>A thread line as a surface receives it: the event it stands for (time, kind, sequence) and its text.</summary>
public sealed record ChatLine(TimelineEvent Event, string Text);

/// <summary>
/// One chat platform's protocol edge for showing incidents: post or replace a card, post lines under it. Everything
/// else (which incidents, when, coalescing, line order, each line once, failures) is <see cref="CardPublisher"/>'s, the
/// same for every platform.
/// </summary>
public interface ICardSink
{
    /// <summary>Platform key: <c>teams</c>, <c>slack</c>, <c>webchat</c>.</summary>
    string Platform { get; }

    /// <summary>Shortest time between two publications of one incident (the platform's per-conversation rate limit).</summary>
    TimeSpan MinUpdateInterval { get; }

    /// <summary>Most lines handed to one <see cref="PostLinesAsync"/> call (one reply, or one call that posts them each).</summary>
    int MaxLinesPerPost { get; }

    /// <summary>Whether this platform shows <paramref name="incident"/> at all.</summary>
    bool Shows(Incident incident);

    /// <summary>
    /// Called once per notification of a shown incident, in notification order, before the publication is scheduled:
    /// for a surface that keeps a live view in memory. Must be quick and must not call the platform.
    /// </summary>
    void Observe(IncidentNotification notification);

    /// <summary>
    /// Posts the incident's card, or replaces it in place, from the latest state; returns the message whose thread
    /// takes the lines, or null when there is no card to thread under yet (the lines wait for a later publication).
    /// </summary>
    Task<CardMessageRef?> PublishCardAsync(IncidentId id, CancellationToken cancellationToken);

    /// <summary>Posts <paramref name="lines"/>, in this order, in <paramref name="card"/>'s thread. Throws when they did not go out.</summary>
    Task PostLinesAsync(IncidentId id, CardMessageRef card, IReadOnlyList<ChatLine> lines, CancellationToken cancellationToken);
}
