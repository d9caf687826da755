using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NetOpsBot.Testing;
using NetOpsBot.Slack.Tests.Fake;
using static NetOpsBot.Slack.Tests.EndToEnd.SlackHost;

namespace NetOpsBot.Slack.Tests.EndToEnd;

/// <summary>
/// The reference case (seeds/000_2f442086c97f7a53.txt) as three Slack users live it, asserted only from what
/// the fake Slack received: the card posted once and updated in place, the timeline in its thread, the
/// refusals as ephemeral messages, the final resolved card.
/// </summary>
internal static class ReferenceCaseScenario
{
    private const string Route = "Add a default route via 10.12.0.1";
    private const string Port = "Re-apply ssh server port 22";
    private const string Reboot = "Save and reboot to flush the stuck listener";

    public static async Task RunAsync(SlackHost slack, ISlackTransport transport, Func<Task>? beforeReboot = null)
    {
        var fake = slack.Fake;
        var ack = await transport.SlashAsync(Alice, NetOps, "sw-access-12");
        Assert.True(ack < TimeSpan.FromSeconds(3), $"acknowledged after {ack.TotalMilliseconds} ms");

        var card = await Eventually.GetAsync(() => fake.Messages(NetOps).LastOrDefault(m => m.AllText.Contains("sw-access-12", StringComparison.Ordinal)), "the incident card is posted");
        string Thread() => string.Join("\n", fake.Thread(NetOps, card.Ts).Select(m => m.Text));
        string Context() => $"card: {card.AllText}\nthread:\n{Thread()}\nephemerals: {string.Join(" | ", fake.Ephemerals().Select(e => e.User + ": " + e.Text))}\nviolations: {string.Join(" | ", fake.Violations)}\nhost:\n{slack.Host.Log}";
        Task ThreadHas(string text, int times = 1, int seconds = 60) => Eventually.TrueAsync(
            () => Regex.Count(Thread(), Regex.Escape(text)) >= times, $"thread has '{text}' x{times}", TimeSpan.FromSeconds(seconds), Context);
        async Task Click(string user, string button, bool confirm = false)
        {
            await Eventually.TrueAsync(() => fake.AllButtons(NetOps).Contains(button), $"button '{button}' on the card", context: Context);
            var elapsed = await transport.ClickAsync(user, NetOps, button, confirm);
            Assert.True(elapsed < TimeSpan.FromSeconds(3), $"click acknowledged after {elapsed.TotalMilliseconds} ms");
        }

        // A (alice) asks; the card updates in place until the verdict names both faults.
        await Eventually.TrueAsync(() => card.AllText.Contains("listener-stuck", StringComparison.Ordinal) && card.AllText.Contains("return-route-missing", StringComparison.Ordinal),
            "the card shows the verdict", context: Context);
        Assert.True(card.Updates > 0, "the card is updated with chat.update, not reposted");
        var incidentId = Regex.Match(card.Text, "INC-[0-9A-Z]{8}").Value;
        Assert.NotEmpty(incidentId);
        AssertEvidenceAgrees(card, Thread());
        AssertAnswerFirst(card);

        // A requests the route fix and is refused as its approver; B approves; the route is added.
        await Click(Alice, "Request: " + Route);
        await ThreadHas("alice requested");
        await Click(Alice, "Approve: " + Route);
        await Eventually.TrueAsync(() => fake.Ephemerals(Alice).Any(e => e.Text.Contains("cannot approve your own request", StringComparison.Ordinal)),
            "alice is told, only her, that she cannot approve her own request", context: Context);
        await Click(Bob, "Approve: " + Route);
        // Stage one has no route back: the fix runs over the console, and the re-diagnosis over SSH is stage two.
        // One line per event (issue 17): the execution line lists its commands, causes and fixes go by their titles.
        await ThreadHas("over the console");
        await ThreadHas("ip route-static 0.0.0.0 0.0.0.0 10.12.0.1; return");
        await ThreadHas("Still open after " + Route + ": SSH listener stuck on another port");
        AssertEvidenceAgrees(card, Thread());

        // A requests `ssh server port 22`; B approves; the listener stays stuck on 64443.
        await Click(Alice, "Request: " + Port);
        await Click(Bob, "Approve: " + Port);
        await ThreadHas("Running REQ-", times: 2);
        await ThreadHas("Still open after " + Port + ": SSH listener stuck on another port");

        if (beforeReboot is not null)
        {
            await beforeReboot();
        }

        // A requests the reboot (confirm dialog); the approvers see what it saves.
        await Click(Alice, "Request reboot", confirm: true);
        await ThreadHas("needs 2 different approvers");
        await Eventually.TrueAsync(() => card.AllText.Contains("unsaved change(s), saved before the reboot", StringComparison.Ordinal)
            && card.AllText.Contains("not saved: ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", StringComparison.Ordinal), "the card shows the unsaved change", context: Context);

        // B double-clicks Approve: both clicks are acknowledged, the approval counts once, and the repeat is told to B
        // alone (ephemeral), never as a line in the channel's thread.
        await Eventually.TrueAsync(() => fake.AllButtons(NetOps).Contains("Approve: " + Reboot), "approve button", context: Context);
        var doubleClick = await Task.WhenAll(transport.ClickAsync(Bob, NetOps, "Approve: " + Reboot), transport.ClickAsync(Bob, NetOps, "Approve: " + Reboot));
        Assert.All(doubleClick, t => Assert.True(t < TimeSpan.FromSeconds(3)));
        await ThreadHas("(1 of 2 approvals)");
        await Eventually.TrueAsync(() => fake.Ephemerals(Bob).Any(e => e.Text.Contains("a second click counts once", StringComparison.Ordinal)),
            "bob alone is told his second click counted once", context: Context);
        Assert.DoesNotContain("counts once", Thread(), StringComparison.Ordinal);

        // The card names who approved and when, and the time left before the request expires.
        await Eventually.TrueAsync(
            () => Regex.IsMatch(card.AllText, @"approvals 1 of 2 \([^)]+ at \d{2}:\d{2}:\d{2} UTC\)") && Regex.IsMatch(card.AllText, @"expires \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \(\d+ min left\)"),
            "the card names the approver with the time, and the time left", context: Context);

        // C approves: the reboot runs once, the device comes back on 22, the incident closes.
        await Click(Carol, "Approve: " + Reboot);
        await ThreadHas("Running REQ-", times: 3, seconds: 90);
        await ThreadHas("0.0.0.0:22 listening", seconds: 90);
        await ThreadHas("healthy again: incident resolved", seconds: 90);
        await Eventually.TrueAsync(() => card.AllText.Contains(":large_green_circle: *Root cause: ", StringComparison.Ordinal)
            && card.AllText.Contains("`healthy`", StringComparison.Ordinal), "the final card shows the healthy verdict", context: Context);

        var incident = await slack.IncidentAsync(incidentId);
        Assert.Equal("Resolved", incident.GetProperty("state").GetString());
        var stored = incident.GetProperty("thread").EnumerateArray().ToList();

        // Each thread line of the record (the web chat's "lines") is in the Slack thread exactly once, as a reply to the
        // card: no "started" or progress line, one verdict line per run, nothing twice.
        var expected = incident.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("text").GetString()!).ToList();
        await Eventually.TrueAsync(() => fake.Thread(NetOps, card.Ts).Count(m => !m.Text.StartsWith("*Full output", StringComparison.Ordinal)) >= expected.Count,
            "every thread line reached the thread", context: Context);
        var lines = fake.Thread(NetOps, card.Ts).Where(m => !m.Text.StartsWith("*Full output", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Count, lines.Count);
        Assert.Equal(stored.Count(e => e.GetProperty("kind").GetString() == "Verdict"), lines.Count(l => Regex.IsMatch(l.Text, @"`\d\d:\d\d:\d\d` (Verdict|Re-check before)")));
        Assert.DoesNotContain(lines, l => l.Text.Contains("started", StringComparison.OrdinalIgnoreCase) || l.Text.Contains("Ran `", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Text.Contains("Running REQ-", StringComparison.Ordinal) && l.Text.Contains("reboot", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Text.Contains("counts once", StringComparison.Ordinal) || l.Text.Contains("changes nothing", StringComparison.Ordinal));
        Assert.Equal(4, stored.Count(e => e.GetProperty("kind").GetString() == "ApprovalGranted"));
        Assert.Single(fake.Messages(NetOps), m => m.Text.Contains(incidentId, StringComparison.Ordinal));

        AssertEvidenceAgrees(card, Thread());

        // Slack's rules held all along, and no secret reached the host's log.
        Assert.Empty(fake.Violations);
        Assert.DoesNotContain(fake.BotToken, slack.Host.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(fake.AppToken, slack.Host.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(fake.SigningSecret, slack.Host.Log, StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue 15: the card's current run and the thread never claim an answer from the switch while its route is missing.
    /// The "Earlier runs" line only names earlier verdicts (stage one's is true of its time), so it is left out.
    /// </summary>
    private static void AssertEvidenceAgrees(FakeMessage card, string thread)
    {
        var texts = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key == "text" && value is JsonValue v && v.TryGetValue<string>(out var text))
                        {
                            if (!text.StartsWith("Earlier runs:", StringComparison.Ordinal))
                            {
                                texts.Add(text);
                            }
                        }
                        else if (key is not ("value" or "action_id" or "block_id"))
                        {
                            Walk(value);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Walk(child);
                    }

                    break;
            }
        }

        Walk(card.Body);
        var found = EvidenceContradictions.InRun(string.Join('\n', texts), "Slack card").Concat(EvidenceContradictions.InThread(thread.Split('\n'))).ToList();
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    /// <summary>
    /// Issue 17: the card's blocks open with the headline (device and state), then one section per cause, then the
    /// next action's buttons, before any step; whichever fix the lab's stage offers first.
    /// </summary>
    private static void AssertAnswerFirst(FakeMessage card)
    {
        var blocks = card.Body["blocks"]!.AsArray().Select(b => b!.AsObject()).ToList();
        string? Text(int i) => (string?)blocks[i]["text"]?["text"];
        Assert.Equal("header", (string?)blocks[0]["type"]);
        Assert.Matches(@"^sw-access-12 · SSH down · \d+ causes? found$", Text(0));
        var actions = blocks.FindIndex(b => (string?)b["type"] == "actions");
        Assert.True(actions >= 3, "a cause and the next fix come before the first buttons: " + card.AllText);
        Assert.All(Enumerable.Range(1, actions - 2), i => Assert.Contains("Root cause: ", Text(i), StringComparison.Ordinal));
        Assert.StartsWith("Next: ", Text(actions - 1), StringComparison.Ordinal);
        Assert.True(actions < blocks.FindIndex(b => (string?)b["type"] == "divider"), "the buttons come before the steps");
    }
}
