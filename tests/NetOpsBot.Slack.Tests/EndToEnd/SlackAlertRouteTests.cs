using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace NetOpsBot.Slack.Tests.EndToEnd;

/// <summary>An alert routed to a Slack channel: the bot posts the incident's card there itself (nobody typed a command).</summary>
public sealed class SlackAlertRouteTests
{
    private const string Token = "slack-route-alert-token-0123456789";

    private static string Notification(string fingerprint, string instance, string severity) => JsonSerializer.Serialize(new
    {
        version = "4",
        status = "firing",
        receiver = "netopsbot",
        alerts = new[]
        {
            new
            {
                status = "firing",
                labels = new Dictionary<string, string> { ["alertname"] = "SSHDown", ["instance"] = instance, ["severity"] = severity },
                annotations = new Dictionary<string, string>(),
                startsAt = "2026-12-06T01:00:00Z",
                endsAt = "0001-01-01T00:00:00Z",
                generatorURL = "http://127.0.0.1:9090/graph?g0.expr=probe_success%3D%3D0",
                fingerprint,
            },
        },
    });

    [Fact]
    public async Task PageAlert_RoutedToSlack_CardPostedInTheChannelWithItsThread_UnknownDeviceAndMaintenanceLinesThereToo()
    {
        await using var slack = await SlackHost.StartAsync("http", "seed-case", new Dictionary<string, string>
        {
            ["NetOps__Alerts__Alertmanager__BearerToken"] = Token,
            ["NetOps__Alerts__Routes__0__Match"] = "severity=page",
            ["NetOps__Alerts__Routes__0__Surface"] = "slack",
            ["NetOps__Alerts__Routes__0__Channel"] = SlackHost.NetOps,
            ["NetOps__Alerts__Maintenance__0__Devices__0"] = "sw-access-13",
            ["NetOps__Alerts__Maintenance__0__Start"] = "2020-01-01T00:00:00Z",
            ["NetOps__Alerts__Maintenance__0__End"] = "2099-01-01T00:00:00Z",
            ["NetOps__Alerts__Maintenance__0__Reason"] = "CHG-4242",
        });
        using var inventory = JsonDocument.Parse(File.ReadAllText(Path.Combine(slack.Lab.RunDirectory, "inventory.json")));
        var address = inventory.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "sw-access-12").GetProperty("managementAddress").GetString();
        using var http = slack.Host.RawClient();

        async Task<HttpStatusCode> SendAsync(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/alerts/alertmanager") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await SendAsync(Notification("fp-12", address + ":22", "page")));
        var card = await Eventually.GetAsync(
            () => slack.Fake.Messages(SlackHost.NetOps).FirstOrDefault(m => m.AllText.Contains("Opened by alert SSHDown from Alertmanager", StringComparison.Ordinal)),
            "the alert's card in the Slack channel",
            context: () => slack.Host.Log);
        await Eventually.TrueAsync(
            () => slack.Fake.Messages(SlackHost.NetOps).Any(m => m.Ts == card.Ts && m.AllText.Contains("listener", StringComparison.OrdinalIgnoreCase) && m.Updates > 0)
                && slack.Fake.Thread(SlackHost.NetOps, card.Ts).Any(m => m.Text.Contains("opened by alert SSHDown from Alertmanager", StringComparison.Ordinal)),
            "the card updated in place with the verdict, the thread carrying the alert's line",
            context: () => slack.Host.Log);
        Assert.Single(slack.Fake.Messages(SlackHost.NetOps), m => m.AllText.Contains("Opened by alert SSHDown", StringComparison.Ordinal));
        var incident = Assert.Single((await slack.IncidentsAsync()).EnumerateArray());
        Assert.Equal("alert:alertmanager/SSHDown", incident.GetProperty("requesterId").GetString());

        Assert.Equal(HttpStatusCode.OK, await SendAsync(Notification("fp-x", "10.99.0.7:22", "page")));
        await Eventually.TrueAsync(
            () => slack.Fake.Messages(SlackHost.NetOps).Any(m => m.Text.Contains("is for a device not in the inventory (instance=10.99.0.7:22): not diagnosed.", StringComparison.Ordinal)),
            "the unknown-device line in the routed Slack channel",
            context: () => slack.Host.Log);

        var sw13 = inventory.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "sw-access-13").GetProperty("managementAddress").GetString();
        Assert.Equal(HttpStatusCode.OK, await SendAsync(Notification("fp-13", sw13 + ":22", "page")));
        await Eventually.TrueAsync(
            () => slack.Fake.Messages(SlackHost.NetOps).Any(m => m.Text.Contains("sw-access-13 is in a maintenance window until 2099-01-01 00:00:00Z (CHG-4242): alert SSHDown from Alertmanager acknowledged, not diagnosed.", StringComparison.Ordinal)),
            "the maintenance line in the routed Slack channel",
            context: () => slack.Host.Log);
        Assert.Single((await slack.IncidentsAsync()).EnumerateArray());
        Assert.Empty(slack.Fake.Violations);
    }
}
