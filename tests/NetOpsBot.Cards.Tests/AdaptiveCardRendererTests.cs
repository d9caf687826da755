using System.Text.Json.Nodes;

namespace NetOpsBot.Cards.Tests;

public sealed class AdaptiveCardRendererTests
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

    [Fact]
    public void Render_Fresh_ListsEveryStepAsPending()
    {
        var json = AdaptiveCardRenderer.RenderJson(CardFixtures.Fresh());

        foreach (var step in CardFixtures.Runbook)
        {
            Assert.Contains($"\"text\":\"{step.Title}\"", json, StringComparison.Ordinal);
        }

        Assert.Equal(CardFixtures.Runbook.Count, System.Text.RegularExpressions.Regex.Count(json, "\"text\":\"PENDING\""));

        Assert.DoesNotContain("Action.Execute", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SeedFinal_EvidenceIsMonospaceAndWrapped()
    {
        var card = AdaptiveCardRenderer.Render(CardFixtures.SeedFinal());

        var evidence = Walk(card).Single(o => ((string?)o["text"])?.Contains("0.0.0.0:64443       0.0.0.0:0", StringComparison.Ordinal) == true);
        Assert.Equal("Monospace", (string?)evidence["fontType"]);
        Assert.True((bool?)evidence["wrap"]);
    }

    [Fact]
    public void Render_SeedFinal_RebootRunButtonSitsBehindConfirmation()
    {
        var card = AdaptiveCardRenderer.Render(CardFixtures.SeedFinal());

        var show = Walk(card).Single(o => (string?)o["type"] == "Action.ShowCard");
        Assert.Equal("Request reboot…", (string?)show["title"]);
        var execute = Walk(show["card"]).Single(o => (string?)o["type"] == "Action.Execute");
        Assert.Equal("run", (string?)execute["verb"]);
        Assert.Equal("destructive", (string?)execute["style"]);
        Assert.Equal("reboot", (string?)execute["data"]!["planId"]);
        Assert.Equal(CardFixtures.Incident, (string?)execute["data"]!["incidentId"]);
        Assert.Equal("n-verdict-1", (string?)execute["data"]!["nonce"]);
    }

    [Fact]
    public void Render_ApprovalPending_HasApproveRejectAndWithdrawWithNonce()
    {
        var card = AdaptiveCardRenderer.Render(CardFixtures.ApprovalPending());

        var executes = Walk(card).Where(o => (string?)o["type"] == "Action.Execute" && (string?)o["data"]?["planId"] == "reboot").ToList();
        Assert.Equal(["approve", "reject", "withdraw"], executes.Select(e => (string?)e["verb"]));
        Assert.All(executes, e => Assert.Equal("n-approve-7", (string?)e["data"]!["nonce"]));
        Assert.Contains("approvals 1 of 2 (bob at 09:33:00 UTC)", card.ToJsonString(AdaptiveCardRenderer.Json), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SeedFinal_CommandsAreExact()
    {
        var json = AdaptiveCardRenderer.RenderJson(CardFixtures.SeedFinal());

        Assert.Contains("ip route-static 0.0.0.0 0.0.0.0 10.20.12.1", json, StringComparison.Ordinal);
        Assert.Contains("ssh server port 22", json, StringComparison.Ordinal);
        Assert.Contains("save\\nreboot", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoLinks_OffersShowOutputAction()
    {
        var card = AdaptiveCardRenderer.Render(CardFixtures.NoLinks());

        var show = Walk(card).Where(o => (string?)o["type"] == "Action.Execute" && (string?)o["verb"] == "show-output").ToList();
        Assert.Equal(CardFixtures.Runbook.Count, show.Count);
        Assert.Equal("listener", (string?)show[4]["data"]!["stepId"]);
        Assert.DoesNotContain("Action.OpenUrl", card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HostileOutput_NoMarkdownLinkOrTerminalEscapeSurvives()
    {
        var json = AdaptiveCardRenderer.RenderJson(CardFixtures.Hostile());

        Assert.DoesNotContain("](http://evil", json, StringComparison.Ordinal);
        Assert.DoesNotContain("[totally", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u001b", json, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("safe]\u200B(http://evil.example)", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Interrupted_SaysSoAndSkipsUnfinishedSteps()
    {
        var json = AdaptiveCardRenderer.RenderJson(CardFixtures.Interrupted());

        Assert.Contains("sw-access-12 · diagnosis interrupted", json, StringComparison.Ordinal);
        Assert.Contains("the bot restarted during the diagnosis", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"PENDING\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"RUNNING\"", json, StringComparison.Ordinal);
    }
}
