namespace NetOpsBot.Core.Chat;

/// <summary>
/// Small per-platform facts a chat surface must remember across replicas and restarts: where a
/// conversation lives (a Teams serviceUrl), which deliveries were already seen (replays, retries).
/// Values are short text (JSON), not documents.
/// </summary>
public interface IConversationStore
{
    /// <summary>Longest key accepted.</summary>
    const int MaxKeyLength = 256;

    /// <summary>Longest value accepted.</summary>
    const int MaxValueLength = 8192;

    /// <summary>Stores the value unless the key exists; false when it did (another delivery or replica got there first).</summary>
    Task<bool> TryAddAsync(string platform, string key, string value, CancellationToken cancellationToken);

    /// <summary>Stores or replaces the value.</summary>
    Task PutAsync(string platform, string key, string value, CancellationToken cancellationToken);

    /// <summary>The value, or null when the key was never stored.</summary>
    Task<string?> GetAsync(string platform, string key, CancellationToken cancellationToken);

    /// <summary>Forgets the keys starting with <paramref name="keyPrefix"/> last written before <paramref name="olderThan"/>; returns how many.</summary>
    Task<int> PurgeAsync(string platform, string keyPrefix, DateTimeOffset olderThan, CancellationToken cancellationToken);
}

/// <summary>
/// How long a surface needs one kind of fact (keys with <see cref="KeyPrefix"/>): delivery ids kept against
/// replays only need to outlive the window in which a replay could still be accepted.
/// </summary>
public sealed record ConversationRetention(string Platform, string KeyPrefix, TimeSpan Keep);
