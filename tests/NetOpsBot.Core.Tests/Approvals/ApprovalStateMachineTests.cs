using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Core.Tests.Approvals;

public sealed class ApprovalStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly ChatUser A = new("webchat", "alice", "Alice");
    private static readonly ChatUser B = new("webchat", "bob", "Bob");
    private static readonly ChatUser C = new("webchat", "carol", "Carol");
    private static readonly ChatUser Mallory = new("webchat", "mallory", "Mallory");

    [Fact]
    public void Decide_RebootScenario_NeedsTwoDistinctApproversNeverTheRequester()
    {
        var r = Request(RemediationKind.Reboot);

        var self = Click(r, ClickVerb.Approve, A);
        var first = Click(self.Request, ClickVerb.Approve, B);
        var again = Click(first.Request, ClickVerb.Approve, B);
        var second = Click(again.Request, ClickVerb.Approve, C);

        Assert.Equal(ClickOutcome.RefusedSelfApproval, self.Outcome);
        Assert.False(self.Changed);
        Assert.Contains("cannot approve your own request", self.Message, StringComparison.Ordinal);
        Assert.Equal((ClickOutcome.Accepted, RemediationRequestState.Pending, 1), (first.Outcome, first.Request.State, first.Request.Approvals.Count));
        Assert.Contains("1 of 2", first.Message, StringComparison.Ordinal);
        Assert.Equal((ClickOutcome.Duplicate, false, 1), (again.Outcome, again.Changed, again.Request.Approvals.Count));
        Assert.Equal((ClickOutcome.ApprovedComplete, RemediationRequestState.Approved), (second.Outcome, second.Request.State));
        Assert.Equal(["bob", "carol"], second.Request.Approvals.Select(a => a.Approver.UserId));
    }

    [Fact]
    public void Decide_RequesterInApproverGroup_SelfApprovalStillRefused()
    {
        var d = ApprovalStateMachine.Decide(Request(RemediationKind.Config), ClickVerb.Approve, A, clickerIsApprover: true, T0);
        Assert.Equal((ClickOutcome.RefusedSelfApproval, RemediationRequestState.Pending), (d.Outcome, d.Request.State));
    }

    [Fact]
    public void Decide_ConfigOneNonRequesterApproval_ApprovedComplete()
    {
        var d = Click(Request(RemediationKind.Config), ClickVerb.Approve, B);
        Assert.Equal((ClickOutcome.ApprovedComplete, RemediationRequestState.Approved), (d.Outcome, d.Request.State));
    }

    [Fact]
    public void Decide_ConfigPolicyOfTwo_NeedsTwo()
    {
        var r = Request(RemediationKind.Config, configApprovers: 2);
        var first = Click(r, ClickVerb.Approve, B);
        Assert.Equal((ClickOutcome.Accepted, 2), (first.Outcome, r.ApproversRequired));
        Assert.Equal(ClickOutcome.ApprovedComplete, Click(first.Request, ClickVerb.Approve, C).Outcome);
    }

    [Fact]
    public void Decide_SameApproverTwice_CountedOnce()
    {
        var first = Click(Request(RemediationKind.Reboot), ClickVerb.Approve, B);
        var twice = Click(first.Request, ClickVerb.Approve, new ChatUser("webchat", "bob", "Bob (renamed)"));
        Assert.Equal((ClickOutcome.Duplicate, 1, RemediationRequestState.Pending), (twice.Outcome, twice.Request.Approvals.Count, twice.Request.State));
    }

    [Fact]
    public void Decide_RejectByAnyApprover_EndsRequest()
    {
        var first = Click(Request(RemediationKind.Reboot), ClickVerb.Approve, B);
        var reject = Click(first.Request, ClickVerb.Reject, C);
        var late = Click(reject.Request, ClickVerb.Approve, Mallory, isApprover: true);

        Assert.Equal((ClickOutcome.Rejected, RemediationRequestState.Rejected, "carol"), (reject.Outcome, reject.Request.State, reject.Request.RejectedBy?.Approver.UserId));
        Assert.Equal((ClickOutcome.RefusedClosed, false), (late.Outcome, late.Changed));
        Assert.Contains("rejected by Carol", late.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NonApprover_RefusedForApproveAndReject()
    {
        var r = Request(RemediationKind.Reboot);
        var approve = Click(r, ClickVerb.Approve, Mallory, isApprover: false);
        var reject = Click(r, ClickVerb.Reject, Mallory, isApprover: false);
        Assert.Equal((ClickOutcome.RefusedNotApprover, false), (approve.Outcome, approve.Changed));
        Assert.Equal((ClickOutcome.RefusedNotApprover, RemediationRequestState.Pending), (reject.Outcome, reject.Request.State));
        Assert.Contains("not in the approver group", approve.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AfterExpiry_RefusedAndRequestExpires()
    {
        var r = Request(RemediationKind.Reboot);
        Assert.Equal(T0.AddMinutes(15), r.ExpiresAt);

        var justBefore = ApprovalStateMachine.Decide(r, ClickVerb.Approve, B, true, r.ExpiresAt.AddTicks(-1));
        var atExpiry = ApprovalStateMachine.Decide(r, ClickVerb.Approve, B, true, r.ExpiresAt);
        var after = ApprovalStateMachine.Decide(atExpiry.Request, ClickVerb.Reject, C, true, r.ExpiresAt.AddMinutes(1));

        Assert.Equal(ClickOutcome.Accepted, justBefore.Outcome);
        Assert.Equal((ClickOutcome.RefusedExpired, RemediationRequestState.Expired, true), (atExpiry.Outcome, atExpiry.Request.State, atExpiry.Changed));
        Assert.Equal((ClickOutcome.RefusedExpired, false), (after.Outcome, after.Changed));
    }

    [Theory]
    [InlineData(RemediationRequestState.Approved)]
    [InlineData(RemediationRequestState.Executing)]
    [InlineData(RemediationRequestState.Executed)]
    [InlineData(RemediationRequestState.Failed)]
    [InlineData(RemediationRequestState.Interrupted)]
    public void Decide_ClosedRequest_RefusesFurtherClicks(RemediationRequestState state)
    {
        var r = Request(RemediationKind.Reboot) with { State = state };
        Assert.All(
            new[] { Click(r, ClickVerb.Approve, C), Click(r, ClickVerb.Reject, C) },
            d => Assert.Equal((ClickOutcome.RefusedClosed, false, state), (d.Outcome, d.Changed, d.Request.State)));
    }

    [Fact]
    public void NeedsRecheck_DiagnosisOlderThanMaxAge_True()
    {
        var r = Request(RemediationKind.Reboot);
        var max = TimeSpan.FromMinutes(10);
        Assert.False(ApprovalStateMachine.NeedsRecheck(r, r.DiagnosisAt + max, max));
        Assert.True(ApprovalStateMachine.NeedsRecheck(r, r.DiagnosisAt + max + TimeSpan.FromSeconds(1), max));
    }

    [Fact]
    public void EvidenceChanged_SameCodesAnyOrderSameCommands_False() =>
        Assert.False(ApprovalStateMachine.EvidenceChanged(["a", "b"], ["b", "a"], ["reboot"], ["reboot"]));

    [Fact]
    public void EvidenceChanged_DifferentCodes_True() =>
        Assert.True(ApprovalStateMachine.EvidenceChanged(["return-route-missing", "listener-stuck"], ["listener-stuck"], ["reboot"], ["reboot"]));

    [Fact]
    public void EvidenceChanged_DifferentOrReorderedCommands_True()
    {
        Assert.True(ApprovalStateMachine.EvidenceChanged(["a"], ["a"], ["ip route-static 0.0.0.0 0.0.0.0 10.0.0.1"], ["ip route-static 0.0.0.0 0.0.0.0 10.0.0.2"]));
        Assert.True(ApprovalStateMachine.EvidenceChanged(["a"], ["a"], ["x", "y"], ["y", "x"]));
    }

    [Fact]
    public void Create_RebootPlanWithPolicyOfOne_StillNeedsTwoAndBindsCommandText()
    {
        var plan = Plan(RemediationKind.Reboot) with { Approval = new ApprovalPolicy(1) };
        var r = RemediationRequest.Create(IncidentId.New(), DeviceName.Parse("sw-access-12"), plan, ["listener-stuck"], T0.AddMinutes(-2), A, Channel, T0, new ApprovalOptions());
        Assert.Equal((2, true, RemediationRequestState.Pending), (r.ApproversRequired, r.SaveBeforeReboot, r.State));
        Assert.Equal(["reboot"], r.Commands);
        Assert.StartsWith(RemediationRequestId.Prefix, r.Id.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ManualPlan_Throws() =>
        Assert.Throws<ArgumentException>(() => RemediationRequest.Create(
            IncidentId.New(), DeviceName.Parse("sw-access-12"), Plan(RemediationKind.Manual), [], T0, A, Channel, T0, new ApprovalOptions()));

    [Fact]
    public void Decide_OnePersonOnTwoAccounts_CountsOnce_RebootStillNeedsAnotherPerson()
    {
        var r = Request(RemediationKind.Reboot);
        var bobOnSlack = new ChatUser("slack", "U0BOB", "Bob (Slack)");
        var first = ApprovalStateMachine.Decide(r, ClickVerb.Approve, As(B, "bob"), T0.AddMinutes(1));
        var second = ApprovalStateMachine.Decide(first.Request, ClickVerb.Approve, As(bobOnSlack, "bob"), T0.AddMinutes(1));

        Assert.Equal((ClickOutcome.Accepted, "bob"), (first.Outcome, first.Request.Approvals.Single().PersonId));
        Assert.Equal((ClickOutcome.Duplicate, false, RemediationRequestState.Pending), (second.Outcome, second.Changed, second.Request.State));
        Assert.Contains("already approved", second.Message, StringComparison.Ordinal);
        Assert.Contains("as webchat:bob, and one person counts once", second.Message, StringComparison.Ordinal);
        Assert.Equal(ClickOutcome.ApprovedComplete, ApprovalStateMachine.Decide(second.Request, ClickVerb.Approve, As(C, "carol"), T0.AddMinutes(1)).Outcome);
    }

    [Fact]
    public void Decide_RequestersOtherAccount_CannotApprove()
    {
        var aliceOnTeams = new ChatUser("teams", "a1a1a1a1-0000-4000-8000-000000000001", "Alice (Teams)");
        var d = ApprovalStateMachine.Decide(Request(RemediationKind.Config), ClickVerb.Approve, As(aliceOnTeams, "alice"), T0.AddMinutes(1));
        Assert.Equal((ClickOutcome.RefusedSelfApproval, false), (d.Outcome, d.Changed));
        Assert.Contains("another account of yours does not make another approver", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("slack", "netops")]
    [InlineData("webchat", "other-channel")]
    [InlineData("WEBCHAT", "NETOPS")]
    public void Decide_ClickFromAnotherPlatformOrConversation_RefusedAndChangesNothing(string platform, string channelId)
    {
        var r = Request(RemediationKind.Config);
        foreach (var verb in new[] { ClickVerb.Approve, ClickVerb.Reject })
        {
            var d = ApprovalStateMachine.Decide(r, verb, As(B, "bob") with { Channel = new ChatChannel(platform, channelId, null) }, T0.AddMinutes(1));
            Assert.Equal((ClickOutcome.RefusedOtherConversation, false, true), (d.Outcome, d.Changed, d.Refused));
            Assert.Same(r, d.Request);
            Assert.Contains("only clicks there count", d.Message, StringComparison.Ordinal);
        }

        // Not even the expiry a click would otherwise record.
        var late = ApprovalStateMachine.Decide(r, ClickVerb.Approve, As(B, "bob") with { Channel = new ChatChannel(platform, channelId, null) }, r.ExpiresAt.AddMinutes(1));
        Assert.Equal((ClickOutcome.RefusedOtherConversation, false), (late.Outcome, late.Changed));

        // Another thread of the same conversation is the same place.
        var sameChannel = ApprovalStateMachine.Decide(r, ClickVerb.Approve, As(B, "bob") with { Channel = new ChatChannel("webchat", "netops", "another-thread") }, T0.AddMinutes(1));
        Assert.Equal(ClickOutcome.ApprovedComplete, sameChannel.Outcome);
    }

    [Fact]
    public async Task ResolveAsync_AccountOfNoPerson_IsNotAnApprover_EvenWhenListed()
    {
        var people = new PeopleDirectory(new Dictionary<string, PersonOptions>
        {
            ["alice"] = new() { WebChat = ["alice"] },
            ["bob"] = new() { Approver = true, WebChat = ["bob"], Slack = ["U0BOB"] },
        }, new ApprovalOptions());
        var stranger = await ClickContext.ResolveAsync(people, new ChatUser("slack", "U0EVE", "Eve"), Channel, A, CancellationToken.None);
        var bob = await ClickContext.ResolveAsync(people, new ChatUser("slack", "U0BOB", "Bob"), Channel, A, CancellationToken.None);

        Assert.Equal((null, false, "alice"), (stranger.ClickerPersonId, stranger.ClickerIsApprover, stranger.RequesterPersonId));
        Assert.Equal((ClickOutcome.RefusedNotApprover, false), (ApprovalStateMachine.Decide(Request(RemediationKind.Config), ClickVerb.Approve, stranger, T0.AddMinutes(1)) is var d ? (d.Outcome, d.Changed) : default));
        Assert.Equal(("bob", true), (bob.ClickerPersonId, bob.ClickerIsApprover));
    }

    [Fact]
    public void RemediationRequestId_TryParse_LowerCaseAcceptedAndBadRejected()
    {
        var id = RemediationRequestId.New();
        Assert.True(RemediationRequestId.TryParse(id.Value.ToLowerInvariant(), out var parsed, out _));
        Assert.Equal(id, parsed);
        Assert.False(RemediationRequestId.TryParse("REQ-ILOU0000", out _, out var reason));
        Assert.Contains("except I, L, O, U", reason, StringComparison.Ordinal);
    }

    private static ChatChannel Channel => new("webchat", "netops", "thread-1");

    private static ClickContext As(ChatUser who, string personId) =>
        new(who, Channel) { ClickerPersonId = personId, ClickerIsApprover = true, RequesterPersonId = "alice" };

    private static ClickDecision Click(RemediationRequest r, ClickVerb verb, ChatUser who, bool isApprover = true) =>
        ApprovalStateMachine.Decide(r, verb, who, isApprover, T0.AddMinutes(1));

    private static RemediationPlan Plan(RemediationKind kind, int configApprovers = 1)
    {
        var command = kind == RemediationKind.Reboot
            ? CommandTemplate.Parse("reboot").Render()
            : CommandTemplate.Parse("ip route-static 0.0.0.0 0.0.0.0 {gw:ipv4}").TryRender(new Dictionary<string, string> { ["gw"] = "10.0.0.1" }).Command!;
        return new RemediationPlan($"{kind}-1".ToLowerInvariant(), SshUnreachableCauses.Healthy, "fix", [command], kind, ApprovalPolicy.For(kind, configApprovers));
    }

    private static RemediationRequest Request(RemediationKind kind, int configApprovers = 1) =>
        RemediationRequest.Create(IncidentId.New(), DeviceName.Parse("sw-access-12"), Plan(kind, configApprovers), ["listener-stuck"], T0.AddMinutes(-1), A, Channel, T0, new ApprovalOptions());
}
