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

    /// <summary>Forgets one key (no error when it is not there).</summary>
    Task DeleteAsync(string platform, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> facts whose key starts with <paramref name="keyPrefix"/> (and value with
    /// <paramref name="valuePrefix"/>, when given), last written before <paramref name="writtenBefore"/>, oldest first.
    /// </summary>
    Task<IReadOnlyList<ConversationFact>> ListAsync(string platform, string keyPrefix, DateTimeOffset writtenBefore, int limit, CancellationToken cancellationToken, string? valuePrefix = null);

    /// <summary>Forgets the keys starting with <paramref name="keyPrefix"/> last written before <paramref name="olderThan"/>; returns how many.</summary>
    Task<int> PurgeAsync(string platform, string keyPrefix, DateTimeOffset olderThan, CancellationToken cancellationToken);
}

/// <summary>One stored fact.</summary>
public sealed record ConversationFact(string Key, string Value, DateTimeOffset UpdatedAt);

/// <summary>
/// How long a surface needs one kind of fact (keys with <see cref="KeyPrefix"/>): delivery ids kept against
/// replays only need to outlive the window in which a replay could still be accepted.
/// </summary>
public sealed record ConversationRetention(string Platform, string KeyPrefix, TimeSpan Keep);
