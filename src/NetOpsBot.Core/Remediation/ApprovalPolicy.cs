namespace NetOpsBot.Core.Remediation;

/// <summary>
/// Who must approve a plan. The requester never counts as an approver; approvers must be distinct.
/// Defaults follow DESIGN.md §2: reboot 2 approvers, config 1 (configurable), manual none.
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

    /// <summary>Counts the valid approvals (distinct, not the requester) and says how many are still missing.</summary>
    public ApprovalCheck Check(string requester, IEnumerable<string> approvers)
    {
        ArgumentNullException.ThrowIfNull(approvers);
        var valid = approvers
            .Where(a => !string.IsNullOrWhiteSpace(a) && !string.Equals(a, requester, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Count();
        var missing = Math.Max(0, ApproversRequired - valid);
        return new ApprovalCheck(missing == 0, valid, missing);
    }

    /// <summary>Null when <paramref name="approver"/> may approve a plan requested by <paramref name="requester"/>.</summary>
    public static string? RejectApprover(string requester, string approver, IEnumerable<string> alreadyApproved)
    {
        ArgumentNullException.ThrowIfNull(alreadyApproved);
        if (string.Equals(requester, approver, StringComparison.Ordinal))
        {
            return "the requester cannot approve their own request";
        }

        return alreadyApproved.Contains(approver, StringComparer.Ordinal) ? "each approver counts once" : null;
    }
}
