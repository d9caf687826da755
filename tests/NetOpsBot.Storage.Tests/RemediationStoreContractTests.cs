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
/// The remediation request store and audit contract, run once per provider by the derived classes. Two
/// service providers with separate connection pools stand in for two host replicas.
/// </summary>
public abstract class RemediationStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly ChatUser Alice = new("webchat", "alice", "Alice");
    private static readonly ChatChannel Channel = new("webchat", "netops", "thread-1");
    private static readonly string[] Approvers = ["bob", "carol"];
    private readonly List<ServiceProvider> _providers = [];

    protected FakeTimeProvider Time { get; } = new(Start);

    protected StorageOptions Options { get; private set; } = null!;

    private IIncidentStore Incidents { get; set; } = null!;

    private IRemediationRequestStore StoreA { get; set; } = null!;

    private IRemediationRequestStore StoreB { get; set; } = null!;

    private IRemediationAuditLog Audit { get; set; } = null!;

    public async Task InitializeAsync()
    {
        Options = await CreateDatabaseAsync();
        var a = Replica("a");
        await a.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        Incidents = a.GetRequiredService<IIncidentStore>();
        StoreA = a.GetRequiredService<IRemediationRequestStore>();
        Audit = a.GetRequiredService<IRemediationAuditLog>();
        StoreB = Replica("b").GetRequiredService<IRemediationRequestStore>();
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await DropDatabaseAsync();
    }

    protected abstract Task<StorageOptions> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    protected abstract Task<int> ExecuteRawAsync(string sql);

    protected abstract StorageOptions ForReplica(string name);

    [Fact]
    public async Task CreateAsync_NewRequest_RoundTripsAndIsAudited()
    {
        var request = await NewRequestAsync(RemediationKind.Reboot);

        var read = await StoreB.GetAsync(request.Id, CancellationToken.None);
        var listed = await StoreA.ListForIncidentAsync(request.IncidentId, CancellationToken.None);
        var audit = await Audit.ListAsync(request.Id, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal((request.Device, request.Kind, RemediationRequestState.Pending, 2), (read.Device, read.Kind, read.State, read.ApproversRequired));
        Assert.Equal(request.Commands, read.Commands);
        Assert.Equal((request.CreatedAt, request.ExpiresAt, request.DiagnosisAt), (read.CreatedAt, read.ExpiresAt, read.DiagnosisAt));
        Assert.Equal(request.RootCauseCodes, read.RootCauseCodes);
        Assert.Equal((Alice, Channel, true), (read.Requester, read.Channel, read.SaveBeforeReboot));
        Assert.Equal(request.Id, Assert.Single(listed).Id);
        var entry = Assert.Single(audit);
        Assert.Equal((RemediationAuditAction.Requested, "alice", "netops"), (entry.Action, entry.Actor.UserId, entry.Channel.ChannelId));
        Assert.Contains("\"commands\":[\"reboot\"]", entry.DetailJson, StringComparison.Ordinal);
        Assert.Null(await StoreA.GetAsync(RemediationRequestId.New(), CancellationToken.None));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => StoreA.CreateAsync(request with { Id = RemediationRequestId.New(), IncidentId = IncidentId.New() }, CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_TwentyRequestsForOnePlanOnTwoReplicas_StoresOneAndReturnsItToEveryone()
    {
        var first = await NewRequestAsync(RemediationKind.Reboot);
        Assert.True((await StoreA.ListForIncidentAsync(first.IncidentId, CancellationToken.None)).Count == 1);
        await RejectAsync(first);

        // The double (here: twenty-fold) click on Request, each with its own new id, racing on two replicas.
        var clicks = Enumerable.Range(0, 20).Select(i => first with { Id = RemediationRequestId.New(), Requester = new ChatUser("webchat", $"user-{i % 3}", $"User {i % 3}") }).ToList();
        var stored = await Task.WhenAll(clicks.Select((r, i) => Task.Run(() => (i % 2 == 0 ? StoreA : StoreB).CreateAsync(r, CancellationToken.None))));

        var open = (await StoreA.ListForIncidentAsync(first.IncidentId, CancellationToken.None)).Where(r => !r.IsFinal).ToList();
        var winner = Assert.Single(open);
        Assert.Contains(winner.Id, clicks.Select(c => c.Id));
        Assert.All(stored, s => Assert.Equal(winner.Id, s.Id));
        Assert.Single(await Audit.ListAsync(winner.Id, CancellationToken.None), e => e.Action == RemediationAuditAction.Requested);

        // Another plan of the same incident is another request; a closed request does not block a new one.
        var otherPlan = first with { Id = RemediationRequestId.New(), PlanId = "route-1" };
        Assert.Equal(otherPlan.Id, (await StoreB.CreateAsync(otherPlan, CancellationToken.None)).Id);
        await RejectAsync(winner);
        var again = first with { Id = RemediationRequestId.New() };
        Assert.Equal(again.Id, (await StoreA.CreateAsync(again, CancellationToken.None)).Id);
        Assert.Equal(2, (await StoreA.ListForIncidentAsync(first.IncidentId, CancellationToken.None)).Count(r => !r.IsFinal));
    }

    [Fact]
    public async Task OpenRequestIndex_RawSecondOpenRowForSamePlan_RejectedByDatabase()
    {
        var request = await NewRequestAsync(RemediationKind.Reboot);
        const string Columns = "incident_id, plan_id, device_name, kind, commands, save_before_reboot, diagnosis_at, root_causes, requester_platform, requester_user_id, requester_display_name, channel_platform, channel_id, thread_id, approvers_required, created_at, expires_at, state, version";
        string Copy(string id, string state) =>
            $"INSERT INTO remediation_requests (id, {Columns}) SELECT '{id}', {Columns.Replace("state,", $"'{state}' AS state,", StringComparison.Ordinal)} FROM remediation_requests WHERE id = '{request.Id.Value}'";

        var closedCopy = await ExecuteRawAsync(Copy("dup-closed", nameof(RemediationRequestState.Rejected)));
        var openCopy = await Record.ExceptionAsync(() => ExecuteRawAsync(Copy("dup-open", nameof(RemediationRequestState.Approved))));

        Assert.Equal(1, closedCopy);
        Assert.NotNull(openCopy);
        Assert.Contains("unique", openCopy.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CancelOpenForDeviceAsync_PendingAndApprovedOnTheDevice_CancelledOnceAuditedAndNeverClaimed()
    {
        var executing = await ApprovedRequestAsync(RemediationKind.Reboot);
        var pending = await NewRequestAsync(RemediationKind.Reboot);
        var approved = await ApprovedRequestAsync();
        var otherDevice = await NewRequestAsync(RemediationKind.Config, r => r with { Device = DeviceName.Parse("sw-core-01") });
        var rejected = await NewRequestAsync(RemediationKind.Config);
        await RejectAsync(rejected);
        Assert.True(await StoreA.TryClaimExecutionAsync(executing.Id, Lease("host-1"), Time.GetUtcNow(), CancellationToken.None));
        const string Why = "another remediation ran on sw-access-12";

        var cancelled = await Task.WhenAll(
            StoreA.CancelOpenForDeviceAsync(DeviceName.Parse("sw-access-12"), executing.Id, Why, Time.GetUtcNow(), CancellationToken.None),
            StoreB.CancelOpenForDeviceAsync(DeviceName.Parse("sw-access-12"), executing.Id, Why, Time.GetUtcNow(), CancellationToken.None));

        Assert.Equal(new[] { pending.Id.Value, approved.Id.Value }.Order(StringComparer.Ordinal), cancelled.SelectMany(c => c).Select(r => r.Id.Value).Order(StringComparer.Ordinal));
        async Task<RemediationRequest> Read(RemediationRequest r) => (await StoreB.GetAsync(r.Id, CancellationToken.None))!;
        Assert.Equal((RemediationRequestState.Cancelled, Why), ((await Read(pending)).State, (await Read(pending)).ResultSummary));
        Assert.Equal(RemediationRequestState.Cancelled, (await Read(approved)).State);
        Assert.Equal(RemediationRequestState.Executing, (await Read(executing)).State);
        Assert.Equal(RemediationRequestState.Pending, (await Read(otherDevice)).State);
        Assert.Equal(RemediationRequestState.Rejected, (await Read(rejected)).State);
        Assert.False(await StoreA.TryClaimExecutionAsync(approved.Id, Lease("host-1"), Time.GetUtcNow(), CancellationToken.None));
        var entry = Assert.Single(await Audit.ListAsync(pending.Id, CancellationToken.None), e => e.Action == RemediationAuditAction.Cancelled);
        Assert.Contains(Why, entry.DetailJson, StringComparison.Ordinal);
        var click = await StoreA.TryRecordClickAsync(pending.Id, Channel, r => Decide(r, ClickVerb.Approve, new ChatUser("webchat", "bob", "Bob")), CancellationToken.None);
        Assert.Equal(ClickOutcome.RefusedClosed, click!.Outcome);

        // A cancelled request no longer blocks asking for the fix again.
        var again = pending with { Id = RemediationRequestId.New() };
        Assert.Equal(again.Id, (await StoreA.CreateAsync(again, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task OneOpenRequestPerPlanMigration_DuplicatesMadeBefore_KeepsTheFurthestAlongOrNewestAndExpiresTheRest()
    {
        var pendingTwice = await NewRequestAsync(RemediationKind.Reboot);
        var approvedAndPending = await NewRequestAsync(RemediationKind.Reboot);

        // The database as it was before the migration: no index, so duplicates could be stored.
        await ExecuteRawAsync("DROP INDEX ux_remediation_requests_open_plan");
        await ExecuteRawAsync("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" LIKE '%_OneOpenRequestPerPlan'");
        Time.Advance(TimeSpan.FromMinutes(1));
        var newer = pendingTwice with { Id = RemediationRequestId.New(), CreatedAt = Time.GetUtcNow() };
        var laterPending = approvedAndPending with { Id = RemediationRequestId.New(), CreatedAt = Time.GetUtcNow() };
        Assert.Equal(newer.Id, (await StoreA.CreateAsync(newer, CancellationToken.None)).Id);
        Assert.Equal(laterPending.Id, (await StoreA.CreateAsync(laterPending, CancellationToken.None)).Id);
        foreach (var approver in Approvers)
        {
            await StoreA.TryRecordClickAsync(approvedAndPending.Id, Channel, r => Decide(r, ClickVerb.Approve, new ChatUser("webchat", approver, approver)), CancellationToken.None);
        }

        await Replica("migrate").GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);

        async Task<RemediationRequestState> State(RemediationRequest r) => (await StoreA.GetAsync(r.Id, CancellationToken.None))!.State;
        Assert.Equal(RemediationRequestState.Expired, await State(pendingTwice));
        Assert.Equal(RemediationRequestState.Pending, await State(newer));
        Assert.Equal(RemediationRequestState.Approved, await State(approvedAndPending));
        Assert.Equal(RemediationRequestState.Expired, await State(laterPending));
        Assert.Equal(newer.Id, (await StoreB.CreateAsync(pendingTwice with { Id = RemediationRequestId.New() }, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task TryRecordClickAsync_TwentyApproversOnTwoReplicas_CompletesOnceWithExactlyTheDistinctSet()
    {
        var request = await NewRequestAsync(RemediationKind.Config, r => r with { ApproversRequired = 20 });
        var approvers = Enumerable.Range(0, 20).Select(i => new ChatUser("webchat", $"approver-{i:D2}", $"Approver {i}")).ToList();

        var decisions = await Task.WhenAll(approvers.Select((u, i) => Task.Run(() =>
            (i % 2 == 0 ? StoreA : StoreB).TryRecordClickAsync(request.Id, Channel, r => Decide(r, ClickVerb.Approve, u), CancellationToken.None))));

        Assert.Single(decisions, d => d!.Outcome == ClickOutcome.ApprovedComplete);
        Assert.Equal(19, decisions.Count(d => d!.Outcome == ClickOutcome.Accepted));
        var read = (await StoreA.GetAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(RemediationRequestState.Approved, read.State);
        Assert.Equal(approvers.Select(u => u.UserId).Order(StringComparer.Ordinal), read.Approvals.Select(a => a.Approver.UserId).Order(StringComparer.Ordinal));
        Assert.Equal(20, (await Audit.ListAsync(request.Id, CancellationToken.None)).Count(e => e.Action == RemediationAuditAction.Approved));
    }

    [Fact]
    public async Task TryRecordClickAsync_RebootTwentyClicksByTenApproversOnTwoReplicas_ApprovedOnceByTwo()
    {
        var request = await NewRequestAsync(RemediationKind.Reboot);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
        {
            var u = new ChatUser("webchat", $"approver-{i % 10}", $"Approver {i % 10}");
            return (i % 2 == 0 ? StoreA : StoreB).TryRecordClickAsync(request.Id, Channel, r => Decide(r, ClickVerb.Approve, u), CancellationToken.None);
        })));

        Assert.Single(decisions, d => d!.Outcome == ClickOutcome.ApprovedComplete);
        Assert.Single(decisions, d => d!.Outcome == ClickOutcome.Accepted);
        Assert.All(decisions, d => Assert.Contains(d!.Outcome, new[] { ClickOutcome.ApprovedComplete, ClickOutcome.Accepted, ClickOutcome.Duplicate, ClickOutcome.RefusedClosed }));
        var read = (await StoreB.GetAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(2, read.Approvals.Select(a => a.Approver.UserId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(2, read.Approvals.Count);
        var audit = await Audit.ListAsync(request.Id, CancellationToken.None);
        Assert.Equal(21, audit.Count);
        Assert.Equal(18, audit.Count(e => e.Action == RemediationAuditAction.ClickRefused));
    }

    [Fact]
    public async Task TryRecordClickAsync_OnePersonOnTwoAccountsOnTwoReplicas_CountsOnce_AndThePersonIsStored()
    {
        var request = await NewRequestAsync(RemediationKind.Reboot);
        var bobWeb = new ChatUser("webchat", "bob", "Bob");
        var bobSlack = new ChatUser("slack", "U0BOB", "Bob (Slack)");

        var decisions = await Task.WhenAll(new[] { (StoreA, bobWeb), (StoreB, bobSlack) }.Select(c => Task.Run(() =>
            c.Item1.TryRecordClickAsync(request.Id, Channel, r => DecideAs(r, c.Item2, "bob"), CancellationToken.None))));

        Assert.Equal([ClickOutcome.Accepted, ClickOutcome.Duplicate], decisions.Select(d => d!.Outcome).Order());
        var read = (await StoreA.GetAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(RemediationRequestState.Pending, read.State);
        Assert.Equal("bob", Assert.Single(read.Approvals).PersonId);
    }

    [Fact]
    public async Task ApproverPersonIndex_ADecisionThatCountsOnePersonTwice_IsRefusedByTheDatabase()
    {
        var request = await NewRequestAsync(RemediationKind.Reboot);
        await StoreA.TryRecordClickAsync(request.Id, Channel, r => DecideAs(r, new ChatUser("webchat", "bob", "Bob"), "bob"), CancellationToken.None);

        // A decide function that ignores the person (a bug, or an older replica): the unique index still holds.
        await Assert.ThrowsAnyAsync<Exception>(() => StoreB.TryRecordClickAsync(request.Id, Channel, r => DecideAs(r, new ChatUser("slack", "U0BOB", "Bob"), "bob-elsewhere") is var d
            ? d with { Request = d.Request with { Approvals = [.. d.Request.Approvals.Select(a => a with { PersonId = "bob" })] } }
            : d, CancellationToken.None));

        var read = (await StoreA.GetAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(("bob", RemediationRequestState.Pending), (Assert.Single(read.Approvals).PersonId, read.State));
    }

    [Fact]
    public async Task TryRecordClickAsync_SelfApprovalThenReject_AuditedWithChannelAndNothingApproved()
    {
        var request = await NewRequestAsync(RemediationKind.Reboot);
        var bob = new ChatUser("webchat", "bob", "Bob");
        var otherThread = new ChatChannel("webchat", "netops", "thread-2");

        var self = await StoreA.TryRecordClickAsync(request.Id, Channel, r => Decide(r, ClickVerb.Approve, Alice), CancellationToken.None);
        var reject = await StoreB.TryRecordClickAsync(request.Id, otherThread, r => Decide(r, ClickVerb.Reject, bob), CancellationToken.None);
        var late = await StoreA.TryRecordClickAsync(request.Id, Channel, r => Decide(r, ClickVerb.Approve, bob), CancellationToken.None);
        var missing = await StoreA.TryRecordClickAsync(RemediationRequestId.New(), Channel, r => Decide(r, ClickVerb.Approve, bob), CancellationToken.None);

        Assert.Equal(ClickOutcome.RefusedSelfApproval, self!.Outcome);
        Assert.Equal((ClickOutcome.Rejected, RemediationRequestState.Rejected), (reject!.Outcome, reject.Request.State));
        Assert.Equal(ClickOutcome.RefusedClosed, late!.Outcome);
        Assert.Null(missing);
        var read = (await StoreA.GetAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(("bob", 0), (read.RejectedBy?.Approver.UserId, read.Approvals.Count));
        var audit = await Audit.ListAsync(request.Id, CancellationToken.None);
        Assert.Equal(
            [RemediationAuditAction.Requested, RemediationAuditAction.ClickRefused, RemediationAuditAction.Rejected, RemediationAuditAction.ClickRefused],
            audit.Select(e => e.Action));
        Assert.Equal(("bob", "thread-2", nameof(ClickOutcome.Rejected)), (audit[2].Actor.UserId, audit[2].Channel.ThreadId, audit[2].Outcome));
        Assert.False(await StoreA.TryClaimExecutionAsync(request.Id, Lease("host-1"), Time.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task TryClaimExecutionAsync_TwentyCallersOnTwoReplicas_ExactlyOneWins()
    {
        var request = await ApprovedRequestAsync();

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            (i % 2 == 0 ? StoreA : StoreB).TryClaimExecutionAsync(request.Id, Lease($"host-{i}"), Time.GetUtcNow(), CancellationToken.None))));

        Assert.Single(claims, c => c);
        var winner = $"host-{Array.IndexOf(claims, true)}";
        var read = (await StoreA.GetAsync(request.Id, CancellationToken.None))!;
        Assert.Equal((RemediationRequestState.Executing, winner), (read.State, read.ExecutionOwner));
        Assert.Single(await Audit.ListAsync(request.Id, CancellationToken.None), e => e.Action == RemediationAuditAction.ExecutionStarted);
    }

    [Fact]
    public async Task TryClaimExecutionAsync_PendingRequest_False()
    {
        var request = await NewRequestAsync(RemediationKind.Reboot);
        Assert.False(await StoreA.TryClaimExecutionAsync(request.Id, Lease("host-1"), Time.GetUtcNow(), CancellationToken.None));
        Assert.Equal(RemediationRequestState.Pending, (await StoreA.GetAsync(request.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task CompleteExecutionAsync_OwnerOnly_RecordsResultOnce()
    {
        var request = await ApprovedRequestAsync();
        Assert.True(await StoreA.TryClaimExecutionAsync(request.Id, Lease("host-1"), Time.GetUtcNow(), CancellationToken.None));

        var intruder = await StoreB.CompleteExecutionAsync(request.Id, "host-2", RemediationRequestState.Executed, "x", Time.GetUtcNow(), CancellationToken.None);
        var owner = await StoreB.CompleteExecutionAsync(request.Id, "host-1", RemediationRequestState.Executed, "recovered: 0.0.0.0:22 listening", Time.GetUtcNow(), CancellationToken.None);
        var again = await StoreA.CompleteExecutionAsync(request.Id, "host-1", RemediationRequestState.Failed, "y", Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal((false, true, false), (intruder, owner, again));
        var read = (await StoreA.GetAsync(request.Id, CancellationToken.None))!;
        Assert.Equal((RemediationRequestState.Executed, "recovered: 0.0.0.0:22 listening"), (read.State, read.ResultSummary));
        var finished = Assert.Single(await Audit.ListAsync(request.Id, CancellationToken.None), e => e.Action == RemediationAuditAction.ExecutionFinished);
        Assert.Equal(("host-1", "Executed"), (finished.Actor.UserId, finished.Outcome));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            StoreA.CompleteExecutionAsync(request.Id, "host-1", RemediationRequestState.Approved, "z", Time.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task MarkInterruptedExecutionsAsync_DeadOwner_InterruptedOnceAndNeverClaimedAgain()
    {
        var dead = await ApprovedRequestAsync(RemediationKind.Reboot);
        var alive = await ApprovedRequestAsync();
        Assert.True(await StoreA.TryClaimExecutionAsync(dead.Id, Lease("host-old"), Time.GetUtcNow(), CancellationToken.None));
        Assert.True(await StoreA.TryClaimExecutionAsync(alive.Id, Lease("host-live"), Time.GetUtcNow(), CancellationToken.None));
        var sweep = new ExecutionSweep { DeadOwners = ["host-old"], SweeperInstance = "host-new" };

        var swept = await Task.WhenAll(
            StoreA.MarkInterruptedExecutionsAsync(sweep, Time.GetUtcNow(), CancellationToken.None),
            StoreB.MarkInterruptedExecutionsAsync(sweep, Time.GetUtcNow(), CancellationToken.None));

        var interrupted = Assert.Single(swept.SelectMany(s => s));
        Assert.Equal((dead.Id, RemediationRequestState.Interrupted, RemediationKind.Reboot), (interrupted.Id, interrupted.State, interrupted.Kind));
        Assert.False(await StoreB.TryClaimExecutionAsync(dead.Id, Lease("host-new"), Time.GetUtcNow(), CancellationToken.None));
        Assert.False(await StoreB.CompleteExecutionAsync(dead.Id, "host-old", RemediationRequestState.Executed, "late", Time.GetUtcNow(), CancellationToken.None));
        Assert.Equal(RemediationRequestState.Executing, (await StoreA.GetAsync(alive.Id, CancellationToken.None))!.State);
        var entry = Assert.Single(await Audit.ListAsync(dead.Id, CancellationToken.None), e => e.Action == RemediationAuditAction.Interrupted);
        Assert.Equal("host-new", entry.Actor.UserId);
    }

    [Fact]
    public async Task MarkInterruptedExecutionsAsync_LeaseExpired_InterruptsUnlessRenewed()
    {
        var stale = await ApprovedRequestAsync();
        var renewed = await ApprovedRequestAsync();
        Assert.True(await StoreA.TryClaimExecutionAsync(stale.Id, Lease("host-1"), Time.GetUtcNow(), CancellationToken.None));
        Assert.True(await StoreA.TryClaimExecutionAsync(renewed.Id, Lease("host-2"), Time.GetUtcNow(), CancellationToken.None));
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await StoreB.RenewExecutionLeaseAsync(renewed.Id, Lease("host-2"), CancellationToken.None));
        Assert.False(await StoreB.RenewExecutionLeaseAsync(renewed.Id, Lease("host-1"), CancellationToken.None));

        var swept = await StoreA.MarkInterruptedExecutionsAsync(new ExecutionSweep { LeaseExpiredBefore = Time.GetUtcNow() }, Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(stale.Id, Assert.Single(swept).Id);
        Assert.Empty(await StoreA.MarkInterruptedExecutionsAsync(new ExecutionSweep(), Time.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task ExpireAsync_PastExpiry_ExpiresPendingRequestsOnce()
    {
        var old = await NewRequestAsync(RemediationKind.Reboot);
        Time.Advance(TimeSpan.FromMinutes(10));
        var young = await NewRequestAsync(RemediationKind.Config);
        Time.Advance(TimeSpan.FromMinutes(5));

        var expired = await Task.WhenAll(StoreA.ExpireAsync(Time.GetUtcNow(), CancellationToken.None), StoreB.ExpireAsync(Time.GetUtcNow(), CancellationToken.None));

        Assert.Equal(old.Id, Assert.Single(expired.SelectMany(e => e)).Id);
        Assert.Equal(RemediationRequestState.Expired, (await StoreA.GetAsync(old.Id, CancellationToken.None))!.State);
        Assert.Equal(RemediationRequestState.Pending, (await StoreA.GetAsync(young.Id, CancellationToken.None))!.State);
        Assert.Single(await Audit.ListAsync(old.Id, CancellationToken.None), e => e.Action == RemediationAuditAction.Expired);
        var click = await StoreB.TryRecordClickAsync(old.Id, Channel, r => Decide(r, ClickVerb.Approve, new ChatUser("webchat", "bob", "Bob")), CancellationToken.None);
        Assert.Equal(ClickOutcome.RefusedExpired, click!.Outcome);
    }

    [Fact]
    public async Task AuditLog_AppendAndListByIncident_InWriteOrder()
    {
        var first = await NewRequestAsync(RemediationKind.Config);
        var second = await NewRequestAsync(RemediationKind.Reboot, r => r with { IncidentId = first.IncidentId });
        var recheck = RemediationAuditEntry.For(second, RemediationAuditAction.Rechecked, "unchanged", RemediationAuditEntry.Bot("host-1"), Channel, Time.GetUtcNow(), "diagnosis re-run: same root causes");

        var appended = await Audit.AppendAsync(recheck, CancellationToken.None);
        var all = await Audit.ListAsync(first.IncidentId, CancellationToken.None);

        Assert.True(appended.Sequence > 0);
        Assert.Equal(
            [(first.Id, RemediationAuditAction.Requested), (second.Id, RemediationAuditAction.Requested), (second.Id, RemediationAuditAction.Rechecked)],
            all.Select(e => (e.RequestId, e.Action)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Audit.AppendAsync(recheck with { RequestId = RemediationRequestId.New() }, CancellationToken.None));
    }

    [Fact]
    public async Task AuditRows_RawUpdateOrDelete_RejectedByTrigger()
    {
        var request = await NewRequestAsync(RemediationKind.Reboot);

        var update = await Record.ExceptionAsync(() => ExecuteRawAsync($"UPDATE remediation_audit SET outcome = 'Approved' WHERE request_id = '{request.Id}'"));
        var delete = await Record.ExceptionAsync(() => ExecuteRawAsync($"DELETE FROM remediation_audit WHERE request_id = '{request.Id}'"));

        Assert.Contains("append-only", update?.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete?.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(RemediationRequestState.Pending), Assert.Single(await Audit.ListAsync(request.Id, CancellationToken.None)).Outcome);
    }

    private ServiceProvider Replica(string name)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddNetOpsBotStorage(ForReplica(name));
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    // Everyone in these tests except the requester is an approver; membership refusals are unit-tested in Core.
    private ClickDecision Decide(RemediationRequest r, ClickVerb verb, ChatUser who) =>
        ApprovalStateMachine.Decide(r, verb, who, clickerIsApprover: true, Time.GetUtcNow());

    private async Task RejectAsync(RemediationRequest request)
    {
        var rejected = await StoreA.TryRecordClickAsync(request.Id, Channel, r => Decide(r, ClickVerb.Reject, new ChatUser("webchat", "bob", "Bob")), CancellationToken.None);
        Assert.Equal(ClickOutcome.Rejected, rejected!.Outcome);
    }

    private ClickDecision DecideAs(RemediationRequest r, ChatUser who, string personId) =>
        ApprovalStateMachine.Decide(r, ClickVerb.Approve, new ClickContext(who, Channel) { ClickerPersonId = personId, ClickerIsApprover = true, RequesterPersonId = "alice" }, Time.GetUtcNow());

    private IncidentLease Lease(string owner) => new(owner, Time.GetUtcNow().AddSeconds(30));

    private async Task<RemediationRequest> ApprovedRequestAsync(RemediationKind kind = RemediationKind.Config)
    {
        var request = await NewRequestAsync(kind);
        ClickDecision? d = null;
        foreach (var approver in Approvers.Take(request.ApproversRequired))
        {
            d = await StoreA.TryRecordClickAsync(request.Id, Channel, r => Decide(r, ClickVerb.Approve, new ChatUser("webchat", approver, approver)), CancellationToken.None);
        }

        Assert.Equal(ClickOutcome.ApprovedComplete, d!.Outcome);
        return d.Request;
    }

    private async Task<RemediationRequest> NewRequestAsync(RemediationKind kind, Func<RemediationRequest, RemediationRequest>? adjust = null)
    {
        var incident = Incident.Open(DeviceName.Parse("sw-access-12"), Alice, Channel, Time.GetUtcNow());
        var requested = new TimelineEventDraft(TimelineEventKind.Requested, "webchat:alice", "Alice asked: /sshdiag sw-access-12", null, Time.GetUtcNow());
        var created = await Incidents.CreateAsync(incident, requested, Guid.NewGuid().ToString("N"), CancellationToken.None);
        var command = kind == RemediationKind.Reboot
            ? CommandTemplate.Parse("reboot").Render()
            : CommandTemplate.Parse("ip route-static 0.0.0.0 0.0.0.0 {gw:ipv4}").TryRender(new Dictionary<string, string> { ["gw"] = "10.0.0.1" }).Command!;
        var plan = new RemediationPlan(kind == RemediationKind.Reboot ? "reboot-1" : "route-1", SshUnreachableCauses.Healthy, "fix", [command], kind, ApprovalPolicy.For(kind));
        var request = RemediationRequest.Create(
            created.Incident.Id, incident.Device, plan, ["return-route-missing", "listener-stuck"], Time.GetUtcNow().AddMinutes(-1), Alice, Channel, Time.GetUtcNow(), new ApprovalOptions());
        request = adjust?.Invoke(request) ?? request;
        await StoreA.CreateAsync(request, CancellationToken.None);
        return request;
    }
}
