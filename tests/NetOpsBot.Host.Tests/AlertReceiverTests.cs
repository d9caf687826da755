using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NetOpsBot.Storage.Tests.Infrastructure;

namespace NetOpsBot.Host.Tests;

/// <summary>The alert receivers against bad input, floods and replicas: each gets a clear answer, one incident per alert.</summary>
public sealed class AlertReceiverTests
{
    private const string Token = "alert-receiver-token-0123456789";

    internal static string Notification(string status, IEnumerable<(string Fingerprint, string Instance)> alerts) =>
        JsonSerializer.Serialize(new
        {
            version = "4",
            status,
            receiver = "netopsbot",
            groupKey = "{}:{alertname=\"SSHDown\"}",
            groupLabels = new { alertname = "SSHDown" },
            commonLabels = new { alertname = "SSHDown" },
            commonAnnotations = new { },
            externalURL = "http://127.0.0.1:9093",
            truncatedAlerts = 0,
            alerts = alerts.Select(a => new
            {
                status,
                labels = new Dictionary<string, string> { ["alertname"] = "SSHDown", ["instance"] = a.Instance, ["job"] = "blackbox-ssh", ["module"] = "ssh_banner" },
                annotations = new { summary = "SSH banner probe failed" },
                startsAt = "2026-12-06T01:00:00Z",
                endsAt = status == "resolved" ? "2026-12-06T01:05:00Z" : "0001-01-01T00:00:00Z",
                generatorURL = "http://127.0.0.1:9090/graph?g0.expr=probe_success%3D%3D0",
                fingerprint = a.Fingerprint,
            }),
        });

