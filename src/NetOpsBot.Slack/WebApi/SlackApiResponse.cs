using System.Text.Json.Nodes;

namespace NetOpsBot.Slack.WebApi;

/// <summary>
/// A Web API answer. Slack reports failures as HTTP 200 with <c>{"ok":false,"error":"…"}</c>; transport
/// failures get an error of our own (<c>http_503</c>, <c>request_failed</c>), so callers handle one shape.
/// </summary>
public sealed record SlackApiResponse(bool Ok, string? Error, JsonObject Body)
{
    public static SlackApiResponse Failed(string error) => new(false, error, new JsonObject { ["ok"] = false, ["error"] = error });

    public string? Text(string name) => Body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
