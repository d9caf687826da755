namespace NetOpsBot.Core.Incidents;

/// <summary>An approver's answer to a remediation request. Persisted as text: never rename one.</summary>
public enum ApprovalDecision
{
    Approved,
    Rejected,
}
