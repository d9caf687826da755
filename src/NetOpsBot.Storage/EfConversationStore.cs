using Microsoft.EntityFrameworkCore;
using NetOpsBot.Core.Chat;
using NetOpsBot.Storage.Entities;

namespace NetOpsBot.Storage;

/// <summary>
/// <see cref="IConversationStore"/> on EF Core. "Add unless present" is the primary key's job, so two
/// replicas receiving the same delivery cannot both win.
/// </summary>
internal sealed class EfConversationStore(IDbContextSource contexts, TimeProvider time) : IConversationStore
{
    public async Task<bool> TryAddAsync(string platform, string key, string value, CancellationToken cancellationToken)
    {
        Check(platform, key, value);
        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            db.ConversationFacts.Add(new ConversationFactRow { Platform = platform, Key = key, Value = value, UpdatedAt = Instants.Normalize(time.GetUtcNow()) });
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return false;
            }
        }
    }

    public async Task PutAsync(string platform, string key, string value, CancellationToken cancellationToken)
    {
        Check(platform, key, value);

        // Update, else insert; an insert that loses to a concurrent one updates on the next round.
        for (var attempt = 0; ; attempt++)
        {
            var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
            await using (db.ConfigureAwait(false))
            {
                var now = Instants.Normalize(time.GetUtcNow());
                var updated = await db.ConversationFacts
                    .Where(f => f.Platform == platform && f.Key == key)
                    .ExecuteUpdateAsync(s => s.SetProperty(f => f.Value, value).SetProperty(f => f.UpdatedAt, now), cancellationToken)
                    .ConfigureAwait(false);
                if (updated == 1)
                {
                    return;
                }

                db.ConversationFacts.Add(new ConversationFactRow { Platform = platform, Key = key, Value = value, UpdatedAt = now });
                try
                {
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && attempt < 3)
                {
                }
            }
        }
    }

    public async Task<string?> GetAsync(string platform, string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(platform);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            return await db.ConversationFacts.AsNoTracking()
                .Where(f => f.Platform == platform && f.Key == key)
                .Select(f => f.Value)
                .FirstOrDefaultAsync(cancellationToken)
                .ConfigureAwait(false);
        }
    }

    public async Task DeleteAsync(string platform, string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(platform);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            await db.ConversationFacts.Where(f => f.Platform == platform && f.Key == key).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<ConversationFact>> ListAsync(string platform, string keyPrefix, DateTimeOffset writtenBefore, int limit, CancellationToken cancellationToken, string? valuePrefix = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(platform);
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var before = Instants.Normalize(writtenBefore);
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            var query = db.ConversationFacts.AsNoTracking()
                .Where(f => f.Platform == platform && f.Key.StartsWith(keyPrefix) && f.UpdatedAt < before);
            if (valuePrefix is { Length: > 0 })
            {
                query = query.Where(f => f.Value.StartsWith(valuePrefix));
            }

            var rows = await query
                .OrderBy(f => f.UpdatedAt).ThenBy(f => f.Key)
                .Take(limit)
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
            return [.. rows.Select(r => new ConversationFact(r.Key, r.Value, r.UpdatedAt))];
        }
    }

    public async Task<int> PurgeAsync(string platform, string keyPrefix, DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(platform);
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        var before = Instants.Normalize(olderThan);
        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await db.ConversationFacts
                .Where(f => f.Platform == platform && f.Key.StartsWith(keyPrefix) && f.UpdatedAt < before)
                .ExecuteDeleteAsync(cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private static void Check(string platform, string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(platform);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (platform.Length > 32)
        {
            throw new ArgumentException("platform is longer than 32 characters", nameof(platform));
        }

        if (key.Length > IConversationStore.MaxKeyLength)
        {
            throw new ArgumentException($"key is longer than {IConversationStore.MaxKeyLength} characters", nameof(key));
        }

        if (value.Length > IConversationStore.MaxValueLength)
        {
            throw new ArgumentException($"value is longer than {IConversationStore.MaxValueLength} characters", nameof(value));
        }
    }
}
