using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Core.Remediation;

/// <summary>
/// A proposed fix for one root cause: the exact commands (rendered from typed templates), their kind and
/// the approval they need. <see cref="Notes"/> carries what an engineer must know before approving.
/// </summary>
public sealed record RemediationPlan(
    string Id,
    RootCause RootCause,
    string Title,
    IReadOnlyList<BoundCommand> Commands,
    RemediationKind Kind,
    ApprovalPolicy Approval)
{
    public bool RequiresApproval => Approval.RequiresApproval;

    public int ApproversRequired => Approval.ApproversRequired;

    public IReadOnlyList<string> Notes { get; init; } = [];
}
