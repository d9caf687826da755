using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NetOpsBot.Cards;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Slack.Inbound;
using NetOpsBot.Slack.WebApi;

namespace NetOpsBot.Slack.Surface;

/// <summary>
/// One flush of an incident on Slack: the card message updated in place (<c>chat.update</c>) from the
/// stored state, and each timeline event not yet shown posted as a reply in the card's thread. Reads
/// everything from the store, so it is right on any replica; each thread line is claimed in the
/// conversation store first, so two replicas never post it twice.
/// </summary>
public sealed partial class SlackCardPublisher(IncidentCards cards, SlackApiClient api, IConversationStore conversations, IIncidentStore incidents, TimeProvider time, ILogger<SlackCardPublisher> log)
{
    private readonly ConcurrentDictionary<string, string> _lastCard = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastLine = new(StringComparer.Ordinal);

    public async Task FlushAsync(IncidentId id, CancellationToken ct)
    {
        var state = await cards.LoadAsync(id, ct).ConfigureAwait(false);
        var card = state?.Incident.CardMessages.FirstOrDefault(c => c.Platform == SlackInbound.Platform);
        if (state is not null && card is null && state.Incident.Requester.Platform != SlackInbound.Platform)
        {
            // Opened by no Slack command (a monitoring alert routed here): no command worker will post the card, so
            // the first flush does, once (the claim keeps a second flush or replica from posting another).
            card = await PostOwnCardAsync(state, ct).ConfigureAwait(false);
        }

        if (state is null || card is null)
        {
            // Not posted yet: the command worker posts the card and asks for a flush right after.
            return;
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

        var shown = _lastLine.GetValueOrDefault(id.Value);
        foreach (var (e, line) in ThreadLines.Compose(state.Timeline).Where(l => l.Event.Sequence > shown))
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"line:{id.Value}:{e.Sequence}");
            if (await conversations.TryAddAsync(SlackInbound.Platform, key, string.Empty, ct).ConfigureAwait(false))
            {
                var posted = await api.PostMessageAsync(card.ChannelId, new JsonObject { ["text"] = SlackThreadLine.Render(e, line) }, card.MessageId, ct).ConfigureAwait(false);
                if (!posted.Ok)
                {
                    LogLineFailed(log, id.Value, e.Sequence, posted.Error ?? "?");
                }
            }

            _lastLine[id.Value] = e.Sequence;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: card of {IncidentId} not posted in {Channel}: {Error}")]
    private static partial void LogCardFailed(ILogger log, string incidentId, string channel, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: thread line {Sequence} of {IncidentId} not posted: {Error}")]
    private static partial void LogLineFailed(ILogger log, string incidentId, long sequence, string error);
}
