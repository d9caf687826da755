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
/// The parts: authentication (<c>.Authentication.cs</c>), messages and conversation updates (<c>.Messages.cs</c>),
/// card invokes (<c>.Invokes.cs</c>), and who and where an activity is (<c>.Identity.cs</c>).
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
    private const int MaxBodyBytes = 256 * 1024;

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var ct = http.RequestAborted;
        var (activity, caller, refusal) = await AuthenticateAsync(http, ct).ConfigureAwait(false);
        if (refusal is not null || activity is null)
        {
            return refusal ?? Results.BadRequest();
        }

        if (activity.Conversation?.Id is not { Length: > 0 } || string.IsNullOrEmpty(activity.ServiceUrl))
        {
            return Results.BadRequest();
        }

        var conversation = Reference(activity, caller != CallerKind.UnauthenticatedLoopback);
        await conversations.RememberAsync(ChannelKey(activity), conversation, ct).ConfigureAwait(false);
        LogAccepted(log, activity.Type, caller);

        return activity.Type switch
        {
            "message" => await OnMessageAsync(activity, conversation, ct).ConfigureAwait(false),
            "invoke" when activity.Name == "adaptiveCard/action" => await OnCardActionAsync(activity, conversation, ct).ConfigureAwait(false),
            "invoke" => Results.Json(new { statusCode = 200 }),
            "conversationUpdate" => OnConversationUpdate(activity, conversation),
            _ => Results.Ok(),
        };
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Teams: {Type} activity accepted ({Caller})")]
    private static partial void LogAccepted(ILogger log, string? type, CallerKind caller);
}
