using Microsoft.EntityFrameworkCore;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Storage;

/// <summary>
/// <see cref="IApprovalStore"/> on EF Core. The primary key (incident, plan, approver) makes the database
/// the arbiter of "one decision per approver", however many replicas receive the same click.
/// </summary>
internal sealed class EfApprovalStore(IDbContextSource contexts) : IApprovalStore
{
    public async Task<bool> AddAsync(Approval approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            db.Approvals.Add(RowMapper.ToRow(approval));
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return false;
            }
            catch (DbUpdateException e) when (DbErrors.IsForeignKeyViolation(e))
            {
                throw new KeyNotFoundException($"incident {approval.IncidentId} does not exist", e);
            }
        }
    }

    public async Task<IReadOnlyList<Approval>> ListAsync(IncidentId incidentId, string? planId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incidentId);
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            var query = db.Approvals.AsNoTracking().Where(a => a.IncidentId == incidentId.Value);
            if (planId is not null)
            {
                query = query.Where(a => a.PlanId == planId);
            }

            var rows = await query.OrderBy(a => a.At).ThenBy(a => a.ApproverPlatform).ThenBy(a => a.ApproverUserId)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(RowMapper.ToApproval)];
        }
    }
}
