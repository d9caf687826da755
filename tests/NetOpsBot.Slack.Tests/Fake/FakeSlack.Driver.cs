using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using NetOpsBot.Slack.Signing;

namespace NetOpsBot.Slack.Tests.Fake;

/// <summary>How the fake signs a request it sends to the bot.</summary>
internal enum FakeSigning
{
    Valid,
    WrongSecret,
    NoHeaders,
    Stale,
    Future,
    TamperedBody,
}

/// <summary>A request exactly as sent: bytes and headers, so a test can replay it.</summary>
internal sealed record SignedRequest(byte[] Body, string? Timestamp, string? Signature)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}

internal sealed record BotAnswer(int Status, string Body, TimeSpan Elapsed);

/// <summary>The fake playing Slack towards the bot: slash commands and button clicks, signed like Slack does.</summary>
internal sealed partial class FakeSlack
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A slash command form body with every field Slack sends, in Slack's order, signed.</summary>
    public SignedRequest Slash(string user, string channel, string text, FakeSigning signing = FakeSigning.Valid, string command = "/sshdiag")
    {
        var trigger = NewTriggerId();
        var fields = new List<KeyValuePair<string, string>>
        {
            new("token", "deprecated-verification-token"),
            new("team_id", TeamId),
            new("team_domain", "netops"),
            new("channel_id", channel),
            new("channel_name", channel == "C0NETOPS01" ? "netops" : "elsewhere"),
            new("user_id", user),
            new("user_name", Users.TryGetValue(user, out var u) ? u.Name : user),
            new("command", command),
            new("text", text),
            new("api_app_id", "A0NETOPS01"),
            new("is_enterprise_install", "false"),
            new("response_url", NewResponseUrl(channel, user, null)),
            new("trigger_id", trigger),
        };
        return Sign(Encoding.UTF8.GetBytes(FormEncode(fields)), signing);
    }

    /// <summary>Slack's form encoding: spaces as '+', everything else percent-encoded.</summary>
    private static string FormEncode(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value).Replace("%20", "+", StringComparison.Ordinal)));

    /// <summary>
    /// A <c>block_actions</c> click on the button titled <paramref name="buttonText"/> of the latest bot message in
    /// <paramref name="channel"/> that has it, built from the stored message as Slack builds it.
    /// </summary>
    /// <param name="actionIdContains">Picks one of several buttons with the same title (a step's "Full output" by step id).</param>
    public SignedRequest Click(string user, string channel, string buttonText, FakeSigning signing = FakeSigning.Valid, bool confirmDialogAccepted = false, string? actionIdContains = null) =>
        Sign(Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(ClickPayload(user, channel, buttonText, confirmDialogAccepted, actionIdContains).ToJsonString(Json))), signing);

    public JsonObject ClickPayload(string user, string channel, string buttonText, bool confirmDialogAccepted = false, string? actionIdContains = null)
    {
        FakeMessage message;
        JsonObject block;
        JsonObject button;
        lock (_gate)
        {
            (message, block, button) = _messages.Where(m => m.Channel == channel && m.ThreadTs is null).Reverse()
                .SelectMany(m => Buttons(m).Select(b => (m, b.Block, b.Button)))
                .FirstOrDefault(x => x.Button["text"]?["text"]?.GetValue<string>() == buttonText
                    && (actionIdContains is null || x.Button["action_id"]?.GetValue<string>().Contains(actionIdContains, StringComparison.Ordinal) == true));
        }

        if (message is null)
        {
            throw new InvalidOperationException($"no button '{buttonText}' in {channel}; buttons: {string.Join(", ", AllButtons(channel))}");
        }

        // Slack sends nothing until the user confirms a button's confirm dialog.
        if (button["confirm"] is not null && !confirmDialogAccepted)
        {
            throw new InvalidOperationException($"'{buttonText}' has a confirm dialog: pass confirmDialogAccepted");
        }

        var (name, _) = Users[user];
        var action = new JsonObject
        {
            ["action_id"] = button["action_id"]?.DeepClone(),
            ["block_id"] = block["block_id"]?.DeepClone() ?? "blk",
            ["text"] = button["text"]!.DeepClone(),
            ["type"] = "button",
            ["action_ts"] = NextTs(),
        };
        if (button["value"] is { } value)
        {
            action["value"] = value.DeepClone();
        }

        if (button["style"] is { } style)
        {
            action["style"] = style.DeepClone();
        }

        return new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = user, ["username"] = name, ["name"] = name, ["team_id"] = TeamId },
            ["api_app_id"] = "A0NETOPS01",
            ["token"] = "deprecated-verification-token",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = message.Ts, ["channel_id"] = channel, ["is_ephemeral"] = false },
            ["trigger_id"] = NewTriggerId(),
            ["team"] = new JsonObject { ["id"] = TeamId, ["domain"] = "netops" },
            ["enterprise"] = null,
            ["is_enterprise_install"] = false,
            ["channel"] = new JsonObject { ["id"] = channel, ["name"] = "netops" },
            ["message"] = new JsonObject { ["type"] = "message", ["user"] = BotUserId, ["ts"] = message.Ts, ["bot_id"] = "B0NETOPS01", ["text"] = message.Text, ["blocks"] = message.Body["blocks"]?.DeepClone() },
            ["state"] = new JsonObject { ["values"] = new JsonObject() },
            ["response_url"] = NewResponseUrl(channel, user, message.Ts),
            ["actions"] = new JsonArray { action },
        };
    }

    public IReadOnlyList<string> AllButtons(string channel)
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => m.Channel == channel && m.ThreadTs is null)
                .SelectMany(m => Buttons(m)).Select(b => b.Button["text"]?["text"]?.GetValue<string>() ?? "?")];
        }
    }

    private static IEnumerable<(JsonObject Block, JsonObject Button)> Buttons(FakeMessage m)
    {
        foreach (var block in (m.Body["blocks"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (block["accessory"] is JsonObject acc && acc["type"]?.GetValue<string>() == "button")
            {
                yield return (block, acc);
            }

            foreach (var e in (block["elements"] as JsonArray ?? []).OfType<JsonObject>().Where(e => e["type"]?.GetValue<string>() == "button"))
            {
                yield return (block, e);
            }
        }
    }

    public SignedRequest Sign(byte[] body, FakeSigning signing)
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var ts = signing switch
        {
            FakeSigning.Stale => now - 301,
            FakeSigning.Future => now + 301,
            _ => now,
        };
        var timestamp = ts.ToString(CultureInfo.InvariantCulture);
        var secret = signing == FakeSigning.WrongSecret ? SigningSecret + "x" : SigningSecret;
        var signature = SlackSignatureVerifierReference.Sign(secret, timestamp, body);
        if (signing == FakeSigning.TamperedBody)
        {
            body = [.. body, .. "&x=1"u8.ToArray()];
        }

        return signing == FakeSigning.NoHeaders ? new SignedRequest(body, null, null) : new SignedRequest(body, timestamp, signature);
    }

    /// <summary>POSTs a request to the bot as Slack does (form body, signature headers, optional retry header).</summary>
    public static async Task<BotAnswer> SendAsync(Uri url, SignedRequest request, string? retryNum = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(request.Body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        message.Headers.UserAgent.ParseAdd("Slackbot 1.0 (+https://api.slack.com/robots)");
        if (request.Timestamp is not null)
        {
            message.Headers.Add(SlackSignatureVerifier.TimestampHeader, request.Timestamp);
            message.Headers.Add(SlackSignatureVerifier.SignatureHeader, request.Signature);
        }

        if (retryNum is not null)
        {
            message.Headers.Add("X-Slack-Retry-Num", retryNum);
            message.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        var sw = Stopwatch.StartNew();
        using var response = await Http.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        return new BotAnswer((int)response.StatusCode, body, sw.Elapsed);
    }

    private static string NewTriggerId() =>
        string.Create(CultureInfo.InvariantCulture, $"{Random.Shared.NextInt64(100_000_000_000, 999_999_999_999)}.{Random.Shared.NextInt64(10_000_000_000, 99_999_999_999)}.{Guid.NewGuid():N}");
}
