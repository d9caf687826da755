using System.Collections.Concurrent;
using NetOpsBot.Core.Chat;

namespace NetOpsBot.Teams.Connector;

/// <summary>
/// Conversation references by channel key, shared by replicas through <see cref="IConversationStore"/> (an
/// in-process map when none is registered). Only the activity handler writes, after authentication.
/// </summary>
public sealed class ConversationDirectory(IConversationStore? store)
{
    private readonly ConcurrentDictionary<string, ConversationRef> _cache = new(StringComparer.Ordinal);

    public async Task RememberAsync(string channelKey, ConversationRef reference, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (_cache.TryGetValue(channelKey, out var known) && known == reference)
        {
            return;
        }

        // An authenticated reference is never downgraded by a Playground one for the same conversation.
        if (known is { Authenticated: true } && !reference.Authenticated)
        {
            return;
        }

        if (store is not null)
        {
            await store.PutAsync(TeamsPlatform.Key, ConversationRef.Key(channelKey), reference.ToJson(), ct).ConfigureAwait(false);
        }

        _cache[channelKey] = reference;
    }

    public async Task<ConversationRef?> FindAsync(string channelKey, CancellationToken ct)
    {
        if (_cache.TryGetValue(channelKey, out var known))
        {
            return known;
        }

        if (store is null)
        {
            return null;
        }

        var found = ConversationRef.FromJson(await store.GetAsync(TeamsPlatform.Key, ConversationRef.Key(channelKey), ct).ConfigureAwait(false));
        if (found is not null)
        {
            _cache[channelKey] = found;
        }

        return found;
    }
}
