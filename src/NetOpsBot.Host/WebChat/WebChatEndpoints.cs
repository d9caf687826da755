using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NetOpsBot.Cards;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Host.WebChat;

/// <summary>A card click from the local web chat: the button's Action.Execute data; User only for demo users.</summary>
internal sealed record WebChatAction(string? User, System.Text.Json.Nodes.JsonObject? Data);

/// <summary>A message typed into the local web chat. User is the demo user picked in the page; ignored once sign-in is on.</summary>
internal sealed record WebChatMessage(string? User, string? Text, string? ClientMessageId);

/// <summary>HTTP surface of the local web chat: post a message, stream live events, read stored incidents.</summary>
internal static partial class WebChatEndpoints
{
    private const string Platform = WebChatSecurity.Platform;
    private const string ChannelId = "netops";
    private const int MaxBodyChars = 65536;

    /// <summary>
    /// Who the page may act as, and which of them may approve now: the page shows Approve and Reject to approvers
    /// only (display only: every click is judged again by the approval service).
    /// </summary>
    private static async Task<IResult> UsersAsync(HttpContext http, WebChatSecurityPlan plan, IOptions<NetOpsOptions> o, IPeopleDirectory people, NetOpsBot.Core.Runbooks.RunbookRegistry runbooks, CancellationToken ct)
    {
        // The composer's hint names the default runbook's command word, as the help text does.
        var command = runbooks.Default.Command;
        if (plan.Mode == WebChatMode.OpenIdConnect)
        {
            var signed = WebChatSecurity.ActingUser(http, plan, o.Value.WebChat, null);
            var key = signed is null ? null : CardViewer.KeyOf(signed);
            var approvers = signed is not null && await IsApproverAsync(people, signed, ct).ConfigureAwait(false) ? new[] { key } : [];
            return Results.Json(new { users = new[] { signed?.DisplayName }, signedIn = true, channel = "#netops", me = key, approvers, command });
        }

        var demo = new List<string>();
        foreach (var u in o.Value.WebChat.Users)
        {
            var user = new ChatUser(Platform, u, u);
            if (await IsApproverAsync(people, user, ct).ConfigureAwait(false))
            {
                demo.Add(CardViewer.KeyOf(user));
            }
        }

        return Results.Json(new { users = o.Value.WebChat.Users, signedIn = false, channel = "#netops", approvers = demo, command });
    }

