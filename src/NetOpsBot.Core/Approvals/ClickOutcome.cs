namespace NetOpsBot.Core.Approvals;

/// <summary>What one click on a request card did. Persisted in the audit as text: never rename one.</summary>
public enum ClickOutcome
{
    /// <summary>An approval was counted; more are needed.</summary>
    Accepted,

    /// <summary>This approver had already approved; the click counts once and changes nothing.</summary>
    Duplicate,

    /// <summary>The requester tried to approve their own request.</summary>
    RefusedSelfApproval,

    /// <summary>The clicker is not in the approver group (checked at click time).</summary>
    RefusedNotApprover,

    /// <summary>The request passed its expiry time; it is now Expired.</summary>
    RefusedExpired,

    /// <summary>The request is no longer pending (approved, rejected, executing or finished).</summary>
    RefusedClosed,

    /// <summary>An approver rejected the request, which ends it.</summary>
    Rejected,

    /// <summary>This approval was the last one needed: the request is Approved and may execute.</summary>
    ApprovedComplete,

    /// <summary>The button named another request or other commands than the stored request's (an old card): nothing changed.</summary>
    RefusedMismatch,

    /// <summary>The click came from another platform or conversation than the request's; nothing changed.</summary>
    RefusedOtherConversation,

    /// <summary>The requester withdrew their own pending request: it is Cancelled and nothing runs.</summary>
    Withdrawn,

    /// <summary>Someone other than the requester clicked Withdraw; approvers reject instead. Nothing changed.</summary>
    RefusedNotRequester,
}
