using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Tests.Fakes;
using NetOpsBot.Core.Tests.Incidents;
using NetOpsBot.Core.Tests.Runbooks;

namespace NetOpsBot.Core.Tests.Chat;

/// <summary>
/// The issue 17 commands through the channel-neutral router: joining an open incident instead of a duplicate (also
/// five people at once), device lookup by IP and case with a suggestion, <c>incident</c> with its thread summary and
/// <c>history</c> with causes, fixes and approvers, each only in the incident's own conversation.
/// </summary>
public sealed class CommandsTests : IAsyncDisposable
{
    private static readonly ChatChannel Netops = new("webchat", "netops", null);
    private static readonly ChatChannel Other = new("slack", "C-other", null);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-06T01:00:00Z", CultureInfo.InvariantCulture));
    private readonly InMemoryIncidentStore _store = new();
    private readonly RecordingRunner _runner = new() { Hold = true };
    private readonly ListInventory _inventory = new("sw-access-11", "sw-access-12", "sw-core-01");
    private IncidentService? _service;
    private int _requests;

    public async ValueTask DisposeAsync()
    {
        _runner.Release();
        if (_service is not null)
        {
            await Task.WhenAll(_service.Running);
            await _service.DisposeAsync();
        }
    }

    [Fact]
    public async Task FiveUsersAtOnce_OneIncident_FourJoinIt()
    {
        var router = Router();
        var users = Enumerable.Range(1, 5).Select(i => new ChatUser("webchat", "u" + i, "User " + i)).ToList();

        var replies = await Task.WhenAll(users.Select(u => Task.Run(() => router.HandleAsync(Say(u, Netops, "/sshdiag sw-access-12"), CancellationToken.None))));

        var incident = Assert.Single(_store.All);
        Assert.All(replies, r => Assert.Equal((true, incident.Id), (r.Accepted, r.Incident?.Id)));
        Assert.Equal(4, replies.Count(r => r.Joined));
        Assert.All(replies.Where(r => r.Joined), r => Assert.StartsWith($"Already handled: sw-access-12 has an open incident {incident.Id.Value} (", r.Text, StringComparison.Ordinal));
        _runner.Release();
        await Task.WhenAll(_service!.Running);
        Assert.Single(_runner.Runs);
    }

    [Fact]
    public async Task OpenIncident_LaterRequestJoinsIt_ByNameIpOrCase_ClosedIncident_NextRequestOpensANewOne()
    {
        var router = Router();
        var first = await router.HandleAsync(Say(Alice, Netops, "/sshdiag sw-access-12"), CancellationToken.None);
        _runner.Release();
        await Task.WhenAll(_service!.Running);
        Assert.Equal(IncidentState.Diagnosed, (await _store.GetAsync(first.Incident!.Id, CancellationToken.None))!.State);
        _time.Advance(TimeSpan.FromMinutes(3));

        foreach (var typed in new[] { "sw-access-12", "SW-ACCESS-12", "10.0.0.12" })
        {
            var joined = await router.HandleAsync(Say(Bob, Netops, "/sshdiag " + typed), CancellationToken.None);
            Assert.True(joined.Joined, joined.Text);
            Assert.Equal(first.Incident.Id, joined.Incident!.Id);
            Assert.Equal($"Already handled: sw-access-12 has an open incident {first.Incident.Id.Value} (Diagnosed, opened by Alice 3 min ago). You joined it: its card is in this conversation (`/sshdiag incident {first.Incident.Id.Value}` shows it)", joined.Text);
        }

        Assert.Single(_store.All);
        await _store.UpdateStateAsync(first.Incident.Id, new StateTransition(IncidentState.Diagnosed, IncidentState.Resolved), CancellationToken.None);

        // The finished run gives the device's admission back in a continuation of its task; wait for it.
        for (var i = 0; i < 200 && _service!.Running.Count > 0; i++)
        {
            await Task.Delay(10);
        }

        var next = await router.HandleAsync(Say(Bob, Netops, "/sshdiag sw-access-12"), CancellationToken.None);
        Assert.False(next.Joined);
        Assert.NotEqual(first.Incident.Id, next.Incident!.Id);
        Assert.Equal(2, _store.Count);
    }

