using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NetOpsBot.Cards;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Slack.Inbound;
using NetOpsBot.Slack.WebApi;

namespace NetOpsBot.Slack.Surface;

/// <summary>
/// Slack's protocol edge for incident cards: the card message updated in place (<c>chat.update</c>) from the stored
/// state, and each thread line posted as a reply in the card's thread (<c>chat.postMessage</c> with <c>thread_ts</c>).
/// When, in what order, and that each line is posted once by all replicas together (claimed in the conversation store
/// through its <see cref="ThreadLedger"/>), is <see cref="CardPublisher"/>'s.
/// </summary>
public sealed partial class SlackCardSink(IncidentCards cards, SlackApiClient api, IConversationStore conversations, IIncidentStore incidents, SlackOptions options, TimeProvider time, ILogger<SlackCardSink> log) : ICardSink
{
    private readonly ConcurrentDictionary<string, string> _lastCard = new(StringComparer.Ordinal);

    public string Platform => SlackInbound.Platform;

    public TimeSpan MinUpdateInterval => TimeSpan.FromMilliseconds(options.CardUpdateIntervalMilliseconds);

    /// <summary>Every line is its own message: Slack has no rate reason to join them, and each is claimed alone.</summary>
    public int MaxLinesPerPost => int.MaxValue;

    public bool Shows(Incident incident) => string.Equals(incident?.Channel.Platform, Platform, StringComparison.Ordinal);

    public void Observe(IncidentNotification notification)
    {
    }

    /// <summary>Reports a failed publication in the log (the publisher retries it with the next one).</summary>
    public void LogPublishFailed(string incidentId, Exception ex) => LogFlushFailed(log, ex, incidentId);

    public async Task<CardMessageRef?> PublishCardAsync(IncidentId id, CancellationToken cancellationToken)
    {
        var ct = cancellationToken;
        var state = await cards.LoadAsync(id, ct).ConfigureAwait(false);
        var card = state?.Incident.CardMessages.FirstOrDefault(c => c.Platform == SlackInbound.Platform);
        if (state is not null && card is null && state.Incident.Requester.Platform != SlackInbound.Platform)
        {
            // Opened by no Slack command (a monitoring alert routed here): no command worker will post the card, so
            // the first publication does, once (the claim keeps a second one or replica from posting another).
            card = await PostOwnCardAsync(state, ct).ConfigureAwait(false);
        }

        if (state is null || card is null)
        {
            // Not posted yet: the command worker posts the card and asks for a publication right after.
            return null;
        }

        var message = BlockKitRenderer.Render(CardViewer.At(state.Card, time.GetUtcNow()));
        var json = message.ToJsonString();
        if (!_lastCard.TryGetValue(id.Value, out var last) || !string.Equals(last, json, StringComparison.Ordinal))
        {
            var updated = await api.UpdateAsync(card.ChannelId, card.MessageId, message, ct).ConfigureAwait(false);
            if (updated.Ok)
            {
                _lastCard[id.Value] = json;
            }
        }

        return card;
    }

    public async Task PostLinesAsync(IncidentId id, CardMessageRef card, IReadOnlyList<ChatLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var (e, line) in lines)
        {
            var posted = await api.PostMessageAsync(card.ChannelId, new JsonObject { ["text"] = SlackThreadLine.Render(e, line) }, card.MessageId, cancellationToken).ConfigureAwait(false);
            if (!posted.Ok)
            {
                LogLineFailed(log, id.Value, e.Sequence, posted.Error ?? "?");
            }
        }
    }

    private async Task<CardMessageRef?> PostOwnCardAsync(IncidentCardState state, CancellationToken ct)
    {
        var id = state.Incident.Id;
        if (!await conversations.TryAddAsync(SlackInbound.Platform, "card:" + id.Value, string.Empty, ct).ConfigureAwait(false))
        {
            return null;
        }

        var channel = state.Incident.Channel.ChannelId;
        var message = BlockKitRenderer.Render(CardViewer.At(state.Card, time.GetUtcNow()));
        var posted = await api.PostMessageAsync(channel, message, null, ct).ConfigureAwait(false);
        if (!posted.Ok || posted.Text("ts") is not { } ts)
        {
            LogCardFailed(log, id.Value, channel, posted.Error ?? "?");
            return null;
        }

        var card = new CardMessageRef(SlackInbound.Platform, posted.Text("channel") ?? channel, ts);
        await incidents.SetCardMessageAsync(id, card, ct).ConfigureAwait(false);
        _lastCard[id.Value] = message.ToJsonString();
        return card;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: card flush of {IncidentId} failed")]
    private static partial void LogFlushFailed(ILogger log, Exception ex, string incidentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: card of {IncidentId} not posted in {Channel}: {Error}")]
    private static partial void LogCardFailed(ILogger log, string incidentId, string channel, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: thread line {Sequence} of {IncidentId} not posted: {Error}")]
    private static partial void LogLineFailed(ILogger log, string incidentId, long sequence, string error);
}
