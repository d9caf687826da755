namespace NetOpsBot.Core.Remediation;

/// <summary>
/// How many approvers a plan asks for: reboot 2, config 1 (configurable), manual none (DESIGN.md §2). Only the
/// number: who may approve, and that the requester never counts, is the two-person rule of
/// <see cref="Approvals.ApprovalStateMachine"/>, which also raises a reboot below two.
/// </summary>
public sealed record ApprovalPolicy(int ApproversRequired)
{
    public bool RequiresApproval => ApproversRequired > 0;

    public static ApprovalPolicy For(RemediationKind kind, int configApprovers = 1) => kind switch
    {
        RemediationKind.Reboot => new ApprovalPolicy(Math.Max(2, configApprovers)),
        RemediationKind.Config => new ApprovalPolicy(Math.Max(1, configApprovers)),
        _ => new ApprovalPolicy(0),
    };
}
