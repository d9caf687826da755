using System.Text.Json.Nodes;

namespace NetOpsBot.Cards.Tests;

public sealed class BlockKitTests
{
    public static TheoryData<string> CardNames => new(CardFixtures.All().Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CardNames))]
    public void Render_ProductCard_RespectsSlackLimits(string name)
    {
        var json = BlockKitRenderer.RenderJson(CardFixtures.All().Single(c => c.Name == name).View);

        var violations = BlockKitLimits.Validate(json);
        Assert.True(violations.Count == 0, $"{name}: {string.Join("; ", violations)}");
    }

    [Fact]
    public void Render_OversizedView_StillValidWithPointer()
    {
        var message = BlockKitRenderer.Render(CardFixtures.Oversized());

        Assert.Empty(BlockKitLimits.Validate(message.ToJsonString()));
        Assert.InRange(message["blocks"]!.AsArray().Count, 1, 50);
        Assert.Contains("not shown", message.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OneMegabyteEvidence_TruncatedWithLink()
    {
        var json = BlockKitRenderer.RenderJson(CardFixtures.Enormous());

        Assert.Empty(BlockKitLimits.Validate(json));
        Assert.Contains("truncated", json, StringComparison.Ordinal);
        Assert.Contains("<https://netopsbot.example.test/incidents/INC-20261124-0007|full output>", json, StringComparison.Ordinal);
        Assert.Contains("\"url\":\"https://netopsbot.example.test/incidents/INC-20261124-0007/steps/listener/output\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HostileDeviceOutput_CannotMentionOrLink()
    {
        var json = BlockKitRenderer.RenderJson(CardFixtures.Hostile());

        Assert.DoesNotContain("<!channel>", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<!here>", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<@U012ABC>", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<http://evil", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<@U999", json, StringComparison.Ordinal);
        // The step's one line carries the hostile finding, escaped; its evidence is behind the Details button.
        Assert.Contains("&lt;!channel&gt;", json, StringComparison.Ordinal);
        Assert.Contains("&lt;http://evil.example|x&gt;", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HostileBackticks_CannotCloseCodeBlock()
    {
        var report = CardFixtures.SeedReport with
        {
            RootCauses = [CardFixtures.SeedReport.RootCauses[0] with { Evidence = ["```closing fence", "`inline` & <!here>"] }],
        };
        var json = BlockKitRenderer.RenderJson(DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, CardFixtures.Incident, "alice", report, "n-1", CardFixtures.Links));

        Assert.Contains("`\u200B`\u200B`\u200Bclosing fence", json, StringComparison.Ordinal);
        Assert.Contains("`\u200Binline`\u200B &amp; &lt;!here&gt;", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SeedFinal_RebootButtonIsDangerWithConfirmAndCompactValue()
    {
        var message = BlockKitRenderer.Render(CardFixtures.SeedFinal());

        var buttons = message["blocks"]!.AsArray().Where(b => (string?)b!["type"] == "actions").SelectMany(b => b!["elements"]!.AsArray()).ToList();
        var reboot = buttons.Single(b => (string?)b!["action_id"] == "run:reboot")!;
        Assert.Equal("danger", (string?)reboot["style"]);
        Assert.NotNull(reboot["confirm"]);
        Assert.True(CardAction.TryParse((string?)reboot["value"], out var action));
        // The value carries the hash of the commands shown (save, reboot): a click requests exactly those.
        Assert.Equal(new CardAction(CardActionVerb.Run, CardFixtures.Incident, "reboot", "n-verdict-1") { CommandsHash = "fbe7072834268c1a" }, action);
        Assert.Equal("primary", (string?)buttons.Single(b => (string?)b!["action_id"] == "run:route-default")!["style"]);
    }

    [Fact]
    public void Render_SeedFinal_KeyEvidenceInline_StepOutputBehindDetails()
    {
        var json = BlockKitRenderer.RenderJson(CardFixtures.SeedFinal());

        Assert.Contains("`service: SSH server port 22 · listener: 0.0.0.0:64443 Listening, 0.0.0.0:22 absent · access: 22/tcp refused (RST), 64443/tcp open`", json, StringComparison.Ordinal);
        Assert.DoesNotContain("TCPCB", json, StringComparison.Ordinal);
        Assert.Contains("\"url\":\"https://netopsbot.example.test/incidents/INC-20261124-0007/steps/listener/output\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MessageBreakingEveryLimit_ReportsEach()
    {
        var blocks = new JsonArray { new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = new string('h', 151) } } };
        blocks.Add(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = new string('s', 3001) } });
        blocks.Add(new JsonObject
        {
            ["type"] = "section",
            ["fields"] = new JsonArray([.. Enumerable.Range(0, 11).Select(_ => (JsonNode)new JsonObject { ["type"] = "mrkdwn", ["text"] = "f" })]),
        });
        blocks.Add(new JsonObject
        {
            ["type"] = "actions",
            ["elements"] = new JsonArray(
                new JsonObject { ["type"] = "button", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = new string('b', 76) }, ["action_id"] = "a", ["value"] = new string('v', 2001) },
                new JsonObject { ["type"] = "button", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "ok" }, ["action_id"] = "a", ["style"] = "pink" }),
        });
        while (blocks.Count < 51)
        {
            blocks.Add(new JsonObject { ["type"] = "divider" });
        }

        var violations = BlockKitLimits.Validate(new JsonObject { ["blocks"] = blocks }.ToJsonString());

        Assert.Contains(violations, v => v.Contains("51 blocks", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("151 chars > 150", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("3001 chars > 3000", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("11 > 10", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("76 chars > 75", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("2001 chars > 2000", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("not unique", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("pink", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NotJson_ReportsIt()
    {
        Assert.Single(BlockKitLimits.Validate("{nope"));
    }
}
