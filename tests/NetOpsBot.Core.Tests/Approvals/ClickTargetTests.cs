using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Core.Tests.Approvals;

public sealed class ClickTargetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly ChatUser Alice = new("webchat", "alice", "Alice");
    private static readonly ChatUser Bob = new("webchat", "bob", "Bob");

    [Fact]
    public void HashCommands_SaveReboot_First16HexOfSha256OverTheLines()
    {
        // python3 -c "import hashlib; print(hashlib.sha256(b'save\nreboot\n').hexdigest()[:16])"
        Assert.Equal("fbe7072834268c1a", ClickTarget.HashCommands(["save", "reboot"]));
        Assert.NotEqual(ClickTarget.HashCommands(["save", "reboot"]), ClickTarget.HashCommands(["reboot", "save"]));
        Assert.NotEqual(ClickTarget.HashCommands(["save reboot"]), ClickTarget.HashCommands(["save", "reboot"]));
    }

    [Fact]
    public void Matches_OnlyTheNamedRequestWithItsExactCommands()
    {
        var reboot = Request(["save", "reboot"]);
        var other = Request(["save", "reboot"]);
        var hash = ClickTarget.HashCommands(reboot.Commands);

        Assert.True(new ClickTarget(reboot.Id.Value, hash).Matches(reboot));
        Assert.False(new ClickTarget(reboot.Id.Value, hash).Matches(other));
        Assert.False(new ClickTarget(reboot.Id.Value, ClickTarget.HashCommands(["reboot"])).Matches(reboot));
        Assert.False(new ClickTarget(reboot.Id.Value, null).Matches(reboot));
        Assert.False(ClickTarget.None.Matches(reboot));
    }

    [Fact]
    public void Cancelled_IsFinalAndAClickOnItIsRefusedWithTheReason()
    {
        var cancelled = Request(["reboot"]) with
        {
            State = RemediationRequestState.Cancelled,
            ResultSummary = "sw-access-12 was fixed by INC-20261124-AAAA",
        };

        var d = ApprovalStateMachine.Decide(cancelled, ClickVerb.Approve, Bob, clickerIsApprover: true, T0.AddMinutes(1));

        Assert.True(cancelled.IsFinal);
        Assert.Equal((ClickOutcome.RefusedClosed, false), (d.Outcome, d.Changed));
        Assert.Contains("already cancelled (sw-access-12 was fixed by INC-20261124-AAAA)", d.Message, StringComparison.Ordinal);
        Assert.True(new ClickDecision(ClickOutcome.RefusedMismatch, "x", cancelled, ClickVerb.Approve, Bob).Refused);
    }

    private static RemediationRequest Request(IReadOnlyList<string> commands)
    {
        var plan = new RemediationPlan("listener-stuck.reboot", SshUnreachableCauses.Healthy, "reboot", [.. commands.Select(c => CommandTemplate.Parse(c).Render())], RemediationKind.Reboot, ApprovalPolicy.For(RemediationKind.Reboot));
        return RemediationRequest.Create(IncidentId.New(), DeviceName.Parse("sw-access-12"), plan, ["listener-stuck"], T0.AddMinutes(-1), Alice, new ChatChannel("webchat", "netops", null), T0, new ApprovalOptions());
    }
}
