using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Approvals;

/// <summary>
/// Durable remediation requests shared by every host replica. Every transition is atomic across replicas
/// and writes its <see cref="RemediationAuditEntry"/> in the same transaction, so the audit cannot miss a
/// decision that took effect nor record one that did not.
/// </summary>
public interface IRemediationRequestStore
{
    /// <summary>
    /// Stores a new request (audited as Requested by its requester) and returns it, unless a request for the
    /// same incident and plan is already open (pending, approved or executing): then nothing is stored and
    /// that open request is returned instead (compare ids). The store enforces this itself (a unique index),
    /// so two simultaneous calls on any replicas store one request. Throws <see cref="KeyNotFoundException"/>
    /// when the incident does not exist.
    /// </summary>
    Task<RemediationRequest> CreateAsync(RemediationRequest request, CancellationToken cancellationToken);

    Task<RemediationRequest?> GetAsync(RemediationRequestId id, CancellationToken cancellationToken);

    /// <summary>The requests of one incident, oldest first.</summary>
    Task<IReadOnlyList<RemediationRequest>> ListForIncidentAsync(IncidentId incidentId, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="decide"/> on the current request while holding it exclusively (no other click on
    /// any replica can interleave), stores the resulting request when it changed, and audits the click with
    /// <paramref name="channel"/>. Null when the request does not exist. <paramref name="decide"/> may run
    /// more than once if the database asks for a retry; it must be pure.
    /// </summary>
    Task<ClickDecision?> TryRecordClickAsync(RemediationRequestId id, ChatChannel channel, Func<RemediationRequest, ClickDecision> decide, CancellationToken cancellationToken);

    /// <summary>
    /// Approved → Executing for exactly one caller, recording <paramref name="lease"/>'s owner and expiry.
    /// False for everyone else and for a request in any other state (so a finished or interrupted
    /// execution can never be claimed again).
    /// </summary>
    Task<bool> TryClaimExecutionAsync(RemediationRequestId id, IncidentLease lease, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Heartbeat of a long execution (a reboot's recovery watch); false when the owner no longer holds it.</summary>
    Task<bool> RenewExecutionLeaseAsync(RemediationRequestId id, IncidentLease lease, CancellationToken cancellationToken);

    /// <summary>
    /// Executing → <paramref name="outcome"/> (<see cref="RemediationRequestState.Executed"/> or
    /// <see cref="RemediationRequestState.Failed"/>) when <paramref name="owner"/> still holds the execution.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outcome"/> is not Executed or Failed.</exception>
    Task<bool> CompleteExecutionAsync(RemediationRequestId id, string owner, RemediationRequestState outcome, string summary, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Restart recovery: Executing requests of a dead owner (or with an expired lease) become Interrupted —
    /// never re-executed — and are returned so the caller can report them and resume a reboot's recovery watch.
    /// Two replicas sweeping at once interrupt each request once.
    /// </summary>
    Task<IReadOnlyList<RemediationRequest>> MarkInterruptedExecutionsAsync(ExecutionSweep sweep, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Pending and approved (not yet executing) requests on <paramref name="device"/>, of any incident, except
    /// <paramref name="except"/>, become Cancelled with <paramref name="reason"/> (audited, by the bot), and are
    /// returned. A request cancelled here can no longer be approved nor claimed for execution.
    /// </summary>
    Task<IReadOnlyList<RemediationRequest>> CancelOpenForDeviceAsync(DeviceName device, RemediationRequestId? except, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Pending requests whose <see cref="RemediationRequest.ExpiresAt"/> is not after <paramref name="now"/> become Expired, and are returned.</summary>
    Task<IReadOnlyList<RemediationRequest>> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
