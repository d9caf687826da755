using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Tests.Fakes;
using NetOpsBot.Core.Tests.Runbooks;

namespace NetOpsBot.Core.Tests.Chat;

/// <summary>
/// The router is the one channel-neutral door from chat into the product: parse, authorize, rate-limit, look the
/// device up, then open (or find) the incident. In-memory store and inventory, a fake clock for the rate limits.
/// </summary>
public sealed class CommandRouterTests : IAsyncDisposable
{
    private static readonly ChatChannel Netops = new("webchat", "netops", null);
    private static readonly ChatChannel Other = new("webchat", "other", null);
    private static readonly ChatUser Alice = new("webchat", "alice", "Alice");
    private static readonly ChatUser Bob = new("webchat", "bob", "Bob");
    private static readonly ChatUser Carol = new("webchat", "carol", "Carol");

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-06T01:00:00Z", CultureInfo.InvariantCulture));
    private readonly InMemoryIncidentStore _store = new();
    private readonly RecordingRunner _runner = new() { Hold = true };
    private readonly ListInventory _inventory = new("sw-access-11", "sw-access-12", "sw-access-13", "sw-access-14");
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
    public async Task Help_IsAnsweredWithoutLookingAnythingUp()
    {
        var reply = await Router().HandleAsync(Say(Alice, Netops, "/sshdiag help"), CancellationToken.None);

        Assert.True(reply.Accepted);
        Assert.Equal(ChatCommandParser.HelpText(TestRunbooks.Registry), reply.Text);
        Assert.Null(reply.Incident);
        Assert.Equal((0, 0), (_inventory.Lookups, _store.Count));
    }

    [Theory]
    [InlineData("/sshdiag sw-access-12; reboot")]
    [InlineData("/sshdiag $(reboot)")]
    [InlineData("reboot sw-access-12")]
    [InlineData("/sshdiag sw-access-12 --force")]
    [InlineData("/sshdiag incident INC-1; reboot")]
    public async Task InvalidText_IsRefusedWithTheParsersReason_AndReachesNothing(string text)
    {
        var reply = await Router().HandleAsync(Say(Alice, Netops, text), CancellationToken.None);

        Assert.False(reply.Accepted);
        Assert.Equal(Assert.IsType<ChatCommand.Invalid>(ChatCommandParser.Parse(text, TestRunbooks.Registry)).Reason, reply.Text);
        Assert.Equal((0, 0, 0), (_inventory.Lookups, _store.Count, _runner.Runs.Count));
    }

    [Fact]
    public async Task NotAuthorized_IsRefusedNamingThePerson_BeforeRateLimitsOrInventory()
    {
        var router = Router(new AllowList("webchat:bob"), userBurst: 1);

        for (var i = 0; i < 3; i++)
        {
            var reply = await router.HandleAsync(Say(Alice, Netops, "/sshdiag sw-access-12"), CancellationToken.None);
            // Never "too many requests": a refused person neither spends nor learns about anyone's tokens.
            Assert.Equal((false, "Alice, you are not allowed to run diagnostics in this channel."), (reply.Accepted, reply.Text));
        }

        Assert.Equal((0, 0), (_inventory.Lookups, _store.Count));
        Assert.True((await router.HandleAsync(Say(Bob, Netops, "/sshdiag sw-access-12"), CancellationToken.None)).Accepted);
    }

    [Fact]
    public async Task PerUserLimit_RefusesWithTheWaitFromTheClock_OthersUnaffected_ThenRefills()
    {
        var router = Router(userBurst: 2, userRefillSeconds: 10);

        Assert.True((await router.HandleAsync(Say(Alice, Netops, "/sshdiag sw-access-11"), CancellationToken.None)).Accepted);
        Assert.True((await router.HandleAsync(Say(Alice, Netops, "/sshdiag sw-access-12"), CancellationToken.None)).Accepted);
        var refused = await router.HandleAsync(Say(Alice, Netops, "/sshdiag sw-access-13"), CancellationToken.None);
        Assert.Equal((false, "Too many requests from Alice; try again in 10 s."), (refused.Accepted, refused.Text));

        _time.Advance(TimeSpan.FromSeconds(4));
        refused = await router.HandleAsync(Say(Alice, Netops, "/sshdiag sw-access-13"), CancellationToken.None);
        Assert.Equal("Too many requests from Alice; try again in 6 s.", refused.Text);
        Assert.True((await router.HandleAsync(Say(Bob, Netops, "/sshdiag sw-access-14"), CancellationToken.None)).Accepted);

        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.True((await router.HandleAsync(Say(Alice, Netops, "/sshdiag sw-access-13"), CancellationToken.None)).Accepted);
        Assert.Equal(4, _store.Count);
    }

