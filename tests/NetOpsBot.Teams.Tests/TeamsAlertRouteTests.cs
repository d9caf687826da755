using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NetOpsBot.Teams.Tests.Infrastructure;
using static NetOpsBot.Teams.Tests.Infrastructure.TeamsActivities;

namespace NetOpsBot.Teams.Tests;

/// <summary>
/// An alert routed to a Teams channel: the bot, which learned the channel's conversation when it was used there,
/// opens a thread with the incident's card proactively through the (fake) Bot Connector; nobody mentioned it.
/// </summary>
[Collection(TeamsHostGroup.Name)]
public sealed class TeamsAlertRouteTests(TeamsHostFixture fx)
{
    [Fact]
    public async Task AlertRoutedToTeamsChannel_CardPostedProactively_OpenedByTheAlert()
    {
        // The bot learns the channel's conversation reference from an activity there (as when installed in a team).
        var hello = ChannelMention(fx.Connector.ServiceUrl, TeamsHostFixture.AlertChannel, "sshdiag help", Alice);
        using (var response = await TeamsHostFixture.PostAsync(fx.ApprovalHost, hello, fx.ValidToken().Create()))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await fx.Connector.WaitForAsync(c => c.ConversationId?.StartsWith(TeamsHostFixture.AlertChannel, StringComparison.Ordinal) == true, TimeSpan.FromSeconds(15), "the help reply in the alert channel");

        using var inventory = JsonDocument.Parse(File.ReadAllText(Path.Combine(fx.Lab.RunDirectory, "inventory.json")));
        var address = inventory.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "sw-access-14").GetProperty("managementAddress").GetString();
        var body = JsonSerializer.Serialize(new
        {
            version = "4",
            status = "firing",
            alerts = new[]
            {
                new
                {
                    status = "firing",
                    labels = new Dictionary<string, string> { ["alertname"] = "SSHDown", ["instance"] = address + ":22", ["team"] = "netops" },
                    generatorURL = "http://127.0.0.1:9090/graph?g0.expr=probe_success%3D%3D0",
                    fingerprint = "teams-fp-14",
                },
            },
        });
        using var http = fx.ApprovalHost.RawClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/alerts/alertmanager") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TeamsHostFixture.AlertToken);
        using (var answer = await http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        var card = await fx.Connector.WaitForAsync(
            c => c.Card?.ToJsonString().Contains("Opened by alert SSHDown from Alertmanager", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(30),
            "the alert's card posted in the Teams channel");
        Assert.Equal("POST", card.Method);
        Assert.Equal("/v3/conversations", card.Path);
        Assert.Equal(TeamsHostFixture.AlertChannel, (string?)card.Body?["channelData"]?["channel"]?["id"]);
        Assert.Contains("http://127.0.0.1:9090/graph", card.Card!.ToJsonString(), StringComparison.Ordinal);

        // A device not in the inventory, and one in maintenance: no incident, one clear line each in the routed channel.
        var sw13 = inventory.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "sw-access-13").GetProperty("managementAddress").GetString();
        foreach (var (fingerprint, instance) in new[] { ("teams-fp-x", "10.99.0.7:22"), ("teams-fp-13", sw13 + ":22") })
        {
            using var line = new HttpRequestMessage(HttpMethod.Post, "/api/alerts/alertmanager") { Content = new StringContent(body.Replace("teams-fp-14", fingerprint, StringComparison.Ordinal).Replace(address + ":22", instance, StringComparison.Ordinal), Encoding.UTF8, "application/json") };
            line.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TeamsHostFixture.AlertToken);
            using var answer = await http.SendAsync(line);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Empty((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("opened").EnumerateArray());
        }

        static string? Text(ConnectorCall c) => (string?)(c.Body?["activity"] ?? c.Body)?["text"];
        var unknown = await fx.Connector.WaitForAsync(
            c => Text(c)?.Contains("is for a device not in the inventory (instance=10.99.0.7:22): not diagnosed.", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(15),
            "the unknown-device line in the Teams channel");
        var maintenance = await fx.Connector.WaitForAsync(
            c => Text(c)?.Contains("sw-access-13 is in a maintenance window until 2099-01-01 00:00:00Z (CHG-4242): alert SSHDown from Alertmanager acknowledged, not diagnosed.", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(15),
            "the maintenance line in the Teams channel");
        foreach (var posted in new[] { unknown, maintenance })
        {
            Assert.Equal(("POST", "/v3/conversations"), (posted.Method, posted.Path));
            Assert.Equal(TeamsHostFixture.AlertChannel, (string?)posted.Body?["channelData"]?["channel"]?["id"]);
        }
    }
}
