namespace NetOpsBot.Storage.Entities;

/// <summary>Table <c>remediation_approvals</c>: key (request_id, approver_platform, approver_user_id) = one counted approval per person.</summary>
internal sealed class RemediationApprovalRow
{
    public required string RequestId { get; set; }

    public required string ApproverPlatform { get; set; }

    public required string ApproverUserId { get; set; }

    public required string ApproverDisplayName { get; set; }

    public DateTimeOffset At { get; set; }
}
