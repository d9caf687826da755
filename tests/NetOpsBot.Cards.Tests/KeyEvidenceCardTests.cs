using System.Text.Json.Nodes;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Tests.Incidents;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Cards.Tests;

/// <summary>
/// Issue 17, the top block's key evidence: the finding's own short facts on one line on every surface (never a
/// table's column header), the full evidence one click away; verdicts stored before findings carried key evidence
/// still show their first lines. And the fixes after the next one collapse like the steps.
/// </summary>
public sealed class KeyEvidenceCardTests
{
    private const string ListenerKeyLine = "display tcp status: listening on 64443, nothing on 22 · 22: refused (RST) · 0 SSH debug lines";

    private static readonly string[] TcpTable =
    [
        "TCPCB Tid/Soid Local Add:port Foreign Add:port VPNID State",
        "0d4330c8 122/1 0.0.0.0:64443 0.0.0.0:0 -1 Listening",
        "attempt to port 22: refused (RST)",
        "SSH debug lines during the attempt: 0",
    ];

    private static DiagnosisReport Keyed() => CardFixtures.SeedReport with
    {
        RootCauses =
        [
            new RootCauseFinding(SshUnreachableCauses.ReturnRouteMissing, "routing.no-return-route", Confidence.High, ["no default route and no route covering 10.99.0.0/24; routes present:", "10.20.12.0/24 Direct 0 0 D 10.20.12.12 Vlanif20"])
            {
                KeyEvidence = ["display ip routing-table: no default route, nothing covers 10.99.0.0/24", "gateway: ARP entry and ping answers"],
            },
            new RootCauseFinding(SshUnreachableCauses.ListenerStuck, "listener.ghost-port", Confidence.High, TcpTable)
            {
                KeyEvidence = ["display tcp status: listening on 64443, nothing on 22", "22: refused (RST)", "0 SSH debug lines"],
            },
        ],
    };

    private static IEnumerable<JsonObject> Walk(JsonNode? node, bool visibleOnly = false)
    {
        if (node is JsonObject o)
        {
            if (visibleOnly && (bool?)o["isVisible"] == false)
            {
                yield break;
            }

            yield return o;
            foreach (var child in o.Where(p => p.Key != "card").Select(p => p.Value).SelectMany(c => Walk(c, visibleOnly)))
            {
                yield return child;
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a.SelectMany(c => Walk(c, visibleOnly)))
            {
                yield return child;
            }
        }
    }

    private static string Texts(JsonNode? node, bool visibleOnly) =>
        string.Join('\n', Walk(node, visibleOnly).Where(o => (string?)o["type"] == "TextBlock").Select(o => ((string?)o["text"])?.Replace("\u200B", string.Empty, StringComparison.Ordinal)));

    [Fact]
    public void AdaptiveCard_TopBlockShowsTheFindingsKeyLine_NeverTheColumnHeader_FullEvidenceInTheDetails()
    {
        var card = AdaptiveCardRenderer.Render(DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, CardFixtures.Incident, "alice", Keyed(), "n-verdict-1", CardFixtures.Links));

        var top = Walk(card).Single(o => (string?)o["id"] == "top");
        var shown = Texts(top, visibleOnly: true);
        Assert.Contains(ListenerKeyLine, shown, StringComparison.Ordinal);
        Assert.Contains("display ip routing-table: no default route, nothing covers 10.99.0.0/24 · gateway: ARP entry and ping answers", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("TCPCB", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Tid/Soid", Texts(card, visibleOnly: true), StringComparison.Ordinal);

        // The whole record is one click away, under the cause.
        var details = Walk(top).Single(o => (string?)o["id"] == "cause-1");
        Assert.False((bool?)details["isVisible"]);
        Assert.Contains("0d4330c8 122/1 0.0.0.0:64443", Texts(details, visibleOnly: false), StringComparison.Ordinal);
    }

    [Fact]
    public void BlockKit_VerdictShowsTheKeyLine_NotTheColumnHeader_AndStillComesBeforeTheAction()
    {
        var blocks = BlockKitRenderer.Render(DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, CardFixtures.Incident, "alice", Keyed(), "n-verdict-1", CardFixtures.Links))["blocks"]!.AsArray();

        Assert.Equal("header", (string?)blocks[0]!["type"]);
        var listener = (string?)blocks[2]!["text"]!["text"];
        Assert.Contains("SSH listener stuck on another port", listener, StringComparison.Ordinal);
        Assert.Contains("`" + ListenerKeyLine + "`", listener, StringComparison.Ordinal);
        Assert.DoesNotContain("TCPCB", listener, StringComparison.Ordinal);
        Assert.StartsWith("Next: ", (string?)blocks[3]!["text"]!["text"], StringComparison.Ordinal);
        Assert.Equal("actions", (string?)blocks[4]!["type"]);
    }

