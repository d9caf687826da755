namespace NetOpsBot.Core.Approvals;

/// <summary>Where a remediation request is in its life. Persisted as text: never rename one.</summary>
public enum RemediationRequestState
{
    /// <summary>Waiting for approvals.</summary>
    Pending,

    /// <summary>Enough distinct approvers said yes; waiting for one host to claim the execution.</summary>
    Approved,

    /// <summary>An approver said no. Final.</summary>
    Rejected,

    /// <summary>Not approved in time. Final.</summary>
    Expired,

    /// <summary>One host instance claimed it and is running the commands.</summary>
    Executing,

    /// <summary>The commands ran and the result was verified. Final.</summary>
    Executed,

    /// <summary>The execution ran and failed (or could not be verified). Final.</summary>
    Failed,

    /// <summary>The executing host stopped mid-way. Final: it is reported, never re-run automatically.</summary>
    Interrupted,

    /// <summary>
    /// Withdrawn by the bot before it ran: the device was fixed through another incident or another remediation
    /// ran on it, so what was approved no longer matches the device. Final.
    /// </summary>
    Cancelled,
}
