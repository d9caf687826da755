namespace NetOpsBot.Core.Incidents;

/// <summary>Durable approval decisions, shared by every host replica. The approval rules live elsewhere.</summary>
public interface IApprovalStore
{
    /// <summary>
    /// Stores the decision; false (and nothing stored) when this approver already decided on this plan of
    /// this incident, even if the earlier decision arrived at another replica a moment before.
    /// Throws <see cref="KeyNotFoundException"/> when the incident does not exist.
    /// </summary>
    Task<bool> AddAsync(Approval approval, CancellationToken cancellationToken);

    /// <summary>The decisions on one plan of an incident (all plans when <paramref name="planId"/> is null), oldest first.</summary>
    Task<IReadOnlyList<Approval>> ListAsync(IncidentId incidentId, string? planId, CancellationToken cancellationToken);
}
