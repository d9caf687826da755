using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// Monitoring opens the incident: real blackbox exporter, Prometheus and Alertmanager (Debian packages) watch the
/// seed-case lab; nobody types. The SSHDown alert's card carries the verdict, repeats stay on one incident, the
/// reboot still waits for two approvals, and Alertmanager's "resolved" lands in the thread.
/// </summary>
public sealed class AlertmanagerEndToEndTests
{
    private const string Requester = "alert:alertmanager/SSHDown";

    internal static async Task<List<JsonElement>> IncidentsAsync(HttpClient http, string device) =>
        [.. (await http.GetFromJsonAsync<JsonElement>("/api/incidents?limit=100")).GetProperty("incidents").EnumerateArray()
            .Where(i => i.GetProperty("device").GetString() == device)];

    [Fact]
    public async Task SeedCase_SshDownAlert_OpensTheCardWithTheVerdict_RepeatsStayOneIncident_ResolvedAfterTheApprovedReboot()
    {
        await using var lab = await TestLab.StartAsync("seed-case", bootTimeSeconds: 2);
        var sinceLab = Stopwatch.StartNew();
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var settings = new Dictionary<string, string>
        {
            ["NetOps__Alerts__Alertmanager__BearerToken"] = token,
            ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25",
        };
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
        // The blackbox exporter probes from the management subnet, as the jump host does (issue 15: no path from elsewhere).
        await using var monitoring = await MonitoringStack.StartAsync(MonitoringStack.SshTargets(lab.RunDirectory), new Uri(host.Url, "/api/alerts/alertmanager"), token, probeFrom: lab.ManagementSubnet());
        using var http = host.Client();
        string Logs() => $"\n--- host ---\n{Tail(host.Log)}\n--- monitoring ---\n{Tail(monitoring.Log)}";

        // Nobody types anything: the alert opens the incident, and the verdict is on its card within 60 s of the lab.
        string? id = null;
        while (id is null && sinceLab.Elapsed < TimeSpan.FromSeconds(60))
        {
            id = (await IncidentsAsync(http, "sw-access-12")).FirstOrDefault(i => i.GetProperty("requesterId").GetString() == Requester) is { ValueKind: JsonValueKind.Object } found
                ? found.GetProperty("incidentId").GetString()
                : null;
            await Task.Delay(200);
        }

        Assert.True(id is not null, "no incident opened by the SSHDown alert within 60 s" + Logs());
        static bool HasVerdict(JsonElement i) =>
            i.GetProperty("rootCauses").EnumerateArray().Select(c => c.GetString()).ToHashSet() is var causes
            && causes.Contains("listener-stuck") && causes.Contains("return-route-missing");
        var diagnosed = await IncidentPolling.WaitAsync(http, id, HasVerdict, TimeSpan.FromSeconds(Math.Max(1, 60 - sinceLab.Elapsed.TotalSeconds)));
        Assert.True(sinceLab.Elapsed < TimeSpan.FromSeconds(60), $"verdict after {sinceLab.Elapsed}");

        var card = diagnosed.GetProperty("card").GetRawText();
        Assert.Contains("Opened by alert SSHDown from Alertmanager", card, StringComparison.Ordinal);
        Assert.Contains($"instance={MonitoringStack.SshTargets(lab.RunDirectory).Single(t => t.StartsWith(DialAddress(lab, "sw-access-12") + ":", StringComparison.Ordinal))}", card, StringComparison.Ordinal);
        Assert.Contains($"\"url\":\"http://127.0.0.1:{monitoring.PrometheusPort}/graph?", card, StringComparison.Ordinal);
        Assert.StartsWith("opened by alert SSHDown from Alertmanager", IncidentPolling.Thread(diagnosed)[0], StringComparison.Ordinal);

        // Alertmanager repeats the firing alert (repeat_interval 4 s): it stays one incident, and nothing ran.
        var until = Environment.TickCount64 + 30_000;
        while (CountOf(host.Log, "0 incidents opened, 1 repeated") < 2 && Environment.TickCount64 < until)
        {
            await Task.Delay(250);
        }

        Assert.True(CountOf(host.Log, "0 incidents opened, 1 repeated") >= 2, "Alertmanager did not repeat the notification" + Logs());
        Assert.Single(await IncidentsAsync(http, "sw-access-12"));
        var before = await http.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");
        Assert.DoesNotContain(IncidentPolling.Thread(before), t => t.Contains("Ran `", StringComparison.Ordinal));

        // The route fix first (stage one: no reply has a path, the fix runs over the console), then the reboot; each
        // waits for people, as for /sshdiag: one asks, one other approves the route, two others the reboot.
        await http.PostAsJsonAsync("/api/chat/actions", await CardClicks.BodyAsync(http, id, "alice", "run", "return-route-missing.default-route"));
        await http.PostAsJsonAsync("/api/chat/actions", await CardClicks.BodyAsync(http, id, "bob", "approve", "return-route-missing.default-route"));
        await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Diagnosed" && IncidentPolling.Thread(i).Contains("Still open: listener-stuck"), TimeSpan.FromSeconds(60));
        Task<object> Click(string user, string verb) => CardClicks.BodyAsync(http, id, user, verb, "listener-stuck.reboot");
        Assert.True((await (await http.PostAsJsonAsync("/api/chat/actions", await Click("alice", "run"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetBoolean());
        await http.PostAsJsonAsync("/api/chat/actions", await Click("bob", "approve"));
        await http.PostAsJsonAsync("/api/chat/actions", await Click("carol", "approve"));
        await IncidentPolling.WaitAsync(http, id, i => IncidentPolling.Thread(i).Any(t => t.Contains("Ran `reboot`", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));

        // Prometheus sees SSH answer again, Alertmanager sends "resolved", and the thread says so (once).
        JsonElement resolved;
        try
        {
            resolved = await IncidentPolling.WaitAsync(http, id, i => IncidentPolling.Thread(i).Any(t => t.StartsWith("monitoring reports resolved at ", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + Logs(), e);
        }

        Assert.Single(IncidentPolling.Thread(resolved), t => t.StartsWith("monitoring reports resolved at ", StringComparison.Ordinal));
        Assert.Single(await IncidentsAsync(http, "sw-access-12"));
    }

    internal static string DialAddress(TestLab lab, string device)
    {
        using var inventory = JsonDocument.Parse(File.ReadAllText(Path.Combine(lab.RunDirectory, "inventory.json")));
        return inventory.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == device).GetProperty("managementAddress").GetString()!;
    }

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    private static string Tail(string log) => log.Length > 6000 ? log[^6000..] : log;
}
