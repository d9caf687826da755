using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NetOpsBot.Cards;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Slack.Surface;
using NetOpsBot.Slack.WebApi;

namespace NetOpsBot.Slack.Inbound;

/// <summary>
/// After the acknowledgement: route the command, post the incident's card into the channel and let the
/// surface keep it current. Every other answer (help, refusals, an incident's timeline) goes back to the
/// person only, through <c>response_url</c>, which works even where the bot is not a member.
/// </summary>
public sealed partial class SlackCommandWorker(
    CommandRouter router,
    IncidentCards cards,
    IIncidentStore store,
    SlackApiClient api,
    SlackUsers users,
    CardPublisher<SlackCardSink> surface,
    ILogger<SlackCommandWorker> log)
{
    /// <summary>The runbooks whose commands the router answers.</summary>
    public Core.Runbooks.RunbookRegistry Runbooks => router.Runbooks;

    public async Task RunAsync(SlashCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var name = await users.DisplayNameAsync(command.UserId, command.UserName, ct).ConfigureAwait(false);
        var user = new ChatUser(SlackInbound.Platform, command.UserId, name);
        var channel = new ChatChannel(SlackInbound.Platform, command.ChannelId, null);
        var reply = await router.HandleAsync(new ChatRequest(user, channel, command.RouterText(router.Runbooks), command.TriggerId), ct).ConfigureAwait(false);
        LogRouted(log, command.UserId, reply.Accepted, reply.Incident?.Id.Value);

        if (reply is { Accepted: true, Incident: { } incident, Timeline: null })
        {
            await PostCardAsync(command, incident, reply.Text, ct).ConfigureAwait(false);
            return;
        }

        // `incident <id>` and `history` answer with their summary lines already (the thread's lines, see ThreadLines).
        var text = new StringBuilder(SlackText.Escape(reply.Text));
        await RespondAsync(command, SlackText.Cut(text.ToString(), 3_000), ct).ConfigureAwait(false);
    }

    /// <summary>Tells the person their command could not be handled after several attempts.</summary>
    public Task GiveUpAsync(SlashCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var shown = SlackText.Escape(command.Command + " " + (command.Text.Length > 200 ? command.Text[..200] + "…" : command.Text));
        return RespondAsync(command, $"Sorry, I could not handle `{shown}` (it failed several times; the operators have it in the log). Please try again.", ct);
    }

    private async Task PostCardAsync(SlashCommand command, Incident incident, string replyText, CancellationToken ct)
    {
        var state = await cards.LoadAsync(incident.Id, ct).ConfigureAwait(false);
        if (state is null || state.Incident.CardMessages.Any(c => c.Platform == SlackInbound.Platform))
        {
            // Already shown (the same request seen by the router before): say where, post nothing new.
            await RespondAsync(command, SlackText.Escape(replyText), ct).ConfigureAwait(false);
            return;
        }

        var posted = await api.PostMessageAsync(command.ChannelId, BlockKitRenderer.Render(state.Card), null, ct).ConfigureAwait(false);
        if (posted.Ok && posted.Text("ts") is { } ts)
        {
            await store.SetCardMessageAsync(incident.Id, new CardMessageRef(SlackInbound.Platform, posted.Text("channel") ?? command.ChannelId, ts), ct).ConfigureAwait(false);
            surface.Schedule(incident.Id);
            return;
        }

        var id = incident.Id.Value;
        var why = posted.Error is "not_in_channel" or "channel_not_found"
            ? $"I am not a member of this channel, so I cannot post the incident card here. Invite me with `/invite @netopsbot` (or add the app in the channel's details > Integrations), then run the command again. Incident {id} is running meanwhile: `{router.Runbooks.Default.Command} incident {id}` shows it."
            : $"I could not post the incident card ({posted.Error}). Incident {id} is running: `{router.Runbooks.Default.Command} incident {id}` shows it.";
        await RespondAsync(command, why, ct).ConfigureAwait(false);
    }

    private async Task RespondAsync(SlashCommand command, string text, CancellationToken ct)
    {
        var message = new JsonObject { ["response_type"] = "ephemeral", ["text"] = text };
        if (command.ResponseUrl is { } url && await api.RespondAsync(url, message, ct).ConfigureAwait(false))
        {
            return;
        }

        await api.PostEphemeralAsync(command.ChannelId, command.UserId, text, ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "slack: command from {User} accepted={Accepted} incident={IncidentId}")]
    private static partial void LogRouted(ILogger log, string user, bool accepted, string? incidentId);
}
