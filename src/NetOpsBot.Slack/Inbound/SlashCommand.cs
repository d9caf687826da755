using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace NetOpsBot.Slack.Inbound;

/// <summary>
/// A slash command as Slack sends it (form fields over HTTP, the same names as JSON keys in a Socket Mode
/// envelope). <c>user_name</c> is deprecated by Slack and only a display fallback; <c>token</c> is ignored.
/// </summary>
public sealed record SlashCommand(string TeamId, string ChannelId, string UserId, string UserName, string Command, string Text, string? ResponseUrl, string TriggerId)
{
    public static bool TryParseForm(ReadOnlySpan<byte> body, [NotNullWhen(true)] out SlashCommand? command)
    {
        Dictionary<string, StringValues> form;
        try
        {
            form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        }
        catch (ArgumentException)
        {
            command = null;
            return false;
        }

        return TryCreate(name => form.TryGetValue(name, out var v) && v.Count == 1 ? v[0] : null, out command);
    }

    public static bool TryParseJson(JsonObject payload, [NotNullWhen(true)] out SlashCommand? command)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return TryCreate(name => payload[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null, out command);
    }

    private static bool TryCreate(Func<string, string?> field, [NotNullWhen(true)] out SlashCommand? command)
    {
        command = null;
        var channel = field("channel_id");
        var user = field("user_id");
        var trigger = field("trigger_id");
        var name = field("command");
        if (!IsId(channel) || !IsId(user) || string.IsNullOrEmpty(trigger) || trigger.Length > 200 || string.IsNullOrEmpty(name) || !name.StartsWith('/'))
        {
            return false;
        }

        command = new SlashCommand(field("team_id") ?? string.Empty, channel!, user!, field("user_name") ?? user!, name, field("text") ?? string.Empty, field("response_url"), trigger);
        return true;
    }

    internal static bool IsId([NotNullWhen(true)] string? id) => id is { Length: > 0 and <= 64 } && id.All(char.IsAsciiLetterOrDigit);

    /// <summary>
    /// What the router parses: the runbook command this slash command is (the default runbook's when the workspace
    /// names it otherwise) plus the text.
    /// </summary>
    public string RouterText(Core.Runbooks.RunbookRegistry runbooks)
    {
        ArgumentNullException.ThrowIfNull(runbooks);
        return (runbooks.ByCommand(Command) ?? runbooks.Default).Command + " " + Text;
    }
}
