using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Storage.Entities;

namespace NetOpsBot.Storage;

/// <summary>
/// <see cref="IIncidentStore"/> on EF Core. Every write that must be safe across replicas is one
/// conditional UPDATE (compare-and-set in the WHERE clause) or a transaction that starts with one, so the
/// database's row lock (PostgreSQL) or write lock (SQLite) decides races; nothing is read-then-written.
/// </summary>
internal sealed class EfIncidentStore : IIncidentStore
{
    private static readonly string[] LiveStates = [nameof(IncidentState.Running), nameof(IncidentState.Remediating)];
    private readonly IDbContextSource contexts;
    private readonly TimeProvider time;
    private readonly CreationBatcher _creations;
    private readonly AppendBatcher _appends;

    public EfIncidentStore(IDbContextSource contexts, TimeProvider time)
    {
        this.contexts = contexts;
        this.time = time;
        _creations = new CreationBatcher(contexts, (p, ct) => CreateOneAsync(p.Incident, p.Requested, p.Key, ct));
        _appends = new AppendBatcher(contexts, (db, id, ct) => NextSequenceAsync(db, r => r.Id == id.Value, ct));
    }

    public Task<IncidentCreation> CreateAsync(Incident incident, TimelineEventDraft requested, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        if (idempotencyKey.Length > 256)
        {
            throw new ArgumentException("idempotency key is longer than 256 characters", nameof(idempotencyKey));
        }

        return _creations.CreateAsync(incident, requested, idempotencyKey).WaitAsync(cancellationToken);
    }

