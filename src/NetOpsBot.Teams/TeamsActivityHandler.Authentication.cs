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
/// Who may talk to the bot: a Bot Framework token for this app (or the configured unauthenticated loopback client),
/// our own tenant for a single-tenant bot, each activity id once; a 503 with Retry-After while the signing keys
/// cannot be read.
/// </summary>
public sealed partial class TeamsActivityHandler
{
    /// <summary>What a 503 for unreadable signing keys tells Teams to wait, and how often the outage is logged.</summary>
    internal static readonly TimeSpan KeysRetryAfter = TimeSpan.FromSeconds(30);

    internal static readonly TimeSpan KeysWarningInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _keysWarningGate = new();
    private long? _keysWarnedAt;
    private int _keysUnavailableAnswers;

    /// <summary>
    /// The activity once its caller is proven (a Bot Framework token for this bot, or the allowed unauthenticated
    /// loopback client), its tenant is ours and it is seen for the first time; otherwise the answer that refuses it
    /// (401, 503 when the signing keys cannot be read, 400 for an unreadable body) and nothing runs.
    /// </summary>
    private async Task<(Activity? Activity, CallerKind Caller, IResult? Refusal)> AuthenticateAsync(HttpContext http, CancellationToken ct)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        var unauthenticatedAllowed = options.AllowUnauthenticatedLoopback && string.IsNullOrEmpty(authorization) && FromLoopback(http);
        if (string.IsNullOrEmpty(authorization) && !unauthenticatedAllowed)
        {
            return (null, default, Refuse(null, "no Authorization header" + (options.AllowUnauthenticatedLoopback ? " and not a direct loopback request" : string.Empty)));
        }

        var activity = await ReadAsync(http.Request, ct).ConfigureAwait(false);
        if (activity is null)
        {
            return (null, default, Results.BadRequest());
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
            return (null, default, KeysUnavailable(http, check.Reason ?? "signing keys unavailable"));
        }

        if (!check.Succeeded)
        {
            return (null, default, Refuse(activity, check.Reason ?? "refused"));
        }

        if (check.Caller != CallerKind.UnauthenticatedLoopback && TenantRefusal(activity) is { } tenantRefusal)
        {
            return (null, default, Refuse(activity, tenantRefusal));
        }

        // Teams gives every message and invoke an id; one without cannot be checked for replay, so it runs nothing.
        if (activity.Type is "message" or "invoke" && activity.Id is not { Length: > 0 })
        {
            return (null, default, Refuse(activity, "message or invoke without an activity id (cannot be checked for replay)"));
        }

        if (activity.Id is { Length: > 0 } activityId
            && !await replay.FirstSightAsync(activity.Conversation?.Id ?? string.Empty, activityId, ct).ConfigureAwait(false))
        {
            return (null, default, Refuse(activity, "activity id already received (replay)"));
        }

        return (activity, check.Caller, null);
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: {Count} request(s) answered 503 (Retry-After {RetryAfterSeconds} s) since the last such warning: {Reason}")]
    private static partial void LogKeysUnavailable(ILogger log, int count, int retryAfterSeconds, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: refused {Type} activity {ActivityId} with 401: {Reason}")]
    private static partial void LogRefused(ILogger log, string type, string activityId, string reason);
}
