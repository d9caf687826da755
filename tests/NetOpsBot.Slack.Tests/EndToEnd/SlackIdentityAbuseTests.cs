using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NetOpsBot.Cards;
using NetOpsBot.Slack.Tests.Fake;
using static NetOpsBot.Slack.Tests.EndToEnd.SlackHost;

namespace NetOpsBot.Slack.Tests.EndToEnd;

/// <summary>
/// The two-person rule under attack, live (real host, lab, fake Slack): a reboot requested in Slack is "approved"
/// by the web chat, by a signed payload from another workspace or app, by an account that is nobody in the
/// approver directory, and by a second account of the first approver. None of it counts and the reboot does not
/// run; a second person in the incident's own channel then completes it.
/// </summary>
public sealed class SlackIdentityAbuseTests
{
    private const string Reboot = "Save and reboot to flush the stuck listener";
    private const string BobAlt = "W0BOBALT09";
    private const string Mallory = "U0MALLORY9";

    [Fact]
    public async Task RebootRequestedInSlack_WebChatOtherWorkspaceOtherAppStrangerAndSecondAccount_DoNotCount_ThenASecondPersonDoes()
    {
        await using var slack = await SlackHost.StartAsync("Http", extra: new Dictionary<string, string>
        {
            // Bob has a second Slack account (an Enterprise Grid W… id); Mallory is in the approver group but no person.
            ["NetOps__People__bob__Slack__1"] = BobAlt,
        });
        var fake = slack.Fake;
        fake.Users[BobAlt] = ("bob.alt", "Bob (second account)");
        fake.Users[Mallory] = ("mallory", "Mallory");
        fake.UserGroups["S0NETADMIN"].Add(Mallory);

        Assert.Equal(200, (await FakeSlack.SendAsync(slack.Commands, fake.Slash(Alice, NetOps, "sw-access-12"))).Status);
        var card = await Eventually.GetAsync(() => fake.Messages(NetOps).LastOrDefault(m => m.AllText.Contains("sw-access-12", StringComparison.Ordinal)), "the incident card", context: () => slack.Host.Log);
        string Thread() => string.Join("\n", fake.Thread(NetOps, card.Ts).Select(m => m.Text));
        string Context() => $"thread:\n{Thread()}\nephemerals: {string.Join(" | ", fake.Ephemerals().Select(e => e.User + ": " + e.Text))}\nhost:\n{slack.Host.Log}";
        Task ThreadHas(string text, int seconds = 60) => Eventually.TrueAsync(() => Thread().Contains(text, StringComparison.Ordinal), $"thread has '{text}'", TimeSpan.FromSeconds(seconds), Context);
        async Task ClickAsync(string user, string button, bool confirm = false)
        {
            await Eventually.TrueAsync(() => fake.AllButtons(NetOps).Contains(button), $"button '{button}'", context: Context);
            Assert.Equal(200, (await FakeSlack.SendAsync(slack.Interactivity, fake.Click(user, NetOps, button, confirmDialogAccepted: confirm))).Status);
        }

        await Eventually.TrueAsync(() => card.AllText.Contains("listener-stuck", StringComparison.Ordinal), "the verdict", context: Context);
        var incidentId = Regex.Match(card.Text, "INC-[0-9A-Z]{8}").Value;
        await ClickAsync(Alice, "Request reboot", confirm: true);
        await ThreadHas("needs 2 different approvers");
        await Eventually.TrueAsync(() => fake.AllButtons(NetOps).Contains("Approve: " + Reboot), "the approve button", context: Context);

        // 1. webchat:bob (Bob's own web chat account, an approver) clicks the Slack incident's Approve: refused, audited.
        var approveData = ButtonData(fake, "Approve: " + Reboot);
        using (var web = slack.Host.Client())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat/actions") { Content = JsonContent.Create(new { user = "bob", data = approveData }) };
            request.Headers.Add("X-NetOpsBot-WebChat", "1");
            using var response = await web.SendAsync(request);
            var answer = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.False((bool?)answer?["accepted"], answer?.ToJsonString());
            Assert.Contains("only clicks there count", (string?)answer?["text"], StringComparison.Ordinal);
        }

