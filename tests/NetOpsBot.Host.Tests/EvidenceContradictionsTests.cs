using System.Text.Json.Nodes;
using NetOpsBot.Testing;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// The checker of contradictory evidence (issue 15) on lines the bot wrote: the loopback lab's stage one (22 refused
/// and a login on 64443 while the route is missing) is flagged; the namespaced stages one and two are not.
/// </summary>
public sealed class EvidenceContradictionsTests
{
    private const string Verdict = "Verdict: Fail - SSH listener stuck on another port + No route back to the management subnet";

    private static JsonObject Card(string access, string? earlier = null)
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = access },
            new JsonObject { ["type"] = "TextBlock", ["text"] = "**SSH listener stuck on another port** (listener-stuck)" },
            new JsonObject
            {
                ["type"] = "ActionSet",
                ["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.Execute", ["title"] = "Request: Add a default route via 10.12.0.1", ["data"] = new JsonObject { ["plan"] = "return-route-missing.default-route" } } },
            },
        };
        if (earlier is not null)
        {
            var panel = new JsonArray
            {
                new JsonObject { ["type"] = "TextBlock", ["text"] = "1. Initial diagnosis" },
                new JsonObject { ["type"] = "TextBlock", ["text"] = earlier },
            };
            body.Add(new JsonObject
            {
                ["type"] = "ActionSet",
                ["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.ShowCard", ["title"] = "Earlier runs (1): original evidence and outputs", ["card"] = new JsonObject { ["type"] = "AdaptiveCard", ["body"] = panel } } },
            });
        }

        return new JsonObject { ["type"] = "AdaptiveCard", ["body"] = body };
    }

    [Fact]
    public void LoopbackStageOne_RouteMissingBeside22RefusedAndALogin_Flagged()
    {
        var card = Card("tcp 22: refused (RST) (jump host could not open the channel: connection refused (RST), 829 ms)\ntcp 64443: open (SSH-2.0-OpenSSH_9.2p1, 676 ms)\ncli via ssh:64443: ok\nNo route back to the management subnet (return-route-missing)");
        var found = EvidenceContradictions.InAdaptiveCard(card);
        Assert.Contains(found, f => f.Contains("an SSH login works", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains("refused by RST", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains("a port open", StringComparison.Ordinal));

        var thread = EvidenceContradictions.InThread(["Access (TCP probe, access path): Fail - Port 22 refused (RST); CLI via ssh:64443", Verdict]);
        Assert.Single(thread);
        Assert.NotEmpty(EvidenceContradictions.InRun("Route back: Fail - no route back\nSSH login through the jump host works; 0.0.0.0:22 Listening"));
        Assert.NotEmpty(EvidenceContradictions.InRun("no route back\n10.12.0.12:64443  10.200.0.10:50312  0  Established"));
    }

    [Fact]
    public void NamespacedStages_TimeoutsWhileMissing_RefusalAfterTheRouteFix_Agree()
    {
        // Stage two's card keeps stage one behind "Earlier runs": each run is true of its own time.
        var card = Card("tcp 22: refused (RST)\ntcp 64443: open\ncli via ssh:64443: ok", earlier: "no TCP answer from the management subnet, gateway has ARP and ping answers, the switch has no route back\ntcp 22: timed out");
        Assert.Empty(EvidenceContradictions.InAdaptiveCard(card));
        Assert.Empty(EvidenceContradictions.InThread(
        [
            "Access (TCP probe, access path): Fail - Port 22 timed out (filtered or down); CLI via console",
            Verdict,
            "Offered: Add a default route via 10.12.0.1 (needs 1 approver)",
            "Connected to sw-access-12 over the console (lab-console port 7002): no SSH port of the device gave a session",
            "Ran `ip route-static 0.0.0.0 0.0.0.0 10.12.0.1` (0.0 s)",
            "Done: sw-access-12: return-route-missing.default-route: applied and verified",
            "Re-running the diagnosis on sw-access-12",
            "Access (TCP probe, access path): Fail - Port 22 refused (RST); CLI via ssh:64443",
            "Verdict: listener-stuck",
        ]));
    }

    [Fact]
    public void ThreadLinesOfIssue17_TheRouteFixRunningLineEndsStageOne_InSlackShapeToo()
    {
        string[] stageOne =
        [
            ":x: `06:02:30` Access (TCP probe, access path): Fail - Port 22 timed out (filtered or down); CLI via console",
            ":compass: `06:02:34` Verdict: SSH listener stuck on another port + No route back to the management subnet",
        ];
        string[] stageTwo =
        [
            ":white_check_mark: `06:02:38` Access (TCP probe, access path): Fail - Port 22 refused (RST); CLI via ssh:64443",
            ":compass: `06:02:39` Verdict after Add a default route via 10.12.0.1: SSH listener stuck on another port",
        ];
        const string Running = ":gear: `06:02:35` Running REQ-2S9PR8WJ on sw-access-12: system-view; ip route-static 0.0.0.0 0.0.0.0 10.12.0.1; return";

        Assert.Empty(EvidenceContradictions.InThread([.. stageOne, Running, .. stageTwo]));
        Assert.NotEmpty(EvidenceContradictions.InThread([.. stageOne, .. stageTwo]));
    }
}
