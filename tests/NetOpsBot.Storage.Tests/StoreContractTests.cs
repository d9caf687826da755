using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Storage.Tests;

/// <summary>
/// The storage contract, run once per provider by the derived classes. Each test gets its own empty
/// database with the migrations applied, so tests never see each other's incidents.
/// </summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly List<ServiceProvider> _providers = [];

    protected FakeTimeProvider Time { get; } = new(Start);

    protected StorageOptions Options { get; private set; } = null!;

    protected IIncidentStore Incidents { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Options = await CreateDatabaseAsync();
        var services = Replica("a");
        await services.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        Incidents = services.GetRequiredService<IIncidentStore>();
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await DropDatabaseAsync();
    }

    /// <summary>An empty database for one test.</summary>
    protected abstract Task<StorageOptions> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    /// <summary>Runs SQL on a plain connection, bypassing the stores (what an operator or a bug could do).</summary>
    protected abstract Task<int> ExecuteRawAsync(string sql);

    protected abstract Task<long> ScalarAsync(string sql);

    /// <summary>Options that give a replica its own connection pool (PostgreSQL keys pools by connection string).</summary>
    protected abstract StorageOptions ForReplica(string name);

    /// <summary>A separate container, as a second host replica would have.</summary>
    protected ServiceProvider Replica(string name)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddNetOpsBotStorage(ForReplica(name));
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    [Fact]
    public async Task Initialize_EmptyDatabase_AppliesEveryMigration()
    {
        // InitializeAsync already ran on an empty database; every migration (schema, timeline triggers, remediation,
        // conversation facts, the legacy approvals table dropped, one open request per plan, approver people, alert links,
        // incidents' runbook id) is recorded.
        Assert.Equal(9, await ScalarAsync("SELECT COUNT(*) FROM \"__EFMigrationsHistory\""));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(approver_person_id) FROM remediation_approvals"));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM alert_links"));
        // Approvals live in remediation_approvals; the first design's table is gone, not left beside it unused.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => ScalarAsync("SELECT COUNT(*) FROM approvals"));

        // A second start-up (or a second replica) is a no-op.
        await Replica("b").GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        Assert.Equal(9, await ScalarAsync("SELECT COUNT(*) FROM \"__EFMigrationsHistory\""));
        Assert.True(await Replica("c").GetRequiredService<IStorageInitializer>().CanConnectAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RunbookId_IsStoredAndReadBack_AndAnIncidentWithoutOneRecordsTheOnlyRunbookBeforeIds()
    {
        var named = await Incidents.CreateAsync(NewIncident() with { RunbookId = "interface-down" }, Requested(), "key-named", CancellationToken.None);
        var unnamed = await CreateAsync("key-unnamed", device: "sw-core-01");

        Assert.Equal("interface-down", (await Incidents.GetAsync(named.Incident.Id, CancellationToken.None))!.RunbookId);
        Assert.Equal("ssh-unreachable", (await Incidents.GetAsync(unnamed.Incident.Id, CancellationToken.None))!.RunbookId);
        Assert.Equal(["interface-down"], (await Incidents.ListForDeviceAsync(DeviceName.Parse("sw-access-12"), 5, CancellationToken.None)).Select(i => i.RunbookId));
    }

    [Fact]
    public async Task IncidentRunbookIdMigration_RowsStoredBefore_RunTheSshUnreachableRunbook()
    {
        var before = await CreateAsync("key-before");

        // The database as it was before the migration: no runbook column, the row written then.
        await ExecuteRawAsync("ALTER TABLE incidents DROP COLUMN runbook_id");
        await ExecuteRawAsync("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" LIKE '%_IncidentRunbookId'");
        await Replica("migrate").GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);

        Assert.Equal("ssh-unreachable", (await Replica("after").GetRequiredService<IIncidentStore>().GetAsync(before.Incident.Id, CancellationToken.None))!.RunbookId);
    }

    [Fact]
    public async Task CreateAsync_NewIncident_CanBeReadAndListedNewestFirst()
    {
        var first = await CreateAsync("key-1");
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = await CreateAsync("key-2", device: "sw-core-01");

        Assert.True(first.Created);
        var read = await Incidents.GetAsync(first.Incident.Id, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(first.Incident.Id, read.Id);
        Assert.Equal("sw-access-12", read.Device.Value);
        Assert.Equal(new ChatUser("webchat", "alice", "Alice Example"), read.Requester);
        Assert.Equal(new ChatChannel("webchat", "netops", "thread-1"), read.Channel);
        Assert.Equal(IncidentState.Open, read.State);
        Assert.Equal(Time.GetUtcNow() - TimeSpan.FromMinutes(1), read.CreatedAt);
        Assert.Equal(1, read.LastSequence);

        var page = await Incidents.ListAsync(new PageRequest(0, 10), CancellationToken.None);
        Assert.Equal([second.Incident.Id, first.Incident.Id], page.Select(i => i.Id));
        var next = await Incidents.ListAsync(new PageRequest(1, 10), CancellationToken.None);
        Assert.Equal([first.Incident.Id], next.Select(i => i.Id));

        var timeline = await Incidents.TimelineAsync(first.Incident.Id, 0, CancellationToken.None);
        var requested = Assert.Single(timeline);
        Assert.Equal((1L, TimelineEventKind.Requested), (requested.Sequence, requested.Kind));
        Assert.Null(await Incidents.GetAsync(IncidentId.New(), CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_SameIdempotencyKeyTwice_ReturnsFirstIncident()
    {
        var first = await CreateAsync("slack:T1:trigger-42");
        var again = await CreateAsync("slack:T1:trigger-42");

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Incident.Id, again.Incident.Id);
        Assert.Single(await Incidents.ListAsync(new PageRequest(0, 10), CancellationToken.None));
        Assert.Single(await Incidents.TimelineAsync(first.Incident.Id, 0, CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_SameKeyConcurrentlyOnTwoReplicas_CreatesOnce()
    {
        var other = Replica("b").GetRequiredService<IIncidentStore>();
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            (i % 2 == 0 ? Incidents : other).CreateAsync(NewIncident(), Requested(), "teams:activity-7", CancellationToken.None)));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Incident.Id).Distinct());
        Assert.Single(await Incidents.ListAsync(new PageRequest(0, 10), CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_FiftyConcurrentAppenders_SequencesAreGapFreeAndUnique()
    {
        var id = (await CreateAsync("k")).Incident.Id;

        var appended = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Incidents.AppendAsync(id, Note($"note {i}"), CancellationToken.None)));

        Assert.Equal(Enumerable.Range(2, 50).Select(i => (long)i), appended.Select(e => e.Sequence).Order());
        var timeline = await Incidents.TimelineAsync(id, 0, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 51).Select(i => (long)i), timeline.Select(e => e.Sequence));
        Assert.Equal(51, (await Incidents.GetAsync(id, CancellationToken.None))!.LastSequence);
    }

    [Fact]
    public async Task AppendAsync_TwoReplicasConcurrently_SequencesAreGapFreeAndUnique()
    {
        var id = (await CreateAsync("k")).Incident.Id;
        var replicaB = Replica("b").GetRequiredService<IIncidentStore>();

        var appended = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            (i % 2 == 0 ? Incidents : replicaB).AppendAsync(id, Note($"note {i}"), CancellationToken.None)));

        Assert.Equal(Enumerable.Range(2, 50).Select(i => (long)i), appended.Select(e => e.Sequence).Order());
        var timeline = await replicaB.TimelineAsync(id, 0, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 51).Select(i => (long)i), timeline.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(41, 11).Select(i => (long)i), (await Incidents.TimelineAsync(id, 40, CancellationToken.None)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task AppendAsync_UnknownIncidentAmongConcurrentAppends_FailsAloneAndLosesNoOtherEvent()
    {
        var ids = new List<IncidentId>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await CreateAsync($"k{i}")).Incident.Id);
        }

        var good = ids.SelectMany(id => Enumerable.Range(0, 10).Select(n => Incidents.AppendAsync(id, Note($"note {n}"), CancellationToken.None))).ToList();
        var bad = Enumerable.Range(0, 5).Select(_ => Incidents.AppendAsync(IncidentId.New(), Note("lost?"), CancellationToken.None)).ToList();

        await Task.WhenAll(good);
        foreach (var task in bad)
        {
            await Assert.ThrowsAsync<KeyNotFoundException>(() => task);
        }

        foreach (var id in ids)
        {
            Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), (await Incidents.TimelineAsync(id, 0, CancellationToken.None)).Select(e => e.Sequence));
        }
    }

    [Fact]
    public async Task CreateAsync_SameKeyManyTimesAtOnce_CreatesOnceAndEveryCallerSeesThatIncident()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() => CreateAsync(i % 3 == 0 ? "dup" : $"own-{i}"))));

        var dup = results.Where((_, i) => i % 3 == 0).ToList();
        Assert.Single(dup, r => r.Created);
        Assert.Single(dup.Select(r => r.Incident.Id).Distinct());
        Assert.All(results.Where((_, i) => i % 3 != 0), r => Assert.True(r.Created));
    }

    [Fact]
    public async Task AppendAsync_UnknownIncident_ThrowsKeyNotFound()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Incidents.AppendAsync(IncidentId.New(), Note("x"), CancellationToken.None));
    }

    [Fact]
    public async Task TimelineAsync_DataAndTimestamps_RoundTripExactly()
    {
        var id = (await CreateAsync("k")).Incident.Id;

        // Sub-microsecond ticks are dropped (PostgreSQL's precision) on both providers alike; offsets become UTC.
        var at = new DateTimeOffset(2026, 11, 24, 11, 22, 33, TimeSpan.FromHours(1)).AddTicks(1_234_567);
        const string data = """{"step":"listener","ports":[64443],"evidence":"tcp 0.0.0.0:64443 LISTEN","z":null,"a":"ünïcode ✓"}""";
        await Incidents.AppendAsync(id, new TimelineEventDraft(TimelineEventKind.StepFinished, "netopsbot", "listener: 0.0.0.0:64443, not 22", data, at), CancellationToken.None);

        var stored = (await Incidents.TimelineAsync(id, 1, CancellationToken.None)).Single();
        Assert.Equal(at.AddTicks(-7), stored.At);
        Assert.Equal(TimeSpan.Zero, stored.At.Offset);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(data), JsonNode.Parse(stored.Data!)));
        Assert.Equal(data, stored.Data);
        Assert.Equal((TimelineEventKind.StepFinished, "netopsbot", "listener: 0.0.0.0:64443, not 22"), (stored.Kind, stored.Actor, stored.Summary));
    }

    [Fact]
    public async Task ListAsync_CreatedOutOfOrder_OrdersByTimeNotInsertion()
    {
        // Created-at values deliberately not in insertion order, across a day boundary and with offsets,
        // so the order can only come from comparing instants (SQLite stores ticks for exactly this).
        var times = new[]
        {
            new DateTimeOffset(2026, 11, 24, 23, 30, 0, TimeSpan.FromHours(-5)), // 2026-11-25 04:30Z
            new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.FromHours(9)),     // 2026-11-25 00:00Z
        };
        var ids = new List<IncidentId>();
        for (var i = 0; i < times.Length; i++)
        {
            var incident = NewIncident() with { CreatedAt = times[i], UpdatedAt = times[i] };
            ids.Add((await Incidents.CreateAsync(incident, Requested(), $"k{i}", CancellationToken.None)).Incident.Id);
        }

        var listed = await Incidents.ListAsync(new PageRequest(0, 10), CancellationToken.None);

        Assert.Equal([ids[0], ids[1], ids[2]], listed.Select(i => i.Id));
        Assert.Equal(times[0].ToUniversalTime(), listed[0].CreatedAt);
    }

    [Fact]
    public async Task UpdateStateAsync_TwoRacers_ExactlyOneWins()
    {
        var id = (await CreateAsync("k")).Incident.Id;
        var replicaB = Replica("b").GetRequiredService<IIncidentStore>();
        var lease = Time.GetUtcNow() + TimeSpan.FromMinutes(1);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            (i % 2 == 0 ? Incidents : replicaB).UpdateStateAsync(
                id,
                new StateTransition(IncidentState.Open, IncidentState.Running) { Lease = new IncidentLease($"host-{i}", lease) },
                CancellationToken.None)));

        Assert.Single(results, r => r);
        var winner = $"host-{Array.IndexOf(results, true)}";
        var read = (await Incidents.GetAsync(id, CancellationToken.None))!;
        Assert.Equal((IncidentState.Running, winner, lease), (read.State, read.OwnerInstance, read.LeaseUntil));
    }

    [Fact]
    public async Task UpdateStateAsync_NotInExpectedState_ReturnsFalseAndChangesNothing()
    {
        var id = (await CreateAsync("k")).Incident.Id;

        var moved = await Incidents.UpdateStateAsync(id, new StateTransition(IncidentState.Running, IncidentState.Diagnosed), CancellationToken.None);

        Assert.False(moved);
        Assert.Equal(IncidentState.Open, (await Incidents.GetAsync(id, CancellationToken.None))!.State);
        Assert.False(await Incidents.UpdateStateAsync(IncidentId.New(), new StateTransition(IncidentState.Open, IncidentState.Running), CancellationToken.None));
    }

    [Fact]
    public async Task UpdateStateAsync_Verdict_StoresRootCausesAndReleasesLease()
    {
        var id = (await CreateAsync("k")).Incident.Id;
        await Claim(id, "host-a", TimeSpan.FromMinutes(1));
        Time.Advance(TimeSpan.FromSeconds(5));

        var moved = await Incidents.UpdateStateAsync(
            id,
            new StateTransition(new HashSet<IncidentState> { IncidentState.Running, IncidentState.Open }, IncidentState.Diagnosed)
            {
                RootCauseCodes = ["return-route-missing", "listener-stuck"],
                ReleaseLease = true,
            },
            CancellationToken.None);

        Assert.True(moved);
        var read = (await Incidents.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(IncidentState.Diagnosed, read.State);
        Assert.Equal(["return-route-missing", "listener-stuck"], read.RootCauseCodes);
        Assert.Null(read.OwnerInstance);
        Assert.Null(read.LeaseUntil);
        Assert.Equal(Time.GetUtcNow(), read.UpdatedAt);
    }

    [Fact]
    public async Task MarkInterruptedAsync_DeadOwner_InterruptsOnlyItsIncidentsOnce()
    {
        var dead = (await CreateAsync("k1")).Incident.Id;
        var alive = (await CreateAsync("k2")).Incident.Id;
        var open = (await CreateAsync("k3")).Incident.Id;
        await Claim(dead, "host-old", TimeSpan.FromMinutes(10));
        await Claim(alive, "host-new", TimeSpan.FromMinutes(10));
        var sweep = new InterruptionSweep { DeadOwners = ["host-old"] };

        var swept = await Task.WhenAll(
            Incidents.MarkInterruptedAsync(sweep, CancellationToken.None),
            Replica("b").GetRequiredService<IIncidentStore>().MarkInterruptedAsync(sweep, CancellationToken.None));

        Assert.Equal([dead], swept.SelectMany(s => s));
        var read = (await Incidents.GetAsync(dead, CancellationToken.None))!;
        Assert.Equal((IncidentState.Interrupted, (string?)null), (read.State, read.OwnerInstance));
        var last = (await Incidents.TimelineAsync(dead, 0, CancellationToken.None))[^1];
        Assert.Equal((2L, TimelineEventKind.Interrupted), (last.Sequence, last.Kind));
        Assert.Equal(IncidentState.Running, (await Incidents.GetAsync(alive, CancellationToken.None))!.State);
        Assert.Equal(IncidentState.Open, (await Incidents.GetAsync(open, CancellationToken.None))!.State);
        Assert.False(await Incidents.RenewLeaseAsync(dead, new IncidentLease("host-old", Time.GetUtcNow() + TimeSpan.FromMinutes(1)), CancellationToken.None));
    }

    [Fact]
    public async Task MarkInterruptedAsync_LeaseExpired_InterruptsUnlessRenewed()
    {
        var stale = (await CreateAsync("k1")).Incident.Id;
        var renewed = (await CreateAsync("k2")).Incident.Id;
        await Claim(stale, "host-a", TimeSpan.FromSeconds(30));
        await Claim(renewed, "host-b", TimeSpan.FromSeconds(30));
        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await Incidents.RenewLeaseAsync(renewed, new IncidentLease("host-b", Time.GetUtcNow() + TimeSpan.FromSeconds(30)), CancellationToken.None));
        Assert.False(await Incidents.RenewLeaseAsync(renewed, new IncidentLease("host-a", Time.GetUtcNow() + TimeSpan.FromHours(1)), CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(20));

        var swept = await Incidents.MarkInterruptedAsync(new InterruptionSweep { LeaseExpiredBefore = Time.GetUtcNow() }, CancellationToken.None);

        Assert.Equal([stale], swept);
        Assert.Equal(IncidentState.Interrupted, (await Incidents.GetAsync(stale, CancellationToken.None))!.State);
        Assert.Equal(IncidentState.Running, (await Incidents.GetAsync(renewed, CancellationToken.None))!.State);
        Assert.Empty(await Incidents.MarkInterruptedAsync(new InterruptionSweep(), CancellationToken.None));
    }

    /// <summary>
    /// Issue 14: a fix's execution, recovery watch and re-diagnosis run in Remediating under the executing host's
    /// lease; another replica's sweep leaves it while the lease holds, the owner's own sweep leaves it even when the
    /// stored lease lapsed (it vouches for its running work), and only expired work of a gone owner is interrupted.
    /// </summary>
    [Fact]
    public async Task MarkInterruptedAsync_RemediatingUnderLease_OnlyExpiredWorkOfAGoneOwnerIsInterrupted()
    {
        var watched = (await CreateAsync("k1")).Incident.Id;
        var orphan = (await CreateAsync("k2")).Incident.Id;
        await Claim(watched, "host-a", TimeSpan.FromSeconds(30));
        await Claim(orphan, "host-b", TimeSpan.FromSeconds(30));
        foreach (var id in new[] { watched, orphan })
        {
            Assert.True(await Incidents.UpdateStateAsync(id, new StateTransition(IncidentState.Running, IncidentState.Diagnosed) { ReleaseLease = true }, CancellationToken.None));
        }

        Assert.True(await Incidents.UpdateStateAsync(watched, new StateTransition(IncidentState.Diagnosed, IncidentState.Remediating) { Lease = new IncidentLease("host-a", Time.GetUtcNow() + TimeSpan.FromSeconds(30)) }, CancellationToken.None));
        Assert.True(await Incidents.UpdateStateAsync(orphan, new StateTransition(IncidentState.Diagnosed, IncidentState.Remediating) { Lease = new IncidentLease("host-b", Time.GetUtcNow() + TimeSpan.FromSeconds(30)) }, CancellationToken.None));

        // Three lease periods of a reboot watch: host-a renews every 10 s, host-b died right after it started.
        for (var i = 0; i < 9; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(10));
            Assert.True(await Incidents.RenewLeaseAsync(watched, new IncidentLease("host-a", Time.GetUtcNow() + TimeSpan.FromSeconds(30)), CancellationToken.None));
            var swept = await Replica("b").GetRequiredService<IIncidentStore>().MarkInterruptedAsync(new InterruptionSweep { LeaseExpiredBefore = Time.GetUtcNow() }, CancellationToken.None);
            Assert.DoesNotContain(watched, swept);
        }

        Assert.Equal(IncidentState.Remediating, (await Incidents.GetAsync(watched, CancellationToken.None))!.State);
        Assert.Equal(IncidentState.Interrupted, (await Incidents.GetAsync(orphan, CancellationToken.None))!.State);

        // A lapse of the stored lease (a slow database) on the owner itself: its own sweep vouches for it.
        Time.Advance(TimeSpan.FromMinutes(5));
        var own = new InterruptionSweep { LeaseExpiredBefore = Time.GetUtcNow(), OwnerAlive = (id, owner) => id == watched && owner == "host-a" };
        Assert.Empty(await Incidents.MarkInterruptedAsync(own, CancellationToken.None));
        Assert.Equal([watched], await Incidents.MarkInterruptedAsync(new InterruptionSweep { LeaseExpiredBefore = Time.GetUtcNow() }, CancellationToken.None));
    }

    [Fact]
    public async Task SetCardMessageAsync_PerPlatform_StoresAndReplaces()
    {
        var id = (await CreateAsync("k")).Incident.Id;

        Assert.True(await Incidents.SetCardMessageAsync(id, new CardMessageRef("slack", "C1", "1700000000.1"), CancellationToken.None));
        Assert.True(await Incidents.SetCardMessageAsync(id, new CardMessageRef("teams", "19:abc", "m-1"), CancellationToken.None));
        Assert.True(await Incidents.SetCardMessageAsync(id, new CardMessageRef("slack", "C1", "1700000000.2"), CancellationToken.None));
        Assert.False(await Incidents.SetCardMessageAsync(IncidentId.New(), new CardMessageRef("slack", "C1", "x"), CancellationToken.None));

        var read = (await Incidents.GetAsync(id, CancellationToken.None))!;
        Assert.Equal([new CardMessageRef("slack", "C1", "1700000000.2"), new CardMessageRef("teams", "19:abc", "m-1")], read.CardMessages);
    }

    [Fact]
    public async Task TransitionWithEventsAsync_StateAndEventsInOneWrite_NextAppendContinuesTheNumbering()
    {
        var id = (await CreateAsync("k")).Incident.Id;
        await Claim(id, "host-a", TimeSpan.FromMinutes(1));
        await Incidents.AppendAsync(id, Note("verdict: healthy"), CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(5));

        var stored = await Incidents.TransitionWithEventsAsync(
            id,
            new StateTransition(IncidentState.Running, IncidentState.Resolved) { RootCauseCodes = ["healthy"], ReleaseLease = true },
            [Note("no fault found"), Note("check the client next")],
            CancellationToken.None);

        Assert.Equal([3L, 4L], stored!.Select(e => e.Sequence));
        var read = (await Incidents.GetAsync(id, CancellationToken.None))!;
        Assert.Equal((IncidentState.Resolved, (string?)null, 4L), (read.State, read.OwnerInstance, read.LastSequence));
        Assert.Equal(["healthy"], read.RootCauseCodes);
        Assert.Equal(5, (await Incidents.AppendAsync(id, Note("later"), CancellationToken.None)).Sequence);
        Assert.Equal(["Alice asked: /sshdiag sw-access-12", "verdict: healthy", "no fault found", "check the client next", "later"], (await Incidents.TimelineAsync(id, 0, CancellationToken.None)).Select(e => e.Summary));
    }

    [Fact]
    public async Task TransitionWithEventsAsync_LostRaceOrUnknownIncident_NullAndNothingAppended()
    {
        var id = (await CreateAsync("k")).Incident.Id;

        var stored = await Incidents.TransitionWithEventsAsync(id, new StateTransition(IncidentState.Running, IncidentState.Resolved), [Note("no fault found")], CancellationToken.None);

        Assert.Null(stored);
        Assert.Equal((IncidentState.Open, 1L), ((await Incidents.GetAsync(id, CancellationToken.None))!.State, (await Incidents.GetAsync(id, CancellationToken.None))!.LastSequence));
        Assert.Single(await Incidents.TimelineAsync(id, 0, CancellationToken.None));
        Assert.Null(await Incidents.TransitionWithEventsAsync(IncidentId.New(), new StateTransition(IncidentState.Open, IncidentState.Resolved), [Note("x")], CancellationToken.None));
    }

    [Fact]
    public async Task TransitionWithEventsAsync_FailsAfterTheFirstEvent_NeitherTheStateNorAnyEventIsStored()
    {
        var id = (await CreateAsync("k")).Incident.Id;
        await Claim(id, "host-a", TimeSpan.FromMinutes(1));

        // A stray row where the second event goes: its insert fails after the state moved and the first event was added.
        await ExecuteRawAsync($"INSERT INTO timeline_events (incident_id, sequence, at, kind, actor, summary, data) SELECT incident_id, 3, at, kind, actor, summary, data FROM timeline_events WHERE incident_id = '{id}' AND sequence = 1");
        var failed = await Record.ExceptionAsync(() => Incidents.TransitionWithEventsAsync(
            id,
            new StateTransition(IncidentState.Running, IncidentState.Resolved) { ReleaseLease = true },
            [Note("no fault found"), Note("check the client next")],
            CancellationToken.None));

        Assert.NotNull(failed);
        var read = (await Incidents.GetAsync(id, CancellationToken.None))!;
        Assert.Equal((IncidentState.Running, "host-a", 1L), (read.State, read.OwnerInstance, read.LastSequence));
        Assert.Equal([1L, 3L], (await Incidents.TimelineAsync(id, 0, CancellationToken.None)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task TimelineRows_RawUpdateOrDelete_RejectedByTrigger()
    {
        var id = (await CreateAsync("k")).Incident.Id;

        var update = await Record.ExceptionAsync(() => ExecuteRawAsync($"UPDATE timeline_events SET summary = 'rewritten' WHERE incident_id = '{id}'"));
        var delete = await Record.ExceptionAsync(() => ExecuteRawAsync($"DELETE FROM timeline_events WHERE incident_id = '{id}'"));

        Assert.Contains("append-only", update?.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete?.Message, StringComparison.Ordinal);
        var timeline = await Incidents.TimelineAsync(id, 0, CancellationToken.None);
        Assert.Equal("Alice asked: /sshdiag sw-access-12", Assert.Single(timeline).Summary);
    }

    private Task<IncidentCreation> CreateAsync(string key, string device = "sw-access-12") =>
        Incidents.CreateAsync(NewIncident(device), Requested(), key, CancellationToken.None);

    private Incident NewIncident(string device = "sw-access-12") =>
        Incident.Open(DeviceName.Parse(device), new ChatUser("webchat", "alice", "Alice Example"), new ChatChannel("webchat", "netops", "thread-1"), Time.GetUtcNow());

    private TimelineEventDraft Requested() =>
        new(TimelineEventKind.Requested, "webchat:alice", "Alice asked: /sshdiag sw-access-12", """{"command":"/sshdiag sw-access-12"}""", Time.GetUtcNow());

    private TimelineEventDraft Note(string text) => new(TimelineEventKind.Note, "netopsbot", text, null, Time.GetUtcNow());

    private async Task Claim(IncidentId id, string owner, TimeSpan lease) =>
        Assert.True(await Incidents.UpdateStateAsync(
            id,
            new StateTransition(IncidentState.Open, IncidentState.Running) { Lease = new IncidentLease(owner, Time.GetUtcNow() + lease) },
            CancellationToken.None));
}
