namespace NetOpsBot.Storage.Entities;

/// <summary>Table <c>approvals</c>: key (incident_id, plan_id, approver_platform, approver_user_id) = one decision per approver.</summary>
internal sealed class ApprovalRow
{
    public required string IncidentId { get; set; }

    public required string PlanId { get; set; }

    public required string ApproverPlatform { get; set; }

    public required string ApproverUserId { get; set; }

    public required string ApproverDisplayName { get; set; }

    public required string Decision { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Nonce { get; set; }
}
