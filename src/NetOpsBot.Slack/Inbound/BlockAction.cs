using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetOpsBot.Cards;

namespace NetOpsBot.Slack.Inbound;

/// <summary>
/// One button click from a <c>block_actions</c> payload. Only ids and the button's <c>value</c> are read;
/// the value is parsed as a <see cref="CardAction"/> and never trusted for who may do what.
/// </summary>
public sealed record BlockAction(string UserId, string UserName, string ChannelId, string? MessageTs, string? ResponseUrl, string TriggerId, string ActionId, CardAction Action)
{
    /// <summary>The <c>payload</c> form field of an interactivity request.</summary>
    public static bool TryParseJson(string json, [NotNullWhen(true)] out BlockAction? click)
    {
        click = null;
        try
        {
            return JsonNode.Parse(json) is JsonObject o && TryParse(o, out click);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static bool TryParse(JsonObject payload, [NotNullWhen(true)] out BlockAction? click)
    {
        ArgumentNullException.ThrowIfNull(payload);
        click = null;
        if (Str(payload, "type") != "block_actions" || payload["actions"] is not JsonArray { Count: > 0 } actions || actions[0] is not JsonObject action)
        {
            return false;
        }

        var user = payload["user"] as JsonObject;
        var userId = user is null ? null : Str(user, "id");
        var channelId = (payload["channel"] is JsonObject ch ? Str(ch, "id") : null) ?? (payload["container"] is JsonObject c1 ? Str(c1, "channel_id") : null);
        var messageTs = (payload["container"] is JsonObject c2 ? Str(c2, "message_ts") : null) ?? (payload["message"] is JsonObject m ? Str(m, "ts") : null);
        var trigger = Str(payload, "trigger_id");
        var actionId = Str(action, "action_id");
        if (!SlashCommand.IsId(userId) || !SlashCommand.IsId(channelId) || string.IsNullOrEmpty(trigger) || string.IsNullOrEmpty(actionId)
            || !CardAction.TryParse(Str(action, "value"), out var cardAction))
        {
            return false;
        }

        var name = (user is null ? null : Str(user, "name") ?? Str(user, "username")) ?? userId!;
        click = new BlockAction(userId!, name, channelId!, messageTs, Str(payload, "response_url"), trigger, actionId, cardAction);
        return true;
    }

    private static string? Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
