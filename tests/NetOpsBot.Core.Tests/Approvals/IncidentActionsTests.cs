using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Core.Tests.Fakes;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Core.Tests.Approvals;

/// <summary>
/// Issue 16 seam 3 / issue 17: the one channel-neutral click handler, with in-memory stores and a fake clock. What a
/// click tells the channel (a timeline line every surface posts) is kept apart from what it tells the clicker alone;
/// a double-click storm puts no line per click into the thread; the requester withdraws, approvers reject.
/// </summary>
public sealed class IncidentActionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);
    private static readonly ChatChannel Channel = new("webchat", "netops", "thread-1");
    private static readonly ChatUser Alice = new("webchat", "alice", "Alice");
    private static readonly ChatUser Bob = new("webchat", "bob", "Bob");
    private static readonly ChatUser Carol = new("webchat", "carol", "Carol");
    private static readonly ChatUser Mallory = new("webchat", "mallory", "Mallory");

    private readonly FakeTimeProvider _time = new(T0);
    private readonly InMemoryIncidentStore _incidents = new();
    private readonly InMemoryRemediationRequestStore _requests = new();
    private readonly IncidentActions _actions;

    public IncidentActionsTests()
    {
        // Alice, Bob and Carol approve; Mallory's account belongs to nobody (so she cannot).
        var approvals = new ApprovalOptions();
        var people = new Dictionary<string, PersonOptions>
        {
            ["alice"] = new() { DisplayName = "Alice", Approver = true, WebChat = ["alice"] },
            ["bob"] = new() { DisplayName = "Bob", Approver = true, WebChat = ["bob"] },
            ["carol"] = new() { DisplayName = "Carol", Approver = true, WebChat = ["carol"] },
        };
        var service = new IncidentService(_incidents, new RecordingRunner(), new NoNotifier(), _time, new IncidentServiceOptions { InstanceId = "test" });
        var remediation = new RemediationService(_requests, _incidents, new ListInventory("sw-access-12"), service, new NoExecutor(), approvals,
            new ExecutionOptions(), _time, "test", new PeopleDirectory(people, approvals));
        _actions = new IncidentActions(remediation);
    }

    [Fact]
    public async Task DoubleClickStorm_EachRepeatIsTheClickersAlone_TheThreadGetsOneApprovalLine()
    {
        var (incident, request) = await RebootRequestedByAliceAsync();

        var first = await _actions.HandleAsync(Click(IncidentVerb.Approve, incident, request, Bob), CancellationToken.None);
        var storm = new List<ActionReply>();
        for (var i = 0; i < 9; i++)
        {
            storm.Add(await _actions.HandleAsync(Click(IncidentVerb.Approve, incident, request, Bob), CancellationToken.None));
        }

        // The approval that counted is the channel's; each repeat is Bob's alone (and says it counted once).
        Assert.True(first.Accepted);
        Assert.Null(first.ToClicker);
        Assert.Contains("(1 of 2 approvals)", first.ToChannel, StringComparison.Ordinal);
        Assert.All(storm, r =>
        {
            Assert.True(r.ClickerOnly);
            Assert.Null(r.ToChannel);
            Assert.Contains("a second click counts once (1 of 2 approvals)", r.ToClicker, StringComparison.Ordinal);
        });

        var lines = await LinesAsync(incident);
        Assert.Single(lines, l => l.Kind == TimelineEventKind.ApprovalGranted);
        Assert.DoesNotContain(lines, l => l.Summary.Contains("already approved", StringComparison.Ordinal) || l.Summary.Contains("counts once", StringComparison.Ordinal));

        // The audit still has every click: one approval and nine duplicates, all by Bob.
        var bobs = _requests.Audit.Where(a => a.Actor.UserId == "bob").ToList();
        Assert.Equal(10, bobs.Count);
        Assert.Equal(9, bobs.Count(a => a.Outcome == nameof(ClickOutcome.Duplicate)));
        Assert.Single((await _requests.GetAsync(request.Id, CancellationToken.None))!.Approvals);
    }

    [Fact]
    public async Task RequesterApprove_RefusedAndToldPrivately_TwoPersonRuleUnchanged()
    {
        var (incident, request) = await RebootRequestedByAliceAsync();

        var self = await _actions.HandleAsync(Click(IncidentVerb.Approve, incident, request, Alice), CancellationToken.None);
        var bob = await _actions.HandleAsync(Click(IncidentVerb.Approve, incident, request, Bob), CancellationToken.None);
        var mallory = await _actions.HandleAsync(Click(IncidentVerb.Approve, incident, request, Mallory), CancellationToken.None);

        Assert.False(self.Accepted);
        Assert.Contains("cannot approve your own request", self.ToClicker, StringComparison.Ordinal);
        Assert.False(mallory.Accepted);
        Assert.Contains("is not in the approver group", mallory.ToClicker, StringComparison.Ordinal);
        var stored = await _requests.GetAsync(request.Id, CancellationToken.None);
        Assert.Equal((RemediationRequestState.Pending, 1), (stored!.State, stored.Approvals.Count));
        Assert.True(bob.Accepted);
    }

    [Fact]
    public async Task Withdraw_ByRequester_CancelsAudited_OnTheTimelineAsACancellation_LaterClicksClickerOnly()
    {
        var (incident, request) = await RebootRequestedByAliceAsync();
        await _actions.HandleAsync(Click(IncidentVerb.Approve, incident, request, Bob), CancellationToken.None);

        var withdrawn = await _actions.HandleAsync(Click(IncidentVerb.Withdraw, incident, request, Alice), CancellationToken.None);

        Assert.True(withdrawn.Accepted);
        Assert.Contains("Alice withdrew the reboot of sw-access-12", withdrawn.ToChannel, StringComparison.Ordinal);
        var stored = await _requests.GetAsync(request.Id, CancellationToken.None);
        Assert.Equal(RemediationRequestState.Cancelled, stored!.State);
        Assert.Equal("withdrawn by Alice", stored.ResultSummary);
        var audit = Assert.Single(_requests.Audit, a => a.Action == RemediationAuditAction.Cancelled);
        Assert.Equal(("alice", nameof(ClickOutcome.Withdrawn)), (audit.Actor.UserId, audit.Outcome));

        var lines = await LinesAsync(incident);
        var cancelled = Assert.Single(lines, l => IncidentEvents.Read(l) is FixCancelledEvent);
        Assert.Equal(Alice.ToString(), cancelled.Actor);
        Assert.Equal("withdrawn by Alice", ((FixCancelledEvent)IncidentEvents.Read(cancelled)).Reason);
        Assert.Equal(IncidentState.Diagnosed, (await _incidents.GetAsync(incident.Id, CancellationToken.None))!.State);

        // Carol's approval arrives late: the request is closed, Carol alone is told, the thread gets nothing.
        var count = lines.Count;
        var late = await _actions.HandleAsync(Click(IncidentVerb.Approve, incident, request, Carol), CancellationToken.None);
        Assert.True(late.ClickerOnly);
        Assert.Contains("is already cancelled (withdrawn by Alice)", late.ToClicker, StringComparison.Ordinal);
        Assert.Equal(count, (await LinesAsync(incident)).Count);
    }

    [Fact]
    public async Task Withdraw_ByAnApproverWhoIsNotTheRequester_RefusedPrivately_RejectIsTheirs()
    {
        var (incident, request) = await RebootRequestedByAliceAsync();

        var bobWithdraws = await _actions.HandleAsync(Click(IncidentVerb.Withdraw, incident, request, Bob), CancellationToken.None);

        Assert.False(bobWithdraws.Accepted);
        Assert.True(bobWithdraws.ClickerOnly);
        Assert.Contains("only Alice, who requested", bobWithdraws.ToClicker, StringComparison.Ordinal);
        Assert.Equal(RemediationRequestState.Pending, (await _requests.GetAsync(request.Id, CancellationToken.None))!.State);
        Assert.DoesNotContain(await LinesAsync(incident), l => l.Summary.Contains("withdraw", StringComparison.OrdinalIgnoreCase));

        var rejected = await _actions.HandleAsync(Click(IncidentVerb.Reject, incident, request, Bob), CancellationToken.None);
        Assert.True(rejected.Accepted);
        Assert.Equal(RemediationRequestState.Rejected, (await _requests.GetAsync(request.Id, CancellationToken.None))!.State);
        Assert.Single(await LinesAsync(incident), l => l.Kind == TimelineEventKind.ApprovalRejected);
    }

    [Fact]
    public async Task Withdraw_AfterExpiry_NothingLeftToWithdraw()
    {
        var (incident, request) = await RebootRequestedByAliceAsync();
        _time.Advance(TimeSpan.FromMinutes(16));

        var late = await _actions.HandleAsync(Click(IncidentVerb.Withdraw, incident, request, Alice), CancellationToken.None);

        Assert.False(late.Accepted);
        Assert.Contains("expired", late.ToClicker, StringComparison.Ordinal);
        Assert.Equal(RemediationRequestState.Expired, (await _requests.GetAsync(request.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Withdraw_FromAnotherConversation_ChangesNothing()
    {
        var (incident, request) = await RebootRequestedByAliceAsync();
        var elsewhere = Click(IncidentVerb.Withdraw, incident, request, Alice) with { Channel = new ChatChannel("webchat", "other-room", null) };

        var reply = await _actions.HandleAsync(elsewhere, CancellationToken.None);

        Assert.False(reply.Accepted);
        Assert.Equal(RemediationRequestState.Pending, (await _requests.GetAsync(request.Id, CancellationToken.None))!.State);
    }

    private static IncidentClick Click(IncidentVerb verb, Incident incident, RemediationRequest request, ChatUser who) =>
        new(verb, incident.Id, request.PlanId, new ClickTarget(request.Id.Value, ClickTarget.HashCommands(request.Commands)), who, Channel);

    private async Task<(Incident Incident, RemediationRequest Request)> RebootRequestedByAliceAsync()
    {
        var incident = Incident.Open(DeviceName.Parse("sw-access-12"), Alice, Channel, T0) with { State = IncidentState.AwaitingApproval };
        await _incidents.CreateAsync(incident, new TimelineEventDraft(TimelineEventKind.Requested, Alice.ToString(), "Alice asked", null, T0), incident.Id.Value, CancellationToken.None);
        var plan = new RemediationPlan("listener-stuck.reboot", SshUnreachableCauses.Healthy, "Save and reboot", [CommandTemplate.Parse("reboot").Render()], RemediationKind.Reboot, ApprovalPolicy.For(RemediationKind.Reboot, 1));
        var request = await _requests.CreateAsync(
            RemediationRequest.Create(incident.Id, incident.Device, plan, ["listener-stuck"], T0, Alice, Channel, T0, new ApprovalOptions()), CancellationToken.None);
        return (incident, request);
    }

    private async Task<IReadOnlyList<TimelineEvent>> LinesAsync(Incident incident) =>
        await _incidents.TimelineAsync(incident.Id, 0, CancellationToken.None);

    private sealed class NoExecutor : IRemediationExecutor
    {
        public Task<ExecutionResult> ExecuteAsync(DeviceRef device, RemediationPlan plan, ExecutionOptions options, IExecutionObserver observer, CancellationToken cancellationToken) =>
            throw new NotSupportedException("no execution in these tests");

        public Task<IReadOnlyList<string>> UnsavedChangesAsync(DeviceRef device, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

        public Task<RecoveryResult> WatchRecoveryAsync(DeviceRef device, ExecutionOptions options, IExecutionObserver observer, CancellationToken cancellationToken) =>
            throw new NotSupportedException("no execution in these tests");
    }
}
