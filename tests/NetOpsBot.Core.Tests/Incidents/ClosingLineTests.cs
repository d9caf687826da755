using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Tests.Fakes;
using NetOpsBot.Core.Tests.Runbooks;

namespace NetOpsBot.Core.Tests.Incidents;

/// <summary>
/// Issue 16: an incident closed by its diagnosis ("no fault found") is stored Resolved together with its closing line,
/// in one store write, so no reader (the API, another replica's card) sees Resolved without the line that says why.
/// </summary>
public sealed class ClosingLineTests
{
    private static readonly ChatUser Alice = new("webchat", "alice", "alice");
    private static readonly ChatChannel Channel = new("webchat", "netops", null);
    private static readonly DeviceRef Device = new(DeviceName.Parse("sw-access-12"), "huawei-vrp", "127.0.1.12", IPAddress.Parse("127.0.1.12"), 22, [], null, "jump", null, "cred");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task HealthyVerdict_NoReaderEverSeesResolvedWithoutTheClosingLine()
    {
        var store = new WatchedStore(new InMemoryIncidentStore());
        var runner = new HealthyRunner();
        await using var service = new IncidentService(store, runner, new NoNotifier(), _time, new IncidentServiceOptions { InstanceId = "test" }, TestRunbooks.With(runner));

        var creation = await service.StartDiagnosisAsync(Device, Alice, Channel, "k1", CancellationToken.None);
        await Task.WhenAll(service.Running);

        var stored = await store.GetAsync(creation.Incident.Id, CancellationToken.None);
        Assert.Equal(IncidentState.Resolved, stored!.State);
        var closing = Assert.Single(await store.TimelineAsync(creation.Incident.Id, 0, CancellationToken.None), e => IncidentEvents.Read(e) is ResolutionEvent);
        Assert.StartsWith("No fault found in ", closing.Summary, StringComparison.Ordinal);
        Assert.Empty(store.Violations);
    }

    [Fact]
    public async Task TransitionWithEvents_LostRace_AppendsNothing()
    {
        var store = new InMemoryIncidentStore();
        var incident = Incident.Open(Device.Name, Alice, Channel, _time.GetUtcNow());
        await store.CreateAsync(incident, new TimelineEventDraft(TimelineEventKind.Requested, "alice", "asked", null, _time.GetUtcNow()), "k1", CancellationToken.None);

        var stored = await store.TransitionWithEventsAsync(incident.Id, new StateTransition(IncidentState.Running, IncidentState.Resolved), [new TimelineEventDraft(TimelineEventKind.Note, "netopsbot", "resolved", null, _time.GetUtcNow())], CancellationToken.None);

        Assert.Null(stored);
        Assert.Single(await store.TimelineAsync(incident.Id, 0, CancellationToken.None));
        Assert.Equal(IncidentState.Open, (await store.GetAsync(incident.Id, CancellationToken.None))!.State);
    }

    /// <summary>After every write, looks as a reader would: a Resolved incident must already hold its resolution line.</summary>
    private sealed class WatchedStore(InMemoryIncidentStore inner) : IIncidentStore
    {
        public List<string> Violations { get; } = [];

        public Task<IncidentCreation> CreateAsync(Incident incident, TimelineEventDraft requested, string idempotencyKey, CancellationToken cancellationToken) => inner.CreateAsync(incident, requested, idempotencyKey, cancellationToken);

        public Task<Incident?> GetAsync(IncidentId id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task<IReadOnlyList<Incident>> ListAsync(PageRequest page, CancellationToken cancellationToken) => inner.ListAsync(page, cancellationToken);

        public async Task<TimelineEvent> AppendAsync(IncidentId id, TimelineEventDraft draft, CancellationToken cancellationToken)
        {
            var e = await inner.AppendAsync(id, draft, cancellationToken);
            await LookAsync(id, "append " + draft.Kind);
            return e;
        }

        public Task<IReadOnlyList<TimelineEvent>> TimelineAsync(IncidentId id, long afterSequence, CancellationToken cancellationToken) => inner.TimelineAsync(id, afterSequence, cancellationToken);

        public async Task<bool> UpdateStateAsync(IncidentId id, StateTransition transition, CancellationToken cancellationToken)
        {
            var moved = await inner.UpdateStateAsync(id, transition, cancellationToken);
            await LookAsync(id, "state " + transition.To);
            return moved;
        }

        public async Task<IReadOnlyList<TimelineEvent>?> TransitionWithEventsAsync(IncidentId id, StateTransition transition, IReadOnlyList<TimelineEventDraft> drafts, CancellationToken cancellationToken)
        {
            var stored = await inner.TransitionWithEventsAsync(id, transition, drafts, cancellationToken);
            await LookAsync(id, "state " + transition.To + " with events");
            return stored;
        }

        public Task<bool> RenewLeaseAsync(IncidentId id, IncidentLease lease, CancellationToken cancellationToken) => inner.RenewLeaseAsync(id, lease, cancellationToken);

        public Task<bool> SetCardMessageAsync(IncidentId id, CardMessageRef card, CancellationToken cancellationToken) => inner.SetCardMessageAsync(id, card, cancellationToken);

        public Task<IReadOnlyList<IncidentId>> MarkInterruptedAsync(InterruptionSweep sweep, CancellationToken cancellationToken) => inner.MarkInterruptedAsync(sweep, cancellationToken);

        private async Task LookAsync(IncidentId id, string write)
        {
            var incident = await inner.GetAsync(id, CancellationToken.None);
            var timeline = await inner.TimelineAsync(id, 0, CancellationToken.None);
            if (incident?.State == IncidentState.Resolved && !timeline.Any(e => IncidentEvents.Read(e) is ResolutionEvent))
            {
                lock (Violations)
                {
                    Violations.Add($"Resolved without its closing line after: {write}");
                }
            }
        }
    }

    private sealed class HealthyRunner : IDiagnosisRunner
    {
        public IReadOnlyList<StepDescriptor> Steps => TestRunbooks.SshDiag.Steps;

        public Task<DiagnosisReport> RunAsync(DeviceRef device, IDiagnosisObserver? observer, CancellationToken cancellationToken) =>
            Task.FromResult(new DiagnosisReport(device, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(3), [], [new RootCauseFinding(NetOpsBot.Runbooks.SshUnreachable.SshUnreachableCauses.Healthy, "healthy", Confidence.High, [])], []));
    }

    private sealed class NoNotifier : IIncidentNotifier
    {
        public Task NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
