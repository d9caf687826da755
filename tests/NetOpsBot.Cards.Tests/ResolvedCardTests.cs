using System.Text.Json.Nodes;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Tests.Incidents;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Cards.Tests;

/// <summary>
/// Issue 14, "Resolved card": the reference case's card, folded from its typed timeline, says how it ended on top,
/// then shows the final healthy check, and keeps every earlier run's evidence and full outputs one click away.
/// </summary>
public sealed class ResolvedCardTests
{
    private const string Headline = "Resolved in 4 min 51 s: listener stuck on 64443 and no return route; fixed by default route (bob) and reboot (bob, carol)";

    private static readonly StepDescriptor[] Steps = [new("ssh-server", "SSH server"), new("listener", "TCP listeners"), new("routing", "Routing table")];

    private static DiagnosisCardView Fold(IReadOnlyList<TimelineEvent> rows, CardLinks links)
    {
        var cards = new IncidentCards(null!, Steps, links);
        var view = DiagnosisCardViewBuilder.Start(ReferenceCaseTimeline.Incident.Id.Value, "sw-access-12", "Alice", ReferenceCaseTimeline.T0, Steps, links);
        foreach (var row in rows)
        {
            view = cards.Apply(new IncidentNotification(ReferenceCaseTimeline.Incident, row));
        }

        return view;
    }

    /// <summary>The typed reference timeline, its resolution carrying the headline the producer computes from the story.</summary>
    private static List<TimelineEvent> Rows()
    {
        var rows = ReferenceCaseTimeline.Typed().ToList();
        var headline = IncidentStory.Build(ReferenceCaseTimeline.Incident, rows, SshUnreachableRunbook.Definition).Headline();
        Assert.Equal(Headline, headline);
        rows[^1] = rows[^1] with { Data = IncidentEvents.Serialize(new ResolutionEvent(ResolutionEvent.Resolved, []) { Headline = headline }) };
        return rows;
    }

    [Fact]
    public void ReferenceCase_ResolvedCard_HeadlineOnTop_ThenTheFinalHealthyCheck()
    {
        var view = Fold(Rows(), CardFixtures.Links);

        Assert.Equal(CardRunStatus.Resolved, view.Status);
        Assert.Equal(Headline, view.Headline);
        Assert.Equal("After Save and reboot to flush the stuck listener (REQ-3)", view.RunTitle);
        Assert.Equal(["healthy"], view.Verdicts.Select(v => v.Code));
        var card = AdaptiveCardRenderer.Render(view);
        Assert.Equal(Headline, (string?)card["body"]![0]!["items"]![0]!["text"]);
        var story = card["body"]!.AsArray().Single(b => (string?)b!["id"] == "story")!;
        Assert.Contains(story["items"]!.AsArray(), b => ((string?)b!["text"])?.StartsWith("Final check: After Save and reboot", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void ReferenceCase_ResolvedCard_KeepsTheOriginalEvidenceAndEveryRunsOutput()
    {
        var view = Fold(Rows(), CardFixtures.Links);

        Assert.Equal(["Initial diagnosis", "After Add a default route via 10.12.0.1 (REQ-1)", "After Re-apply ssh server port 22 (REQ-2)", "Re-check before Save and reboot to flush the stuck listener (REQ-3)"],
            view.EarlierRuns.Select(r => r.Title));
        var initial = view.EarlierRuns[0];
        Assert.Equal(["listener-stuck", "return-route-missing"], initial.Verdicts.Select(v => v.Code));
        Assert.Contains("0.0.0.0:64443  Listening", initial.Verdicts[0].Evidence);

        // Each run's step links to its own output: the first run's listener output stays reachable.
        var outputs = view.EarlierRuns.Select(r => r.Steps.Single(s => s.Id == "listener").FullOutputUrl!.AbsoluteUri).ToList();
        Assert.Equal(4, outputs.Distinct().Count());
        Assert.EndsWith("/steps/listener/output", outputs[0], StringComparison.Ordinal);
        Assert.EndsWith("/steps/listener/output?run=2", outputs[1], StringComparison.Ordinal);
        Assert.EndsWith("?run=5", view.Steps.Single(s => s.Id == "listener").FullOutputUrl!.AbsoluteUri, StringComparison.Ordinal);

        var json = AdaptiveCardRenderer.RenderJson(view);
        Assert.Contains("Earlier runs (4): original evidence and outputs", json, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0:64443  Listening", json, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutLinks_EarlierRunsOutputButtons_NameTheirRun()
    {
        var view = Fold(Rows(), CardLinks.None);
        var card = AdaptiveCardRenderer.Render(view);

        var runs = Descendants(card).Where(n => (string?)n["verb"] == "showOutput" || (string?)n["verb"] == "show-output").Select(n => (string?)n["run"]).ToList();
        Assert.Contains(null, runs);
        Assert.Contains("2", runs);
        Assert.Contains("5", runs);
    }

    [Fact]
    public void FixAppliedButNotVerified_CardSaysAppliedNotEffective_WithEvidenceAndWhatNext()
    {
        var rows = Rows();
        var i = rows.FindIndex(r => IncidentEvents.Read(r) is ExecutionFinishedEvent { RequestId: "REQ-2" });
        var finished = (ExecutionFinishedEvent)IncidentEvents.Read(rows[i]);
        rows[i] = rows[i] with { Data = IncidentEvents.Serialize(finished with { Verified = false, VerificationEvidence = "still listening on 0.0.0.0:64443" }) };

        var view = Fold(rows[..(i + 1)], CardFixtures.Links);

        var offer = view.Offers.Single(o => o.PlanId == "listener-stuck.ssh-server-port");
        Assert.StartsWith("applied, not effective: still listening on 0.0.0.0:64443.", offer.StateDetail, StringComparison.Ordinal);
        Assert.Contains("request the next fix", offer.StateDetail, StringComparison.Ordinal);
    }

    [Fact]
    public void FixAppliedButNotVerified_TheExecutorsNextStep_IsWhatTheCardSaysToDo()
    {
        var rows = Rows();
        var i = rows.FindIndex(r => IncidentEvents.Read(r) is ExecutionFinishedEvent { RequestId: "REQ-2" });
        var finished = (ExecutionFinishedEvent)IncidentEvents.Read(rows[i]);
        const string next = "the listener is stuck; a reboot re-binds it";
        rows[i] = rows[i] with { Data = IncidentEvents.Serialize(finished with { Verified = false, VerificationEvidence = "still listening on 0.0.0.0:64443", NextStep = next }) };

        var view = Fold(rows[..(i + 1)], CardFixtures.Links);

        var offer = view.Offers.Single(o => o.PlanId == "listener-stuck.ssh-server-port");
        Assert.EndsWith("Next: " + next + ".", offer.StateDetail, StringComparison.Ordinal);
        Assert.DoesNotContain("request the next fix", offer.StateDetail, StringComparison.Ordinal);
    }

    private static IEnumerable<JsonObject> Descendants(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                yield return o;
                foreach (var (_, child) in o)
                {
                    foreach (var d in Descendants(child))
                    {
                        yield return d;
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    foreach (var d in Descendants(child))
                    {
                        yield return d;
                    }
                }

                break;
        }
    }
}