    private static HttpRequestMessage Post(string path, string body, string? bearer = Token) => new(HttpMethod.Post, path)
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
        Headers = { Authorization = bearer is null ? null : new AuthenticationHeaderValue("Bearer", bearer) },
    };

    [Fact]
    public async Task BadInput_Unauthenticated_Off_Malformed_UnknownDevice_TenThousandAlerts_EachAnsweredClearly()
    {
        await using var lab = await TestLab.StartAsync("seed-case");
        var device = AlertmanagerEndToEndTests.DialAddress(lab, "sw-access-12") + ":22";
        var settings = new Dictionary<string, string>
        {
            ["NetOps__Alerts__Alertmanager__BearerToken"] = Token,
            // Configured without a secret: off.
            ["NetOps__Alerts__Generic__nms__Mapping__IdentityPath"] = "id",
            ["NetOps__Alerts__Generic__zabbix__BasicUser"] = "zabbix",
            ["NetOps__Alerts__Generic__zabbix__BasicPassword"] = "zabbix-password-123",
            ["NetOps__Alerts__Generic__zabbix__Mapping__Preset"] = "zabbix",
        };
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
        using var http = host.RawClient();
        using var page = host.Client();
        var firing = Notification("firing", [("fp-12", device)]);

        // Unauthenticated or wrong secret: 401 and nothing runs.
        using (var none = await http.SendAsync(Post("/api/alerts/alertmanager", firing, bearer: null)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        }

        using (var wrong = await http.SendAsync(Post("/api/alerts/alertmanager", firing, bearer: Token + "x")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var off = await http.SendAsync(Post("/api/alerts/generic/nms", "{\"id\":\"1\"}")))
        {
            Assert.Equal(HttpStatusCode.NotFound, off.StatusCode);
            Assert.Contains("is off: set NetOps:Alerts:Generic:nms:BearerToken", await off.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(await AlertmanagerEndToEndTests.IncidentsAsync(page, "sw-access-12"));
        Assert.DoesNotContain(Token, host.Log, StringComparison.Ordinal);

        // Malformed: 400 saying what is wrong.
        using (var malformed = await http.SendAsync(Post("/api/alerts/alertmanager", firing[..^5])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            Assert.Contains("not valid JSON", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var v3 = await http.SendAsync(Post("/api/alerts/alertmanager", firing.Replace("\"version\":\"4\"", "\"version\":\"3\"", StringComparison.Ordinal))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, v3.StatusCode);
        }

        // An unknown device: one clear line in the web chat channel, and nothing else.
        using var stream = await page.GetAsync("/api/chat/stream", HttpCompletionOption.ResponseHeadersRead);
        using var events = new StreamReader(await stream.Content.ReadAsStreamAsync());
        using (var unknown = await http.SendAsync(Post("/api/alerts/alertmanager", Notification("firing", [("fp-x", "10.99.0.7:22")]))))
        {
            var answer = await unknown.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
            Assert.Equal(1, answer.GetProperty("unknownDevice").GetInt32());
        }

        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            string? line;
            do
            {
                line = await events.ReadLineAsync(cts.Token);
            }
            while (line is not null && !line.Contains("not in the inventory", StringComparison.Ordinal));
            Assert.Contains("Alert SSHDown from Alertmanager is for a device not in the inventory (instance=10.99.0.7:22): not diagnosed.", line, StringComparison.Ordinal);
        }

        Assert.Empty((await page.GetFromJsonAsync<JsonElement>("/api/incidents")).GetProperty("incidents").EnumerateArray());

        // Zabbix through the generic receiver with HTTP basic: understood (an unknown host here), wrong password refused.
        var zabbix = "{\"event_id\":\"4711\",\"event_value\":\"1\",\"event_name\":\"SSHDown\",\"host_name\":\"sw-nowhere\"}";
        var basic = new HttpRequestMessage(HttpMethod.Post, "/api/alerts/generic/zabbix") { Content = new StringContent(zabbix, Encoding.UTF8, "application/json") };
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("zabbix:zabbix-password-123")));
        using (var z = await http.SendAsync(basic))
        {
            Assert.Equal(1, (await z.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unknownDevice").GetInt32());
        }

        var badBasic = new HttpRequestMessage(HttpMethod.Post, "/api/alerts/generic/zabbix") { Content = new StringContent(zabbix, Encoding.UTF8, "application/json") };
        badBasic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("zabbix:nope")));
        using (var z = await http.SendAsync(badBasic))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, z.StatusCode);
        }

        // 10,000 alerts in one notification (5 MB, over the chat's 1 MB cap): answered in seconds; ten of them name
        // sw-access-12 and open one incident, the rest are one line about unknown devices.
        var storm = Enumerable.Range(0, 10_000).Select(i => ($"fp-{i:D5}", i % 1000 == 0 ? device : $"10.{100 + (i / 60000)}.{i / 250 % 240}.{i % 250}:22")).ToList();
        var body = Notification("firing", storm);
        Assert.True(body.Length > 1024 * 1024);
        var sw = Stopwatch.StartNew();
        using (var flood = await http.SendAsync(Post("/api/alerts/alertmanager", body)))
        {
            var answer = await flood.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.OK, flood.StatusCode);
            Assert.Equal(10_000, answer.GetProperty("received").GetInt32());
            Assert.Single(answer.GetProperty("opened").EnumerateArray());
            Assert.Equal(9_990, answer.GetProperty("unknownDevice").GetInt32());
            Assert.Contains(" and ", answer.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"10,000 alerts took {sw.Elapsed}");
        Assert.Single(await AlertmanagerEndToEndTests.IncidentsAsync(page, "sw-access-12"));

        // The same storm again: the same incident, nothing new; one alert more than the limit is refused as a whole.
        using (var again = await http.SendAsync(Post("/api/alerts/alertmanager", body)))
        {
            var answer = await again.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Empty(answer.GetProperty("opened").EnumerateArray());
            Assert.Equal(10, answer.GetProperty("repeated").GetInt32());
        }

        using (var tooMany = await http.SendAsync(Post("/api/alerts/alertmanager", Notification("firing", [.. storm, ("fp-extra", device)]))))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
            Assert.Contains("10001 alerts in one notification; at most 10000", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Single(await AlertmanagerEndToEndTests.IncidentsAsync(page, "sw-access-12"));
    }

    [Fact]
    public async Task SameNotificationFourTimesAtOnceToTwoReplicasOnPostgres_OneIncident_OneResolvedLine_OneReCheck()
    {
        var pg = new PostgresServer();
        await pg.InitializeAsync();
        try
        {
            var connectionString = await pg.CreateDatabaseAsync();
            await using var lab = await TestLab.StartAsync("seed-case");
            var settings = new Dictionary<string, string>
            {
                ["NetOps__Storage__Provider"] = "Postgres",
                ["NetOps__Storage__ConnectionString"] = connectionString,
                ["NetOps__Alerts__Alertmanager__BearerToken"] = Token,
            };
            await using var a = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
            await using var b = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
            using var httpA = a.RawClient();
            using var httpB = b.RawClient();
            var device = AlertmanagerEndToEndTests.DialAddress(lab, "sw-access-12") + ":22";

            async Task<JsonElement[]> DeliverFourTimes(string status)
            {
                var body = Notification(status, [("fp-12", device)]);
                var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? httpA : httpB).SendAsync(Post("/api/alerts/alertmanager", body))));
                Assert.All(answers, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
                return await Task.WhenAll(answers.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
            }

            var firing = await DeliverFourTimes("firing");
            Assert.Equal(1, firing.Sum(f => f.GetProperty("opened").GetArrayLength()));
            Assert.Equal(3, firing.Sum(f => f.GetProperty("repeated").GetInt32()));
            using var pageA = a.Client();
            using var pageB = b.Client();
            var id = Assert.Single(await AlertmanagerEndToEndTests.IncidentsAsync(pageB, "sw-access-12")).GetProperty("incidentId").GetString()!;
            Assert.Single(await AlertmanagerEndToEndTests.IncidentsAsync(pageA, "sw-access-12"));

            await IncidentPolling.WaitAsync(pageA, id, i => i.GetProperty("state").GetString() == "Diagnosed");
            var resolved = await DeliverFourTimes("resolved");
            Assert.Equal(1, resolved.Sum(f => f.GetProperty("resolved").GetInt32()));
            // The bot checks for itself, once over both replicas: the device is still broken, so the incident stays open.
            var done = await IncidentPolling.WaitAsync(pageB, id, i => IncidentPolling.Thread(i).Any(t => t.StartsWith("The bot's re-check", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
            Assert.Single(IncidentPolling.Thread(done), t => t.StartsWith("monitoring reports resolved at 2026-12-06 01:05:00Z", StringComparison.Ordinal));
            Assert.Single(IncidentPolling.Thread(done), t => t.StartsWith("The bot's re-check still finds: listener-stuck + return-route-missing", StringComparison.Ordinal) || t.StartsWith("The bot's re-check still finds: return-route-missing + listener-stuck", StringComparison.Ordinal));
            Assert.Single(IncidentPolling.Thread(done), t => t.StartsWith("Re-running the diagnosis", StringComparison.Ordinal));
            await Task.Delay(1000);
            Assert.Equal("Diagnosed", (await IncidentPolling.WaitAsync(pageA, id, i => i.GetProperty("state").GetString() == "Diagnosed")).GetProperty("state").GetString());
            Assert.Single(await AlertmanagerEndToEndTests.IncidentsAsync(pageA, "sw-access-12"));
        }
        finally
        {
            await pg.DisposeAsync();
        }
    }
}
