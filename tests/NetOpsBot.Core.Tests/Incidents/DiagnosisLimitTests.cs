using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Tests.Runbooks;

namespace NetOpsBot.Core.Tests.Incidents;

/// <summary>
/// Issue 13 item 9: a second /sshdiag on a device that is being diagnosed, or one more than the instance's limit,
/// is refused at once with a clear answer instead of queuing behind channel timeouts.
/// </summary>
public sealed class DiagnosisLimitTests : IAsyncDisposable
{
    private static readonly ChatUser Alice = new("webchat", "alice", "alice");
    private static readonly ChatChannel Channel = new("webchat", "netops", null);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly MemoryStore _store = new();
    private readonly HeldRunner _runner = new();
    private readonly Inventory _inventory = new();
    private IncidentService? _service;

    public async ValueTask DisposeAsync()
    {
        _runner.ReleaseAll();
        if (_service is not null)
        {
            await Task.WhenAll(_service.Running);
            await _service.DisposeAsync();
        }
    }

    [Fact]
    public async Task Diagnose_DeviceAlreadyRunning_JoinsTheRunningIncident_OtherDevicesUnaffected()
    {
        var router = Router(maxConcurrent: 10);

        var first = await router.HandleAsync(Diagnose("sw-access-12", "r1"), CancellationToken.None);
        var second = await router.HandleAsync(Diagnose("sw-access-12", "r2"), CancellationToken.None);
        var other = await router.HandleAsync(Diagnose("sw-access-13", "r3"), CancellationToken.None);

        Assert.True(first.Accepted);
        Assert.True(second.Joined, second.Text);
        Assert.StartsWith($"Already handled: sw-access-12 has an open incident {first.Incident!.Id.Value} (Running,", second.Text, StringComparison.Ordinal);
        Assert.Equal(first.Incident.Id, second.Incident!.Id);
        Assert.True(other.Accepted);
        Assert.Equal(2, _store.Count);
        await WaitUntilAsync(() => _runner.Started("sw-access-12") == 1);

        _runner.Release("sw-access-12");
        await WaitUntilAsync(() => _service!.Running.Count == 1);
        var third = await router.HandleAsync(Diagnose("sw-access-12", "r4"), CancellationToken.None);

        // Diagnosed is still open (its fixes wait for a decision): joined, not run again.
        Assert.True(third.Joined, third.Text);
        Assert.Equal(1, _runner.Started("sw-access-12"));
    }

    [Fact]
    public async Task Diagnose_GlobalLimitReached_RefusedWithTheCountAndTheLimit()
    {
        var router = Router(maxConcurrent: 2);

        var a = await router.HandleAsync(Diagnose("sw-access-11", "a"), CancellationToken.None);
        var b = await router.HandleAsync(Diagnose("sw-access-12", "b"), CancellationToken.None);
        var c = await router.HandleAsync(Diagnose("sw-access-13", "c"), CancellationToken.None);

        Assert.True(a.Accepted && b.Accepted);
        Assert.False(c.Accepted);
        Assert.Equal("2 diagnoses are running (limit 2); try again in a minute.", c.Text);
        Assert.Equal(2, _store.Count);

        _runner.Release("sw-access-11");
        await WaitUntilAsync(() => _service!.Running.Count == 1);
        var d = await router.HandleAsync(Diagnose("sw-access-13", "d"), CancellationToken.None);
        Assert.True(d.Accepted, d.Text);
    }

    [Fact]
    public async Task Diagnose_RetriedDeliveryOfTheRunningRequest_AnswersAlreadyHandledNotARefusal()
    {
        var router = Router(maxConcurrent: 10);

        var first = await router.HandleAsync(Diagnose("sw-access-12", "same"), CancellationToken.None);
        var retried = await router.HandleAsync(Diagnose("sw-access-12", "same"), CancellationToken.None);

        Assert.True(retried.Accepted);
        Assert.StartsWith($"Already handled: sw-access-12 has an open incident {first.Incident!.Id.Value} ", retried.Text, StringComparison.Ordinal);
        Assert.Equal(1, _store.Count);
    }

