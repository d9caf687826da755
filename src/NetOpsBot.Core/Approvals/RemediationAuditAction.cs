namespace NetOpsBot.Core.Approvals;

/// <summary>What an audit entry records. Persisted as text: never rename one.</summary>
public enum RemediationAuditAction
{
    Requested,
    Approved,
    Rejected,

    /// <summary>A click that changed nothing: refused (self, not an approver, expired, closed) or a duplicate.</summary>
    ClickRefused,
    Expired,
    ExecutionStarted,
    ExecutionFinished,
    Interrupted,

    /// <summary>The stale diagnosis was re-run before executing; the detail says whether the evidence changed.</summary>
    Rechecked,

    /// <summary>
    /// The request was withdrawn: by the bot (the device was fixed elsewhere or another remediation ran on it), or
    /// by its requester (the Withdraw button; the actor is the requester).
    /// </summary>
    Cancelled,
}