        // 2. Carol's click, correctly signed, but from another workspace, or for another app: 401, nothing read.
        foreach (var (field, value) in new[] { ("team", "T0EVILCORP"), ("api_app_id", "A0OTHERAPP") })
        {
            var payload = fake.ClickPayload(Carol, NetOps, "Approve: " + Reboot);
            if (field == "team")
            {
                payload["team"]!["id"] = value;
                payload["user"]!["team_id"] = value;
            }
            else
            {
                payload["api_app_id"] = value;
            }

            var signed = fake.Sign(Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload.ToJsonString())), FakeSigning.Valid);
            Assert.Equal(401, (await FakeSlack.SendAsync(slack.Interactivity, signed)).Status);
        }

        // A slash command from another workspace opens nothing either.
        var otherTeam = fake.Slash(Carol, NetOps, "sw-access-13").BodyText.Replace("team_id=" + fake.TeamId, "team_id=T0EVILCORP", StringComparison.Ordinal);
        Assert.Equal(401, (await FakeSlack.SendAsync(slack.Commands, fake.Sign(Encoding.UTF8.GetBytes(otherTeam), FakeSigning.Valid))).Status);

        // 3. Mallory is in the Slack approver group but is no person of the directory: refused.
        await ClickAsync(Mallory, "Approve: " + Reboot);
        await Eventually.TrueAsync(() => fake.Ephemerals(Mallory).Any(e => e.Text.Contains("is not in the approver group (this account belongs to no person of the approver directory)", StringComparison.Ordinal)), "mallory is refused", context: Context);

        // 4. Bob approves in the channel (1 of 2); his second Slack account is still Bob: it counts once.
        await ClickAsync(Bob, "Approve: " + Reboot);
        await ThreadHas("(1 of 2 approvals)");
        await ClickAsync(BobAlt, "Approve: " + Reboot);
        await Eventually.TrueAsync(() => fake.Ephemerals(BobAlt).Any(e => e.Text.Contains("as slack:" + Bob + ", and one person counts once whatever account they use (1 of 2 approvals)", StringComparison.Ordinal)),
            "bob's second account alone is told it counts once", context: Context);

        // Nothing ran: one approval stored, the incident waits, no reboot in the thread, the refusals are audited.
        await Task.Delay(1500);
        Assert.DoesNotContain("Running REQ-", Thread(), StringComparison.Ordinal);
        Assert.DoesNotContain("counts once", Thread(), StringComparison.Ordinal);
        var incident = await slack.IncidentAsync(incidentId);
        Assert.Equal("AwaitingApproval", incident.GetProperty("state").GetString());
        var events = incident.GetProperty("thread").EnumerateArray().ToList();
        Assert.Single(events, e => e.GetProperty("kind").GetString() == "ApprovalGranted");
        Assert.Contains(events, e => e.GetProperty("text").GetString()!.Contains("only clicks there count", StringComparison.Ordinal));
        Assert.DoesNotContain((await slack.IncidentsAsync()).EnumerateArray(), i => i.GetRawText().Contains("sw-access-13", StringComparison.Ordinal));
        Assert.Matches("refused \\\\?\"?/slack/interactivity\\\\?\"? with 401: \\\\?\"?team_id 'T0EVILCORP' is not Slack:TeamId", slack.Host.Log);
        Assert.Matches("api_app_id 'A0OTHERAPP' is not Slack:AppId", slack.Host.Log);

        // 5. A second person, in the incident's channel: the reboot runs, once.
        await ClickAsync(Carol, "Approve: " + Reboot);
        // The execution's one thread line lists its commands (issue 17: no per-command progress lines in the thread).
        await ThreadHas("Running REQ-", seconds: 90);
        Assert.Single(Regex.Matches(Thread(), "Running REQ-[^\n]*reboot"));
    }

    [Fact]
    public async Task SocketMode_EnvelopeFromAnotherWorkspaceOrApp_IsAcknowledged_AndRunsNothing()
    {
        await using var slack = await SlackHost.StartAsync("SocketMode", scenario: "healthy");
        var fake = slack.Fake;
        await Eventually.TrueAsync(() => slack.Host.Log.Contains("socket mode: connected", StringComparison.Ordinal), "the socket is connected", context: () => slack.Host.Log);

        foreach (var (field, value) in new[] { ("team_id", "T0EVILCORP"), ("api_app_id", "A0OTHERAPP") })
        {
            var form = System.Web.HttpUtility.ParseQueryString(fake.Slash(Carol, NetOps, "sw-access-13").BodyText);
            var payload = new JsonObject();
            foreach (var key in form.AllKeys.OfType<string>())
            {
                payload[key] = form[key];
            }

            payload[field] = value;
            var ack = await fake.EnvelopeAsync("slash_commands", payload);
            Assert.True(ack.Acked, "the envelope is acknowledged (or Slack would deliver it again)");
            Assert.Null(ack.Payload);
        }

        await Task.Delay(1500);
        Assert.Equal(0, (await slack.IncidentsAsync()).GetArrayLength());
        Assert.Empty(fake.Messages(NetOps));
        Assert.Contains("is not Slack:TeamId", slack.Host.Log, StringComparison.Ordinal);
        Assert.Contains("is not Slack:AppId", slack.Host.Log, StringComparison.Ordinal);

        // The same command from our workspace and app runs.
        Assert.True((await fake.SocketSlashAsync(Carol, NetOps, "sw-access-13")).Acked);
        await Eventually.GetAsync(() => fake.Messages(NetOps).LastOrDefault(m => m.AllText.Contains("sw-access-13", StringComparison.Ordinal)), "the card", context: () => slack.Host.Log);
    }

    /// <summary>The card action behind a button of the latest card in the channel, as the web chat would post it.</summary>
    private static JsonObject ButtonData(FakeSlack fake, string button)
    {
        var value = fake.ClickPayload(Bob, NetOps, button)["actions"]![0]!["value"]!.GetValue<string>();
        Assert.True(CardAction.TryParse(value, out var action), value);
        return action.ToData();
    }
}
