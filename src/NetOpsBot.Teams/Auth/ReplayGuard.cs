using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using NetOpsBot.Core.Chat;

namespace NetOpsBot.Teams.Auth;

/// <summary>
/// Refuses an activity id seen before in the same conversation: a captured request (token and body) replayed
/// within the token's lifetime runs nothing. Shared across replicas through <see cref="IConversationStore"/>;
/// with no store registered, one process remembers the last two hours.
/// </summary>
public sealed class ReplayGuard
{
    private static readonly TimeSpan MemoryWindow = TimeSpan.FromHours(2);
    private readonly IConversationStore? _store;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private long _adds;

    public ReplayGuard(IConversationStore? store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>True the first time this conversation and activity id are seen.</summary>
    public async Task<bool> FirstSightAsync(string conversationId, string activityId, CancellationToken ct)
    {
        var key = Key(conversationId, activityId);
        var now = _time.GetUtcNow();
        if (_store is not null)
        {
            return await _store.TryAddAsync(TeamsPlatform.Key, key, now.ToString("O", System.Globalization.CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        }

        if (Interlocked.Increment(ref _adds) % 1024 == 0)
        {
            foreach (var (k, at) in _seen)
            {
                if (now - at > MemoryWindow)
                {
                    _seen.TryRemove(k, out _);
                }
            }
        }

        return _seen.TryAdd(key, now);
    }

    internal static string Key(string conversationId, string activityId)
    {
        var raw = "activity|" + conversationId + "|" + activityId;
        return raw.Length <= 200
            ? raw
            : "activity#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)));
    }
}
