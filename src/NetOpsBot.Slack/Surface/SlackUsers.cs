using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NetOpsBot.Slack.WebApi;

namespace NetOpsBot.Slack.Surface;

/// <summary>Display names from <c>users.info</c> (Slack deprecated <c>user_name</c>), cached for ten minutes.</summary>
public sealed class SlackUsers(SlackApiClient api, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, (string Name, DateTimeOffset At)> _names = new(StringComparer.Ordinal);

    public async Task<string> DisplayNameAsync(string userId, string fallback, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_names.TryGetValue(userId, out var cached) && now - cached.At < Lifetime)
        {
            return cached.Name;
        }

        var info = await api.UserInfoAsync(userId, ct).ConfigureAwait(false);
        var name = info.Ok && info.Body["user"] is JsonObject user ? Pick(user) : null;
        if (name is null)
        {
            return string.IsNullOrWhiteSpace(fallback) ? userId : fallback;
        }

        _names[userId] = (name, now);
        return name;
    }

    private static string? Pick(JsonObject user)
    {
        static string? S(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s.ReplaceLineEndings(" ") : null;
        var profile = user["profile"] as JsonObject;
        var name = S(profile?["display_name"]) ?? S(profile?["real_name"]) ?? S(user["real_name"]) ?? S(user["name"]);
        return name is { Length: > 80 } ? name[..80] : name;
    }
}
