namespace NetOpsBot.Storage.Entities;

/// <summary>
/// Table <c>remediation_approvals</c>: key (request_id, approver_platform, approver_user_id) = one counted approval
/// per account, and unique (request_id, approver_person_id) = one per person of the approver directory.
/// </summary>
internal sealed class RemediationApprovalRow
{
    public required string RequestId { get; set; }

    public required string ApproverPlatform { get; set; }

    public required string ApproverUserId { get; set; }

    public required string ApproverDisplayName { get; set; }

    /// <summary>The approver's person in the directory; null only for approvals recorded before it existed.</summary>
    public string? ApproverPersonId { get; set; }

    public DateTimeOffset At { get; set; }
}
