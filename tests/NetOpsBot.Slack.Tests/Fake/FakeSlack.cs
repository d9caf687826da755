using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NetOpsBot.Slack.Tests.Fake;

/// <summary>A message the bot posted (or a user's slash command shared in channel), with its edits.</summary>
internal sealed class FakeMessage(string channel, string ts, string? threadTs, string user, JsonObject body)
{
    public string Channel { get; } = channel;

    public string Ts { get; } = ts;

    public string? ThreadTs { get; } = threadTs;

    public string User { get; } = user;

    public JsonObject Body { get; set; } = body;

    public int Updates { get; set; }

    public string Text => Body["text"]?.GetValue<string>() ?? string.Empty;

    /// <summary>Every text in the message (fallback text and all blocks), for assertions.</summary>
    public string AllText => Body.ToJsonString(FakeSlack.Json);
}

/// <summary>One Web API call as the fake received it.</summary>
internal sealed record FakeCall(string Method, JsonObject Args, bool JsonBody, string? Error);

/// <summary>A post to a response_url.</summary>
internal sealed record FakeResponse(string Id, JsonObject Body);

/// <summary>An ephemeral message (chat.postEphemeral or an ephemeral response_url post).</summary>
internal sealed record FakeEphemeral(string Channel, string User, string Text);

