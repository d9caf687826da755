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

/// <summary>
/// Card clicks (<c>adaptiveCard/action</c>): the answer carries the clicker's card within the invoke budget, the work
/// goes to the background queue, and what is for the clicker alone reaches them privately.
/// </summary>
public sealed partial class TeamsActivityHandler
{
    public const string InvokeCardType = "application/vnd.microsoft.card.adaptive";

    public const string InvokeMessageType = "application/vnd.microsoft.activity.message";

    private const int MaxOutputChars = 20_000;

    /// <summary>
    /// How long a click's work and the clicker's approver look-up may take before the answer goes out with the
    /// current card. With the roster's own budget and the card's rendering the answer stays under a second
    /// (Teams gives up after 5-15 s; users notice sooner).
    /// </summary>
    internal static readonly TimeSpan InvokeBudget = TimeSpan.FromMilliseconds(700);

    private async Task<IResult> OnCardActionAsync(Activity activity, ConversationRef conversation, CancellationToken ct)
    {
        var action = activity.Value?["action"] as JsonObject;
        var data = action?["data"] as JsonObject;
        var verb = action?["verb"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var aad = activity.From?.AadObjectId ?? activity.From?.Id;

        if (verb == TeamsCardRenderer.RefreshVerb)
        {
            var refreshId = data?["incidentId"] is JsonValue iv && iv.TryGetValue<string>(out var idText) ? idText : null;
            if (!IncidentId.TryParse(refreshId, out var refreshIncident, out _))
            {
                return InvokeError("That card's refresh data is not a NetOpsBot incident.");
            }

            // The refresh of one person's card: the requester's view has Withdraw, an approver's Approve and Reject.
            var isApprover = await Budgeted.WithinAsync(approvers.IsApproverAsync(aad, CancellationToken.None).AsTask(), InvokeBudget, false, ct).ConfigureAwait(false);
            var refreshed = await surface.CardForAsync(refreshIncident, new CardViewer(CardViewer.KeyOf(User(activity)), isApprover), ct).ConfigureAwait(false);
            return refreshed is null ? InvokeError($"No incident {refreshIncident.Value}.") : InvokeCard(refreshed);
        }

        if (data is null || !CardAction.TryFromData(data, out var click) || !IncidentId.TryParse(click.IncidentId, out var incidentId, out _))
        {
            return InvokeError("That button's data is not a NetOpsBot action.");
        }

        var user = User(activity);
        var channel = new ChatChannel(TeamsPlatform.Key, ChannelKey(activity), ThreadId(activity));
        if (click.Verb == CardActionVerb.ShowOutput)
        {
            background.TryEnqueue("Teams: show output", c => PostOutputAsync(incidentId, click.StepId, click.RunNumber, user, c));
            return InvokeMessage("The full output is posted in the incident's thread.");
        }

        if (click.PlanId is null || !click.TryIncidentVerb(out var incidentVerb))
        {
            return InvokeError("That button names no remediation.");
        }

        var planId = click.PlanId;

        // The work itself is short (database only), except a reboot request that reads the device's unsaved
        // changes: whatever is not done within the budget finishes in the background and reaches everyone
        // through the card update; the clicker gets the card as it is now.
        var answer = new TaskCompletionSource<ActionReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = background.TryEnqueue("Teams: card action", async c =>
        {
            try
            {
                answer.SetResult(await actions.HandleAsync(new IncidentClick(incidentVerb, incidentId, planId, click.Target, user, channel), c).ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                answer.TrySetException(ex);
                throw;
            }
        });
        if (!queued)
        {
            answer.TrySetException(new InvalidOperationException("the click was not queued"));
        }

        // Asked while the click is recorded, within the same budget: without an answer the clicker gets the
        // channel-wide card, and an approver's client refreshes to the approver view by itself (refresh.userIds).
        var clickerIsApprover = Budgeted.WithinAsync(approvers.IsApproverAsync(aad, CancellationToken.None).AsTask(), InvokeBudget, false, ct);
        var finished = await Task.WhenAny(answer.Task, Task.Delay(InvokeBudget, ct)).ConfigureAwait(false) == answer.Task;
        var isClickerApprover = await clickerIsApprover.ConfigureAwait(false);
        if (finished)
        {
            if (!answer.Task.IsCompletedSuccessfully)
            {
                return InvokeError("The click could not be recorded; please try again.");
            }

            var reply = answer.Task.Result;
            LogClick(log, click.VerbName, incidentId.Value, reply.Accepted);

            // What is for the clicker alone is the invoke answer: Teams shows it to that person only.
            if (reply.ToClicker is { } mine)
            {
                return InvokeMessage($"{user.DisplayName}: {mine}");
            }
        }
        else
        {
            background.TryEnqueue("Teams: late click answer", async c =>
            {
                var late = await answer.Task.ConfigureAwait(false);
                LogClick(log, click.VerbName, incidentId.Value, late.Accepted);

                // Too late for the invoke answer, which was the clicker's private reply: it goes to their one-on-one
                // chat with the bot instead. Only where that fails does a refusal go to the thread (as it used to);
                // a click that changed nothing for anyone else (a double click) never does.
                if (late.ToClicker is { } mine && activity.From?.Id is { Length: > 0 } clicker)
                {
                    try
                    {
                        await surface.SendPrivateAsync(conversation, clicker, $"{user.DisplayName}: {mine}", c).ConfigureAwait(false);
                        return;
                    }
                    catch (ConnectorException e)
                    {
                        LogPrivateReplyFailed(log, incidentId.Value, e.Message);
                    }
                }

                if (!late.Accepted && !late.ClickerOnly && late.ToChannel is null)
                {
                    await surface.ReplyInThreadAsync(incidentId, new JsonObject { ["type"] = "message", ["textFormat"] = "markdown", ["text"] = TeamsText.Message($"{user.DisplayName}: {late.Message}") }, c).ConfigureAwait(false);
                }
            });
        }

        var card = await surface.CardForAsync(incidentId, new CardViewer(CardViewer.KeyOf(user), isClickerApprover), ct).ConfigureAwait(false);
        return card is null ? InvokeError($"No incident {incidentId.Value}.") : InvokeCard(card);
    }

    private async Task PostOutputAsync(IncidentId id, string? stepId, int? run, ChatUser user, CancellationToken ct)
    {
        var output = (await outputs.FindAsync(id, stepId, run, TeamsPlatform.Key, ct).ConfigureAwait(false))?.RawOutput;
        var text = output is null
            ? $"No stored output for step {stepId}."
            : output.Length > MaxOutputChars ? output[..MaxOutputChars] + $"\n… truncated ({output.Length - MaxOutputChars:N0} more characters; `netopsbot incident export {id.Value}` has all of it)" : output;
        var card = new JsonObject
        {
            ["$schema"] = AdaptiveCardRenderer.Schema,
            ["type"] = "AdaptiveCard",
            ["version"] = AdaptiveCardRenderer.Version,
            ["body"] = new JsonArray
            {
                new JsonObject { ["type"] = "TextBlock", ["text"] = TeamsText.Card($"Output of {stepId} (asked by {user.DisplayName})"), ["weight"] = "Bolder", ["wrap"] = true },
                new JsonObject { ["type"] = "TextBlock", ["text"] = TeamsText.Card(text), ["fontType"] = "Monospace", ["wrap"] = true },
            },
        };
        await surface.ReplyInThreadAsync(id, TeamsCardRenderer.Message(card), ct).ConfigureAwait(false);
    }

    private static IResult InvokeCard(JsonObject card) =>
        Results.Json(new JsonObject { ["statusCode"] = 200, ["type"] = InvokeCardType, ["value"] = card }, Activity.Json);

    private static IResult InvokeMessage(string text) =>
        Results.Json(new JsonObject { ["statusCode"] = 200, ["type"] = InvokeMessageType, ["value"] = text }, Activity.Json);

    private static IResult InvokeError(string message) =>
        Results.Json(new JsonObject
        {
            ["statusCode"] = 400,
            ["type"] = "application/vnd.microsoft.error",
            ["value"] = new JsonObject { ["code"] = "BadRequest", ["message"] = message },
        }, Activity.Json);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: the late answer to a click on {IncidentId} could not be sent to the clicker's one-on-one chat: {Error}")]
    private static partial void LogPrivateReplyFailed(ILogger log, string incidentId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams: {Verb} click on {IncidentId} accepted={Accepted}")]
    private static partial void LogClick(ILogger log, string verb, string incidentId, bool accepted);
}
