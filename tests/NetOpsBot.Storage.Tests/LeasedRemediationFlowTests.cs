using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Storage.Tests;

/// <summary>
/// Issue 14, "false Interrupted", without a lab: the real incident and remediation services on SQLite and a fake
/// clock. An approved fix whose execution (a stand-in for a 15-minute recovery watch) is in flight is swept every
/// 10 s by the owner itself and by a second replica: it must stay Remediating, end Resolved, and its thread must
/// never say Interrupted. On main the incident entered Remediating without a lease, so the first sweep took it
/// for dead work.
/// </summary>
public sealed class LeasedRemediationFlowTests : IAsyncLifetime
{
    private const string PlanId = "return-route-missing.default-route";
    private const string RebootPlanId = "listener-stuck.reboot";
    private static readonly ChatUser Carol = new("webchat", "carol", "carol");
    private static readonly ChatUser Alice = new("webchat", "alice", "alice");
    private static readonly ChatUser Bob = new("webchat", "bob", "bob");
    private static readonly ChatChannel Channel = new("webchat", "netops", null);
    private static readonly DeviceRef Device = new(DeviceName.Parse("sw-access-12"), "huawei-vrp", "127.0.0.1", IPAddress.Parse("10.12.0.12"), 22, [], null, null, null, "sw");
    private readonly string _folder = Directory.CreateTempSubdirectory("netopsbot-lease-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
    private readonly List<ServiceProvider> _providers = [];
    private readonly List<IAsyncDisposable> _services = [];

    public async Task InitializeAsync()
    {
        var a = Replica();
        await a.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }

        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ApprovedFix_LongWatch_SweptEvery10sByOwnerAndOtherReplica_NeverInterrupted_EndsResolved()
    {
        var owner = Replica();
        var store = owner.GetRequiredService<IIncidentStore>();
        var requests = owner.GetRequiredService<IRemediationRequestStore>();
        var otherReplica = Replica().GetRequiredService<IIncidentStore>();
        var executor = new HeldExecutor();
        var incidents = new IncidentService(store, new Runner(), new NoNotifier(), _time, new IncidentServiceOptions { InstanceId = "replica-1", LeaseDuration = TimeSpan.FromSeconds(30) });
        _services.Add(incidents);
        var remediation = new RemediationService(requests, store, new Inventory(), incidents, executor, new ApprovalOptions(), new ExecutionOptions(), _time, "replica-1", new People());

        var incident = (await incidents.StartDiagnosisAsync(Device, Alice, Channel, "k1", CancellationToken.None)).Incident;
        await Task.WhenAll(incidents.Running);
        Assert.Equal(IncidentState.Diagnosed, (await store.GetAsync(incident.Id, CancellationToken.None))!.State);

        var hash = ClickTarget.HashCommands([Runner.FixCommand]);
        Assert.True((await remediation.RequestAsync(incident.Id, PlanId, new ClickTarget(null, hash), Alice, Channel, CancellationToken.None)).Accepted);
        var request = Assert.Single(await requests.ListForIncidentAsync(incident.Id, CancellationToken.None));
        Assert.True((await remediation.ClickAsync(incident.Id, PlanId, new ClickTarget(request.Id.Value, hash), ClickVerb.Approve, Bob, Channel, CancellationToken.None)).Accepted);
        await executor.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // Fifteen minutes of watch: the sweeps of both replicas run every 10 s.
        for (var i = 0; i < 90; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            await WaitForRenewalAsync(store, incident.Id);
            Assert.Empty(await otherReplica.MarkInterruptedAsync(new InterruptionSweep { LeaseExpiredBefore = _time.GetUtcNow() }, CancellationToken.None));
            Assert.Empty(await incidents.RecoverInterruptedAsync([], CancellationToken.None));
            Assert.Equal(IncidentState.Remediating, (await store.GetAsync(incident.Id, CancellationToken.None))!.State);
        }

        executor.Release.SetResult();
        await Task.WhenAll(remediation.Background).WaitAsync(TimeSpan.FromSeconds(30));

        var done = (await store.GetAsync(incident.Id, CancellationToken.None))!;
        Assert.Equal((IncidentState.Resolved, (string?)null, (DateTimeOffset?)null), (done.State, done.OwnerInstance, done.LeaseUntil));
        var timeline = await store.TimelineAsync(incident.Id, 0, CancellationToken.None);
        Assert.DoesNotContain(timeline, e => e.Kind == TimelineEventKind.Interrupted);
    }

    /// <summary>
    /// Replica 0 sends a reboot and dies (its clock stops: no more renewals). Once its leases expired, replica 1
    /// reports the cut-off work (the one true interruption) and resumes the recovery watch as its own activity,
    /// under its own renewed lease: for the 5 minutes of that watch no sweep of any replica interrupts it again.
    /// </summary>
    [Fact]
    public async Task DeadOwnersReboot_ResumedWatch_IsLeasedByItsNewOwner_OnlyTheRealInterruptionIsReported()
    {
        var frozen = new FakeTimeProvider(_time.GetUtcNow());
        var dead = Replica(frozen);
        var runner = new Runner(RemediationKind.Reboot, sick: 2);
        var executor0 = new HeldExecutor();
        var incidents0 = new IncidentService(dead.GetRequiredService<IIncidentStore>(), runner, new NoNotifier(), frozen, new IncidentServiceOptions { InstanceId = "replica-0" });
        _services.Add(incidents0);
        var remediation0 = new RemediationService(dead.GetRequiredService<IRemediationRequestStore>(), dead.GetRequiredService<IIncidentStore>(), new Inventory(), incidents0, executor0, new ApprovalOptions(), new ExecutionOptions(), frozen, "replica-0", new People());
        var incident = (await incidents0.StartDiagnosisAsync(Device, Alice, Channel, "k1", CancellationToken.None)).Incident;
        await Task.WhenAll(incidents0.Running);
        var hash = ClickTarget.HashCommands(["reboot"]);
        Assert.True((await remediation0.RequestAsync(incident.Id, RebootPlanId, new ClickTarget(null, hash), Alice, Channel, CancellationToken.None)).Accepted);
        var request = Assert.Single(await dead.GetRequiredService<IRemediationRequestStore>().ListForIncidentAsync(incident.Id, CancellationToken.None));
        foreach (var approver in new[] { Bob, Carol })
        {
            Assert.True((await remediation0.ClickAsync(incident.Id, RebootPlanId, new ClickTarget(request.Id.Value, hash), ClickVerb.Approve, approver, Channel, CancellationToken.None)).Accepted);
        }

        await executor0.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // Replica 1, 18 minutes later (past the execution claim's first lease): the dead owner's work is swept once.
        _time.Advance(TimeSpan.FromMinutes(18));
        var live = Replica();
        var store = live.GetRequiredService<IIncidentStore>();
        var executor1 = new HeldExecutor();
        var incidents1 = new IncidentService(store, runner, new NoNotifier(), _time, new IncidentServiceOptions { InstanceId = "replica-1" });
        _services.Add(incidents1);
        var remediation1 = new RemediationService(live.GetRequiredService<IRemediationRequestStore>(), store, new Inventory(), incidents1, executor1, new ApprovalOptions(), new ExecutionOptions(), _time, "replica-1", new People());
        Assert.Equal([incident.Id], await incidents1.RecoverInterruptedAsync([], CancellationToken.None));
        await remediation1.SweepAsync([], _time.GetUtcNow(), CancellationToken.None);
        await executor1.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var resumed = (await store.GetAsync(incident.Id, CancellationToken.None))!;
        Assert.Equal((IncidentState.Remediating, "replica-1"), (resumed.State, resumed.OwnerInstance));

        var otherReplica = Replica().GetRequiredService<IIncidentStore>();
        for (var i = 0; i < 30; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            await WaitForRenewalAsync(store, incident.Id);
            Assert.Empty(await otherReplica.MarkInterruptedAsync(new InterruptionSweep { LeaseExpiredBefore = _time.GetUtcNow() }, CancellationToken.None));
            Assert.Empty(await incidents1.RecoverInterruptedAsync([], CancellationToken.None));
        }

        executor1.Release.SetResult();
        await Task.WhenAll(remediation1.Background).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(IncidentState.Resolved, (await store.GetAsync(incident.Id, CancellationToken.None))!.State);
        var timeline = await store.TimelineAsync(incident.Id, 0, CancellationToken.None);
        var resumedAt = timeline.First(e => e.Summary.StartsWith("Resuming the recovery watch", StringComparison.Ordinal)).Sequence;
        Assert.Equal(2, timeline.Count(e => e.Kind == TimelineEventKind.Interrupted && e.Sequence < resumedAt));
        Assert.DoesNotContain(timeline, e => e.Kind == TimelineEventKind.Interrupted && e.Sequence > resumedAt);
    }

    /// <summary>The renewal is a database write started by the timer tick; the sweep must judge the row after it.</summary>
    private async Task WaitForRenewalAsync(IIncidentStore store, IncidentId id)
    {
        var until = Environment.TickCount64 + 5_000;
        while (Environment.TickCount64 < until)
        {
            var row = await store.GetAsync(id, CancellationToken.None);
            if (row?.LeaseUntil is { } lease && lease > _time.GetUtcNow() + TimeSpan.FromSeconds(15))
            {
                return;
            }

            await Task.Delay(10);
        }
    }

    private ServiceProvider Replica(TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time ?? _time);
        services.AddNetOpsBotStorage(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(_folder, "netopsbot.db")}" });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    /// <summary>Runs 1..<c>sick</c>: one fix offered (config or reboot); every later run: healthy.</summary>
    private sealed class Runner(RemediationKind kind = RemediationKind.Config, int sick = 1) : IDiagnosisRunner
    {
        public const string FixCommand = "ip route-static 0.0.0.0 0.0.0.0 10.12.0.1";
        private int _runs;

        public IReadOnlyList<StepDescriptor> Steps { get; } = [new("routing", "Routing")];

        public Task<DiagnosisReport> RunAsync(DeviceRef device, IDiagnosisObserver? observer, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _runs) <= sick)
            {
                var plan = kind == RemediationKind.Config
                    ? new RemediationPlan(PlanId, SshUnreachableCauses.ReturnRouteMissing, "Add the default route", [VerdictPlan.Bind(FixCommand)], RemediationKind.Config, ApprovalPolicy.For(RemediationKind.Config))
                    : new RemediationPlan(RebootPlanId, SshUnreachableCauses.ListenerStuck, "Reboot", [VerdictPlan.Bind("reboot")], RemediationKind.Reboot, ApprovalPolicy.For(RemediationKind.Reboot));
                return Task.FromResult(new DiagnosisReport(device, DateTimeOffset.UnixEpoch, TimeSpan.Zero, [], [new RootCauseFinding(plan.RootCause, "r1", Confidence.High, ["evidence"])], [plan]));
            }

            return Task.FromResult(new DiagnosisReport(device, DateTimeOffset.UnixEpoch, TimeSpan.Zero, [], [new RootCauseFinding(SshUnreachableCauses.Healthy, "healthy", Confidence.High, [])], []));
        }
    }

    /// <summary>An execution that lasts until the test releases it (the long recovery watch of a reboot).</summary>
    private sealed class HeldExecutor : IRemediationExecutor
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<ExecutionResult> ExecuteAsync(DeviceRef device, RemediationPlan plan, ExecutionOptions options, IExecutionObserver observer, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task;
            return new ExecutionResult(true, "applied and verified", [], true, string.Empty, null);
        }

        public Task<IReadOnlyList<string>> UnsavedChangesAsync(DeviceRef device, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

        public async Task<RecoveryResult> WatchRecoveryAsync(DeviceRef device, ExecutionOptions options, IExecutionObserver observer, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task;
            return new RecoveryResult(false, true, TimeSpan.Zero, true, true, "back");
        }
    }

    private sealed class Inventory : IDeviceInventory
    {
        public Task<DeviceRef?> FindAsync(DeviceName name, CancellationToken cancellationToken) => Task.FromResult<DeviceRef?>(name == Device.Name ? Device : null);
    }

    private sealed class NoNotifier : IIncidentNotifier
    {
        public Task NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class People : IPeopleDirectory
    {
        public Person? Find(ChatUser account) => new(account.UserId, account.DisplayName);

        public ValueTask<bool> IsApproverAsync(Person person, CancellationToken cancellationToken) => ValueTask.FromResult(person.Id is "bob" or "carol");
    }
}
