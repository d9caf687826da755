using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Core.Tests.Fakes;

namespace NetOpsBot.Core.Tests.Approvals;

/// <summary>
/// Issue 16 seam 5: RemediationService.RequestAsync with in-memory stores and a fake clock. A request binds exactly
/// the commands the latest diagnosis offers and the button showed; anything else (an old card, a manual fix, a
/// second request, another conversation) changes nothing; an unapproved request expires on the clock.
/// </summary>
public sealed class RemediationServiceRequestTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);
    private static readonly ChatChannel Channel = new("webchat", "netops", "thread-1");
    private static readonly ChatUser Alice = new("webchat", "alice", "Alice");
    private static readonly ChatUser Bob = new("webchat", "bob", "Bob");

    private static readonly VerdictPlan RoutePlan = new("return-route-missing.default-route", "return-route-missing", "Add a default route via 10.12.0.1", "Config",
        ["system-view", "ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", "return"], true, 1, []);

    private static readonly VerdictPlan ManualPlan = new("device-down.console", "device-down", "Check the device on its console", "Manual", [], false, 0, ["Walk to the rack"]);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly InMemoryIncidentStore _incidents = new();
    private readonly InMemoryRemediationRequestStore _requests = new();
    private readonly RemediationService _service;

    public RemediationServiceRequestTests()
    {
        var approvals = new ApprovalOptions();
        var people = new Dictionary<string, PersonOptions>
        {
            ["alice"] = new() { DisplayName = "Alice", Approver = true, WebChat = ["alice"] },
            ["bob"] = new() { DisplayName = "Bob", Approver = true, WebChat = ["bob"] },
        };
        var incidents = new IncidentService(_incidents, new RecordingRunner(), new NoNotifier(), _time, new IncidentServiceOptions { InstanceId = "test" });
        _service = new RemediationService(_requests, _incidents, new ListInventory("sw-access-12"), incidents, new NoExecutor(), approvals,
            new ExecutionOptions(), _time, "test", new PeopleDirectory(people, approvals));
    }

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    public async Task Request_ShownCommandsMatchTheLatestDiagnosis_StoredPendingWithAnExpiry_IncidentAwaitsApproval()
    {
        var incident = await DiagnosedAsync();
        _time.Advance(TimeSpan.FromSeconds(30));

        var reply = await _service.RequestAsync(incident.Id, RoutePlan.Id, Shown(RoutePlan.Commands), Alice, Channel, CancellationToken.None);

        Assert.True(reply.Accepted);
        var request = Assert.Single(await _requests.ListForIncidentAsync(incident.Id, CancellationToken.None));
        Assert.Equal((RemediationRequestState.Pending, 1, "alice"), (request.State, request.ApproversRequired, request.Requester.UserId));
        Assert.Equal(RoutePlan.Commands, request.Commands);
        Assert.Equal(T0.AddSeconds(30), request.CreatedAt);
        Assert.True(request.ExpiresAt > request.CreatedAt);
        Assert.Equal(IncidentState.AwaitingApproval, (await _incidents.GetAsync(incident.Id, CancellationToken.None))!.State);
        var requested = Assert.Single(await TimelineAsync(incident), e => e.Event is FixRequestedEvent);
        Assert.Equal(request.ExpiresAt, ((FixRequestedEvent)requested.Event).ExpiresAt);
    }

    [Fact]
    public async Task Request_ButtonShowedOtherCommands_RefusedNothingStored()
    {
        var incident = await DiagnosedAsync();

        // An old or altered card: one command differs from what the latest diagnosis offers.
        var reply = await _service.RequestAsync(incident.Id, RoutePlan.Id, Shown(["system-view", "ip route-static 0.0.0.0 0.0.0.0 10.66.0.1", "return"]), Alice, Channel, CancellationToken.None);

        Assert.False(reply.Accepted);
        Assert.Contains("does not show the commands the latest diagnosis", reply.Message, StringComparison.Ordinal);
        Assert.Empty(await _requests.ListForIncidentAsync(incident.Id, CancellationToken.None));
        Assert.Equal(IncidentState.Diagnosed, (await _incidents.GetAsync(incident.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Request_APlanTheDiagnosisDidNotOffer_OrAManualOne_Refused()
    {
        var incident = await DiagnosedAsync();

        var unknown = await _service.RequestAsync(incident.Id, "listener-stuck.reboot", Shown(["save", "reboot"]), Alice, Channel, CancellationToken.None);
        var manual = await _service.RequestAsync(incident.Id, ManualPlan.Id, Shown([]), Alice, Channel, CancellationToken.None);

        Assert.False(unknown.Accepted);
        Assert.Contains("offers no fix 'listener-stuck.reboot'", Text(unknown), StringComparison.Ordinal);
        Assert.False(manual.Accepted);
        Assert.Contains("is a manual fix", Text(manual), StringComparison.Ordinal);
        Assert.Empty(await _requests.ListForIncidentAsync(incident.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Request_Twice_SecondIsRefusedNamingTheOpenRequest()
    {
        var incident = await DiagnosedAsync();
        await _service.RequestAsync(incident.Id, RoutePlan.Id, Shown(RoutePlan.Commands), Alice, Channel, CancellationToken.None);

        var again = await _service.RequestAsync(incident.Id, RoutePlan.Id, Shown(RoutePlan.Commands), Bob, Channel, CancellationToken.None);

        var open = Assert.Single(await _requests.ListForIncidentAsync(incident.Id, CancellationToken.None));
        Assert.False(again.Accepted);
        Assert.Contains($"{open.Id.Value} for this fix was already requested by Alice", Text(again), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_FromAnotherConversation_RefusedAndNotedOnTheIncident()
    {
        var incident = await DiagnosedAsync();

        var reply = await _service.RequestAsync(incident.Id, RoutePlan.Id, Shown(RoutePlan.Commands), Alice, new ChatChannel("slack", "C123", null), CancellationToken.None);

        Assert.False(reply.Accepted);
        Assert.Empty(await _requests.ListForIncidentAsync(incident.Id, CancellationToken.None));
        Assert.Single(await TimelineAsync(incident), e => e.Event is RequestRefusedEvent);
    }

    [Fact]
    public async Task Request_NotApprovedInTime_ExpiresOnTheClock_ThenAnApprovalIsRefused()
    {
        var incident = await DiagnosedAsync();
        await _service.RequestAsync(incident.Id, RoutePlan.Id, Shown(RoutePlan.Commands), Alice, Channel, CancellationToken.None);
        var request = Assert.Single(await _requests.ListForIncidentAsync(incident.Id, CancellationToken.None));

        _time.Advance(request.ExpiresAt - T0 - TimeSpan.FromSeconds(1));
        var stillOpen = await _requests.ExpireAsync(_time.GetUtcNow(), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));
        var late = await _service.ClickAsync(incident.Id, RoutePlan.Id, new ClickTarget(request.Id.Value, ClickTarget.HashCommands(request.Commands)), ClickVerb.Approve, Bob, Channel, CancellationToken.None);

        Assert.Empty(stillOpen);
        Assert.False(late.Accepted);
        Assert.Contains("expired", Text(late), StringComparison.Ordinal);
        Assert.Equal(RemediationRequestState.Expired, (await _requests.GetAsync(request.Id, CancellationToken.None))!.State);
    }

    private static ClickTarget Shown(IReadOnlyList<string> commands) => new(null, ClickTarget.HashCommands(commands));

    private static string Text(ActionReply reply) => reply.Message;

    private async Task<Incident> DiagnosedAsync()
    {
        var incident = Incident.Open(DeviceName.Parse("sw-access-12"), Alice, Channel, T0) with { State = IncidentState.Diagnosed };
        await _incidents.CreateAsync(incident, new TimelineEventDraft(TimelineEventKind.Requested, Alice.ToString(), "Alice asked", null, T0), incident.Id.Value, CancellationToken.None);
        var verdict = new VerdictEvent(
            [new VerdictCause("return-route-missing", "No route back to the management subnet", "no route", "routing.no-return-route", "High", ["no default route"])],
            [RoutePlan, ManualPlan]);
        await _incidents.AppendAsync(incident.Id, new TimelineEventDraft(verdict.StoredAs, "netopsbot", "Verdict: return-route-missing", IncidentEvents.Serialize(verdict), T0), CancellationToken.None);
        return incident;
    }

    private async Task<IReadOnlyList<StoryEvent>> TimelineAsync(Incident incident) =>
        [.. (await _incidents.TimelineAsync(incident.Id, 0, CancellationToken.None)).Select(row => new StoryEvent(row, IncidentEvents.Read(row)))];

    private sealed class NoExecutor : IRemediationExecutor
    {
        public Task<ExecutionResult> ExecuteAsync(DeviceRef device, RemediationPlan plan, ExecutionOptions options, IExecutionObserver observer, CancellationToken cancellationToken) =>
            throw new NotSupportedException("no execution in these tests");

        public Task<IReadOnlyList<string>> UnsavedChangesAsync(DeviceRef device, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

        public Task<RecoveryResult> WatchRecoveryAsync(DeviceRef device, ExecutionOptions options, IExecutionObserver observer, CancellationToken cancellationToken) =>
            throw new NotSupportedException("no execution in these tests");
    }
}