    [Fact]
    public async Task PerChannelLimit_RefusesTheChannel_NotThePerson()
    {
        var router = Router(channelBurst: 2, channelRefillSeconds: 2);

        Assert.True((await router.HandleAsync(Say(Alice, Netops, "/sshdiag sw-access-11"), CancellationToken.None)).Accepted);
        Assert.True((await router.HandleAsync(Say(Bob, Netops, "/sshdiag sw-access-12"), CancellationToken.None)).Accepted);
        var refused = await router.HandleAsync(Say(Carol, Netops, "/sshdiag sw-access-13"), CancellationToken.None);

        Assert.Equal((false, "This channel has too many diagnoses running; try again in 2 s."), (refused.Accepted, refused.Text));
        Assert.True((await router.HandleAsync(Say(Carol, Other, "/sshdiag sw-access-13"), CancellationToken.None)).Accepted);
    }

    [Fact]
    public async Task Limits_AreKeyedByPlatform_TheSameUserIdElsewhereIsSomeoneElse()
    {
        var router = Router(userBurst: 1);
        var slackAlice = new ChatUser("slack", "alice", "Alice on Slack");
        var slackChannel = new ChatChannel("slack", "netops", null);

        Assert.True((await router.HandleAsync(Say(Alice, Netops, "/sshdiag sw-access-11"), CancellationToken.None)).Accepted);
        Assert.True((await router.HandleAsync(Say(slackAlice, slackChannel, "/sshdiag sw-access-12"), CancellationToken.None)).Accepted);
        Assert.False((await router.HandleAsync(Say(slackAlice, slackChannel, "/sshdiag sw-access-13"), CancellationToken.None)).Accepted);
    }

    [Fact]
    public async Task UnknownDevice_IsRefusedByName_NoIncident()
    {
        var reply = await Router().HandleAsync(Say(Alice, Netops, "/sshdiag sw-core-99"), CancellationToken.None);

        Assert.Equal((false, "Unknown device `sw-core-99`: it is not in the inventory (by name or management IP)."), (reply.Accepted, reply.Text));
        Assert.Equal((1, 0, 0), (_inventory.Lookups, _store.Count, _runner.Runs.Count));
    }

    [Fact]
    public async Task KnownDevice_OpensAnIncidentForTheRequester_AndDiagnosesTheInventorysEntry()
    {
        var reply = await Router().HandleAsync(Say(Alice, Netops, "/sshdiag sw-access-12"), CancellationToken.None);

        Assert.True(reply.Accepted);
        var incident = Assert.Single(_store.All);
        Assert.Equal(incident.Id, reply.Incident!.Id);
        Assert.Equal($"Diagnosing SSH on sw-access-12 - incident {incident.Id.Value}.", reply.Text);
        Assert.Equal(("sw-access-12", Alice, Netops), (incident.Device.Value, incident.Requester, incident.Channel));
        _runner.Release();
        await Task.WhenAll(_service!.Running);
        Assert.Equal(ListInventory.Device("sw-access-12"), Assert.Single(_runner.Runs));
    }

