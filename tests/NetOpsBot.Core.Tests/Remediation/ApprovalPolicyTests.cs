using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Core.Tests.Remediation;

/// <summary>The number of approvers each kind of plan asks for; who counts is ApprovalStateMachineTests' business.</summary>
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
}
