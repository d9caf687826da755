using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Storage.Entities;

namespace NetOpsBot.Storage;

/// <summary>
/// <see cref="IRemediationRequestStore"/> on EF Core. Clicks are judged while the request row is held
/// exclusively (SELECT … FOR UPDATE on PostgreSQL, the BEGIN IMMEDIATE write lock on SQLite) and saved with
/// a version check; every other transition is one compare-and-set UPDATE. Each transition writes its audit
/// row in the same transaction.
/// </summary>
internal sealed class EfRemediationRequestStore(IDbContextSource contexts, TimeProvider time) : IRemediationRequestStore
{
    private const int MaxAttempts = 5;
    private static readonly string Pending = nameof(RemediationRequestState.Pending);
    private static readonly string Approved = nameof(RemediationRequestState.Approved);
    private static readonly string Executing = nameof(RemediationRequestState.Executing);

    public async Task<RemediationRequest> CreateAsync(RemediationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 1; ; attempt++)
        {
            if (await TryInsertAsync(request, cancellationToken).ConfigureAwait(false))
            {
                return request;
            }

            // The unique index on open (incident, plan) refused the insert: another request is open. Return it;
            // if it closed in the meantime, the next attempt inserts.
            if (await FindOpenAsync(request, cancellationToken).ConfigureAwait(false) is { } open)
            {
                return open;
            }

            if (attempt >= MaxAttempts)
            {
                throw new InvalidOperationException($"could not store a request for plan '{request.PlanId}' of incident {request.IncidentId}: it kept conflicting with another open request");
            }
        }
    }

    /// <summary>False when the one-open-request-per-plan index refused the row.</summary>
    private async Task<bool> TryInsertAsync(RemediationRequest request, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var row = RemediationMapper.ToRow(request);
            db.RemediationRequests.Add(row);
            db.RemediationApprovals.AddRange(request.Approvals.Select(a => RemediationMapper.ToRow(request.Id, a)));
            var stored = RemediationMapper.ToRequest(row, []);
            db.RemediationAudit.Add(RemediationMapper.ToRow(RemediationAuditEntry.For(
                stored, RemediationAuditAction.Requested, stored.State.ToString(), request.Requester, request.Channel, request.CreatedAt)));
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (DbUpdateException e) when (DbErrors.IsForeignKeyViolation(e))
            {
                throw new KeyNotFoundException($"incident {request.IncidentId} does not exist", e);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return false;
            }
        }
    }

    private async Task<RemediationRequest?> FindOpenAsync(RemediationRequest request, CancellationToken cancellationToken)
    {
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            var row = await db.RemediationRequests.AsNoTracking()
                .Where(r => r.IncidentId == request.IncidentId.Value && r.PlanId == request.PlanId
                    && (r.State == Pending || r.State == Approved || r.State == Executing))
                .OrderBy(r => r.CreatedAt)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return row is null ? null : await WithApprovalsAsync(db, row, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<RemediationRequest?> GetAsync(RemediationRequestId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            var row = await db.RemediationRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id.Value, cancellationToken).ConfigureAwait(false);
            return row is null ? null : await WithApprovalsAsync(db, row, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<RemediationRequest>> ListForIncidentAsync(IncidentId incidentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incidentId);
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.RemediationRequests.AsNoTracking().Where(r => r.IncidentId == incidentId.Value)
                .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            var ids = rows.Select(r => r.Id).ToList();
            var approvals = (await db.RemediationApprovals.AsNoTracking().Where(a => ids.Contains(a.RequestId))
                .ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(a => a.RequestId, StringComparer.Ordinal);
            return [.. rows.Select(r => RemediationMapper.ToRequest(r, approvals[r.Id]))];
        }
    }

    public async Task<ClickDecision?> TryRecordClickAsync(RemediationRequestId id, ChatChannel channel, Func<RemediationRequest, ClickDecision> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(decide);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RecordClickOnceAsync(id, channel, decide, cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // The lock makes this unreachable in practice; the version check is the second line of defence,
                // and a retry judges the click again against what the other writer left.
            }
        }
    }

    public async Task<bool> TryClaimExecutionAsync(RemediationRequestId id, IncidentLease lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(lease);
        var at = Instants.Normalize(now);
        var until = Instants.Normalize(lease.Until);
        var claimed = await TransitionAsync(
            id.Value,
            r => r.State == Approved,
            s => s.SetProperty(r => r.State, Executing)
                .SetProperty(r => r.ExecutionOwner, lease.OwnerInstance)
                .SetProperty(r => r.LeaseUntil, until)
                .SetProperty(r => r.ExecutionStartedAt, at),
            r => [RemediationAuditEntry.For(r, RemediationAuditAction.ExecutionStarted, r.State.ToString(), RemediationAuditEntry.Bot(lease.OwnerInstance), r.Channel, at)],
            cancellationToken).ConfigureAwait(false);
        return claimed is not null;
    }

    public async Task<bool> RenewExecutionLeaseAsync(RemediationRequestId id, IncidentLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(lease);
        var until = Instants.Normalize(lease.Until);
        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var changed = await db.RemediationRequests
                .Where(r => r.Id == id.Value && r.State == Executing && r.ExecutionOwner == lease.OwnerInstance)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseUntil, until), cancellationToken)
                .ConfigureAwait(false);
            return changed == 1;
        }
    }

    public async Task<bool> CompleteExecutionAsync(RemediationRequestId id, string owner, RemediationRequestState outcome, string summary, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(summary);
        if (outcome is not (RemediationRequestState.Executed or RemediationRequestState.Failed))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "an execution ends Executed or Failed");
        }

        var state = outcome.ToString();
        var at = Instants.Normalize(now);
        var text = summary.Length > 2000 ? summary[..2000] : summary;
        var done = await TransitionAsync(
            id.Value,
            r => r.State == Executing && r.ExecutionOwner == owner,
            s => s.SetProperty(r => r.State, state).SetProperty(r => r.FinishedAt, at).SetProperty(r => r.ResultSummary, text).SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null),
            r => [RemediationAuditEntry.For(r, RemediationAuditAction.ExecutionFinished, state, RemediationAuditEntry.Bot(owner), r.Channel, at, text)],
            cancellationToken).ConfigureAwait(false);
        return done is not null;
    }

    public async Task<IReadOnlyList<RemediationRequest>> MarkInterruptedExecutionsAsync(ExecutionSweep sweep, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var dead = sweep.DeadOwners.ToList();
        Expression<Func<RemediationRequestRow, bool>> predicate;
        if (sweep.LeaseExpiredBefore is { } before)
        {
            var cutoff = Instants.Normalize(before);
            predicate = r => r.State == Executing
                && ((r.ExecutionOwner != null && dead.Contains(r.ExecutionOwner)) || r.LeaseUntil == null || r.LeaseUntil < cutoff);
        }
        else if (dead.Count > 0)
        {
            predicate = r => r.State == Executing && r.ExecutionOwner != null && dead.Contains(r.ExecutionOwner);
        }
        else
        {
            return [];
        }

        var at = Instants.Normalize(now);
        const string Summary = "Interrupted: the host executing this request stopped before it reported a result; it will not be re-run automatically";
        var interrupted = nameof(RemediationRequestState.Interrupted);
        return await SweepAsync(
            predicate,
            s => s.SetProperty(r => r.State, interrupted).SetProperty(r => r.FinishedAt, at).SetProperty(r => r.ResultSummary, Summary),
            r => [RemediationAuditEntry.For(r, RemediationAuditAction.Interrupted, interrupted, RemediationAuditEntry.Bot(sweep.SweeperInstance), r.Channel, at, Summary)],
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RemediationRequest>> CancelOpenForDeviceAsync(DeviceName device, RemediationRequestId? except, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var at = Instants.Normalize(now);
        var name = device.Value;
        var skip = except?.Value ?? string.Empty;
        var text = reason.Length > 2000 ? reason[..2000] : reason;
        var cancelled = nameof(RemediationRequestState.Cancelled);

        // Approved too: an approval that has not been claimed yet must not run on a device that changed under it;
        // the claim is a compare-and-set on Approved, so whichever comes first wins and the other does nothing.
        return await SweepAsync(
            r => r.DeviceName == name && r.Id != skip && (r.State == Pending || r.State == Approved),
            s => s.SetProperty(r => r.State, cancelled).SetProperty(r => r.FinishedAt, at).SetProperty(r => r.ResultSummary, text),
            r => [RemediationAuditEntry.For(r, RemediationAuditAction.Cancelled, cancelled, RemediationAuditEntry.Bot("netopsbot"), r.Channel, at, text)],
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RemediationRequest>> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = Instants.Normalize(now);
        var expired = nameof(RemediationRequestState.Expired);
        return await SweepAsync(
            r => r.State == Pending && r.ExpiresAt <= at,
            s => s.SetProperty(r => r.State, expired).SetProperty(r => r.FinishedAt, at),
            r => [RemediationAuditEntry.For(r, RemediationAuditAction.Expired, expired, RemediationAuditEntry.Bot("netopsbot"), r.Channel, at, "not approved in time")],
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<ClickDecision?> RecordClickOnceAsync(RemediationRequestId id, ChatChannel channel, Func<RemediationRequest, ClickDecision> decide, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                if (db is PostgresNetOpsBotDbContext)
                {
                    // Row lock until commit: concurrent clicks on this request (any replica) queue here, and the
                    // read below (READ COMMITTED, a new snapshot per statement) sees everything they committed.
                    await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM remediation_requests WHERE id = {id.Value} FOR UPDATE", cancellationToken)
                        .ConfigureAwait(false);
                }

                // SQLite: BeginTransaction is BEGIN IMMEDIATE, which already holds the database write lock.
                var row = await db.RemediationRequests.SingleOrDefaultAsync(r => r.Id == id.Value, cancellationToken).ConfigureAwait(false);
                if (row is null)
                {
                    return null;
                }

                var approvalRows = await db.RemediationApprovals.AsNoTracking().Where(a => a.RequestId == id.Value)
                    .ToListAsync(cancellationToken).ConfigureAwait(false);
                var current = RemediationMapper.ToRequest(row, approvalRows);
                var decision = decide(current);
                var now = time.GetUtcNow();
                if (decision.Changed)
                {
                    RemediationMapper.ApplyClick(decision.Request, row);
                    var added = decision.Request.Approvals
                        .Where(a => !current.Approvals.Any(c => ApprovalStateMachine.SamePerson(c.Approver, a.Approver)))
                        .Select(a => RemediationMapper.ToRow(id, a))
                        .ToList();
                    db.RemediationApprovals.AddRange(added);
                    approvalRows.AddRange(added);
                }

                var stored = RemediationMapper.ToRequest(row, approvalRows);
                decision = decision with { Request = stored };
                db.RemediationAudit.Add(RemediationMapper.ToRow(RemediationAuditEntry.ForClick(decision, channel, now)));
                if (decision.Outcome == ClickOutcome.RefusedExpired && decision.Changed)
                {
                    db.RemediationAudit.Add(RemediationMapper.ToRow(RemediationAuditEntry.For(
                        stored, RemediationAuditAction.Expired, stored.State.ToString(), RemediationAuditEntry.Bot("netopsbot"), stored.Channel, now, "not approved in time")));
                }

                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return decision;
            }
        }
    }

    /// <summary>Candidates first (cheap, unlocked), then one compare-and-set per candidate so concurrent sweepers split the work.</summary>
    private async Task<IReadOnlyList<RemediationRequest>> SweepAsync(
        Expression<Func<RemediationRequestRow, bool>> predicate,
        Action<UpdateSettersBuilder<RemediationRequestRow>> set,
        Func<RemediationRequest, IEnumerable<RemediationAuditEntry>> audit,
        CancellationToken cancellationToken)
    {
        List<string> candidates;
        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            candidates = await db.RemediationRequests.AsNoTracking().Where(predicate).OrderBy(r => r.CreatedAt).Select(r => r.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var done = new List<RemediationRequest>();
        foreach (var id in candidates)
        {
            if (await TransitionAsync(id, predicate, set, audit, cancellationToken).ConfigureAwait(false) is { } request)
            {
                done.Add(request);
            }
        }

        return done;
    }

    /// <summary>
    /// One compare-and-set UPDATE (the WHERE clause re-checks <paramref name="predicate"/>, so of several racers
    /// exactly one changes the row), then the audit rows in the same transaction. Null when the row did not match.
    /// </summary>
    private async Task<RemediationRequest?> TransitionAsync(
        string id,
        Expression<Func<RemediationRequestRow, bool>> predicate,
        Action<UpdateSettersBuilder<RemediationRequestRow>> set,
        Func<RemediationRequest, IEnumerable<RemediationAuditEntry>> audit,
        CancellationToken cancellationToken)
    {
        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                var changed = await db.RemediationRequests.Where(r => r.Id == id).Where(predicate)
                    .ExecuteUpdateAsync(
                        s =>
                        {
                            set(s);
                            s.SetProperty(r => r.Version, r => r.Version + 1);
                        },
                        cancellationToken)
                    .ConfigureAwait(false);
                if (changed == 0)
                {
                    return null;
                }

                var row = await db.RemediationRequests.AsNoTracking().SingleAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
                var request = await WithApprovalsAsync(db, row, cancellationToken).ConfigureAwait(false);
                db.RemediationAudit.AddRange(audit(request).Select(RemediationMapper.ToRow));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return request;
            }
        }
    }

    private static async Task<RemediationRequest> WithApprovalsAsync(NetOpsBotDbContext db, RemediationRequestRow row, CancellationToken cancellationToken)
    {
        var approvals = await db.RemediationApprovals.AsNoTracking().Where(a => a.RequestId == row.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return RemediationMapper.ToRequest(row, approvals);
    }
}
