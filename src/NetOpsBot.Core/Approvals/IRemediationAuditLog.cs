using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Approvals;

/// <summary>
/// The append-only audit of remediation decisions. The request store writes the entries for its own
/// transitions in the same transaction; this port reads them and appends what happens outside the store
/// (e.g. a re-check). Nothing can update or delete an entry, not even SQL run by hand.
/// </summary>
public interface IRemediationAuditLog
{
    /// <summary>Appends an entry and returns it with its sequence. Throws <see cref="KeyNotFoundException"/> for an unknown request.</summary>
    Task<RemediationAuditEntry> AppendAsync(RemediationAuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The entries of one request, in the order they were written.</summary>
    Task<IReadOnlyList<RemediationAuditEntry>> ListAsync(RemediationRequestId requestId, CancellationToken cancellationToken);

    /// <summary>The entries of every request of one incident, in the order they were written.</summary>
    Task<IReadOnlyList<RemediationAuditEntry>> ListAsync(IncidentId incidentId, CancellationToken cancellationToken);
}