    [Fact]
    public async Task Diagnose_ManyAtOnceOnOneDevice_ExactlyOneRuns()
    {
        var router = Router(maxConcurrent: 100);

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => router.HandleAsync(Diagnose("sw-access-12", "p" + i), CancellationToken.None))));

        var opened = Assert.Single(replies, r => !r.Joined);
        Assert.All(replies, r => Assert.Equal((true, opened.Incident!.Id), (r.Accepted, r.Incident?.Id)));
        Assert.Equal(1, _store.Count);
        await WaitUntilAsync(() => _runner.Started("sw-access-12") == 1);
    }

    private static ChatRequest Diagnose(string device, string requestId) => new(Alice, Channel, "/sshdiag " + device, requestId);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private CommandRouter Router(int maxConcurrent)
    {
        _service = new IncidentService(_store, _runner, new NoNotifier(), _time, new IncidentServiceOptions { InstanceId = "test", MaxConcurrentDiagnoses = maxConcurrent }, TestRunbooks.With(_runner));
        return new CommandRouter(_service, _inventory, _store, new Everyone(), new RateLimiter(_time, 1000, TimeSpan.FromSeconds(1)), new RateLimiter(_time, 1000, TimeSpan.FromSeconds(1)));
    }

    private sealed class Everyone : IChatAuthorizer
    {
        public bool CanDiagnose(ChatUser user, ChatChannel channel) => true;
    }

    private sealed class NoNotifier : IIncidentNotifier
    {
        public Task NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class Inventory : IDeviceInventory
    {
        public Task<DeviceRef?> FindAsync(DeviceName name, CancellationToken cancellationToken) =>
            Task.FromResult<DeviceRef?>(new DeviceRef(name, "huawei-vrp", "127.0.1.12", IPAddress.Parse("127.0.1.12"), 22, [], null, "jump", null, "cred"));
    }

    /// <summary>A runbook that runs until the test releases its device.</summary>
    private sealed class HeldRunner : IDiagnosisRunner
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> _started = new(StringComparer.Ordinal);

        public IReadOnlyList<StepDescriptor> Steps => [];

        public int Started(string device) => _started.GetValueOrDefault(device);

        public void Release(string device) => _gates.GetOrAdd(device, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        public void ReleaseAll()
        {
            foreach (var gate in _gates.Values)
            {
                gate.TrySetResult();
            }
        }

        public async Task<DiagnosisReport> RunAsync(DeviceRef device, IDiagnosisObserver? observer, CancellationToken cancellationToken)
        {
            _started.AddOrUpdate(device.Name.Value, 1, (_, n) => n + 1);
            var gate = _gates.GetOrAdd(device.Name.Value, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            await gate.Task.WaitAsync(cancellationToken);
            _gates.TryRemove(new KeyValuePair<string, TaskCompletionSource>(device.Name.Value, gate));
            return new DiagnosisReport(device, DateTimeOffset.UnixEpoch, TimeSpan.Zero, [], [], []);
        }
    }

    /// <summary>Enough of a store for the incident service: idempotent create, timeline, state.</summary>
    private sealed class MemoryStore : IIncidentStore
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<IncidentId, Incident> _incidents = [];
        private readonly Dictionary<IncidentId, List<TimelineEvent>> _timelines = [];
        private readonly Dictionary<string, IncidentId> _keys = new(StringComparer.Ordinal);

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _incidents.Count;
                }
            }
        }

        public Task<IncidentCreation> CreateAsync(Incident incident, TimelineEventDraft requested, string idempotencyKey, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                if (_keys.TryGetValue(idempotencyKey, out var existing))
                {
                    return Task.FromResult(new IncidentCreation(_incidents[existing], Created: false));
                }

                var first = new TimelineEvent(incident.Id, 1, requested.At, requested.Kind, requested.Actor, requested.Summary, requested.Data);
                _keys[idempotencyKey] = incident.Id;
                _incidents[incident.Id] = incident with { LastSequence = 1 };
                _timelines[incident.Id] = [first];
                return Task.FromResult(new IncidentCreation(_incidents[incident.Id], Created: true) { Requested = first });
            }
        }

        public Task<Incident?> GetAsync(IncidentId id, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                return Task.FromResult(_incidents.GetValueOrDefault(id));
            }
        }

        public Task<IReadOnlyList<Incident>> ListAsync(PageRequest page, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                return Task.FromResult<IReadOnlyList<Incident>>([.. _incidents.Values]);
            }
        }

        public Task<TimelineEvent> AppendAsync(IncidentId id, TimelineEventDraft draft, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                var list = _timelines[id];
                var e = new TimelineEvent(id, list.Count + 1, draft.At, draft.Kind, draft.Actor, draft.Summary, draft.Data);
                list.Add(e);
                _incidents[id] = _incidents[id] with { LastSequence = e.Sequence };
                return Task.FromResult(e);
            }
        }

        public Task<IReadOnlyList<TimelineEvent>> TimelineAsync(IncidentId id, long afterSequence, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                return Task.FromResult<IReadOnlyList<TimelineEvent>>([.. _timelines[id].Where(e => e.Sequence > afterSequence)]);
            }
        }

        public Task<bool> UpdateStateAsync(IncidentId id, StateTransition transition, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                var incident = _incidents[id];
                if (!transition.From.Contains(incident.State))
                {
                    return Task.FromResult(false);
                }

                _incidents[id] = incident with { State = transition.To };
                return Task.FromResult(true);
            }
        }

        public Task<IReadOnlyList<TimelineEvent>?> TransitionWithEventsAsync(IncidentId id, StateTransition transition, IReadOnlyList<TimelineEventDraft> drafts, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                var incident = _incidents[id];
                if (!transition.From.Contains(incident.State))
                {
                    return Task.FromResult<IReadOnlyList<TimelineEvent>?>(null);
                }

                var list = _timelines[id];
                var added = drafts.Select((d, i) => new TimelineEvent(id, list.Count + 1 + i, d.At, d.Kind, d.Actor, d.Summary, d.Data)).ToList();
                list.AddRange(added);
                _incidents[id] = incident with { State = transition.To, LastSequence = list.Count };
                return Task.FromResult<IReadOnlyList<TimelineEvent>?>(added);
            }
        }

        public Task<bool> RenewLeaseAsync(IncidentId id, IncidentLease lease, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> SetCardMessageAsync(IncidentId id, CardMessageRef card, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<IReadOnlyList<IncidentId>> MarkInterruptedAsync(InterruptionSweep sweep, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<IncidentId>>([]);
    }
}
