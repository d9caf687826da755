using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NetOpsBot.Cards;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Teams.Connector;

namespace NetOpsBot.Teams.Surface;

/// <summary>
/// Teams' protocol edge for incident cards: the card is posted once (as a new thread in a channel, or into the chat),
/// then replaced in place (PUT) with the stored state, and thread lines go out as replies in the card's thread, a burst
/// of lines as one reply. When and in what order is <see cref="CardPublisher"/>'s.
/// </summary>
public sealed partial class TeamsChatSurface : ICardSink
{
    private const int MaxLinesPerReply = 12;
    private readonly IncidentCards _cards;
    private readonly IIncidentStore _incidents;
    private readonly BotConnectorClient _connector;
    private readonly ConversationDirectory _conversations;
    private readonly ApproverRoster _roster;
    private readonly TeamsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TeamsChatSurface> _log;
    private readonly ConcurrentDictionary<string, CardMessageRef> _posted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConversationRef> _threads = new(StringComparer.Ordinal);

    public TeamsChatSurface(IncidentCards cards, IIncidentStore incidents, BotConnectorClient connector, ConversationDirectory conversations, ApproverRoster roster, TeamsOptions options, TimeProvider time, ILogger<TeamsChatSurface> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cards = cards;
        _incidents = incidents;
        _connector = connector;
        _conversations = conversations;
        _roster = roster;
        _options = options;
        _time = time;
        _log = log;
    }

    public string Platform => TeamsPlatform.Key;

    public TimeSpan MinUpdateInterval => TimeSpan.FromSeconds(_options.CardUpdateIntervalSeconds);

    public int MaxLinesPerPost => MaxLinesPerReply;

    public bool Shows(Incident incident) => string.Equals(incident?.Channel.Platform, Platform, StringComparison.OrdinalIgnoreCase);

    public void Observe(IncidentNotification notification)
    {
    }

    /// <summary>Reports a failed publication in the log (the publisher retries it with the next one).</summary>
    public void LogPublishFailed(string incidentId, Exception ex) => LogFlushFailed(_log, ex, incidentId, ex?.Message ?? string.Empty);

    /// <summary>How long an invoke answer waits for a conversation's roster that is not cached yet.</summary>
    internal static readonly TimeSpan RosterBudget = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The card as <paramref name="viewer"/> sees it now (their own buttons), for an invoke answer. A roster not read in time
    /// leaves <c>refresh.userIds</c> empty in this answer only; the update everyone gets carries it.
    /// </summary>
    internal async Task<JsonObject?> CardForAsync(IncidentId id, CardViewer viewer, CancellationToken ct)
    {
        var state = await _cards.LoadAsync(id, ct).ConfigureAwait(false);
        if (state is null)
        {
            return null;
        }

        var conversation = await _conversations.FindAsync(state.Incident.Channel.ChannelId, ct).ConfigureAwait(false);
        var userIds = await Budgeted.WithinAsync(RefreshIdsAsync(state.Card, conversation, CancellationToken.None), RosterBudget, [], ct).ConfigureAwait(false);
        return TeamsCardRenderer.Render(CardViewer.At(state.Card, _time.GetUtcNow()), _options.ApproveButtonsForEveryone ? CardViewer.Channel : viewer, userIds);
    }

