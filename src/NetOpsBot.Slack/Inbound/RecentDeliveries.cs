using System.Collections.Concurrent;

namespace NetOpsBot.Slack.Inbound;

/// <summary>
/// Deliveries this replica has already recorded in the conversation store, kept for a while in memory:
/// Slack retries within minutes, and a retry that comes back to the same replica is then answered without
/// a database write. The store stays the authority: a key not remembered here is always asked there.
/// </summary>
public sealed class RecentDeliveries(TimeProvider time)
{
    private const int PruneAbove = 100_000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    public bool Contains(string key) => _seen.TryGetValue(key, out var at) && time.GetUtcNow() - at < Lifetime;

    public void Remember(string key)
    {
        var now = time.GetUtcNow();
        _seen[key] = now;
        if (_seen.Count > PruneAbove)
        {
            foreach (var (k, at) in _seen)
            {
                if (now - at >= Lifetime)
                {
                    _seen.TryRemove(k, out _);
                }
            }
        }
    }
}