    /// <summary>One creation in its own transaction: the fallback when a batch met a concurrent writer.</summary>
    private async Task<IncidentCreation> CreateOneAsync(Incident incident, TimelineEventDraft requested, string idempotencyKey, CancellationToken cancellationToken)
    {
        var existing = await FindByKeyAsync(idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return new IncidentCreation(existing, Created: false);
        }

        var row = RowMapper.ToRow(incident, idempotencyKey);
        row.LastSequence = 1;
        var db = await contexts.CreateForWriteAsync(cancellationToken, interactive: true).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            db.Incidents.Add(row);
            var requestedRow = RowMapper.ToRow(incident.Id, 1, requested);
            db.TimelineEvents.Add(requestedRow);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return new IncidentCreation(RowMapper.ToIncident(row, []), Created: true) { Requested = RowMapper.ToEvent(requestedRow) };
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                // Lost the race against the same request delivered to another replica (or a retry).
                existing = await FindByKeyAsync(idempotencyKey, cancellationToken).ConfigureAwait(false);
                if (existing is null)
                {
                    throw; // The id itself collided: a bug or a 1-in-2^40 event, never a silent success.
                }

                return new IncidentCreation(existing, Created: false);
            }
        }
    }

    public async Task<Incident?> GetAsync(IncidentId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            var row = await db.Incidents.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id.Value, cancellationToken).ConfigureAwait(false);
            return row is null ? null : await WithCardsAsync(db, row, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<Incident>> ListAsync(PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.Incidents.AsNoTracking()
                .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id)
                .Skip(page.Offset).Take(page.Limit)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var ids = rows.Select(r => r.Id).ToList();
            var cards = (await db.CardMessages.AsNoTracking().Where(c => ids.Contains(c.IncidentId))
                .ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(c => c.IncidentId, StringComparer.Ordinal);
            return [.. rows.Select(r => RowMapper.ToIncident(r, cards[r.Id]))];
        }
    }

    public async Task<IReadOnlyList<Incident>> ListForDeviceAsync(DeviceName device, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.Incidents.AsNoTracking()
                .Where(i => i.DeviceName == device.Value)
                .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id)
                .Take(Math.Clamp(limit, 1, PageRequest.MaxLimit))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var ids = rows.Select(r => r.Id).ToList();
            var cards = (await db.CardMessages.AsNoTracking().Where(c => ids.Contains(c.IncidentId))
                .ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(c => c.IncidentId, StringComparer.Ordinal);
            return [.. rows.Select(r => RowMapper.ToIncident(r, cards[r.Id]))];
        }
    }

    public Task<TimelineEvent> AppendAsync(IncidentId id, TimelineEventDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(draft);
        return _appends.AppendAsync(id, draft).WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TimelineEvent>> TimelineAsync(IncidentId id, long afterSequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.TimelineEvents.AsNoTracking()
                .Where(e => e.IncidentId == id.Value && e.Sequence > afterSequence)
                .OrderBy(e => e.Sequence)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(RowMapper.ToEvent)];
        }
    }

    public async Task<bool> UpdateStateAsync(IncidentId id, StateTransition transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(transition);
        var from = transition.From.Select(s => s.ToString()).ToList();
        var now = Instants.Normalize(time.GetUtcNow());

        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            // One statement: the WHERE clause is the compare, so two racers cannot both see the old state.
            var changed = await db.Incidents
                .Where(r => r.Id == id.Value && from.Contains(r.State))
                .ExecuteUpdateAsync(
                    s => SetTransition(s, transition, now),
                    cancellationToken)
                .ConfigureAwait(false);
            return changed == 1;
        }
    }

    /// <summary>The columns a state transition sets, shared by the plain move and the move with its events.</summary>
    private static Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<IncidentRow> SetTransition(Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<IncidentRow> s, StateTransition transition, DateTimeOffset now)
    {
        s.SetProperty(r => r.State, transition.To.ToString()).SetProperty(r => r.UpdatedAt, now);
        if (transition.RootCauseCodes is { } codes)
        {
            s.SetProperty(r => r.RootCauses, RowMapper.JoinCodes(codes));
        }

        if (transition.Lease is { } lease)
        {
            s.SetProperty(r => r.OwnerInstance, lease.OwnerInstance).SetProperty(r => r.LeaseUntil, Instants.Normalize(lease.Until));
        }
        else if (transition.ReleaseLease)
        {
            s.SetProperty(r => r.OwnerInstance, (string?)null).SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null);
        }

        return s;
    }

    public async Task<IReadOnlyList<TimelineEvent>?> TransitionWithEventsAsync(IncidentId id, StateTransition transition, IReadOnlyList<TimelineEventDraft> drafts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(transition);
        ArgumentNullException.ThrowIfNull(drafts);
        var from = transition.From.Select(s => s.ToString()).ToList();
        var now = Instants.Normalize(time.GetUtcNow());
        var count = drafts.Count;

        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                // The compare-and-set of UpdateStateAsync, which also reserves the events' sequence numbers: it takes the
                // row lock (PostgreSQL) or the write lock (SQLite) first, so concurrent appenders queue behind it.
                var changed = await db.Incidents
                    .Where(r => r.Id == id.Value && from.Contains(r.State))
                    .ExecuteUpdateAsync(
                        s => SetTransition(s, transition, now).SetProperty(r => r.LastSequence, r => r.LastSequence + count),
                        cancellationToken)
                    .ConfigureAwait(false);
                if (changed != 1)
                {
                    return null;
                }

                var last = await db.Incidents.Where(r => r.Id == id.Value).Select(r => r.LastSequence)
                    .SingleAsync(cancellationToken).ConfigureAwait(false);
                var rows = drafts.Select((d, i) => RowMapper.ToRow(id, last - count + 1 + i, d)).ToList();
                db.TimelineEvents.AddRange(rows);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return [.. rows.Select(RowMapper.ToEvent)];
            }
        }
    }

    public async Task<bool> RenewLeaseAsync(IncidentId id, IncidentLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(lease);
        var until = Instants.Normalize(lease.Until);
        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            // Only the current owner may extend it, and only while the work is live: a swept incident stays swept.
            var changed = await db.Incidents
                .Where(r => r.Id == id.Value && r.OwnerInstance == lease.OwnerInstance && LiveStates.Contains(r.State))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseUntil, until), cancellationToken)
                .ConfigureAwait(false);
            return changed == 1;
        }
    }

    public async Task<bool> SetCardMessageAsync(IncidentId id, CardMessageRef card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(card);

        // Upsert without provider-specific SQL: update, else insert; a concurrent insert makes us update again.
        for (var attempt = 0; ; attempt++)
        {
            var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
            await using (db.ConfigureAwait(false))
            {
                var updated = await db.CardMessages
                    .Where(c => c.IncidentId == id.Value && c.Platform == card.Platform)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.ChannelId, card.ChannelId).SetProperty(c => c.MessageId, card.MessageId), cancellationToken)
                    .ConfigureAwait(false);
                if (updated == 1)
                {
                    return true;
                }

                db.CardMessages.Add(new CardMessageRow { IncidentId = id.Value, Platform = card.Platform, ChannelId = card.ChannelId, MessageId = card.MessageId });
                try
                {
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (DbUpdateException e) when (DbErrors.IsForeignKeyViolation(e))
                {
                    return false;
                }
                catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && attempt == 0)
                {
                    // Someone inserted it between our update and insert; the next round updates it.
                }
            }
        }
    }

    public async Task<IReadOnlyList<IncidentId>> MarkInterruptedAsync(InterruptionSweep sweep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var predicate = SweepPredicate(sweep);
        if (predicate is null)
        {
            return [];
        }

        var interrupted = new List<IncidentId>();
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            // The SQL filter only narrows the rows; the lifecycle's rule decides each one, and the UPDATE applies
            // only to the row exactly as judged, so an owner renewing meanwhile keeps its work.
            var candidates = await db.Incidents.AsNoTracking().Where(predicate)
                .Select(r => new { r.Id, r.State, r.OwnerInstance, r.LeaseUntil })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var now = sweep.LeaseExpiredBefore ?? DateTimeOffset.MinValue;
            foreach (var c in candidates)
            {
                if (!Enum.TryParse<IncidentState>(c.State, out var state))
                {
                    continue;
                }

                var incidentId = IncidentId.Parse(c.Id);
                var snapshot = new LeaseSnapshot(state, c.OwnerInstance, c.LeaseUntil);
                var verdict = IncidentLifecycle.Decide(snapshot, now, TimeSpan.Zero, sweep.DeadOwners, sweep.OwnerAlive is { } alive ? owner => alive(incidentId, owner) : null);
                if (verdict != SweepVerdict.Interrupt)
                {
                    continue;
                }

                var (owner, lease, asJudged) = (c.OwnerInstance, c.LeaseUntil, c.State);
                Expression<Func<IncidentRow, bool>> unchanged = r => r.State == asJudged && r.OwnerInstance == owner && r.LeaseUntil == lease;
                if (await InterruptOneAsync(c.Id, unchanged, sweep, cancellationToken).ConfigureAwait(false))
                {
                    interrupted.Add(incidentId);
                }
            }
        }

        return interrupted;
    }

    private async Task<bool> InterruptOneAsync(string id, Expression<Func<IncidentRow, bool>> predicate, InterruptionSweep sweep, CancellationToken cancellationToken)
    {
        var now = Instants.Normalize(time.GetUtcNow());
        var interrupted = nameof(IncidentState.Interrupted);
        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                // Re-check the criteria in the UPDATE itself: the owner may have finished or renewed meanwhile,
                // and another replica's sweep may have got here first.
                var changed = await db.Incidents.Where(r => r.Id == id).Where(predicate)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(r => r.State, interrupted)
                            .SetProperty(r => r.UpdatedAt, now)
                            .SetProperty(r => r.OwnerInstance, (string?)null)
                            .SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null)
                            .SetProperty(r => r.LastSequence, r => r.LastSequence + 1),
                        cancellationToken)
                    .ConfigureAwait(false);
                if (changed == 0)
                {
                    return false;
                }

                var sequence = await db.Incidents.Where(r => r.Id == id).Select(r => r.LastSequence)
                    .SingleAsync(cancellationToken).ConfigureAwait(false);
                var draft = IncidentEvents.Draft(new InterruptionEvent(sweep.Summary), sweep.Actor, sweep.Summary, now);
                db.TimelineEvents.Add(RowMapper.ToRow(IncidentId.Parse(id), sequence, draft));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
    }

    private static Expression<Func<IncidentRow, bool>>? SweepPredicate(InterruptionSweep sweep)
    {
        var states = sweep.States.Select(s => s.ToString()).ToList();
        var dead = sweep.DeadOwners.ToList();
        if (sweep.LeaseExpiredBefore is { } before)
        {
            var cutoff = Instants.Normalize(before);
            return r => states.Contains(r.State)
                && ((r.OwnerInstance != null && dead.Contains(r.OwnerInstance)) || r.LeaseUntil == null || r.LeaseUntil < cutoff);
        }

        if (dead.Count == 0)
        {
            return null;
        }

        return r => states.Contains(r.State) && r.OwnerInstance != null && dead.Contains(r.OwnerInstance);
    }

    /// <summary>
    /// Bumps the per-incident counter and reads it back inside the caller's transaction. The UPDATE takes
    /// the row lock (PostgreSQL) or the database write lock (SQLite, BEGIN IMMEDIATE), so concurrent
    /// appenders queue up and each gets the next number; a rolled-back append gives its number back.
    /// </summary>
    private async Task<long?> NextSequenceAsync(NetOpsBotDbContext db, Expression<Func<IncidentRow, bool>> which, CancellationToken cancellationToken)
    {
        var now = Instants.Normalize(time.GetUtcNow());
        var changed = await db.Incidents.Where(which)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSequence, r => r.LastSequence + 1).SetProperty(r => r.UpdatedAt, now), cancellationToken)
            .ConfigureAwait(false);
        if (changed == 0)
        {
            return null;
        }

        return await db.Incidents.Where(which).Select(r => r.LastSequence).SingleAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<Incident?> FindByKeyAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            var row = await db.Incidents.AsNoTracking().SingleOrDefaultAsync(i => i.IdempotencyKey == idempotencyKey, cancellationToken).ConfigureAwait(false);
            return row is null ? null : await WithCardsAsync(db, row, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<Incident> WithCardsAsync(NetOpsBotDbContext db, IncidentRow row, CancellationToken cancellationToken)
    {
        var cards = await db.CardMessages.AsNoTracking().Where(c => c.IncidentId == row.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return RowMapper.ToIncident(row, cards);
    }
}
