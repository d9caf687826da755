using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Cards.Tests;

/// <summary>
/// Issue 17, "The card": answer first. The headline says device and state, each cause has one sentence and its key
/// evidence, the next action's button is in the top block; steps are one line each with details on demand; fixes in
/// dependency order with why and risk. The same order in the Adaptive Card and in Block Kit.
/// </summary>
public sealed partial class AnswerFirstCardTests
{
    private static IEnumerable<JsonObject> Walk(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            yield return o;
            foreach (var child in o.Select(p => p.Value).SelectMany(Walk))
            {
                yield return child;
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a.SelectMany(Walk))
            {
                yield return child;
            }
        }
    }

    private static string Texts(JsonNode? node) => string.Join('\n', Walk(node).Where(o => (string?)o["type"] == "TextBlock").Select(o => ((string?)o["text"])?.Replace("\u200B", string.Empty, StringComparison.Ordinal)));

    /// <summary>The reference report with its fixes in the worst order and the device's boot time in the inventory.</summary>
    private static DiagnosisCardView SeedShuffled(TimeSpan? bootTime = null)
    {
        var report = CardFixtures.SeedReport with
        {
            Device = CardFixtures.Device with { ExpectedBootTime = bootTime ?? TimeSpan.FromMinutes(5) },
            Remediations = [CardFixtures.Reboot, CardFixtures.PortFix, CardFixtures.RouteFix],
        };
        return DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, CardFixtures.Incident, "alice", report, "n-verdict-1", CardFixtures.Links);
    }

    [Fact]
    public void Verdict_TopBlock_HeadlineCausesKeyEvidenceAndPrimaryButton_BeforeAnythingElse()
    {
        var card = AdaptiveCardRenderer.Render(SeedShuffled());

        var top = card["body"]!.AsArray()[0]!;
        var headline = (JsonObject)top["items"]!.AsArray()[0]!;
        Assert.Equal("sw-access-12 · SSH down · 2 causes found", (string?)headline["text"]);
        Assert.Equal("Attention", (string?)headline["color"]);

        var text = Texts(top);
        Assert.Contains("No route back to the management subnet", text, StringComparison.Ordinal);
        Assert.Contains("SSH listener stuck on another port", text, StringComparison.Ordinal);

        // The key evidence is the runbook's own lines, as it wrote them.
        Assert.Contains("service: SSH server port 22 · listener: 0.0.0.0:64443 Listening, 0.0.0.0:22 absent · access: 22/tcp refused (RST), 64443/tcp open", text, StringComparison.Ordinal);
        Assert.Contains("routing: no 0.0.0.0/0 and no route to 10.99.0.0/24", text, StringComparison.Ordinal);

        // The primary action is the fix everything else depends on, and its button sits in the top block.
        var buttons = Walk(top).Where(o => (string?)o["type"] == "ActionSet").SelectMany(a => a["actions"]!.AsArray()).ToList();
        var primary = Assert.Single(buttons);
        Assert.Equal("Request: Add a default route to the gateway", (string?)primary!["title"]);
        Assert.Equal("positive", (string?)primary["style"]);
        Assert.Contains("ip route-static 0.0.0.0 0.0.0.0 10.20.12.1", text, StringComparison.Ordinal);

        Assert.DoesNotContain("Done", Texts(card), StringComparison.Ordinal);
    }

    [Fact]
    public void Fixes_InDependencyOrder_WithWhyRiskAndDoubt()
    {
        var view = SeedShuffled(TimeSpan.FromMinutes(5));

        Assert.Equal(["route-default", "ssh-port-22", "reboot"], view.Offers.Select(o => o.PlanId));
        var route = view.Offers[0];
        Assert.Contains("nothing can be verified remotely", route.Why, StringComparison.Ordinal);
        Assert.StartsWith("Expected not to help: the listener is stuck", view.Offers[1].Expectation, StringComparison.Ordinal);
        Assert.Null(route.Expectation);
        Assert.Equal("Drops every session on sw-access-12; expected back in ~5 min.", view.Offers[2].Risk);

        var card = AdaptiveCardRenderer.Render(view);
        var text = Texts(card);
        Assert.True(text.IndexOf("1. Add a default route", StringComparison.Ordinal) < text.IndexOf("2. Apply fix: ssh server port 22", StringComparison.Ordinal));
        Assert.True(text.IndexOf("2. Apply fix: ssh server port 22", StringComparison.Ordinal) < text.IndexOf("3. Save and reboot", StringComparison.Ordinal));
        Assert.Contains("Risk: Drops every session on sw-access-12; expected back in ~5 min.", text, StringComparison.Ordinal);

        // The reboot is destructive and needs a second click in a confirmation step.
        var confirm = Walk(card).Single(o => (string?)o["type"] == "Action.ShowCard" && ((string?)o["title"])!.StartsWith("Request reboot", StringComparison.Ordinal));
        Assert.Equal("destructive", (string?)Walk(confirm["card"]).Single(o => (string?)o["type"] == "Action.Execute")["style"]);
    }

    [Fact]
    public void Reboot_WithoutABootTimeInTheInventory_SaysItIsUnknown()
    {
        var view = DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, CardFixtures.Incident, "alice", CardFixtures.SeedReport, "n-verdict-1", CardFixtures.Links);

        Assert.Contains("the inventory gives no boot time", view.Offers.Single(o => o.PlanId == "reboot").Risk, StringComparison.Ordinal);
    }

    [Fact]
    public void AfterTheRouteFix_ThePrimaryActionIsTheReboot_NotThePortFixExpectedToFail()
    {
        var view = DiagnosisCardViewBuilder.ApplyAll(SeedShuffled(),
        [
            new ApprovalRequested("route-default", "alice", "n-2", CardFixtures.T0.AddMinutes(1)) { RequestId = "REQ-1" },
            new ApprovalAdded("route-default", "bob", CardFixtures.T0.AddMinutes(1)),
            new ExecutionStarted("route-default", CardFixtures.T0.AddMinutes(1)),
            new ExecutionFinished("route-default", true, "route added", CardFixtures.T0.AddMinutes(1)),
        ]);

        var top = AdaptiveCardRenderer.Render(view)["body"]!.AsArray()[0]!;
        var primary = Walk(top).Where(o => (string?)o["type"] == "ActionSet").SelectMany(a => a["actions"]!.AsArray()).Single()!;
        Assert.Equal("Request reboot…", (string?)primary["title"]);
        Assert.Contains("Risk: Drops every session on sw-access-12", Texts(top), StringComparison.Ordinal);
    }

    [Fact]
    public void WhileTheRebootRuns_NoOtherFixIsPushedOnTop()
    {
        var view = DiagnosisCardViewBuilder.ApplyAll(SeedShuffled(),
        [
            new ApprovalRequested("route-default", "alice", "n-2", CardFixtures.T0.AddMinutes(1)) { RequestId = "REQ-1" },
            new ApprovalAdded("route-default", "bob", CardFixtures.T0.AddMinutes(1)),
            new ExecutionFinished("route-default", true, "route added", CardFixtures.T0.AddMinutes(1)),
            new ApprovalRequested("reboot", "alice", "n-3", CardFixtures.T0.AddMinutes(2)) { RequestId = "REQ-2" },
            new ApprovalAdded("reboot", "bob", CardFixtures.T0.AddMinutes(2)),
            new ApprovalAdded("reboot", "carol", CardFixtures.T0.AddMinutes(2)),
            new ExecutionStarted("reboot", CardFixtures.T0.AddMinutes(2)),
        ]);

        var top = AdaptiveCardRenderer.Render(view)["body"]!.AsArray()[0]!;
        Assert.DoesNotContain(Walk(top), o => (string?)o["type"] == "ActionSet");
        Assert.Contains("Now: **Save and reboot** · executing", Texts(top), StringComparison.Ordinal);
        var slack = BlockKitRenderer.Render(view)["blocks"]!.AsArray();
        Assert.StartsWith("Now: *Save and reboot* · executing", (string?)slack.First(b => ((string?)b!["text"]?["text"])?.StartsWith("Now: ", StringComparison.Ordinal) == true)!["text"]!["text"], StringComparison.Ordinal);
    }

    [Fact]
    public void PendingApproval_ApproveAndRejectAreOnTop()
    {
        var top = AdaptiveCardRenderer.Render(CardFixtures.ApprovalPending())["body"]!.AsArray()[0]!;

        var verbs = Walk(top).Where(o => (string?)o["type"] == "Action.Execute").Select(o => (string?)o["verb"]).ToList();
        // The card for the whole channel carries every button of a pending request; CardViewer hides the ones a person may not use.
        Assert.Equal(["approve", "reject", "withdraw"], verbs);
        Assert.Contains("Waiting for approval: **Save and reboot**", Texts(top), StringComparison.Ordinal);
        Assert.Contains("approvals 1 of 2 (bob at 09:33:00 UTC)", Texts(top), StringComparison.Ordinal);
    }

    [Fact]
    public void Steps_OneLineEach_DetailsHiddenBehindAToggle()
    {
        var card = AdaptiveCardRenderer.Render(CardFixtures.SeedFinal());

        var toggles = Walk(card).Where(o => (string?)o["type"] == "Action.ToggleVisibility").SelectMany(o => o["targetElements"]!.AsArray().Select(t => (string?)t)).ToHashSet();
        var hidden = Walk(card).Where(o => o["isVisible"] is JsonValue v && !v.GetValue<bool>()).ToList();
        Assert.True(hidden.Count >= CardFixtures.Runbook.Count);
        Assert.All(hidden, h => Assert.Contains((string?)h["id"], toggles));

        // The raw evidence of a step is inside a hidden container, not on the first screen.
        var evidence = Walk(card).Single(o => ((string?)o["text"])?.Contains("0.0.0.0:64443       0.0.0.0:0", StringComparison.Ordinal) == true);
        Assert.Contains(hidden, h => Walk(h).Contains(evidence));

        // Each step line: status word, name, finding, duration.
        var line = Walk(card).Where(o => (string?)o["type"] == "ColumnSet").Select(Texts).First(t => t.Contains("TCP listeners", StringComparison.Ordinal));
        Assert.Equal("FAIL\nTCP listeners · listening on 0.0.0.0:64443, nothing on 0.0.0.0:22 (ghost port) · 0.4 s\nDetails", line);
    }

    [Fact]
    public void Running_HeadlineSaysWhichStep_AndAProgressLine()
    {
        var card = AdaptiveCardRenderer.Render(CardFixtures.MidRun());

        var top = Texts(card["body"]!.AsArray()[0]);
        Assert.StartsWith("sw-access-12 · diagnosing (step 2 of 7)", top, StringComparison.Ordinal);
        Assert.Contains("Step 2 of 7: L2/L3 from the gateway · 2 done, 2 failed so far · running for 1.5 s", top, StringComparison.Ordinal);
        Assert.DoesNotContain("Fixes", Texts(card), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolved_StartsWithResolved_TheStoryCollapsedBelow()
    {
        var card = AdaptiveCardRenderer.Render(CardFixtures.Resolved());

        var first = Walk(card["body"]).First(o => (string?)o["type"] == "TextBlock");
        Assert.StartsWith("Resolved in 4 min 51 s", (string?)first["text"], StringComparison.Ordinal);
        Assert.Equal("Good", (string?)first["color"]);
        var story = Walk(card).Single(o => (string?)o["id"] == "story");
        Assert.False((bool?)story["isVisible"]);
        Assert.Contains("Final check: After Save and reboot", Texts(story), StringComparison.Ordinal);
    }

    [Fact]
    public void Healthy_SaysSo_InWordsAndColour()
    {
        var first = (JsonObject)AdaptiveCardRenderer.Render(CardFixtures.Healthy())["body"]!.AsArray()[0]!["items"]!.AsArray()[0]!;

        Assert.Equal("sw-access-12 · SSH healthy · no fault found", (string?)first["text"]);
        Assert.Equal("Good", (string?)first["color"]);
    }

    [Theory]
    [MemberData(nameof(CardNames))]
    public void NoCard_CarriesMeaningInEmoji(string name)
    {
        var view = CardFixtures.All().Single(c => c.Name == name).View;

        Assert.DoesNotMatch(Emoji(), Texts(AdaptiveCardRenderer.Render(view)));
    }

    public static TheoryData<string> CardNames => new(CardFixtures.All().Select(c => c.Name));

    [Fact]
    public void Times_UtcForEveryone_AndTheReadersLocalTime()
    {
        var adaptive = AdaptiveCardRenderer.RenderJson(CardFixtures.SeedFinal());
        var slack = BlockKitRenderer.RenderJson(CardFixtures.SeedFinal());

        Assert.Contains("started 2026-11-24 09:30:00 UTC ({{TIME(2026-11-24T09:30:00Z)}} local)", adaptive, StringComparison.Ordinal);
        Assert.Contains("started 2026-11-24 09:30:00 UTC (<!date^1795512600^{time_secs}|09:30:00 UTC> your time)", slack, StringComparison.Ordinal);
        Assert.Contains("diagnosis took 9.4 s", adaptive, StringComparison.Ordinal);
        Assert.DoesNotContain("Elapsed", adaptive, StringComparison.Ordinal);
    }

    [Fact]
    public void BlockKit_HeadlineThenVerdictThenActionFirst()
    {
        var blocks = BlockKitRenderer.Render(SeedShuffled())["blocks"]!.AsArray().Select(b => b!.AsObject()).ToList();

        Assert.Equal("header", (string?)blocks[0]["type"]);
        Assert.Equal("sw-access-12 · SSH down · 2 causes found", (string?)blocks[0]["text"]!["text"]);
        Assert.Contains("No route back to the management subnet", (string?)blocks[1]["text"]!["text"], StringComparison.Ordinal);
        Assert.Contains("`routing: no 0.0.0.0/0 and no route to 10.99.0.0/24`", (string?)blocks[1]["text"]!["text"], StringComparison.Ordinal);
        Assert.Contains("SSH listener stuck on another port", (string?)blocks[2]["text"]!["text"], StringComparison.Ordinal);
        Assert.StartsWith("Next: *Add a default route to the gateway*", (string?)blocks[3]["text"]!["text"], StringComparison.Ordinal);
        Assert.Equal("actions", (string?)blocks[4]["type"]);
        Assert.Equal("run:route-default", (string?)blocks[4]["elements"]![0]!["action_id"]);

        // Steps one line each with a Details button; the reboot keeps its danger style and confirm dialog.
        var listener = blocks.Single(b => ((string?)b["text"]?["text"])?.Contains("TCP listeners", StringComparison.Ordinal) == true);
        Assert.Equal("*FAIL* · TCP listeners · listening on 0.0.0.0:64443, nothing on 0.0.0.0:22 (ghost port) · 0.4 s", (string?)listener["text"]!["text"]);
        Assert.Equal("Details", (string?)listener["accessory"]!["text"]!["text"]);
        var reboot = blocks.Where(b => (string?)b["type"] == "actions").SelectMany(b => b["elements"]!.AsArray()).Single(e => (string?)e!["action_id"] == "run:reboot")!;
        Assert.Equal("danger", (string?)reboot["style"]);
        Assert.NotNull(reboot["confirm"]);

        // The primary button is drawn once: a second copy would be a second click target for the same request.
        Assert.Single(blocks.Where(b => (string?)b["type"] == "actions").SelectMany(b => b["elements"]!.AsArray()), e => (string?)e!["action_id"] == "run:route-default");
    }

    [GeneratedRegex(@"[\u2600-\u27BF\u2B50\u2B55\u23E9-\u23FA\u2705\u274C]|\uD83C[\uDF00-\uDFFF]|\uD83D[\uDC00-\uDEFF]|\uD83E[\uDD00-\uDEFF]")]
    private static partial Regex Emoji();

    [Fact]
    public void ReDiagnosisRunning_EarlierVerdictMovesToEarlierRuns_NotBesideTheNewRunsFindings()
    {
        var listenerOnly = CardFixtures.SeedReport with { RootCauses = [CardFixtures.SeedReport.RootCauses[1]] };
        var view = DiagnosisCardViewBuilder.ApplyAll(CardFixtures.SeedFinal(),
        [
            new RunStarted("After Add a default route via 10.20.12.1 (REQ-1)", CardFixtures.T0.AddMinutes(2)),
            new StepFinished(listenerOnly.Steps[0], CardFixtures.T0.AddMinutes(2).AddSeconds(1)),
        ]);

        Assert.Empty(view.Verdicts);
        Assert.Equal(CardRunStatus.Running, view.Status);
        Assert.Contains(view.EarlierRuns.Single().Verdicts, v => v.Code == "return-route-missing");
        var top = Texts(AdaptiveCardRenderer.Render(view)["body"]!.AsArray()[0]!);
        Assert.DoesNotContain("No route back", top, StringComparison.OrdinalIgnoreCase);
    }
}
