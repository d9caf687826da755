using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NetOpsBot.Cards;
using NetOpsBot.Core;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Runbooks;
using NetOpsBot.Teams.Approvals;
using NetOpsBot.Teams.Auth;
using NetOpsBot.Teams.Connector;
using NetOpsBot.Teams.Protocol;
using NetOpsBot.Teams.Surface;

namespace NetOpsBot.Teams;

/// <summary>Typed messages (commands to the router, the reply through the connector) and the welcome of a new conversation.</summary>
public sealed partial class TeamsActivityHandler
{
    private async Task<IResult> OnMessageAsync(Activity activity, ConversationRef conversation, CancellationToken ct)
    {
        var text = CommandText.From(activity, router.Runbooks);
        if (text.Length == 0)
        {
            return Results.Ok();
        }

        var request = new ChatRequest(User(activity), Channel(activity), text, activity.Id ?? Guid.NewGuid().ToString("N"));
        var reply = await router.HandleAsync(request, ct).ConfigureAwait(false);
        var replyTo = activity.Id;
        var conversationId = activity.Conversation!.Id!;
        background.TryEnqueue("Teams: reply to a message", async c =>
        {
            var message = new JsonObject { ["type"] = "message", ["textFormat"] = "markdown", ["text"] = MultiLine(reply.Text, router.Runbooks) };
            _ = replyTo is null
                ? await connector.SendAsync(conversation, conversationId, message, c).ConfigureAwait(false)
                : await connector.ReplyAsync(conversation, conversationId, replyTo, message, c).ConfigureAwait(false);

            // "sshdiag incident <id>" shows that incident's card here (a read-only copy: the live one is in its thread).
            if (reply.Timeline is not null && reply.Incident is not null
                && await surface.CardForAsync(reply.Incident.Id, new CardViewer(null, false), c).ConfigureAwait(false) is { } card)
            {
                var copy = TeamsCardRenderer.Message(card);
                _ = replyTo is null
                    ? await connector.SendAsync(conversation, conversationId, copy, c).ConfigureAwait(false)
                    : await connector.ReplyAsync(conversation, conversationId, replyTo, copy, c).ConfigureAwait(false);
            }
        });
        return Results.Ok();
    }

    private IResult OnConversationUpdate(Activity activity, ConversationRef conversation)
    {
        var botAdded = activity.MembersAdded?.Any(m => string.Equals(m.Id, activity.Recipient?.Id, StringComparison.Ordinal)) == true;
        if (botAdded)
        {
            var conversationId = activity.Conversation!.Id!;
            background.TryEnqueue("Teams: welcome", async c =>
            {
                // Once per conversation: clients repeat conversationUpdate (the Playground on every page load).
                if (await replay.FirstSightAsync(conversationId, "welcome", c).ConfigureAwait(false))
                {
                    await connector.SendAsync(conversation, conversationId, new JsonObject
                    {
                        ["type"] = "message",
                        ["textFormat"] = "markdown",
                        ["text"] = Welcome(router.Runbooks),
                    }, c).ConfigureAwait(false);
                }
            });
        }

        return Results.Ok();
    }

    /// <summary>The welcome a new conversation gets: Teams spells each runbook's command without its slash.</summary>
    internal static string Welcome(RunbookRegistry runbooks)
    {
        var word = runbooks.Default.CommandWord;
        var each = string.Join(" · ", runbooks.Definitions.Select(r => $"`{r.CommandWord} DEVICE` {r.Purpose} (name or management IP; joins its open incident if there is one)"));
        return $"Hi, I am **NetOpsBot**. Mention me with `{word} DEVICE` (for example `{word} sw-access-12`): I run the {runbooks.Default.Title} step by step on one card, name the root cause and offer the fix (a reboot needs two approvers who are not the requester).\n\n" +
            $"{each} · `{word} incident ID` shows an incident's card and timeline · " +
            $"`{word} history DEVICE` lists the device's recent incidents with causes, fixes and approvers · `help` shows this text.";
    }

    /// <summary>
    /// Router replies use `code`, newlines and &lt;placeholders&gt;: Teams markdown needs a blank line for a break, and
    /// angle brackets would be read as HTML, so placeholders become upper case words.
    /// </summary>
    private static string MultiLine(string text, RunbookRegistry runbooks) => runbooks.Definitions.Aggregate(
            text
                .Replace("<device>", "DEVICE", StringComparison.Ordinal)
                .Replace("<id>", "ID", StringComparison.Ordinal)
                .Replace("&", "&amp;", StringComparison.Ordinal)
                .Replace("<", "&lt;", StringComparison.Ordinal)
                .Replace(">", "&gt;", StringComparison.Ordinal),
            (t, r) => t.Replace(r.Command, r.CommandWord, StringComparison.Ordinal))
        .Replace("\n", "\n\n", StringComparison.Ordinal);
}