    [Fact]
    public async Task OpenIncidentOfAnotherConversation_NothingOfItShown_WhileItRunsNoSecondDiagnosis_ThenItsOwnIncident()
    {
        var router = Router();
        var first = await router.HandleAsync(Say(Alice, Netops, "/sshdiag sw-access-12"), CancellationToken.None);

        var elsewhere = await router.HandleAsync(Say(new ChatUser("slack", "U9", "Mallory"), Other, "/sshdiag sw-access-12"), CancellationToken.None);

        Assert.Equal((false, "sw-access-12 already has an open incident in another conversation; it is handled there."), (elsewhere.Accepted, elsewhere.Text));
        Assert.DoesNotContain(first.Incident!.Id.Value, elsewhere.Text, StringComparison.Ordinal);
        Assert.Null(elsewhere.Incident);
        Assert.Single(_store.All);

        // Once no diagnosis of the device runs, the other conversation gets its own incident (it cannot see the first).
        _runner.Release();
        await Task.WhenAll(_service!.Running);
        for (var i = 0; i < 200 && _service.Running.Count > 0; i++)
        {
            await Task.Delay(10);
        }

        var own = await router.HandleAsync(Say(new ChatUser("slack", "U9", "Mallory"), Other, "/sshdiag sw-access-12"), CancellationToken.None);
        Assert.True(own.Accepted, own.Text);
        Assert.False(own.Joined);
        Assert.NotEqual(first.Incident.Id, own.Incident!.Id);
        Assert.DoesNotContain(first.Incident.Id.Value, own.Text, StringComparison.Ordinal);
        Assert.Equal(2, _store.Count);
    }

