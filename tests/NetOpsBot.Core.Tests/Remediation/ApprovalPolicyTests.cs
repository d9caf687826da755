using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Core.Tests.Remediation;

public sealed class ApprovalPolicyTests
{
    [Fact]
    public void For_Reboot_RequiresTwoApprovers() => Assert.Equal(2, ApprovalPolicy.For(RemediationKind.Reboot).ApproversRequired);

    [Fact]
    public void For_ConfigDefault_RequiresOneApprover() => Assert.Equal(1, ApprovalPolicy.For(RemediationKind.Config).ApproversRequired);

    [Fact]
    public void For_ConfigConfigured_UsesConfiguredCount() => Assert.Equal(2, ApprovalPolicy.For(RemediationKind.Config, 2).ApproversRequired);

    [Fact]
    public void For_Manual_NeedsNoApproval() => Assert.False(ApprovalPolicy.For(RemediationKind.Manual).RequiresApproval);

    [Fact]
    public void Check_RebootApprovedByRequesterAndOneOther_NotSatisfied()
    {
        var check = ApprovalPolicy.For(RemediationKind.Reboot).Check("alice", ["alice", "bob"]);
        Assert.Equal((false, 1, 1), (check.Satisfied, check.ValidApprovals, check.Missing));
    }

    [Fact]
    public void Check_RebootSameApproverTwice_NotSatisfied() =>
        Assert.False(ApprovalPolicy.For(RemediationKind.Reboot).Check("alice", ["bob", "bob"]).Satisfied);

    [Fact]
    public void Check_RebootTwoDistinctApprovers_Satisfied() =>
        Assert.True(ApprovalPolicy.For(RemediationKind.Reboot).Check("alice", ["bob", "carol"]).Satisfied);

    [Fact]
    public void Check_ConfigApprovedByRequesterOnly_NotSatisfied() =>
        Assert.False(ApprovalPolicy.For(RemediationKind.Config).Check("alice", ["alice"]).Satisfied);

    [Fact]
    public void RejectApprover_Requester_Rejected() => Assert.NotNull(ApprovalPolicy.RejectApprover("alice", "alice", []));

    [Fact]
    public void RejectApprover_AlreadyApproved_Rejected() => Assert.NotNull(ApprovalPolicy.RejectApprover("alice", "bob", ["bob"]));

    [Fact]
    public void RejectApprover_NewDistinctApprover_Accepted() => Assert.Null(ApprovalPolicy.RejectApprover("alice", "bob", ["carol"]));
}
