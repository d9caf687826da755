using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;

namespace NetOpsBot.Slack.Inbound;

/// <summary>
/// The one Slack workspace (or Enterprise Grid organization) and app the bot serves. A valid signature proves
/// only that the request was signed with the app's secret, which every workspace the app is installed in
/// shares; a user id means something only in its workspace. So a signed request from another workspace or
/// another app is refused before anything reads it.
/// </summary>
public sealed class SlackWorkspace(SlackOptions options)
{
    /// <summary>Why a request naming these ids is refused, or null when it is ours.</summary>
    public string? Refusal(string? teamId, string? enterpriseId, string? appId)
    {
        if (!string.Equals(appId, options.AppId, StringComparison.Ordinal))
        {
            return $"api_app_id '{Shown(appId)}' is not {SlackOptions.SectionName}:AppId";
        }

        // An org-wide install on Enterprise Grid is configured by its organization id (E…); a workspace by its T… id.
        var configured = options.TeamId ?? string.Empty;
        var (field, value) = configured.StartsWith('E') ? ("enterprise_id", enterpriseId) : ("team_id", teamId);
        return string.Equals(value, configured, StringComparison.Ordinal)
            ? null
            : $"{field} '{Shown(value)}' is not {SlackOptions.SectionName}:TeamId";
    }

    /// <summary>A slash command's form fields (HTTP).</summary>
    public string? Refusal(IReadOnlyDictionary<string, StringValues> form)
    {
        ArgumentNullException.ThrowIfNull(form);
        string? Field(string name) => form.TryGetValue(name, out var v) && v.Count == 1 ? v[0] : null;
        return Refusal(Field("team_id"), Field("enterprise_id"), Field("api_app_id"));
    }

    /// <summary>An interaction payload (<c>team.id</c>, <c>enterprise.id</c>) or a slash command as JSON (Socket Mode).</summary>
    public string? Refusal(JsonObject payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var team = Str(payload, "team_id") ?? (payload["team"] as JsonObject is { } t ? Str(t, "id") : null);
        var enterprise = Str(payload, "enterprise_id") ?? (payload["enterprise"] as JsonObject is { } e ? Str(e, "id") : null);
        return Refusal(team, enterprise, Str(payload, "api_app_id"));
    }

    private static string? Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    // Attacker-chosen: shown short and on one line.
    private static string Shown(string? value) => value is null
        ? "(none)"
        : new string([.. value.Take(40).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '?')]);
}
