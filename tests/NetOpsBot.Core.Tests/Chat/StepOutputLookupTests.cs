using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Tests.Fakes;

namespace NetOpsBot.Core.Tests.Chat;

/// <summary>
/// Issue 16 seam 3: the one step-output lookup every surface uses for "Details". It finds the run the button belongs
/// to, and a chat platform reads only the incidents shown on it (the web chat console reads all).
/// </summary>
public sealed class StepOutputLookupTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);
    private static readonly ChatUser Alice = new("teams", "alice", "Alice");
    private readonly InMemoryIncidentStore _store = new();
    private readonly StepOutputLookup _lookup;

    public StepOutputLookupTests() => _lookup = new StepOutputLookup(_store);

    [Fact]
    public async Task EachRunKeepsItsOutput_TheLatestWithoutARun()
    {
        var incident = await TeamsIncidentWithTwoRunsAsync();

        var first = await _lookup.FindAsync(incident.Id, "ssh-config", 1, "teams", CancellationToken.None);
        var latest = await _lookup.FindAsync(incident.Id, "ssh-config", null, "teams", CancellationToken.None);

        Assert.Equal("stelnet server disable", first?.RawOutput);
        Assert.Equal("stelnet server enable", latest?.RawOutput);
        Assert.Equal("SSH configuration", latest?.Title);
        Assert.Null(await _lookup.FindAsync(incident.Id, "no-such-step", null, "teams", CancellationToken.None));
        Assert.Null(await _lookup.FindAsync(incident.Id, null, null, "teams", CancellationToken.None));
    }

    [Fact]
    public async Task AnotherPlatformsIncident_IsNotShown_TheConsoleSeesAll()
    {
        var incident = await TeamsIncidentWithTwoRunsAsync();

        // A Slack click naming a Teams incident's id gets nothing; the operator console gets it.
        Assert.Null(await _lookup.FindAsync(incident.Id, "ssh-config", null, "slack", CancellationToken.None));
        Assert.NotNull(await _lookup.FindAsync(incident.Id, "ssh-config", null, StepOutputLookup.AnyPlatform, CancellationToken.None));
        Assert.Null(await _lookup.FindAsync(IncidentId.New(), "ssh-config", null, StepOutputLookup.AnyPlatform, CancellationToken.None));
    }

    private async Task<Incident> TeamsIncidentWithTwoRunsAsync()
    {
        var incident = Incident.Open(DeviceName.Parse("sw-access-12"), Alice, new ChatChannel("teams", "19:abc", null), T0);
        await _store.CreateAsync(incident, new TimelineEventDraft(TimelineEventKind.Requested, Alice.ToString(), "Alice asked", null, T0), incident.Id.Value, CancellationToken.None);
        await AppendAsync(incident, Step("stelnet server disable"));
        await AppendAsync(incident, new RediagnosisStartedEvent("sw-access-12", RediagnosisStartedEvent.AfterFix, null));
        await AppendAsync(incident, Step("stelnet server enable"));
        return incident;
    }

    private static StepFinishedEvent Step(string output) =>
        new("ssh-config", "SSH configuration", "Ok", "checked", [], ["display current-configuration"], output, 10);

    private Task<TimelineEvent> AppendAsync(Incident incident, IncidentEvent e) =>
        _store.AppendAsync(incident.Id, IncidentEvents.Draft(e, "netopsbot", "event", T0), CancellationToken.None);
}
