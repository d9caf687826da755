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
/// <c>POST /api/messages</c>: authenticate (or refuse with 401 and run nothing), refuse replays, remember the
/// conversation, then answer at once. Messages go to the command router and get their reply through the
/// connector; card clicks answer with the next card state within a second and never wait for device work.
/// </summary>
public sealed partial class TeamsActivityHandler(
    BotTokenValidator validator,
    ReplayGuard replay,
    ConversationDirectory conversations,
    CommandRouter router,
    IncidentActions actions,
    TeamsChatSurface surface,
    TeamsApprovers approvers,
    BotConnectorClient connector,
    StepOutputLookup outputs,
    TeamsOptions options,
    BackgroundJobs background,
    TimeProvider time,
    ILogger<TeamsActivityHandler> log)
{
    public const string InvokeCardType = "application/vnd.microsoft.card.adaptive";
    public const string InvokeMessageType = "application/vnd.microsoft.activity.message";
    private const int MaxBodyBytes = 256 * 1024;
    private const int MaxOutputChars = 20_000;

    /// <summary>
    /// How long a click's work and the clicker's approver look-up may take before the answer goes out with the
    /// current card. With the roster's own budget and the card's rendering the answer stays under a second
    /// (Teams gives up after 5-15 s; users notice sooner).
    /// </summary>
    internal static readonly TimeSpan InvokeBudget = TimeSpan.FromMilliseconds(700);

    /// <summary>What a 503 for unreadable signing keys tells Teams to wait, and how often the outage is logged.</summary>
    internal static readonly TimeSpan KeysRetryAfter = TimeSpan.FromSeconds(30);

    internal static readonly TimeSpan KeysWarningInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _keysWarningGate = new();
    private long? _keysWarnedAt;
    private int _keysUnavailableAnswers;

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var ct = http.RequestAborted;
        var authorization = http.Request.Headers.Authorization.ToString();
        var unauthenticatedAllowed = options.AllowUnauthenticatedLoopback && string.IsNullOrEmpty(authorization) && FromLoopback(http);
        if (string.IsNullOrEmpty(authorization) && !unauthenticatedAllowed)
        {
            return Refuse(null, "no Authorization header" + (options.AllowUnauthenticatedLoopback ? " and not a direct loopback request" : string.Empty));
        }

        var activity = await ReadAsync(http.Request, ct).ConfigureAwait(false);
        if (activity is null)
        {
            return Results.BadRequest();
        }

        TokenCheck check;
        if (unauthenticatedAllowed)
        {
            // The Playground's serviceUrl is its own loopback connector; anything else would let an unauthenticated
            // caller steer the bot's replies to another host.
            check = Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var su) && su.IsLoopback
                ? new TokenCheck(CallerKind.UnauthenticatedLoopback, null)
                : TokenCheck.Refused("unauthenticated loopback activity with a non-loopback serviceUrl");
        }
        else
        {
            check = await validator.ValidateAsync(authorization, activity.ServiceUrl, activity.ChannelId, ct).ConfigureAwait(false);
        }

        if (check.KeysUnavailable)
        {
            return KeysUnavailable(http, check.Reason ?? "signing keys unavailable");
        }

        if (!check.Succeeded)
        {
            return Refuse(activity, check.Reason ?? "refused");
        }

        if (check.Caller != CallerKind.UnauthenticatedLoopback && TenantRefusal(activity) is { } tenantRefusal)
        {
            return Refuse(activity, tenantRefusal);
        }

        // Teams gives every message and invoke an id; one without cannot be checked for replay, so it runs nothing.
        if (activity.Type is "message" or "invoke" && activity.Id is not { Length: > 0 })
        {
            return Refuse(activity, "message or invoke without an activity id (cannot be checked for replay)");
        }

        if (activity.Id is { Length: > 0 } activityId
            && !await replay.FirstSightAsync(activity.Conversation?.Id ?? string.Empty, activityId, ct).ConfigureAwait(false))
        {
            return Refuse(activity, "activity id already received (replay)");
        }

        if (activity.Conversation?.Id is not { Length: > 0 } || string.IsNullOrEmpty(activity.ServiceUrl))
        {
            return Results.BadRequest();
        }

        var conversation = Reference(activity, check.Caller != CallerKind.UnauthenticatedLoopback);
        await conversations.RememberAsync(ChannelKey(activity), conversation, ct).ConfigureAwait(false);
        LogAccepted(log, activity.Type, check.Caller);

        return activity.Type switch
        {
            "message" => await OnMessageAsync(activity, conversation, ct).ConfigureAwait(false),
            "invoke" when activity.Name == "adaptiveCard/action" => await OnCardActionAsync(activity, conversation, ct).ConfigureAwait(false),
            "invoke" => Results.Json(new { statusCode = 200 }),
            "conversationUpdate" => OnConversationUpdate(activity, conversation),
            _ => Results.Ok(),
        };
    }

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

    /// <summary>
    /// 503 with Retry-After: the token may well be good, the bot cannot check it now. Logged once a minute with the
    /// number of requests answered so in between, not once per request (Teams retries, and an outage is one event).
    /// </summary>
    private IResult KeysUnavailable(HttpContext http, string reason)
    {
        int answered;
        lock (_keysWarningGate)
        {
            _keysUnavailableAnswers++;
            if (_keysWarnedAt is { } at && time.GetElapsedTime(at) < KeysWarningInterval)
            {
                answered = 0;
            }
            else
            {
                answered = _keysUnavailableAnswers;
                _keysUnavailableAnswers = 0;
                _keysWarnedAt = time.GetTimestamp();
            }
        }

        if (answered > 0)
        {
            LogKeysUnavailable(log, answered, (int)KeysRetryAfter.TotalSeconds, reason);
        }

        http.Response.Headers.RetryAfter = ((int)KeysRetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
    }

    private IResult Refuse(Activity? activity, string reason)
    {
        LogRefused(log, activity?.Type ?? "(unread)", activity?.Id ?? "(unread)", reason);
        return Results.Unauthorized();
    }

    private static async Task<Activity?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, n);
        }

        try
        {
            return JsonSerializer.Deserialize<Activity>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Activity.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// A single-tenant bot (SingleTenant, UserAssignedMSI) serves its own tenant only: a valid token says the
    /// activity came through the Bot Framework, not that its user belongs to our directory, and the approver
    /// directory's Entra object ids mean something only there.
    /// </summary>
    private string? TenantRefusal(Activity activity)
    {
        if (options.ParsedAppType == TeamsAppType.MultiTenant || string.IsNullOrWhiteSpace(options.TenantId))
        {
            return null;
        }

        var tenant = activity.ChannelData?["tenant"]?["id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;
        if (!string.Equals(tenant, options.TenantId.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return $"channelData.tenant.id '{Shown(tenant)}' is not Teams:TenantId";
        }

        return activity.Conversation?.TenantId is { } conversationTenant && !string.Equals(conversationTenant, tenant, StringComparison.OrdinalIgnoreCase)
            ? $"conversation.tenantId '{Shown(conversationTenant)}' differs from channelData.tenant.id"
            : null;
    }

    private static string Shown(string? value) => value is null
        ? "(none)"
        : new string([.. value.Take(64).Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '?')]);

    /// <summary>A direct loopback connection: not through a proxy (which would make every caller look local).</summary>
    private static bool FromLoopback(HttpContext http)
    {
        var ip = http.Connection.RemoteIpAddress;
        if (ip is null)
        {
            return false;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        return IPAddress.IsLoopback(ip)
            && !http.Request.Headers.ContainsKey("X-Forwarded-For")
            && !http.Request.Headers.ContainsKey("Forwarded");
    }

    private static ConversationRef Reference(Activity a, bool authenticated) => new(
        a.ServiceUrl!.TrimEnd('/'),
        a.TeamsChannelId is { } channel && a.Conversation?.ConversationType == "channel" ? channel : ConversationBase(a.Conversation!.Id!),
        a.Conversation?.ConversationType,
        a.TenantId,
        a.Recipient?.Id,
        authenticated);

    /// <summary>Where incidents of this conversation are shown: the Teams channel, or the chat.</summary>
    internal static string ChannelKey(Activity a)
    {
        var key = a.TeamsChannelId is { } channel && a.Conversation?.ConversationType == "channel" ? channel : ConversationBase(a.Conversation?.Id ?? "unknown");
        return key.Length <= 256 && !key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? key
            : "h:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    private static string ConversationBase(string conversationId)
    {
        var at = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return at < 0 ? conversationId : conversationId[..at];
    }

    private static string? ThreadId(Activity a) =>
        a.Conversation?.Id is { } id && id.Contains(";messageid=", StringComparison.OrdinalIgnoreCase) && id.Length <= 256 && !id.Any(char.IsWhiteSpace) ? id : null;

    internal static ChatUser User(Activity a)
    {
        var id = a.From?.AadObjectId is { Length: > 0 and <= 128 } aad ? aad : a.From?.Id ?? "unknown";
        if (id.Length > 128 || id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            id = "h:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..40];
        }

        var name = new string([.. (a.From?.Name ?? string.Empty).Where(c => !char.IsControl(c)).Take(200)]).Trim();
        return new ChatUser(TeamsPlatform.Key, id, name.Length == 0 ? "Teams user" : name);
    }

    private static ChatChannel Channel(Activity a) => new(TeamsPlatform.Key, ChannelKey(a), ThreadId(a));

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: {Count} request(s) answered 503 (Retry-After {RetryAfterSeconds} s) since the last such warning: {Reason}")]
    private static partial void LogKeysUnavailable(ILogger log, int count, int retryAfterSeconds, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: the late answer to a click on {IncidentId} could not be sent to the clicker's one-on-one chat: {Error}")]
    private static partial void LogPrivateReplyFailed(ILogger log, string incidentId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: refused {Type} activity {ActivityId} with 401: {Reason}")]
    private static partial void LogRefused(ILogger log, string type, string activityId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Teams: {Type} activity accepted ({Caller})")]
    private static partial void LogAccepted(ILogger log, string? type, CallerKind caller);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams: {Verb} click on {IncidentId} accepted={Accepted}")]
    private static partial void LogClick(ILogger log, string verb, string incidentId, bool accepted);
}
