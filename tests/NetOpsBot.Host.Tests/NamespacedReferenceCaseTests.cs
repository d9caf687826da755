using System.Net.Http.Json;
using System.Text.Json;
using NetOpsBot.Lab;
using NetOpsBot.Testing;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// The reference case end to end in the web chat on the namespaced lab, where the kernel decides what the jump
/// host sees: stage one (no route back) is timeouts on every port with the CLI over the console, the route fix
/// runs over the console, and the re-diagnosis over SSH is stage two (22 refused, 64443 listening).
/// </summary>
public sealed class NamespacedReferenceCaseTests
{
    private static async Task<JsonElement> Post(HttpClient http, string path, object body) =>
        await (await http.PostAsJsonAsync(path, body)).Content.ReadFromJsonAsync<JsonElement>();

    private static async Task Click(HttpClient http, string id, string user, string verb, string plan) =>
        await Post(http, "/api/chat/actions", await CardClicks.BodyAsync(http, id, user, verb, plan));

    [Fact]
    public async Task SeedCase_TwoStages_RouteFixOverTheConsole_EvidenceNeverContradictsItself()
    {
        await using var lab = await TestLab.StartAsync("seed-case", network: LabNetworkMode.Namespaces);
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, new Dictionary<string, string>
        {
            ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25",
        });
        using var http = host.Client();
        var id = (await Post(http, "/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = "ns1" })).GetProperty("incidentId").GetString()!;

        // Stage one: the route is missing.
        var one = await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Diagnosed", TimeSpan.FromSeconds(120));
        Assert.Equal(["listener-stuck", "return-route-missing"], one.GetProperty("rootCauses").EnumerateArray().Select(c => c.GetString()!).Order(StringComparer.Ordinal).ToList());
        var stageOne = one.GetRawText();
        Assert.Contains("no TCP answer from the management subnet, gateway has ARP and ping answers, the switch has no route back", stageOne, StringComparison.Ordinal);
        Assert.Contains("tcp 22: timed out", stageOne, StringComparison.Ordinal);
        Assert.Contains("tcp 64443: timed out", stageOne, StringComparison.Ordinal);
        Assert.Contains("cli via console: ok", stageOne, StringComparison.Ordinal);
        // The pairs a missing route contradicts: no login, no refusal, no session from the jump host.
        Assert.DoesNotContain("login works", stageOne, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("established from 10.200.0.10", stageOne, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("refused (RST)", stageOne, StringComparison.Ordinal);
        Assert.DoesNotContain("10.200.0.10:", stageOne, StringComparison.Ordinal);
        AssertNoContradiction(one);

        // The route fix: SSH cannot reach the switch, so it runs over the console; then the bot re-diagnoses.
        await Click(http, id, "alice", "run", "return-route-missing.default-route");
        await Click(http, id, "bob", "approve", "return-route-missing.default-route");
        var two = await IncidentPolling.WaitAsync(
            http,
            id,
            i => IncidentPolling.Thread(i).Any(t => t.StartsWith("Still open:", StringComparison.Ordinal) || t.Contains("incident resolved", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(180));
        var thread = IncidentPolling.Thread(two);
        Assert.Contains(thread, t => t.StartsWith("Done:", StringComparison.Ordinal));
        Assert.Contains(thread, t => t.Contains("over the console", StringComparison.Ordinal));
        Assert.Contains("Still open: listener-stuck", thread);

        // Stage two, over SSH: 22 refused by RST, 64443 listening and logged into, zero SSH debug lines.
        // The card keeps stage one's evidence behind "Earlier runs" (one click away); the current run is what must agree.
        var card = System.Text.Json.Nodes.JsonNode.Parse(two.GetProperty("card").GetRawText())!;
        var earlier = WithoutEarlierRuns(card);
        Assert.Contains("no route back", earlier, StringComparison.Ordinal);
        var stageTwo = card.ToJsonString();
        Assert.Contains("tcp 22: refused (RST)", stageTwo, StringComparison.Ordinal);
        Assert.Contains("tcp 64443: open", stageTwo, StringComparison.Ordinal);
        Assert.Contains("cli via ssh:64443: ok", stageTwo, StringComparison.Ordinal);
        Assert.True(stageTwo.Contains("Zero SSH debug lines while port 22 refused the attempt", StringComparison.Ordinal), string.Join("\n", thread) + "\n" + stageTwo);
        Assert.DoesNotContain("no route back", stageTwo, StringComparison.Ordinal);
        Assert.DoesNotContain("timed out (filtered or down)", stageTwo, StringComparison.Ordinal);
        Assert.Equal(["listener-stuck"], two.GetProperty("rootCauses").EnumerateArray().Select(c => c.GetString()!).ToList());
        AssertNoContradiction(two);
    }

    /// <summary>The card's runs, each on its own, and the thread in order: no answer from the switch while its route is missing.</summary>
    internal static void AssertNoContradiction(JsonElement incident)
    {
        var found = EvidenceContradictions.InAdaptiveCard(System.Text.Json.Nodes.JsonNode.Parse(incident.GetProperty("card").GetRawText())!)
            .Concat(EvidenceContradictions.InThread(IncidentPolling.Thread(incident)))
            .ToList();
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    /// <summary>Takes the "Earlier runs" panel out of the card and returns it as text.</summary>
    private static string WithoutEarlierRuns(System.Text.Json.Nodes.JsonNode card)
    {
        var removed = new System.Text.StringBuilder();
        void Walk(System.Text.Json.Nodes.JsonNode? node)
        {
            switch (node)
            {
                case System.Text.Json.Nodes.JsonObject o:
                    if ((string?)o["type"] == "Action.ShowCard" && ((string?)o["title"])?.StartsWith("Earlier runs", StringComparison.Ordinal) == true && o["card"] is { } panel)
                    {
                        removed.Append(panel.ToJsonString());
                        o.Remove("card");
                        return;
                    }

                    foreach (var (_, child) in o.ToList())
                    {
                        Walk(child);
                    }

                    break;
                case System.Text.Json.Nodes.JsonArray a:
                    foreach (var child in a.ToList())
                    {
                        Walk(child);
                    }

                    break;
            }
        }

        Walk(card);
        return removed.ToString();
    }

}