/// <summary>
/// A local Slack for tests, speaking the wire format of Slack's Web API (JSON or form bodies, bearer or
/// token argument, HTTP 200 with <c>ok:false</c>, 429 with Retry-After), response_url and the Socket Mode
/// WebSocket, with the checks Slack documents (channel membership, Block Kit limits, thread parents,
/// response_url use count, tokens per method). What the bot does that Slack documents as wrong but would
/// not refuse is recorded in <see cref="Violations"/>. Drive it with the methods in FakeSlack.Driver.cs.
/// </summary>
internal sealed partial class FakeSlack : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly HashSet<string> ReadMethods = new(StringComparer.Ordinal) { "users.info", "usergroups.users.list", "conversations.members" };
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<FakeMessage> _messages = [];
    private readonly List<FakeCall> _calls = [];
    private readonly List<FakeResponse> _responses = [];
    private readonly List<FakeEphemeral> _ephemerals = [];
    private readonly List<string> _violations = [];
    private readonly Dictionary<string, (string Channel, string User, DateTimeOffset Issued, int Uses, string? SourceTs)> _responseUrls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Queue<JsonObject>> _faults = new(StringComparer.Ordinal);
    private long _tsCounter;

    private FakeSlack(WebApplication app, string signingSecret, string botToken, string appToken)
    {
        _app = app;
        SigningSecret = signingSecret;
        BotToken = botToken;
        AppToken = appToken;
    }

    public string SigningSecret { get; }

    public string BotToken { get; }

    public string AppToken { get; }

    public Uri BaseUrl { get; private set; } = null!;

    public Uri ApiUrl => new(BaseUrl, "/api/");

    public string BotUserId { get; } = "U0BOTNETOPS";

    public string TeamId { get; } = "T0NETOPS01";

    /// <summary>The Slack app's id (<c>api_app_id</c> of everything the fake sends).</summary>
    public string AppId { get; } = "A0NETOPS01";

    /// <summary>Slack user id → name and real name.</summary>
    public Dictionary<string, (string Name, string RealName)> Users { get; } = new(StringComparer.Ordinal)
    {
        ["U0ALICE001"] = ("alice", "Alice Martin"),
        ["U0BOB00002"] = ("bob", "Bob Durand"),
        ["U0CAROL003"] = ("carol", "Carol Petit"),
        ["U0DAVE0004"] = ("dave", "Dave Outsider"),
    };

    public Dictionary<string, HashSet<string>> UserGroups { get; } = new(StringComparer.Ordinal)
    {
        ["S0NETADMIN"] = new(StringComparer.Ordinal) { "U0BOB00002", "U0CAROL003" },
    };

    /// <summary>Channel id → members (the bot is a member of C0NETOPS01 only).</summary>
    public Dictionary<string, HashSet<string>> Channels { get; } = new(StringComparer.Ordinal);

    public static async Task<FakeSlack> StartAsync(string signingSecret = "fake-signing-secret-8f742231b10e", string botToken = "xoxb-fake-bot-token", string appToken = "xapp-fake-app-token")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeSlack(app, signingSecret, botToken, appToken);
        var everyone = fake.Users.Keys.ToHashSet(StringComparer.Ordinal);
        fake.Channels["C0NETOPS01"] = [.. everyone, fake.BotUserId];
        fake.Channels["C0NOBOT001"] = [.. everyone];
        app.UseWebSockets();
        app.MapPost("/api/{method}", fake.ApiAsync);
        app.MapPost("/response/{id}", fake.ResponseUrlAsync);
        app.Map("/socket", fake.SocketAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in SocketsSnapshot())
        {
            s.Abort();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ---- inspection ----

    public IReadOnlyList<FakeMessage> Messages(string channel)
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => m.Channel == channel && m.ThreadTs is null)];
        }
    }

    public IReadOnlyList<FakeMessage> Thread(string channel, string parentTs)
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => m.Channel == channel && m.ThreadTs == parentTs)];
        }
    }

    public IReadOnlyList<FakeCall> Calls(string? method = null)
    {
        lock (_gate)
        {
            return [.. _calls.Where(c => method is null || c.Method == method)];
        }
    }

    public IReadOnlyList<FakeEphemeral> Ephemerals(string? user = null)
    {
        lock (_gate)
        {
            return [.. _ephemerals.Where(e => user is null || e.User == user)];
        }
    }

    public IReadOnlyList<FakeResponse> Responses()
    {
        lock (_gate)
        {
            return [.. _responses];
        }
    }

    /// <summary>Things Slack documents as wrong that the bot did (must stay empty).</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>The next call of <paramref name="method"/> fails: <c>{"status":429,"retry_after":1}</c> or <c>{"error":"not_in_channel"}</c>.</summary>
    public void Fault(string method, JsonObject fault) => _faults.GetOrAdd(method, _ => new Queue<JsonObject>()).Enqueue(fault);

    // ---- Web API ----

    private async Task ApiAsync(HttpContext http, string method)
    {
        var request = http.Request;
        var isJson = request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
        JsonObject args;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            var raw = await reader.ReadToEndAsync();
            if (isJson)
            {
                if (request.ContentType!.Contains("charset", StringComparison.OrdinalIgnoreCase) is false)
                {
                    Violation($"{method}: JSON body without charset (Slack warns missing_charset)");
                }

                args = JsonNode.Parse(raw.Length == 0 ? "{}" : raw) as JsonObject ?? [];
            }
            else
            {
                args = [];
                foreach (var (k, v) in QueryHelpers.ParseQuery(raw))
                {
                    args[k] = v.ToString();
                }
            }
        }

        foreach (var (k, v) in request.Query)
        {
            if (k == "token")
            {
                Violation($"{method}: token in the query string");
            }

            args[k] ??= v.ToString();
        }

        var header = request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null;
        var token = bearer ?? (isJson ? null : args["token"]?.GetValue<string>());
        if (isJson && bearer is null)
        {
            // "JSON-encoded bodies require the token in the Authorization header".
            await Answer(http, method, args, isJson, Error("not_authed"));
            return;
        }

        if (_faults.TryGetValue(method, out var faults))
        {
            JsonObject? fault = null;
            lock (faults)
            {
                faults.TryDequeue(out fault);
            }

            if (fault is not null)
            {
                if (fault["status"]?.GetValue<int>() == 429)
                {
                    Record(method, args, isJson, "ratelimited");
                    http.Response.StatusCode = 429;
                    http.Response.Headers.RetryAfter = (fault["retry_after"]?.GetValue<int>() ?? 1).ToString(CultureInfo.InvariantCulture);
                    await http.Response.WriteAsJsonAsync(new JsonObject { ["ok"] = false, ["error"] = "ratelimited" });
                    return;
                }

                await Answer(http, method, args, isJson, Error(fault["error"]!.GetValue<string>()));
                return;
            }
        }

        if (method == "apps.connections.open")
        {
            JsonObject opened = bearer != AppToken
                ? Error(bearer is null ? "not_authed" : "invalid_auth")
                : new JsonObject { ["ok"] = true, ["url"] = NewSocketUrl() };
            if (args["token"] is not null)
            {
                Violation("apps.connections.open: app token passed as a POST parameter");
            }

            await Answer(http, method, args, isJson, opened);
            return;
        }

        if (token is null)
        {
            await Answer(http, method, args, isJson, Error("not_authed"));
            return;
        }

        if (token != BotToken)
        {
            await Answer(http, method, args, isJson, Error("invalid_auth"));
            return;
        }

        if (ReadMethods.Contains(method) && isJson)
        {
            // Slack does not read JSON bodies on read methods: the arguments are simply missing.
            args = [];
        }

        JsonObject answer;
        lock (_gate)
        {
            answer = method switch
            {
                "auth.test" => new JsonObject { ["ok"] = true, ["url"] = BaseUrl.ToString(), ["team"] = "NetOps", ["user"] = "netopsbot", ["team_id"] = TeamId, ["user_id"] = BotUserId, ["bot_id"] = "B0NETOPS01" },
                "chat.postMessage" => PostMessage(args),
                "chat.update" => Update(args),
                "chat.postEphemeral" => PostEphemeral(args),
                "users.info" => UserInfo(args),
                "usergroups.users.list" => UserGroupUsers(args),
                "conversations.members" => Members(args),
                _ => Error("unknown_method"),
            };
        }

        await Answer(http, method, args, isJson, answer);
    }

    private async Task Answer(HttpContext http, string method, JsonObject args, bool isJson, JsonObject answer)
    {
        Record(method, args, isJson, answer["ok"]?.GetValue<bool>() == true ? null : answer["error"]?.GetValue<string>());
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(answer.ToJsonString(Json));
    }

    private void Record(string method, JsonObject args, bool isJson, string? error)
    {
        lock (_gate)
        {
            _calls.Add(new FakeCall(method, (JsonObject)args.DeepClone(), isJson, error));
        }
    }

    private JsonObject PostMessage(JsonObject args)
    {
        var channel = Str(args, "channel");
        if (channel is null)
        {
            return Error("channel_not_found");
        }

        if (!Channels.TryGetValue(channel, out var members))
        {
            return Error("channel_not_found");
        }

        if (!members.Contains(BotUserId))
        {
            return Error("not_in_channel");
        }

        var check = CheckMessage("chat.postMessage", args);
        if (check is not null)
        {
            return check;
        }

        var thread = Str(args, "thread_ts");
        if (thread is not null)
        {
            var parent = _messages.FirstOrDefault(m => m.Channel == channel && m.Ts == thread);
            if (parent is null)
            {
                return Error("thread_not_found");
            }

            if (parent.ThreadTs is not null)
            {
                Violation("chat.postMessage: thread_ts is a reply's ts, not the parent's");
            }
        }

        if (args["unfurl_links"]?.ToString() is not ("false" or "False") || args["unfurl_media"]?.ToString() is not ("false" or "False"))
        {
            Violation("chat.postMessage: unfurl_links/unfurl_media not turned off for CLI text");
        }

        var message = new FakeMessage(channel, NextTs(), thread, BotUserId, Message(args));
        _messages.Add(message);
        return new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = message.Ts, ["message"] = message.Body.DeepClone() };
    }

    private JsonObject Update(JsonObject args)
    {
        var channel = Str(args, "channel");
        var ts = Str(args, "ts");
        var message = _messages.FirstOrDefault(m => m.Channel == channel && m.Ts == ts);
        if (message is null)
        {
            return Error("message_not_found");
        }

        if (message.User != BotUserId)
        {
            return Error("cant_update_message");
        }

        var check = CheckMessage("chat.update", args);
        if (check is not null)
        {
            return check;
        }

        message.Body = Message(args);
        message.Updates++;
        return new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts, ["text"] = message.Text };
    }

    private JsonObject PostEphemeral(JsonObject args)
    {
        var channel = Str(args, "channel");
        var user = Str(args, "user");
        if (channel is null || !Channels.TryGetValue(channel, out var members))
        {
            return Error("channel_not_found");
        }

        if (user is null || !members.Contains(user))
        {
            return Error("user_not_in_channel");
        }

        if (!members.Contains(BotUserId))
        {
            return Error("not_in_channel");
        }

        var check = CheckMessage("chat.postEphemeral", args);
        if (check is not null)
        {
            return check;
        }

        _ephemerals.Add(new FakeEphemeral(channel, user, Str(args, "text") ?? string.Empty));
        return new JsonObject { ["ok"] = true, ["message_ts"] = NextTs() };
    }

    private JsonObject UserInfo(JsonObject args)
    {
        var id = Str(args, "user");
        if (id is null)
        {
            return Error("invalid_arguments");
        }

        return Users.TryGetValue(id, out var u)
            ? new JsonObject
            {
                ["ok"] = true,
                ["user"] = new JsonObject
                {
                    ["id"] = id, ["team_id"] = TeamId, ["name"] = u.Name, ["real_name"] = u.RealName, ["deleted"] = false, ["is_bot"] = false,
                    ["profile"] = new JsonObject { ["real_name"] = u.RealName, ["display_name"] = u.Name },
                },
            }
            : Error("user_not_found");
    }

    private JsonObject UserGroupUsers(JsonObject args)
    {
        var group = Str(args, "usergroup");
        if (group is null)
        {
            return Error("invalid_arguments");
        }

        return UserGroups.TryGetValue(group, out var members)
            ? new JsonObject { ["ok"] = true, ["users"] = new JsonArray([.. members.Order(StringComparer.Ordinal).Select(m => (JsonNode)m)]) }
            : Error("no_such_subteam");
    }

    private JsonObject Members(JsonObject args)
    {
        var channel = Str(args, "channel");
        return channel is not null && Channels.TryGetValue(channel, out var members)
            ? new JsonObject { ["ok"] = true, ["members"] = new JsonArray([.. members.Select(m => (JsonNode)m)]), ["response_metadata"] = new JsonObject { ["next_cursor"] = string.Empty } }
            : Error("channel_not_found");
    }

    /// <summary>Text and blocks rules shared by every message-posting method; null when acceptable.</summary>
    private JsonObject? CheckMessage(string method, JsonObject args)
    {
        var text = Str(args, "text");
        var blocks = args["blocks"] is JsonValue bv && bv.TryGetValue<string>(out var blocksText) ? JsonNode.Parse(blocksText) : args["blocks"];
        if (string.IsNullOrEmpty(text) && blocks is null)
        {
            return Error("no_text");
        }

        if (blocks is not null && string.IsNullOrEmpty(text))
        {
            Violation($"{method}: blocks without a top-level text fallback");
        }

        if (text is { Length: > 40_000 })
        {
            Violation($"{method}: text over 40,000 characters is truncated by Slack");
        }

        var (error, messages) = FakeBlockKitRules.Check(blocks);
        if (error is not null)
        {
            var e = Error(error);
            e["response_metadata"] = new JsonObject { ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)m)]) };
            Violation($"{method}: {error}: {string.Join("; ", messages)}");
            return e;
        }

        return null;
    }

    private static JsonObject Message(JsonObject args)
    {
        var body = new JsonObject { ["text"] = Str(args, "text") ?? string.Empty };
        if (args["blocks"] is { } blocks)
        {
            body["blocks"] = blocks is JsonValue v && v.TryGetValue<string>(out var s) ? JsonNode.Parse(s) : blocks.DeepClone();
        }

        return body;
    }

    // ---- response_url ----

    private string NewResponseUrl(string channel, string user, string? sourceTs)
    {
        var id = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            _responseUrls[id] = (channel, user, TimeProvider.System.GetUtcNow(), 0, sourceTs);
        }

        return new Uri(BaseUrl, "/response/" + id).ToString();
    }

    private async Task ResponseUrlAsync(HttpContext http, string id)
    {
        JsonObject? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonObject>(http.Request.Body);
        }
        catch (JsonException)
        {
            body = null;
        }

        lock (_gate)
        {
            if (!_responseUrls.TryGetValue(id, out var url))
            {
                http.Response.StatusCode = 404;
                return;
            }

            // "up to 5 times within 30 minutes"
            if (url.Uses >= 5 || TimeProvider.System.GetUtcNow() - url.Issued > TimeSpan.FromMinutes(30))
            {
                Violation("response_url used more than 5 times or after 30 minutes");
                http.Response.StatusCode = 404;
                return;
            }

            if (body is null || (Str(body, "text") is null && body["blocks"] is null && body["delete_original"] is null))
            {
                http.Response.StatusCode = 400;
                return;
            }

            _responseUrls[id] = url with { Uses = url.Uses + 1 };
            _responses.Add(new FakeResponse(id, body));
            var (error, messages) = FakeBlockKitRules.Check(body["blocks"]);
            if (error is not null)
            {
                Violation($"response_url: {error}: {string.Join("; ", messages)}");
                http.Response.StatusCode = 400;
                return;
            }

            if (Str(body, "response_type") == "in_channel")
            {
                _messages.Add(new FakeMessage(url.Channel, NextTs(), Str(body, "thread_ts"), BotUserId, Message(body)));
            }
            else
            {
                _ephemerals.Add(new FakeEphemeral(url.Channel, url.User, Str(body, "text") ?? string.Empty));
            }
        }

        http.Response.StatusCode = 200;
        await http.Response.WriteAsync("ok");
    }

    private string NextTs()
    {
        var n = Interlocked.Increment(ref _tsCounter);
        return string.Create(CultureInfo.InvariantCulture, $"{TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()}.{n:D6}");
    }

    private void Violation(string what)
    {
        lock (_gate)
        {
            _violations.Add(what);
        }
    }

    private static JsonObject Error(string error) => new() { ["ok"] = false, ["error"] = error };

    private static string? Str(JsonObject o, string key) => o[key] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };
}
