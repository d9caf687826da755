using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Core.Tests.Incidents;

/// <summary>
/// The stored JSON of every event kind, checked against <c>incident-events.golden.json</c> (the schema of the timeline's
/// Data column): renaming a field or a discriminator fails here, before rows written by the old name stop loading.
/// A new kind needs a sample here and a golden entry. Regenerate deliberately with NETOPSBOT_WRITE_GOLDEN=1.
/// </summary>
public sealed class IncidentEventShapeTests
{
    private static readonly string GoldenPath = Path.Combine(AppContext.BaseDirectory, "Incidents", "incident-events.golden.json");

    private static readonly IncidentEvent[] Samples =
    [
        new DiagnosisRequestedEvent("sw-access-12", "alert SSHDown from Alertmanager")
        {
            Alert = new AlertOrigin("alertmanager", "Alertmanager", "SSHDown", new Dictionary<string, string> { ["alertname"] = "SSHDown", ["instance"] = "10.12.0.12:22" })
            {
                Identity = "4f1c2a",
                Url = "http://127.0.0.1:9090/graph",
                StartsAt = new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero),
            },
        },
        new StepStartedEvent("listener", "TCP listeners"),
        new StepFinishedEvent("listener", "TCP listeners", "Fail", "listener on unexpected port 64443", ["0.0.0.0:64443 Listening"], ["display tcp status"], "raw", 12.5),
        new VerdictEvent(
            [new VerdictCause("listener-stuck", "SSH listener stuck on another port", "why", "listener.ghost-port", "High", ["0.0.0.0:64443 Listening"])
            {
                KeyEvidence = ["display tcp status: listening on 64443, nothing on 22", "22: refused (RST)"],
            }],
            [new VerdictPlan("listener-stuck.reboot", "listener-stuck", "Save and reboot", "Reboot", ["save", "reboot"], true, 2, ["note"])]),
        new FixOfferedEvent("listener-stuck.reboot", "Save and reboot", "Reboot", ["save", "reboot"]),
        new FixRequestedEvent("REQ-1", "listener-stuck.reboot", "Alice", ["save", "reboot"], ["No unsaved changes"]) { ExpiresAt = new DateTimeOffset(2026, 12, 6, 4, 15, 0, TimeSpan.Zero) },
        new RequestRefusedEvent("other-conversation", "slack", "C1"),
        new ApprovalEvent("REQ-1", "listener-stuck.reboot", "bob", false),
        new RejectionEvent("REQ-1", "listener-stuck.reboot", "carol"),
        new ClickRefusedEvent("REQ-1", "listener-stuck.reboot", "bob", "RefusedDuplicate"),
        new FixCancelledEvent("REQ-1", "listener-stuck.reboot", "sw-access-12 was fixed"),
        new FixExpiredEvent("REQ-1"),
        new ExecutionStartedEvent("listener-stuck.reboot", "REQ-1", ["save", "reboot"]),
        new ExecutionFinishedEvent("listener-stuck.ssh-server-port", "REQ-1", true, false, "still listening on 0.0.0.0:64443", [new ExecutedCommandRecord("ssh server port 22", "", null, 200)]) { Aborted = false },
        new ExecutionProgressEvent { Command = "reboot", Output = "System will reboot", Error = null, Port = 22, Outcome = "Refused", Detail = "rst", DurationMs = 3 },
        new RecoveryEvent { WentDown = true, CameBack = true, DowntimeMs = 90000, SshPortListening = true, SshLoginWorks = true, Summary = "back", Resumed = false },
        new RediagnosisStartedEvent("sw-access-12", RediagnosisStartedEvent.AfterFix, "REQ-1"),
        new InterruptionEvent("Interrupted: stopped") { RequestId = "REQ-1" },
        new ErrorEvent("boom"),
        new ResolutionEvent(ResolutionEvent.NoFaultFound, []) { NextChecks = ["the user's SSH client"], Headline = "No fault found in 38 s" },
        new NoteEvent { RowKind = TimelineEventKind.Note, LegacyType = "x" },
    ];

    [Fact]
    public void EveryKindHasASample()
    {
        var kinds = typeof(IncidentEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToHashSet();
        Assert.Equal(kinds.OrderBy(t => t.Name), Samples.Select(s => s.GetType()).Distinct().OrderBy(t => t.Name));
    }

    [Fact]
    public void EveryKind_MatchesTheGoldenShape_AndRoundTrips()
    {
        var actual = new JsonObject();
        foreach (var sample in Samples)
        {
            var json = IncidentEvents.Serialize(sample);
            var node = JsonNode.Parse(json)!.AsObject();
            actual[sample.GetType().Name] = node;
            var back = JsonSerializer.Deserialize<IncidentEvent>(json, IncidentEvents.Json)!;
            Assert.Equal(json, IncidentEvents.Serialize(back));
        }

        if (Environment.GetEnvironmentVariable("NETOPSBOT_WRITE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDir(), "incident-events.golden.json"), actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            return;
        }

        var golden = JsonNode.Parse(File.ReadAllText(GoldenPath))!.AsObject();
        foreach (var (name, node) in actual)
        {
            Assert.True(golden.ContainsKey(name), $"no golden shape for {name}");
            Assert.True(JsonNode.DeepEquals(golden[name], node), $"{name} changed shape:\n{node!.ToJsonString()}\nstored rows have:\n{golden[name]!.ToJsonString()}");
        }
    }

    [Fact]
    public void EveryGoldenRow_LoadsAsItsKind()
    {
        var golden = JsonNode.Parse(File.ReadAllText(GoldenPath))!.AsObject();
        foreach (var (name, node) in golden)
        {
            var sample = Samples.First(s => s.GetType().Name == name);
            var row = new TimelineEvent(IncidentId.New(), 1, DateTimeOffset.UnixEpoch, sample.StoredAs, "netopsbot", "line", node!.ToJsonString());
            var read = IncidentEvents.Read(row);
            Assert.Equal(sample.GetType(), read.GetType());
            Assert.Equal(IncidentEvents.CurrentVersion, read.Version);
        }
    }

    [Fact]
    public void AVerdictStoredBeforeKeyEvidence_Loads_WithoutIt_AndAFindingWithoutKeyEvidenceWritesNoField()
    {
        // A row as written before causes carried key evidence (no "keyEvidence" field).
        var old = """{"event":"verdict","v":1,"rootCauses":[{"code":"listener-stuck","title":"SSH listener stuck on another port","explanation":"why","ruleId":"listener.ghost-port","confidence":"High","evidence":["TCPCB Tid/Soid Local Add:port"]}],"remediations":[]}""";
        var row = new TimelineEvent(IncidentId.New(), 1, DateTimeOffset.UnixEpoch, TimelineEventKind.Verdict, "netopsbot", "Verdict: listener-stuck", old);

        var read = Assert.IsType<VerdictEvent>(IncidentEvents.Read(row));

        Assert.Null(Assert.Single(read.RootCauses).KeyEvidence);
        Assert.Equal(old, IncidentEvents.Serialize(read));
        var finding = new RootCauseFinding(SshUnreachableCauses.ListenerStuck, "listener.ghost-port", Confidence.High, ["x"]);
        Assert.DoesNotContain("keyEvidence", IncidentEvents.Serialize(new VerdictEvent([VerdictCause.From(finding)], [])), StringComparison.Ordinal);
        var keyed = IncidentEvents.Serialize(new VerdictEvent([VerdictCause.From(finding with { KeyEvidence = ["22: refused (RST)"] })], []));
        var back = Assert.IsType<VerdictEvent>(JsonSerializer.Deserialize<IncidentEvent>(keyed, IncidentEvents.Json));
        Assert.Equal(["22: refused (RST)"], Assert.Single(back.RootCauses).KeyEvidence);
    }

    [Fact]
    public void AnUnknownDiscriminator_StillLoads_AsANoteKeepingItsRowKind()
    {
        var row = new TimelineEvent(IncidentId.New(), 1, DateTimeOffset.UnixEpoch, TimelineEventKind.Recovery, "netopsbot", "line", """{"event":"from-the-future","v":9}""");

        var read = Assert.IsType<NoteEvent>(IncidentEvents.Read(row));

        Assert.Equal(TimelineEventKind.Recovery, read.StoredAs);
    }

    [Fact]
    public void LegacyRows_NullDataAndTypeNotes_AreUpgraded()
    {
        var story = IncidentStory.Build(ReferenceCaseTimeline.Incident, ReferenceCaseTimeline.Legacy(), SshUnreachableRunbook.Definition);

        Assert.All(story.Events, e => Assert.Equal(0, e.Event.Version));
        Assert.DoesNotContain(story.Events, e => e.Event is NoteEvent);
        Assert.IsType<DiagnosisRequestedEvent>(story.Events[0].Event);
        Assert.Equal("Alice", story.Requested!.Requester);
        Assert.Equal("sw-access-12", story.Requested.Device);
    }

    private static string SourceDir([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
