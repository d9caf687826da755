using Microsoft.EntityFrameworkCore;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Storage.Entities;

namespace NetOpsBot.Storage;

/// <summary>
/// New incidents by group commit (<see cref="GroupCommit{TItem}"/>): a busy channel opens dozens within
/// milliseconds (measured: 50 chat users at once), and one transaction each queued them ~7 ms apart
/// behind SQLite's single writer. A batch that meets a key written meanwhile by another process falls
/// back to one transaction per request, so the database's unique index still decides idempotency.
/// </summary>
internal sealed class CreationBatcher
{
    private readonly IDbContextSource _contexts;
    private readonly Func<Pending, CancellationToken, Task<IncidentCreation>> _createOne;
    private readonly GroupCommit<Pending> _queue;

    public CreationBatcher(IDbContextSource contexts, Func<Pending, CancellationToken, Task<IncidentCreation>> createOne)
    {
        _contexts = contexts;
        _createOne = createOne;
        _queue = new GroupCommit<Pending>(WriteAsync, (p, ex) => p.Done.TrySetException(ex));
    }

    public Task<IncidentCreation> CreateAsync(Incident incident, TimelineEventDraft requested, string idempotencyKey)
    {
        var pending = new Pending(incident, requested, idempotencyKey);
        _queue.Enqueue(pending);
        return pending.Done.Task;
    }

    private async Task WriteAsync(IReadOnlyList<Pending> batch)
    {
        var keys = batch.Select(p => p.Key).Distinct(StringComparer.Ordinal).ToList();
        var db = await _contexts.CreateForWriteAsync(CancellationToken.None, interactive: true).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var existing = await db.Incidents.AsNoTracking().Where(r => keys.Contains(r.IdempotencyKey))
                .ToDictionaryAsync(r => r.IdempotencyKey, StringComparer.Ordinal).ConfigureAwait(false);
            var added = new Dictionary<string, IncidentRow>(StringComparer.Ordinal);
            var events = new Dictionary<string, TimelineEventRow>(StringComparer.Ordinal);
            foreach (var p in batch.Where(p => !existing.ContainsKey(p.Key) && !added.ContainsKey(p.Key)))
            {
                var row = RowMapper.ToRow(p.Incident, p.Key);
                row.LastSequence = 1;
                added[p.Key] = row;
                db.Incidents.Add(row);
                events[p.Key] = RowMapper.ToRow(p.Incident.Id, 1, p.Requested);
                db.TimelineEvents.Add(events[p.Key]);
            }

            try
            {
                if (added.Count > 0)
                {
                    await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                added.Clear();
            }

            if (added.Count == 0 && batch.Any(p => !existing.ContainsKey(p.Key)))
            {
                // Lost a race with another writer of one of these keys: decide each alone, after this turn ends.
                db.WriteTurn?.Dispose();
                foreach (var p in batch)
                {
                    p.Done.TrySetResult(await _createOne(p, CancellationToken.None).ConfigureAwait(false));
                }

                return;
            }

            // Redeliveries are rare: only they need the stored card messages, so most batches skip the query.
            var oldIds = existing.Values.Select(r => r.Id).ToList();
            var oldCards = (oldIds.Count == 0 ? [] : await db.CardMessages.AsNoTracking().Where(c => oldIds.Contains(c.IncidentId)).ToListAsync().ConfigureAwait(false))
                .ToLookup(c => c.IncidentId, StringComparer.Ordinal);
            var claimed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in batch)
            {
                if (existing.TryGetValue(p.Key, out var old))
                {
                    p.Done.TrySetResult(new IncidentCreation(RowMapper.ToIncident(old, oldCards[old.Id]), Created: false));
                }
                else if (claimed.Add(p.Key))
                {
                    p.Done.TrySetResult(new IncidentCreation(RowMapper.ToIncident(added[p.Key], []), Created: true) { Requested = RowMapper.ToEvent(events[p.Key]) });
                }
                else
                {
                    // The same delivery twice in one batch: the second sees the first's incident.
                    p.Done.TrySetResult(new IncidentCreation(RowMapper.ToIncident(added[p.Key], []), Created: false));
                }
            }
        }
    }

    internal sealed record Pending(Incident Incident, TimelineEventDraft Requested, string Key)
    {
        public TaskCompletionSource<IncidentCreation> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