    [Theory]
    [InlineData("/sshdiag sw-acess-12", "Unknown device `sw-acess-12`: it is not in the inventory. Did you mean sw-access-12?")]
    [InlineData("/sshdiag history SW-COR-01", "Unknown device `SW-COR-01`: it is not in the inventory. Did you mean sw-core-01?")]
    [InlineData("/sshdiag 10.0.0.99", "Unknown device `10.0.0.99`: it is not in the inventory (by name or management IP).")]
    public async Task NearMissOrUnknownIp_RefusedWithASuggestionFromTheInventoryOnly(string text, string answer)
    {
        var reply = await Router().HandleAsync(Say(Alice, Netops, text), CancellationToken.None);

        Assert.Equal((false, answer), (reply.Accepted, reply.Text));
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task ManagementIp_DiagnosesTheInventoryEntry()
    {
        var reply = await Router().HandleAsync(Say(Alice, Netops, "/sshdiag 10.0.0.11"), CancellationToken.None);

        Assert.True(reply.Accepted, reply.Text);
        Assert.Equal("sw-access-11", Assert.Single(_store.All).Device.Value);
    }

    [Fact]
    public async Task ShowIncident_HeadlineWithCausesAndThreadSummary_FromTheStory()
    {
        var router = Router();
        var id = await SeedReferenceCaseAsync(Netops);

        var shown = await router.HandleAsync(Say(Bob, Netops, "/sshdiag incident " + id.Value), CancellationToken.None);

        Assert.True(shown.Accepted);
        var lines = shown.Text.Split('\n');
        Assert.Equal($"{id.Value} · sw-access-12 · Resolved · SSH listener stuck on another port + No route back to the management subnet · opened by Alice 10 min ago (2026-12-06 01:00 UTC)", lines[0]);
        Assert.StartsWith("Timeline (", lines[1], StringComparison.Ordinal);
        Assert.Equal(IncidentDigest.MaxSummaryLines, lines.Length - 2);
        Assert.EndsWith("sw-access-12 is healthy again: incident resolved", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("started", StringComparison.Ordinal) || l.Contains("listener-stuck.", StringComparison.Ordinal));
        Assert.NotNull(shown.Timeline);

        var elsewhere = await router.HandleAsync(Say(Bob, Other, "/sshdiag incident " + id.Value), CancellationToken.None);
        Assert.Equal((false, $"No incident {id.Value}."), (elsewhere.Accepted, elsewhere.Text));
    }

    [Fact]
    public async Task History_ThisConversationsIncidentsOfTheDevice_WithCausesFixesAndApprovers()
    {
        var router = Router();
        var id = await SeedReferenceCaseAsync(Netops);
        await SeedReferenceCaseAsync(Other);

        var history = await router.HandleAsync(Say(Bob, Netops, "/sshdiag history SW-ACCESS-12"), CancellationToken.None);

        Assert.True(history.Accepted);
        var lines = history.Text.Split('\n');
        Assert.Equal("Recent incidents of sw-access-12 (newest first):", lines[0]);
        var line = Assert.Single(lines.Skip(1));
        Assert.StartsWith($"- 2026-12-06 01:00 UTC (10 min ago) · {id.Value} · Resolved · causes: SSH listener stuck on another port + No route back to the management subnet · fixes: ", line, StringComparison.Ordinal);
        Assert.Contains("Add a default route via 10.12.0.1 (fixed it, approved by bob)", line, StringComparison.Ordinal);
        Assert.Contains("Save and reboot to flush the stuck listener (fixed it, approved by bob and carol)", line, StringComparison.Ordinal);
        Assert.Contains("Re-apply ssh server port 22 (applied, not effective, approved by bob)", line, StringComparison.Ordinal);
        Assert.EndsWith("resolved in 4 min 51 s", line, StringComparison.Ordinal);

        var none = await router.HandleAsync(Say(Bob, Netops, "/sshdiag history sw-core-01"), CancellationToken.None);
        Assert.Equal((true, "No incidents of sw-core-01 in this conversation."), (none.Accepted, none.Text));
    }

    private static readonly ChatUser Alice = new("webchat", "alice", "Alice");
    private static readonly ChatUser Bob = new("webchat", "bob", "Bob");

    /// <summary>Stores the reference case's resolved timeline as an incident of <paramref name="channel"/>, ten minutes ago.</summary>
    private async Task<IncidentId> SeedReferenceCaseAsync(ChatChannel channel)
    {
        _time.SetUtcNow(ReferenceCaseTimeline.T0.AddMinutes(10));
        var incident = ReferenceCaseTimeline.Incident with { Id = IncidentId.New(), Channel = channel, RootCauseCodes = ["healthy"] };
        var rows = ReferenceCaseTimeline.Typed();
        var first = rows[0];
        await _store.CreateAsync(incident, new TimelineEventDraft(first.Kind, first.Actor, first.Summary, first.Data, first.At), "seed-" + incident.Id.Value, CancellationToken.None);
        foreach (var e in rows.Skip(1))
        {
            await _store.AppendAsync(incident.Id, new TimelineEventDraft(e.Kind, e.Actor, e.Summary, e.Data, e.At), CancellationToken.None);
        }

        return incident.Id;
    }

    private ChatRequest Say(ChatUser user, ChatChannel channel, string text) =>
        new(user, channel, text, "req-" + Interlocked.Increment(ref _requests).ToString(CultureInfo.InvariantCulture));

    private CommandRouter Router()
    {
        _service = new IncidentService(_store, _runner, new NoNotifier(), _time, new IncidentServiceOptions { InstanceId = "test" }, TestRunbooks.With(_runner));
        return new CommandRouter(_service, _inventory, _store, new AllowList(), new RateLimiter(_time, 100, TimeSpan.FromSeconds(1)), new RateLimiter(_time, 100, TimeSpan.FromSeconds(1)), _time);
    }
}
