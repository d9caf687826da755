using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NetOpsBot.Slack.Tests.Fake;
using NetOpsBot.Slack.Tests.Oracle;

namespace NetOpsBot.Slack.Tests.FakeChecks;

/// <summary>
/// The fake Slack checked against Slack's official clients (@slack/web-api 8.2.0, @slack/socket-mode 3.1.0):
/// what they accept from it, real Slack gives them too, so the bot is tested against Slack's wire format.
/// </summary>
public sealed class FakeSlackOfficialClientTests
{
    [Fact]
    public async Task OfficialClients_WorkAgainstTheFake_WebApiErrors429AndSocketModeReconnect()
    {
        await using var fake = await FakeSlack.StartAsync();
        fake.Fault("conversations.members", new JsonObject { ["status"] = 429, ["retry_after"] = 1 });
        using var node = Node.Start("official-clients.mjs", fake.ApiUrl.ToString(), fake.BotToken, fake.AppToken);
        var lines = new ConcurrentQueue<string>();
        node.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        node.BeginOutputReadLine();
        try
        {
            string Output() => string.Join("\n", lines) + "\n" + string.Join(" | ", fake.Violations);
            await EndToEnd.Eventually.TrueAsync(() => lines.Contains("socket-ready"), "the official Socket Mode client connects", TimeSpan.FromSeconds(30), Output);
            Assert.DoesNotContain(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
            Assert.Equal(15, lines.Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));

            var ack = await fake.SocketSlashAsync("U0ALICE001", "C0NETOPS01", "sw-access-12");
            Assert.True(ack.Acked);
            Assert.Equal("official client got sw-access-12", ack.Payload?["text"]?.GetValue<string>());

            // Slack's "disconnect": the official client reconnects through apps.connections.open again.
            var accepted = fake.SocketsAccepted;
            await fake.DisconnectAsync("refresh_requested", TimeSpan.FromMilliseconds(500));
            await EndToEnd.Eventually.TrueAsync(() => fake.SocketsAccepted > accepted && fake.OpenSockets == 1, "the official client reconnects", TimeSpan.FromSeconds(30), Output);
            ack = await fake.SocketSlashAsync("U0BOB00002", "C0NETOPS01", "help");
            Assert.True(ack.Acked, Output());
            // The one deliberate mistake above (51 blocks) is the only thing the fake recorded as wrong.
            Assert.Single(fake.Violations, v => v.StartsWith("chat.postMessage: invalid_blocks", StringComparison.Ordinal));
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
        }
    }
}