    [Fact]
    public void StoredVerdict_KeepsTheKeyLine_AndAnOldRowWithoutOne_ShowsItsFirstEvidenceLines()
    {
        var cards = new IncidentCards(null!, CardFixtures.Runbook, CardLinks.None);
        var keyed = new TimelineEvent(ReferenceCaseTimeline.Incident.Id, 1, CardFixtures.T0, TimelineEventKind.Verdict, "netopsbot", "Verdict", IncidentEvents.Serialize(VerdictEvent.From(Keyed())));

        var view = cards.Apply(new IncidentNotification(ReferenceCaseTimeline.Incident, keyed));

        Assert.Equal(ListenerKeyLine, CardLayout.KeyEvidence(view.Verdicts.Single(v => v.Code == "listener-stuck")));

        var old = new TimelineEvent(ReferenceCaseTimeline.Incident.Id, 2, CardFixtures.T0, TimelineEventKind.Verdict, "netopsbot", "Verdict", IncidentEvents.Serialize(VerdictEvent.From(CardFixtures.SeedReport)));
        view = cards.Apply(new IncidentNotification(ReferenceCaseTimeline.Incident, old));

        Assert.Equal("service: SSH server port 22 · listener: 0.0.0.0:64443 Listening, 0.0.0.0:22 absent · access: 22/tcp refused (RST), 64443/tcp open", CardLayout.KeyEvidence(view.Verdicts.Single(v => v.Code == "listener-stuck")));
    }

    [Fact]
    public void FixesAfterTheNextOne_CollapseLikeSteps_DoubtRiskAndButtonsStayInSight()
    {
        var report = Keyed() with { Device = CardFixtures.Device with { ExpectedBootTime = TimeSpan.FromMinutes(5) } };
        var card = AdaptiveCardRenderer.Render(DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, CardFixtures.Incident, "alice", report, "n-verdict-1", CardFixtures.Links));

        var shown = Texts(card, visibleOnly: true);
        Assert.Contains("**2. Apply fix: ssh server port 22**", shown, StringComparison.Ordinal);
        Assert.Contains("Expected not to help: the listener is stuck", shown, StringComparison.Ordinal);
        Assert.Contains("Risk: Drops every session on sw-access-12; expected back in ~5 min.", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Why: ", shown[shown.IndexOf("**2. ", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.DoesNotContain(Walk(card, visibleOnly: true), o => (string?)o["type"] == "TextBlock" && (string?)o["text"] == "ssh server port 22");

        // Each collapsed fix opens on its own toggle and holds its why and its exact commands.
        foreach (var (id, command) in new[] { ("fix-2", "ssh server port 22"), ("fix-3", "save\nreboot") })
        {
            var details = Walk(card).Single(o => (string?)o["id"] == id);
            Assert.False((bool?)details["isVisible"]);
            Assert.Contains(Walk(card), o => (string?)o["type"] == "Action.ToggleVisibility" && o["targetElements"]!.AsArray().Any(t => (string?)t == id));
            var text = Texts(details, visibleOnly: false);
            Assert.Contains("Why: ", text, StringComparison.Ordinal);
            Assert.Contains(command, text, StringComparison.Ordinal);
        }

        // Their buttons stay visible: another order than the card's is one click, as before.
        var visibleButtons = Walk(card, visibleOnly: true).Where(o => (string?)o["type"] is "Action.Execute" or "Action.ShowCard").Select(o => (string?)o["title"]).ToList();
        Assert.Contains("Request: Apply fix: ssh server port 22", visibleButtons);
        Assert.Contains("Request reboot…", visibleButtons);
    }
}
