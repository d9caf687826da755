using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Tests.Incidents;

/// <summary>
/// Issue 14, design change 2: the incident lifecycle as pure rules on a fake clock. Every state is checked
/// against every lease situation a sweep can meet, and a 15-minute recovery watch keeps its lease throughout.
/// </summary>
public sealed class IncidentLifecycleTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private const string Owner = "replica-1";
    private const string Sweeper = "replica-2";

    public static TheoryData<IncidentState, int> EveryStateAndClockOffset()
    {
        var data = new TheoryData<IncidentState, int>();
        foreach (var state in Enum.GetValues<IncidentState>())
        {
            // Seconds after the lease was last renewed (lease 30 s): fresh, nearly expired, at the end, expired, long gone.
            foreach (var offset in new[] { 0, 29, 30, 31, 900 })
            {
                data.Add(state, offset);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStateAndClockOffset))]
    public void Decide_EveryState_EveryLeaseExpiry_InterruptsOnlyLeasedWorkWhoseLeaseExpiredAndOwnerIsGone(IncidentState state, int secondsAfterRenewal)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var row = new LeaseSnapshot(state, Owner, time.GetUtcNow() + Lease);
        time.Advance(TimeSpan.FromSeconds(secondsAfterRenewal));
        var now = time.GetUtcNow();
        var leased = state is IncidentState.Running or IncidentState.Remediating;
        var expired = secondsAfterRenewal >= 30;

        // Another replica sweeping, knowing nothing about the owner.
        var stranger = IncidentLifecycle.Decide(row, now, TimeSpan.Zero, []);
        Assert.Equal(!leased ? SweepVerdict.NotLeased : expired ? SweepVerdict.Interrupt : SweepVerdict.LeaseValid, stranger);

        // The owner's own sweep while it runs the activity: never interrupted, whatever the stored lease says.
        var self = IncidentLifecycle.Decide(row, now, TimeSpan.Zero, [], owner => owner == Owner);
        Assert.Equal(!leased ? SweepVerdict.NotLeased : SweepVerdict.OwnerAlive, self);

        // A grace period longer than the lapse keeps the work.
        var withGrace = IncidentLifecycle.Decide(row, now, TimeSpan.FromSeconds(secondsAfterRenewal + 1), []);
        Assert.Equal(!leased ? SweepVerdict.NotLeased : SweepVerdict.LeaseValid, withGrace);

        // An owner known dead (the previous run of a single SQLite host) loses its work even with a valid lease.
        var dead = IncidentLifecycle.Decide(row, now, TimeSpan.Zero, [Owner]);
        Assert.Equal(!leased ? SweepVerdict.NotLeased : SweepVerdict.Interrupt, dead);

        // A leased state with no lease at all: nobody can ever finish it.
        var orphan = IncidentLifecycle.Decide(row with { OwnerInstance = null, LeaseUntil = null }, now, TimeSpan.Zero, []);
        Assert.Equal(!leased ? SweepVerdict.NotLeased : SweepVerdict.Interrupt, orphan);
    }

    [Fact]
    public void IsLeased_ExactlyTheStatesWhereAHostWorks()
    {
        Assert.Equal(
            [IncidentState.Running, IncidentState.Remediating],
            IncidentLifecycle.States.Where(IncidentLifecycle.IsLeased).ToList());
        Assert.Equal(IncidentState.Running, IncidentLifecycle.StateOf(IncidentActivity.Diagnosis));
        foreach (var activity in new[] { IncidentActivity.Execution, IncidentActivity.RecoveryWatch, IncidentActivity.Rediagnosis })
        {
            Assert.Equal(IncidentState.Remediating, IncidentLifecycle.StateOf(activity));
        }
    }

    [Theory]
    [InlineData(IncidentState.Diagnosed, IncidentState.Remediating, true)]
    [InlineData(IncidentState.AwaitingApproval, IncidentState.Remediating, true)]
    [InlineData(IncidentState.Interrupted, IncidentState.Remediating, true)]
    [InlineData(IncidentState.Remediating, IncidentState.Remediating, true)]
    [InlineData(IncidentState.Running, IncidentState.Diagnosed, true)]
    [InlineData(IncidentState.Remediating, IncidentState.Resolved, true)]
    [InlineData(IncidentState.Resolved, IncidentState.Remediating, false)]
    [InlineData(IncidentState.Resolved, IncidentState.Interrupted, false)]
    [InlineData(IncidentState.Diagnosed, IncidentState.Running, false)]
    [InlineData(IncidentState.Diagnosed, IncidentState.Interrupted, false)]
    [InlineData(IncidentState.AwaitingApproval, IncidentState.Interrupted, false)]
    public void CanMove_FollowsTheLifecycle(IncidentState from, IncidentState to, bool allowed) =>
        Assert.Equal(allowed, IncidentLifecycle.CanMove(from, to));

    [Fact]
    public void Validate_IntoALeasedStateWithoutALease_IsRefused()
    {
        var bare = new StateTransition(IncidentState.Diagnosed, IncidentState.Remediating);
        Assert.Contains(IncidentLifecycle.Validate(bare), p => p.Contains("needs a lease", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => IncidentLifecycle.EnsureValid(bare));

        var leased = bare with { Lease = new IncidentLease(Owner, DateTimeOffset.UnixEpoch) };
        Assert.Empty(IncidentLifecycle.Validate(leased));
        Assert.NotEmpty(IncidentLifecycle.Validate(new StateTransition(IncidentState.Resolved, IncidentState.Diagnosed)));
    }

    /// <summary>
    /// The owner renews for the whole of a 15-minute reboot watch; another replica sweeping every 10 s never sees an
    /// expired lease. Once the owner stops (no more renewals), the next sweep after the lease ends interrupts.
    /// </summary>
    [Fact]
    public async Task LeaseKeeper_FifteenMinuteWatch_NeverLooksDeadToAnotherReplica_ThenExpiresWhenTheOwnerStops()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var row = new LeaseSnapshot(IncidentState.Remediating, Owner, time.GetUtcNow() + Lease);
        var ended = false;
        var keeper = LeaseKeeper.Start(time, Lease, until =>
        {
            row = row with { LeaseUntil = until };
            return Task.CompletedTask;
        }, () => ended = true);

        for (var s = 0; s < 15 * 60; s += 10)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await Task.Yield();
            Assert.Equal(SweepVerdict.LeaseValid, IncidentLifecycle.Decide(row, time.GetUtcNow(), TimeSpan.Zero, []));
        }

        Assert.True(keeper.Renewals >= 89, $"renewals: {keeper.Renewals}");
        keeper.Dispose();
        Assert.True(ended);

        time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Equal(SweepVerdict.LeaseValid, IncidentLifecycle.Decide(row, time.GetUtcNow(), TimeSpan.Zero, []));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(SweepVerdict.Interrupt, IncidentLifecycle.Decide(row, time.GetUtcNow(), TimeSpan.Zero, []));
    }

    [Fact]
    public void LeaseKeeper_RenewalFailures_AreRetriedOnTheNextTick()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        using var keeper = LeaseKeeper.Start(time, Lease, _ => ++calls == 1 ? throw new TimeoutException("database busy") : Task.CompletedTask);
        time.Advance(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, calls);
    }
}