    private static async Task<bool> IsApproverAsync(IPeopleDirectory people, ChatUser user, CancellationToken ct) =>
        people.Find(user) is { } person && await people.IsApproverAsync(person, ct).ConfigureAwait(false);

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/chat/users", UsersAsync);
        api.MapPost("/chat/messages", PostMessageAsync);
        api.MapPost("/chat/actions", PostActionAsync);
        api.MapGet("/chat/stream", (HttpContext http, WebChatHub hub, WebChatSecurityPlan plan, IOptions<NetOpsOptions> o, CancellationToken ct) =>
        {
            var lease = hub.TryOpenStream(WebChatSecurity.StreamOwner(http, plan), o.Value.WebChat.MaxStreamClients, o.Value.WebChat.MaxStreamClientsPerUser, out var refusal);
            if (lease is null)
            {
                return Results.Json(new { error = refusal }, statusCode: StatusCodes.Status429TooManyRequests);
            }

            http.Response.RegisterForDispose(lease);
            return TypedResults.ServerSentEvents(Stream(hub, ct));
        });
        api.MapGet("/incidents", ListAsync);
        api.MapGet("/incidents/{id}", GetAsync);
        api.MapGet("/incidents/{id}/export", ExportAsync);
        api.MapGet("/incidents/{id}/steps/{stepId}/output", StepOutputAsync);
    }

    private static async IAsyncEnumerable<SseItem<string>> Stream(WebChatHub hub, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in hub.SubscribeAsync(ct).ConfigureAwait(false))
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(e.Payload, WebChatHub.Json), e.Type);
        }
    }

    private static async Task<IResult> PostMessageAsync(HttpRequest http, CommandRouter router, WebChatHub hub, WebChatSecurityPlan plan, IOptions<NetOpsOptions> options, ILoggerFactory logs, CancellationToken ct)
    {
        WebChatMessage? message;
        try
        {
            // Read at most 64 Ki characters: a bigger paste is answered in the channel as too long, not by a crash.
            // The buffer is pooled: a fresh 128 KB array per message lands on the large object heap, and under a
            // busy channel (measured: 50 users, 1,000 messages in about a second) they alone caused nine full collections.
            using var reader = new StreamReader(http.Body, Encoding.UTF8);
            var buffer = ArrayPool<char>.Shared.Rent(MaxBodyChars + 1);
            try
            {
                var n = await reader.ReadBlockAsync(buffer.AsMemory(0, MaxBodyChars + 1), ct).ConfigureAwait(false);
                if (n > MaxBodyChars)
                {
                    var tooLong = new { replyTo = (string?)null, text = $"Message too long (more than {MaxBodyChars} characters; a command is at most {ChatCommandParser.MaxMessageLength}). Try `{router.Runbooks.Default.Command} <device>`.", accepted = false, incidentId = (string?)null };
                    hub.Publish(new WebChatEvent("reply", null, tooLong));
                    return Results.Json(tooLong);
                }

                message = JsonSerializer.Deserialize<WebChatMessage>(buffer.AsSpan(0, n), WebChatHub.Json);
            }
            finally
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }
        catch (JsonException)
        {
            return Results.BadRequest(new { error = "The message must be JSON: {\"user\", \"text\", \"clientMessageId\"}." });
        }

        if (WebChatSecurity.ActingUser(http.HttpContext, plan, options.Value.WebChat, message?.User) is not { } chatUser)
        {
            return plan.Mode == WebChatMode.OpenIdConnect
                ? Results.Json(new { error = "Sign in first." }, statusCode: StatusCodes.Status401Unauthorized)
                : Results.BadRequest(new { error = "Unknown web chat user; pick one of " + string.Join(", ", options.Value.WebChat.Users) + "." });
        }

        var user = chatUser.DisplayName;
        var text = message?.Text ?? string.Empty;
        var clientId = message?.ClientMessageId is { Length: > 0 and <= 64 } id && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? id
            : Guid.NewGuid().ToString("N");
        var channel = new ChatChannel(Platform, ChannelId, null);
        var shown = text.Length > 2000 ? text[..2000] + $"… ({text.Length} characters)" : text;
        hub.Publish(new WebChatEvent("message", null, new { id = clientId, user, text = shown }));

        var reply = await router.HandleAsync(new ChatRequest(chatUser, channel, text, clientId), ct).ConfigureAwait(false);
        LogCommand(logs.CreateLogger("WebChat"), user, reply.Accepted, reply.Incident?.Id.Value);
        var body = new { replyTo = clientId, text = reply.Text, accepted = reply.Accepted, incidentId = reply.Incident?.Id.Value, joined = reply.Joined };
        hub.Publish(new WebChatEvent("reply", reply.Incident?.Id.Value, body));
        return Results.Json(body);
    }

    /// <summary>
    /// A card button click (Action.Execute): request, approve, reject or withdraw a fix. What is for the clicker alone
    /// (a refusal, a second click) is only in this response, which only the clicker's page reads; a reply that
    /// changed the incident is also published to every page.
    /// </summary>
    private static async Task<IResult> PostActionAsync(HttpContext http, WebChatAction? click, IncidentActions actions, WebChatHub hub, WebChatSecurityPlan plan, IOptions<NetOpsOptions> options, CancellationToken ct)
    {
        if (WebChatSecurity.ActingUser(http, plan, options.Value.WebChat, click?.User) is not { } chatUser)
        {
            return plan.Mode == WebChatMode.OpenIdConnect
                ? Results.Json(new { error = "Sign in first." }, statusCode: StatusCodes.Status401Unauthorized)
                : Results.BadRequest(new { error = "Unknown web chat user." });
        }

        var user = chatUser.DisplayName;
        if (click?.Data is not { } data || !CardAction.TryFromData(data, out var action) || !IncidentId.TryParse(action.IncidentId, out var incidentId, out _) || action.PlanId is null
            || !action.TryIncidentVerb(out var verb))
        {
            return Results.Json(new { accepted = false, text = "That button's data is not a NetOpsBot action." });
        }

        var channel = new ChatChannel(Platform, ChannelId, incidentId.Value);
        var reply = await actions.HandleAsync(new IncidentClick(verb, incidentId, action.PlanId, action.Target, chatUser, channel), ct).ConfigureAwait(false);
        var mine = reply.ToClicker is not null;
        var body = new { accepted = reply.Accepted, text = $"{user}: {reply.ToClicker ?? reply.Message}", incidentId = incidentId.Value, onlyYou = mine };
        if (!mine)
        {
            hub.Publish(new WebChatEvent("reply", incidentId.Value, new { replyTo = (string?)null, text = body.text, accepted = reply.Accepted, incidentId = incidentId.Value }));
        }

        return Results.Json(body);
    }

    private static async Task<IResult> ListAsync(IIncidentStore store, IncidentCards cards, int? limit, CancellationToken ct)
    {
        var page = await store.ListAsync(new PageRequest(0, Math.Clamp(limit ?? 20, 1, 100)), ct).ConfigureAwait(false);
        var items = new List<object>();
        foreach (var incident in page)
        {
            if (await cards.LoadAsync(incident.Id, ct).ConfigureAwait(false) is { } loaded)
            {
                items.Add(Describe(loaded.Incident, loaded.Card, loaded.Timeline, cards.RunbookOf(loaded.Incident)));
            }
        }

        return Results.Json(new { incidents = items });
    }

    private static async Task<IResult> GetAsync(string id, IncidentCards cards, CancellationToken ct)
    {
        if (!IncidentId.TryParse(id, out var incidentId, out var reason))
        {
            return Results.BadRequest(new { error = reason });
        }

        return await cards.LoadAsync(incidentId, ct).ConfigureAwait(false) is { } loaded
            ? Results.Json(Describe(loaded.Incident, loaded.Card, loaded.Timeline, cards.RunbookOf(loaded.Incident)))
            : Results.NotFound(new { error = $"No incident {incidentId.Value}." });
    }

    private static object Describe(Incident incident, Cards.DiagnosisCardView card, IReadOnlyList<TimelineEvent> timeline, NetOpsBot.Core.Runbooks.RunbookDefinition? runbook) => new
    {
        incidentId = incident.Id.Value,
        device = incident.Device.Value,
        state = incident.State.ToString(),
        requester = incident.Requester.DisplayName,
        requesterId = incident.Requester.Platform + ":" + incident.Requester.UserId,
        createdAt = incident.CreatedAt,
        rootCauses = incident.RootCauseCodes,
        causes = IncidentList.Causes(incident, runbook),
        card = IncidentCards.Render(card),
        thread = timeline.Select(ThreadLine.From).ToList(),

        // What the chat thread shows (the record above keeps every event): the same lines the live stream publishes.
        lines = ThreadLines.Compose(timeline).Select(l => ThreadLine.From(l.Event, l.Text)).ToList(),
    };

    private static async Task<IResult> ExportAsync(string id, IIncidentStore store, NetOpsBot.Core.Runbooks.RunbookRegistry runbooks, CancellationToken ct)
    {
        if (!IncidentId.TryParse(id, out var incidentId, out var reason))
        {
            return Results.BadRequest(new { error = reason });
        }

        var incident = await store.GetAsync(incidentId, ct).ConfigureAwait(false);
        if (incident is null)
        {
            return Results.NotFound(new { error = $"No incident {incidentId.Value}." });
        }

        var timeline = await store.TimelineAsync(incidentId, 0, ct).ConfigureAwait(false);
        var markdown = PostmortemWriter.Write(incident, timeline, runbooks.Find(incident.RunbookId));
        return Results.File(Encoding.UTF8.GetBytes(markdown), "text/markdown; charset=utf-8", $"{incidentId.Value}.md");
    }

    /// <summary>A step's full output; <paramref name="run"/> picks the run (1: the initial diagnosis; absent: the latest).</summary>
    private static async Task<IResult> StepOutputAsync(string id, string stepId, int? run, StepOutputLookup outputs, CancellationToken ct)
    {
        if (!IncidentId.TryParse(id, out var incidentId, out var reason))
        {
            return Results.BadRequest(new { error = reason });
        }

        // The web chat is this host's operator console: it sees the incidents of every platform.
        var step = await outputs.FindAsync(incidentId, stepId, run, StepOutputLookup.AnyPlatform, ct).ConfigureAwait(false);
        return step is null
            ? Results.NotFound(new { error = $"No output for step {stepId} of {incidentId.Value}." })
            : Results.Text(step.RawOutput, "text/plain; charset=utf-8");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "web chat: command from {User} accepted={Accepted} incident={IncidentId}")]
    private static partial void LogCommand(ILogger log, string user, bool accepted, string? incidentId);
}
