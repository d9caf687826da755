using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NetOpsBot.Teams.Tests.Infrastructure;

/// <summary>One call the bot made to the connector, as the fake saw it.</summary>
internal sealed record ConnectorCall(string Method, string Path, string? Bearer, JsonObject? Body, long AtMs, int Status)
{
    /// <summary>The conversation segment of a /v3/conversations/{id}/… path (decoded), or null.</summary>
    public string? ConversationId
    {
        get
        {
            var parts = Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 3 && parts[0] == "v3" && parts[1] == "conversations" ? parts[2] : null;
        }
    }

    /// <summary>The Adaptive Card in the activity's attachments (for a new conversation: its first activity's), or null.</summary>
    public JsonObject? Card => (Body?["activity"] ?? Body)?["attachments"]?.AsArray().Select(a => a?["content"] as JsonObject).FirstOrDefault(c => c is not null);
}

/// <summary>
/// The Bot Connector service (the activities' serviceUrl) on 127.0.0.1: the Bot Connector REST v3 routes the bot
/// uses (send, reply, update, create conversation, paged members) answering in the connector's shapes, refusing
/// with 401 any call whose bearer token the fake Entra did not issue for https://api.botframework.com/.default,
/// recording everything, and failing chosen calls with 429 + Retry-After or 5xx to exercise the bot's retries.
/// </summary>
internal sealed class FakeConnector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<string?, bool> _tokenIssued;
    private readonly List<ConnectorCall> _calls = [];
    private readonly List<(Func<string, string, bool> Match, int Status, int? RetryAfterSeconds)> _failures = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _nextId;

    private FakeConnector(WebApplication app, Func<string?, bool> tokenIssued)
    {
        _app = app;
        _tokenIssued = tokenIssued;
    }

    /// <summary>The serviceUrl activities carry (with the trailing slash Teams uses).</summary>
    public string ServiceUrl { get; private set; } = null!;

    /// <summary>The roster <c>pagedmembers</c> answers with: bot-scoped id, Entra object id, name.</summary>
    public List<(string Id, string AadObjectId, string Name)> Members { get; } = [];

    /// <summary>How long <c>pagedmembers</c> takes to answer (a slow roster read).</summary>
    public TimeSpan RosterDelay { get; set; }

    public long NowMs => _clock.ElapsedMilliseconds;

    public IReadOnlyList<ConnectorCall> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public static async Task<FakeConnector> StartAsync(Func<string?, bool> tokenIssued)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var connector = new FakeConnector(app, tokenIssued);
        app.Run(connector.HandleAsync);
        await app.StartAsync();
        connector.ServiceUrl = $"http://127.0.0.1:{new Uri(app.Urls.First()).Port}/";
        return connector;
    }

    /// <summary>The next call whose method and path match is answered with <paramref name="status"/> (and Retry-After) instead.</summary>
    public void FailNext(Func<string, string, bool> match, int status, int? retryAfterSeconds = null)
    {
        lock (_failures)
        {
            _failures.Add((match, status, retryAfterSeconds));
        }
    }

    public IReadOnlyList<ConnectorCall> CallsFor(string conversationPrefix) =>
        [.. Calls.Where(c => c.ConversationId?.StartsWith(conversationPrefix, StringComparison.Ordinal) == true
            || (c.Path == "/v3/conversations" && c.Body?["channelData"]?["channel"]?["id"]?.GetValue<string>().StartsWith(conversationPrefix, StringComparison.Ordinal) == true))];

    public async Task<ConnectorCall> WaitForAsync(Func<ConnectorCall, bool> match, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (Calls.FirstOrDefault(match) is { } call)
            {
                return call;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the connector never received {what}; it saw:\n" + string.Join('\n', Calls.Select(c => $"{c.Method} {c.Path} -> {c.Status}")));
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var method = ctx.Request.Method;
        var path = ctx.Request.Path.Value ?? "/";
        var auth = ctx.Request.Headers.Authorization.ToString();
        var bearer = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..] : null;
        JsonObject? body = null;
        if (ctx.Request.ContentLength is > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                body = await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(ctx.Request.Body);
            }
            catch (System.Text.Json.JsonException)
            {
                await Answer(ctx, method, path, bearer, null, 400, Error("BadSyntax", "The request body is not JSON."));
                return;
            }
        }

        if (!_tokenIssued(bearer))
        {
            await Answer(ctx, method, path, bearer, body, 401, new JsonObject { ["message"] = "Authorization has been denied for this request." });
            return;
        }

        (Func<string, string, bool> Match, int Status, int? RetryAfterSeconds)? failure = null;
        lock (_failures)
        {
            var i = _failures.FindIndex(f => f.Match(method, path));
            if (i >= 0)
            {
                failure = _failures[i];
                _failures.RemoveAt(i);
            }
        }

        if (failure is { } f)
        {
            if (f.RetryAfterSeconds is { } s)
            {
                ctx.Response.Headers.RetryAfter = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await Answer(ctx, method, path, bearer, body, f.Status, Error(f.Status == 429 ? "TooManyRequests" : "ServiceError", "injected by the test"));
            return;
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] != "v3" || parts[1] != "conversations")
        {
            await Answer(ctx, method, path, bearer, body, 404, Error("NotFound", "no such route"));
            return;
        }

        var id = "act-" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (method, parts.Length)
        {
            case ("POST", 2):
                // ConversationParameters → ConversationResourceResponse; in a channel the new thread's id carries the root message.
                var channel = body?["channelData"]?["channel"]?["id"]?.GetValue<string>();
                if (channel is null && body?["isGroup"]?.GetValue<bool>() == false && body["members"] is JsonArray { Count: 1 } one
                    && one[0]?["id"]?.GetValue<string>() is { Length: > 0 } && body["bot"]?["id"] is not null && body["channelData"]?["tenant"]?["id"] is not null)
                {
                    // A one-on-one chat with a user (proactive, personal scope): Teams answers the chat's id, "a:…".
                    await Answer(ctx, method, path, bearer, body, 201, new JsonObject { ["id"] = "a:1" + id });
                    return;
                }

                if (body?["activity"] is not JsonObject || channel is null)
                {
                    await Answer(ctx, method, path, bearer, body, 400, Error("BadArgument", "activity and channelData.channel.id are required"));
                    return;
                }

                await Answer(ctx, method, path, bearer, body, 201, new JsonObject { ["id"] = $"{channel};messageid={id}", ["activityId"] = id, ["serviceUrl"] = ServiceUrl });
                return;
            case ("POST", 4) when parts[3] == "activities":
            case ("POST", 5) when parts[3] == "activities":
                if (body?["type"] is null)
                {
                    await Answer(ctx, method, path, bearer, body, 400, Error("MissingProperty", "activity type is required"));
                    return;
                }

                await Answer(ctx, method, path, bearer, body, 201, new JsonObject { ["id"] = id });
                return;
            case ("PUT", 5) when parts[3] == "activities":
                await Answer(ctx, method, path, bearer, body, 200, new JsonObject { ["id"] = parts[4] });
                return;
            case ("GET", 4) when parts[3] == "pagedmembers":
                await Task.Delay(RosterDelay);
                var members = new JsonArray();
                foreach (var (mid, aad, name) in Members)
                {
                    members.Add(new JsonObject { ["id"] = mid, ["aadObjectId"] = aad, ["objectId"] = aad, ["name"] = name, ["userRole"] = "user", ["tenantId"] = TestIds.TenantId });
                }

                await Answer(ctx, method, path, bearer, body, 200, new JsonObject { ["members"] = members });
                return;
            default:
                await Answer(ctx, method, path, bearer, body, 404, Error("NotFound", "no such route"));
                return;
        }
    }

    private async Task Answer(HttpContext ctx, string method, string path, string? bearer, JsonObject? body, int status, JsonObject answer)
    {
        lock (_calls)
        {
            _calls.Add(new ConnectorCall(method, path, bearer, body, NowMs, status));
        }

        ctx.Response.StatusCode = status;
        await ctx.Response.WriteAsJsonAsync(answer);
    }

    private static JsonObject Error(string code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
