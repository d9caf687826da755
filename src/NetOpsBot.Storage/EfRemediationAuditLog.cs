using Microsoft.EntityFrameworkCore;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Storage;

/// <summary><see cref="IRemediationAuditLog"/> on EF Core; the table's triggers make it append-only.</summary>
internal sealed class EfRemediationAuditLog(IDbContextSource contexts) : IRemediationAuditLog
{
    public async Task<RemediationAuditEntry> AppendAsync(RemediationAuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var row = RemediationMapper.ToRow(entry);
            db.RemediationAudit.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException e) when (DbErrors.IsForeignKeyViolation(e))
            {
                throw new KeyNotFoundException($"remediation request {entry.RequestId} does not exist", e);
            }

            return RemediationMapper.ToEntry(row);
        }
    }

    public async Task<IReadOnlyList<RemediationAuditEntry>> ListAsync(RemediationRequestId requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.RemediationAudit.AsNoTracking().Where(a => a.RequestId == requestId.Value).OrderBy(a => a.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(RemediationMapper.ToEntry)];
        }
    }

    public async Task<IReadOnlyList<RemediationAuditEntry>> ListAsync(IncidentId incidentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incidentId);
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.RemediationAudit.AsNoTracking().Where(a => a.IncidentId == incidentId.Value).OrderBy(a => a.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(RemediationMapper.ToEntry)];
        }
    }
}
