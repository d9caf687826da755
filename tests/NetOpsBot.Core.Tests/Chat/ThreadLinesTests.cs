using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Tests.Incidents;

namespace NetOpsBot.Core.Tests.Chat;

/// <summary>
/// The thread rules, counted on the reference case (four runs, three fixes): one line per meaningful event, one
/// verdict line per run, no "started" or progress lines, no line twice, fixes by title and not by plan id.
/// </summary>
public sealed class ThreadLinesTests
{
    private static readonly string[] PlanIds = ["return-route-missing.default-route", "listener-stuck.ssh-server-port", "listener-stuck.reboot"];

    public static TheoryData<string> Shapes => ["typed", "legacy"];

    private static IReadOnlyList<TimelineEvent> Timeline(string shape) => shape == "typed" ? ReferenceCaseTimeline.Typed() : ReferenceCaseTimeline.Legacy();

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ReferenceCase_OneVerdictLinePerRun_NoStartedOrProgressLines_NoDuplicate_NoPlanIds(string shape)
    {
        var timeline = Timeline(shape);
        var lines = ThreadLines.Compose(timeline).Select(l => l.Text).ToList();
        var runs = timeline.Count(e => e.Kind == TimelineEventKind.Verdict);

        Assert.Equal(5, runs);
        Assert.Equal(runs, lines.Count(l => l.StartsWith("Verdict", StringComparison.Ordinal) || l.StartsWith("Re-check before", StringComparison.Ordinal)));
        if (shape == "legacy")
        {
            // Rows from before typed events do not say which fix a run followed: the runs are numbered instead.
            Assert.Contains("Verdict of run 5: healthy", lines);
            return;
        }

        Assert.DoesNotContain(lines, l => l.Contains("started", StringComparison.OrdinalIgnoreCase) || l.StartsWith("Re-running", StringComparison.Ordinal) || l.StartsWith("Ran `", StringComparison.Ordinal));
        Assert.Equal(lines.Count, lines.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(lines, l => PlanIds.Any(id => l.Contains(id, StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains("listener-stuck", StringComparison.Ordinal) || l.Contains("return-route-missing", StringComparison.Ordinal));
        Assert.Equal(
            [
                "Verdict: SSH listener stuck on another port + No route back to the management subnet",
                "Verdict after Add a default route via 10.12.0.1: SSH listener stuck on another port",
                "Verdict after Re-apply ssh server port 22: SSH listener stuck on another port",
                "Re-check before Save and reboot to flush the stuck listener: SSH listener stuck on another port",
                "Verdict after Save and reboot to flush the stuck listener: healthy",
            ],
            lines.Where(l => l.StartsWith("Verdict", StringComparison.Ordinal) || l.StartsWith("Re-check", StringComparison.Ordinal)).ToList());
        Assert.Contains("Still open after Re-apply ssh server port 22: SSH listener stuck on another port", lines);
        Assert.Contains("sw-access-12 is healthy again: incident resolved", lines);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ReferenceCase_EveryMeaningfulEventKeepsItsLine(string shape)
    {
        var timeline = Timeline(shape);
        var kept = ThreadLines.Compose(timeline).Select(l => l.Event.Kind).ToList();

        Assert.Equal(1, kept.Count(k => k == TimelineEventKind.Requested));
        Assert.Equal(3, kept.Count(k => k == TimelineEventKind.ActionStarted));
        Assert.Equal(3, kept.Count(k => k == TimelineEventKind.ActionFinished));
        Assert.Equal(4, kept.Count(k => k == TimelineEventKind.ApprovalGranted));
        Assert.Equal(1, kept.Count(k => k == TimelineEventKind.Recovery));
        Assert.Equal(timeline.Where(e => e.Kind == TimelineEventKind.RemediationOffered).Select(e => e.Summary).Distinct().Count(), kept.Count(k => k == TimelineEventKind.RemediationOffered));
        Assert.DoesNotContain(TimelineEventKind.StepStarted, kept);

        // The first run's steps all have a line; a later run's step only when it found something new.
        var firstRunSteps = timeline.TakeWhile(e => e.Kind != TimelineEventKind.Verdict).Count(e => e.Kind == TimelineEventKind.StepFinished);
        Assert.True(kept.Count(k => k == TimelineEventKind.StepFinished) >= firstRunSteps);
    }

    [Fact]
    public void VerdictStepAndVerdictEvent_OneVerdictLine()
    {
        var id = IncidentId.New();
        var cause = new VerdictCause("listener-stuck", "SSH listener stuck on another port", "ghost port", "listener.ghost-port", "High", []);
        TimelineEvent Row(long n, TimelineEventKind kind, string summary, IncidentEvent typed) =>
            new(id, n, ReferenceCaseTimeline.T0.AddSeconds(n), kind, "netopsbot", summary, IncidentEvents.Serialize(typed));

        var lines = ThreadLines.Compose(
        [
            Row(1, TimelineEventKind.StepStarted, "Verdict: started", new StepStartedEvent("verdict", "Verdict")),
            Row(2, TimelineEventKind.StepFinished, "Verdict: Fail - SSH listener stuck on another port", new StepFinishedEvent("verdict", "Verdict", "Fail", "SSH listener stuck on another port", [], [], string.Empty, 1)),
            Row(3, TimelineEventKind.Verdict, "Verdict: listener-stuck", new VerdictEvent([cause], [])),
        ]).Select(l => l.Text).ToList();

        Assert.Equal(["Verdict: SSH listener stuck on another port"], lines);
    }

    [Fact]
    public void RecoveredSentence_ProgressDoneAndRecovery_IsOneLine()
    {
        const string Sentence = "sw-access-12 recovered: back on TCP 22 after 1 min 30 s down, 0.0.0.0:22 listening, SSH login through the jump host works";
        var id = IncidentId.New();
        var rows = new List<TimelineEvent>();
        void Add(TimelineEventKind kind, string summary, IncidentEvent typed) =>
            rows.Add(new TimelineEvent(id, rows.Count + 1, ReferenceCaseTimeline.T0.AddSeconds(rows.Count), kind, "netopsbot", summary, IncidentEvents.Serialize(typed)));

        Add(TimelineEventKind.ActionStarted, "Running REQ-3 on sw-access-12: save; reboot", new ExecutionStartedEvent("listener-stuck.reboot", "REQ-3", ["save", "reboot"]));
        Add(TimelineEventKind.Note, Sentence, new ExecutionProgressEvent());
        Add(TimelineEventKind.ActionFinished, "Done: " + Sentence, new ExecutionFinishedEvent("listener-stuck.reboot", "REQ-3", true, true, "0.0.0.0:22 Listening", []));
        Add(TimelineEventKind.Recovery, Sentence, new RecoveryEvent { CameBack = true, WentDown = true, Summary = Sentence });

        var lines = ThreadLines.Compose(rows).Select(l => l.Text).ToList();

        Assert.Equal(["Running REQ-3 on sw-access-12: save; reboot", "Done: " + Sentence], lines);
        Assert.Single(lines, l => l.Contains("recovered", StringComparison.Ordinal));
    }

    [Fact]
    public void FixOverTheConsole_SaysSo_OverSsh_NoLine()
    {
        const string Console = "Connected to sw-access-12 over the console (lab-console port 7002): no SSH port of the device gave a session";
        var id = IncidentId.New();
        var rows = new List<TimelineEvent>();
        void Add(TimelineEventKind kind, string summary, IncidentEvent typed) =>
            rows.Add(new TimelineEvent(id, rows.Count + 1, ReferenceCaseTimeline.T0.AddSeconds(rows.Count), kind, "netopsbot", summary, IncidentEvents.Serialize(typed)));

        Add(TimelineEventKind.ActionStarted, "Running REQ-1 on sw-access-12: system-view; ip route-static 0.0.0.0 0.0.0.0 10.12.0.1; return", new ExecutionStartedEvent("return-route-missing.default-route", "REQ-1", ["system-view"]));
        Add(TimelineEventKind.Note, "Opening a CLI session to sw-access-12", new ExecutionProgressEvent());
        Add(TimelineEventKind.Note, Console, new ExecutionProgressEvent { Path = "console" });
        Add(TimelineEventKind.Note, "Connected to sw-access-12 over SSH port 64443", new ExecutionProgressEvent { Path = "ssh" });

        var lines = ThreadLines.Compose(rows).Select(l => l.Text).ToList();

        Assert.Equal(["Running REQ-1 on sw-access-12: system-view; ip route-static 0.0.0.0 0.0.0.0 10.12.0.1; return", Console], lines);
    }

    [Fact]
    public async Task Composer_LiveNotificationsOutOfOrderOrRepeated_SameLinesAsTheWholeTimeline()
    {
        var timeline = ReferenceCaseTimeline.Typed();
        var store = new Fakes.InMemoryIncidentStore();
        var incident = ReferenceCaseTimeline.Incident;
        var first = timeline[0];
        await store.CreateAsync(incident, new TimelineEventDraft(first.Kind, first.Actor, first.Summary, first.Data, first.At), "k", CancellationToken.None);
        foreach (var e in timeline.Skip(1))
        {
            await store.AppendAsync(incident.Id, new TimelineEventDraft(e.Kind, e.Actor, e.Summary, e.Data, e.At), CancellationToken.None);
        }

        var stored = await store.TimelineAsync(incident.Id, 0, CancellationToken.None);
        var composer = new ThreadLineComposer(store);
        var live = new Dictionary<long, string>();

        // This replica sees the incident from event 10 on (another ran the first nine), one pair swapped, one event twice.
        var order = stored.Skip(9).ToList();
        (order[3], order[4]) = (order[4], order[3]);
        order.Insert(6, order[5]);
        foreach (var e in order)
        {
            if (await composer.LineForAsync(e, CancellationToken.None) is { } line)
            {
                Assert.True(live.TryAdd(e.Sequence, line), $"#{e.Sequence} got a second line");
            }
        }

        var expected = ThreadLines.Compose(stored).Where(l => l.Event.Sequence >= 10).ToDictionary(l => l.Event.Sequence, l => l.Text);
        Assert.Equal(expected.OrderBy(x => x.Key), live.OrderBy(x => x.Key));
    }
}