    /// <summary>
    /// A message to one person, in their one-on-one chat with the bot (the app's personal scope): what is for one
    /// clicker alone once the click's invoke answer is gone. Teams has no ephemeral message in a channel.
    /// </summary>
    internal async Task SendPrivateAsync(ConversationRef origin, string userId, string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var created = await _connector.CreateConversationAsync(origin, new JsonObject
        {
            ["bot"] = new JsonObject { ["id"] = origin.BotId },
            ["isGroup"] = false,
            ["members"] = new JsonArray { new JsonObject { ["id"] = userId } },
            ["tenantId"] = origin.TenantId,
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = origin.TenantId } },
        }, ct).ConfigureAwait(false);
        await _connector.SendAsync(origin, created.Id, new JsonObject { ["type"] = "message", ["textFormat"] = "markdown", ["text"] = Protocol.TeamsText.Message(text) }, ct).ConfigureAwait(false);
    }

    /// <summary>A reply in the incident card's thread (output requested from the card, late click answers).</summary>
    internal async Task ReplyInThreadAsync(IncidentId id, JsonObject activity, CancellationToken ct)
    {
        var state = await _cards.LoadAsync(id, ct).ConfigureAwait(false);
        var card = state is null ? null : CardOf(state.Incident);
        var conversation = state is null ? null : await _conversations.FindAsync(state.Incident.Channel.ChannelId, ct).ConfigureAwait(false);
        if (card is null || conversation is null)
        {
            return;
        }

        await _connector.ReplyAsync(conversation, card.ChannelId, card.MessageId, activity, ct).ConfigureAwait(false);
    }

    public async Task<CardMessageRef?> PublishCardAsync(IncidentId id, CancellationToken cancellationToken)
    {
        var state = await _cards.LoadAsync(id, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return null;
        }

        var conversation = await _conversations.FindAsync(state.Incident.Channel.ChannelId, cancellationToken).ConfigureAwait(false);
        if (conversation is null)
        {
            LogNoConversation(_log, id.Value);
            return null;
        }

        var userIds = await RefreshIdsAsync(state.Card, conversation, cancellationToken).ConfigureAwait(false);
        var message = TeamsCardRenderer.Message(TeamsCardRenderer.Render(CardViewer.At(state.Card, _time.GetUtcNow()), _options.ApproveButtonsForEveryone, userIds));
        var card = CardOf(state.Incident);
        if (card is null)
        {
            card = await PostCardAsync(state.Incident, conversation, message, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _connector.UpdateAsync(conversation, card.ChannelId, card.MessageId, message, cancellationToken).ConfigureAwait(false);
        }

        _threads[id.Value] = conversation;
        return card;
    }

    /// <summary>
    /// Lines that arrived together go out as one reply: a fast runbook makes a burst of events, and every send counts
    /// against the conversation's rate limit.
    /// </summary>
    public async Task PostLinesAsync(IncidentId id, CardMessageRef card, IReadOnlyList<ChatLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(lines);
        var conversation = _threads.TryGetValue(id.Value, out var known)
            ? known
            : throw new InvalidOperationException($"No Teams conversation known for the card of {id.Value}");
        await _connector.ReplyAsync(conversation, card.ChannelId, card.MessageId, new JsonObject
        {
            ["type"] = "message",
            ["textFormat"] = "markdown",
            ["text"] = string.Join("\n\n", lines.Select(l => ThreadLine(l.Event, l.Text))),
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CardMessageRef> PostCardAsync(Incident incident, ConversationRef conversation, JsonObject message, CancellationToken ct)
    {
        CardMessageRef card;
        if (conversation.IsChannel)
        {
            // A channel gets a new thread per incident: the card at its root, the timeline as its replies.
            var created = await _connector.CreateConversationAsync(conversation, new JsonObject
            {
                ["isGroup"] = true,
                ["channelData"] = new JsonObject
                {
                    ["channel"] = new JsonObject { ["id"] = conversation.ConversationId },
                    ["tenant"] = new JsonObject { ["id"] = conversation.TenantId },
                },
                ["activity"] = message,
            }, ct).ConfigureAwait(false);
            var activityId = created.ActivityId ?? MessageIdOf(created.Id)
                ?? throw new ConnectorException("Bot Connector create conversation returned no message id for the card");
            card = new CardMessageRef(Platform, created.Id, activityId);
        }
        else
        {
            var activityId = await _connector.SendAsync(conversation, conversation.ConversationId, message, ct).ConfigureAwait(false)
                ?? throw new ConnectorException("Bot Connector send returned no id for the card");
            card = new CardMessageRef(Platform, conversation.ConversationId, activityId);
        }

        _posted[incident.Id.Value] = card;
        await _incidents.SetCardMessageAsync(incident.Id, card, ct).ConfigureAwait(false);
        LogCardPosted(_log, incident.Id.Value, card.ChannelId, card.MessageId);
        return card;
    }

    private async Task<IReadOnlyCollection<string>> RefreshIdsAsync(DiagnosisCardView card, ConversationRef? conversation, CancellationToken ct)
    {
        if (conversation is null || !TeamsCardRenderer.HasApprovalButtons(card))
        {
            return [];
        }

        try
        {
            // The requesters of pending fixes get their own view too (Withdraw, no Approve).
            var requesters = card.Offers.Where(o => o.State == OfferState.PendingApproval && o.RequesterKey is not null)
                .Select(o => o.RequesterKey!).ToHashSet(StringComparer.Ordinal);
            return await _roster.RefreshIdsAsync(conversation, conversation.ConversationId, requesters, ct).ConfigureAwait(false);
        }
        catch (ConnectorException ex)
        {
            // Without the roster nobody gets the approver view automatically; the card itself still goes out.
            LogRosterFailed(_log, ex.Message);
            return [];
        }
    }

    private CardMessageRef? CardOf(Incident incident) =>
        _posted.TryGetValue(incident.Id.Value, out var known)
            ? known
            : incident.CardMessages.FirstOrDefault(c => string.Equals(c.Platform, Platform, StringComparison.OrdinalIgnoreCase));

    private static string? MessageIdOf(string threadConversationId)
    {
        const string marker = ";messageid=";
        var at = threadConversationId.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? null : threadConversationId[(at + marker.Length)..];
    }

    internal static string ThreadLine(TimelineEvent e) => ThreadLine(e, e.Summary);

    internal static string ThreadLine(TimelineEvent e, string text) =>
        e.At.ToUniversalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " " + Protocol.TeamsText.Cut(Protocol.TeamsText.Message(text), ThreadLines.MaxLineChars);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: card update of {IncidentId} failed: {Error}")]
    private static partial void LogFlushFailed(ILogger log, Exception ex, string incidentId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: no conversation reference for incident {IncidentId}; its card cannot be posted")]
    private static partial void LogNoConversation(ILogger log, string incidentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams: card of {IncidentId} posted in {ConversationId} as {ActivityId}")]
    private static partial void LogCardPosted(ILogger log, string incidentId, string conversationId, string activityId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: roster unavailable, approvers get no automatic refresh: {Error}")]
    private static partial void LogRosterFailed(ILogger log, string error);
}