    [Fact]
    public async Task RetriedDelivery_IsAnsweredWithTheFirstIncident_ButTheSameIdFromAnotherPlatformIsANewRequest()
    {
        var router = Router();
        var first = await router.HandleAsync(new ChatRequest(Alice, Netops, "/sshdiag sw-access-12", "evt-1"), CancellationToken.None);
        var retried = await router.HandleAsync(new ChatRequest(Alice, Netops, "/sshdiag sw-access-12", "evt-1"), CancellationToken.None);

        Assert.True(retried.Accepted);
        Assert.StartsWith($"Already handled: sw-access-12 has an open incident {first.Incident!.Id.Value} ", retried.Text, StringComparison.Ordinal);
        Assert.Equal(first.Incident.Id, retried.Incident!.Id);
        Assert.Equal(1, _store.Count);

        // Another device, so that only the request id could make it look like the first request.
        var slack = await router.HandleAsync(new ChatRequest(new ChatUser("slack", "U1", "Alice"), new ChatChannel("slack", "C1", null), "/sshdiag sw-access-13", "evt-1"), CancellationToken.None);
        Assert.True(slack.Accepted, slack.Text);
        Assert.NotEqual(first.Incident.Id, slack.Incident!.Id);
        Assert.Equal(2, _store.Count);
    }

    [Fact]
    public async Task ShowIncident_AnswersWithItsStateAndTimeline_UnknownIdIsRefused()
    {
        var router = Router();
        var opened = await router.HandleAsync(Say(Alice, Netops, "/sshdiag sw-access-12"), CancellationToken.None);
        var id = opened.Incident!.Id;

        var shown = await router.HandleAsync(Say(Bob, Netops, "/sshdiag incident " + id.Value.ToLowerInvariant()), CancellationToken.None);

        Assert.True(shown.Accepted);
        var stored = (await _store.GetAsync(id, CancellationToken.None))!;
        Assert.StartsWith($"{id.Value} · sw-access-12 · {stored.State} · opened by Alice 0 s ago", shown.Text, StringComparison.Ordinal);
        Assert.Contains("Alice asked to diagnose SSH on sw-access-12", shown.Text, StringComparison.Ordinal);
        Assert.Equal(id, shown.Incident!.Id);
        Assert.Equal((await _store.TimelineAsync(id, 0, CancellationToken.None)).Select(e => e.Sequence), shown.Timeline!.Select(e => e.Sequence));
        Assert.NotEmpty(shown.Timeline!);

        var unknown = await router.HandleAsync(Say(Bob, Netops, "/sshdiag incident INC-0000000A"), CancellationToken.None);
        Assert.Equal((false, "No incident INC-0000000A."), (unknown.Accepted, unknown.Text));
        Assert.Null(unknown.Incident);
    }

    [Fact]
    public async Task ShowIncident_FromAnotherChannelOrPlatform_AnswersAsIfUnknown()
    {
        var router = Router();
        var id = (await router.HandleAsync(Say(Alice, Netops, "/sshdiag sw-access-12"), CancellationToken.None)).Incident!.Id;

        var elsewhere = await router.HandleAsync(Say(Bob, Other, "/sshdiag incident " + id.Value), CancellationToken.None);
        var otherPlatform = await router.HandleAsync(Say(new ChatUser("slack", "U2", "Bob"), new ChatChannel("slack", "netops", null), "/sshdiag incident " + id.Value), CancellationToken.None);

        foreach (var reply in new[] { elsewhere, otherPlatform })
        {
            Assert.Equal((false, $"No incident {id.Value}."), (reply.Accepted, reply.Text));
            Assert.Null(reply.Incident);
            Assert.Null(reply.Timeline);
        }

        Assert.True((await router.HandleAsync(Say(Bob, new ChatChannel("webchat", "netops", "a-thread"), "/sshdiag incident " + id.Value), CancellationToken.None)).Accepted);
    }

    private ChatRequest Say(ChatUser user, ChatChannel channel, string text) =>
        new(user, channel, text, "req-" + Interlocked.Increment(ref _requests).ToString(CultureInfo.InvariantCulture));

    private CommandRouter Router(IChatAuthorizer? authorizer = null, int userBurst = 100, double userRefillSeconds = 10, int channelBurst = 100, double channelRefillSeconds = 2)
    {
        _service = new IncidentService(_store, _runner, new NoNotifier(), _time, new IncidentServiceOptions { InstanceId = "test" }, TestRunbooks.With(_runner));
        return new CommandRouter(
            _service,
            _inventory,
            _store,
            authorizer ?? new AllowList(),
            new RateLimiter(_time, userBurst, TimeSpan.FromSeconds(userRefillSeconds)),
            new RateLimiter(_time, channelBurst, TimeSpan.FromSeconds(channelRefillSeconds)),
            _time);
    }
}
