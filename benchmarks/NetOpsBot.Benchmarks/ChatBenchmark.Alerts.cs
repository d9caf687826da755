using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace NetOpsBot.Benchmarks;

/// <summary>
/// Monitoring opens the incident: an Alertmanager SSHDown notification received → the verdict on the card (the
/// incident leaves Running). Baseline in the same host: `/sshdiag` of the same device, timed the same way.
/// </summary>
internal static partial class ChatBenchmark
{
    private const string AlertToken = "alert-benchmark-token-0123456789abcdef";

    /// <summary>
    /// (1) One lab per fault scenario (its faulty switch is sw-access-12): one SSHDown alert and one `/sshdiag`,
    /// in alternating order so that neither always meets the warmer host. (2) 50 switches behind one jump host
    /// and one aggregation switch: one notification with 50 SSHDown alerts, then 50 `/sshdiag` for the same 50.
    /// Passes when every alert's incident ends with a root cause.
    /// </summary>
    public static async Task<bool> RunAlertsAsync(string repoRoot)
    {
        var settings = new Dictionary<string, string> { ["NetOps__Alerts__Alertmanager__BearerToken"] = AlertToken };
        // Every built-in scenario with a fault on sw-access-12: not the healthy one, nor the IOS-XE site (its faults are on other switches).
        var scenarios = Directory.GetFiles(Path.Combine(repoRoot, "src", "NetOpsBot.Lab", "Scenarios"), "*.yml")
            .Select(f => Path.GetFileNameWithoutExtension(f)!)
            .Where(n => n is not "healthy" and not "mixed-site")
            .Order(StringComparer.Ordinal)
            .ToList();
        var rows = new List<(string Scenario, double Alert, int AlertCauses, double Chat, int ChatCauses)>();
        var ok = true;
        Console.WriteLine($"alerts: SSHDown alert received -> verdict on the card, sw-access-12 in {scenarios.Count} scenarios (one lab and host each); baseline /sshdiag of the same switch");
        foreach (var (scenario, n) in scenarios.Select((s, n) => (s, n)))
        {
            await WithLabAndHostAsync(
                repoRoot,
                LabWeight.Unchanged,
                async host =>
                {
                    // Warm-up, not measured: a whole diagnosis of a healthy switch, past JIT and first-use costs.
                    await TimeToVerdictsAsync(host.Http, [await SshdiagAsync(host.Http, "sw-access-13").ConfigureAwait(false)], Stopwatch.StartNew()).ConfigureAwait(false);
                    (double, int) alert = default, chat = default;
                    for (var turn = 0; turn < 2; turn++)
                    {
                        if ((turn + n) % 2 == 0)
                        {
                            var sw = Stopwatch.StartNew();
                            alert = (await TimeToVerdictsAsync(host.Http, await AlertAsync(host, ["sw-access-12"], "s").ConfigureAwait(false), sw).ConfigureAwait(false))[0];
                        }
                        else
                        {
                            var sw = Stopwatch.StartNew();
                            chat = (await TimeToVerdictsAsync(host.Http, [await SshdiagAsync(host.Http, "sw-access-12").ConfigureAwait(false)], sw).ConfigureAwait(false))[0];
                        }
                    }

                    rows.Add((scenario, alert.Item1, alert.Item2, chat.Item1, chat.Item2));
                    Console.WriteLine(Fmt($"  {scenario,-20} alert {alert.Item1:0.00} s ({alert.Item2} root causes)  /sshdiag {chat.Item1:0.00} s ({chat.Item2})"));
                    return new Outcome(true, double.NaN, double.NaN);
                },
                scenario,
                extraSwitches: 0,
                settings).ConfigureAwait(false);
        }

        var a = rows.Select(r => r.Alert).Order().ToArray();
        var c = rows.Select(r => r.Chat).Order().ToArray();
        static double P(double[] v, double q) => v[Math.Min(v.Length - 1, (int)(v.Length * q))];
        Console.WriteLine(Fmt($"  alert   p50 {P(a, 0.5):0.00} s  p95 {P(a, 0.95):0.00} s  (p50 {P(a, 0.5) / P(c, 0.5):0.00}x, p95 {P(a, 0.95) / P(c, 0.95):0.00}x the /sshdiag baseline's)"));
        Console.WriteLine(Fmt($"  /sshdiag p50 {P(c, 0.5):0.00} s  p95 {P(c, 0.95):0.00} s"));
        var undetermined = rows.Where(r => r.AlertCauses == 0).Select(r => r.Scenario).ToList();
        Console.WriteLine($"  alerts ended without a root cause: {undetermined.Count} of {rows.Count}{(undetermined.Count > 0 ? " (" + string.Join(", ", undetermined) + ")" : string.Empty)}");
        ok &= undetermined.Count == 0;

        // An outage: 50 switches behind one jump host and one aggregation switch (sw-access-12..61).
        await WithLabAndHostAsync(
            repoRoot,
            LabWeight.Unchanged,
            async host =>
            {
                var alone = Stopwatch.StartNew();
                var one = (await TimeToVerdictsAsync(host.Http, [await SshdiagAsync(host.Http, "sw-access-13").ConfigureAwait(false)], alone).ConfigureAwait(false))[0];
                var sw = Stopwatch.StartNew();
                var alerts = await TimeToVerdictsAsync(host.Http, await AlertAsync(host, host.Devices, "b").ConfigureAwait(false), sw).ConfigureAwait(false);
                sw = Stopwatch.StartNew();
                var ids = await Task.WhenAll(host.Devices.Select(d => SshdiagAsync(host.Http, d))).ConfigureAwait(false);
                var chats = await TimeToVerdictsAsync(host.Http, ids, sw).ConfigureAwait(false);
                var x = alerts.Select(r => r.Seconds).Order().ToArray();
                var y = chats.Select(r => r.Seconds).Order().ToArray();
                Console.WriteLine($"alerts burst: one Alertmanager notification of {host.Devices.Count} SSHDown alerts ({host.Devices.Count} switches behind one jump host and one aggregation switch), then {host.Devices.Count} /sshdiag of the same switches at once");
                Console.WriteLine(Fmt($"  baseline, one /sshdiag alone: {one.Seconds:0.0} s"));
                Console.WriteLine(Fmt($"  {x.Length} alerts:   first {x[0]:0.0} s  median {x[x.Length / 2]:0.0} s  all verdicts {x[^1]:0.0} s  ({x[^1] / one.Seconds:0.0}x one alone); without a root cause: {alerts.Count(r => r.RootCauses == 0)}"));
                Console.WriteLine(Fmt($"  {y.Length} /sshdiag: first {y[0]:0.0} s  median {y[y.Length / 2]:0.0} s  all verdicts {y[^1]:0.0} s  ({y[^1] / one.Seconds:0.0}x one alone); alerts' last / /sshdiag's last: {x[^1] / y[^1]:0.00}x"));
                ok &= x.Length == host.Devices.Count;

                // The storm with its gateway down: sw-agg-01 reboots (down for the lab's boot time, 300 s here), the
                // same 50 switches alert again after the burst's storm window. The gateway is checked once and every
                // incident says it does not answer; baseline: one /sshdiag of a switch behind it, alone, afterwards.
                await Task.Delay(TimeSpan.FromSeconds(StormWindowSeconds + 1)).ConfigureAwait(false);
                await RebootAsync(host.RunDirectory, "sw-agg-01").ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                sw = Stopwatch.StartNew();
                var storm = await TimeToVerdictsAsync(host.Http, await AlertAsync(host, host.Devices, "d").ConfigureAwait(false), sw).ConfigureAwait(false);
                alone = Stopwatch.StartNew();
                var behind = (await TimeToVerdictsAsync(host.Http, [await SshdiagAsync(host.Http, "sw-access-13").ConfigureAwait(false)], alone).ConfigureAwait(false))[0];
                var z = storm.Select(r => r.Seconds).Order().ToArray();
                Console.WriteLine($"alerts storm: the same {host.Devices.Count} switches alert again with sw-agg-01, their gateway, down (rebooting): the gateway checked once, each incident says it does not answer");
                Console.WriteLine(Fmt($"  {z.Length} alerts:   first {z[0]:0.0} s  median {z[z.Length / 2]:0.0} s  all {z[^1]:0.0} s; with a root cause: {storm.Count(r => r.RootCauses > 0)} (none expected)"));
                Console.WriteLine(Fmt($"  baseline, one /sshdiag of sw-access-13 behind the dead gateway, alone, after: {behind.Seconds:0.0} s ({behind.RootCauses} root causes); all {z.Length} alerts / that one: {z[^1] / behind.Seconds:0.00}x"));
                ok &= z.Length == host.Devices.Count && storm.All(r => r.RootCauses == 0);
                return new Outcome(true, double.NaN, double.NaN);
            },
            await LongBootScenarioAsync().ConfigureAwait(false),
            extraSwitches: 47,
            settings).ConfigureAwait(false);
        return ok;
    }

    /// <summary>NetOps:Alerts:Storm:WindowSeconds' default: the burst above is a storm too (its gateway answers).</summary>
    private const double StormWindowSeconds = 30;

    /// <summary>seed-case with a 300 s boot time, so a rebooted sw-agg-01 stays down through the storm round.</summary>
    private static async Task<string> LongBootScenarioAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), "netopsbot-bench-seed-case-long-boot.yml");
        await File.WriteAllTextAsync(file, """
            description: Reference case - no default route and SSH listener stuck on TCP 64443 (300 s boot time, storm round).
            bootTimeSeconds: 300
            device:
              defaultRoute: false
              ssh:
                port: 22
                stuckListenerPort: 64443

            """).ConfigureAwait(false);
        return file;
    }

    /// <summary>`reboot`, answered "y", on a lab switch through the lab's jump host (as an approved reboot runs).</summary>
    private static async Task RebootAsync(string runDirectory, string device)
    {
        var status = NetOpsBot.Lab.LabStatus.Read(runDirectory) ?? throw new InvalidOperationException("no lab status in " + runDirectory);
        var inventory = NetOpsBot.Ssh.InventoryFile.Load(status.Inventory);
        var access = new NetOpsBot.Ssh.SshDeviceAccess(inventory.ToConnectorOptions(status.KnownHosts) with { Dialects = NetOpsBot.Platforms.KnownPlatforms.All.DialectFor }, new NetOpsBot.Ssh.JsonFileCredentialProvider(NetOpsBot.Lab.LabLayout.CredentialsPath(runDirectory)));
        await using (access.ConfigureAwait(false))
        {
            var target = inventory[device];
            var session = await access.OpenInteractiveCliAsync(target, NetOpsBot.Core.Access.AccessPath.Ssh(target.SshPort), CancellationToken.None).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                try
                {
                    await session.RunAsync("reboot", TimeSpan.FromSeconds(10), NetOpsBot.Ssh.ConfirmationPolicy.AnswerEach(_ => "y"), CancellationToken.None).ConfigureAwait(false);
                }
                catch (NetOpsBot.Core.Access.DeviceAccessException)
                {
                    // The switch closes the session as it goes down: that is the reboot.
                }
            }
        }
    }

    private static async Task<string> SshdiagAsync(HttpClient http, string device)
    {
        var response = await http.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag " + device, clientMessageId = $"alertbench-{Guid.NewGuid():N}" }).ConfigureAwait(false);
        var body = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
        return body.GetProperty("incidentId").GetString() ?? throw new InvalidOperationException("no incident opened: " + body);
    }

    /// <summary>One Alertmanager v4 notification, one firing SSHDown alert per device (instance = its management address:22, as blackbox sets it).</summary>
    private static async Task<string[]> AlertAsync(HostUnderTest host, List<string> devices, string round)
    {
        using var inventory = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(host.RunDirectory, "inventory.json")).ConfigureAwait(false));
        var addresses = inventory.RootElement.GetProperty("devices").EnumerateArray()
            .ToDictionary(d => d.GetProperty("name").GetString()!, d => d.GetProperty("managementAddress").GetString()!, StringComparer.Ordinal);
        var fingerprint = Guid.NewGuid().ToString("N")[..8];
        var body = JsonSerializer.Serialize(new
        {
            version = "4",
            status = "firing",
            receiver = "netopsbot",
            groupKey = "{}:{alertname=\"SSHDown\"}",
            groupLabels = new { alertname = "SSHDown" },
            commonLabels = new { alertname = "SSHDown" },
            commonAnnotations = new { },
            externalURL = "http://127.0.0.1:9093",
            truncatedAlerts = 0,
            alerts = devices.Select(d => new
            {
                status = "firing",
                labels = new Dictionary<string, string> { ["alertname"] = "SSHDown", ["instance"] = addresses[d] + ":22", ["job"] = "blackbox-ssh", ["module"] = "ssh_banner" },
                annotations = new { summary = "SSH banner probe failed" },
                startsAt = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                endsAt = "0001-01-01T00:00:00Z",
                generatorURL = "http://127.0.0.1:9090/graph?g0.expr=probe_success%3D%3D0",
                fingerprint = $"{round}-{fingerprint}-{d}",
            }),
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/alerts/alertmanager")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", AlertToken) },
        };
        using var response = await host.Http.SendAsync(request).ConfigureAwait(false);
        var answer = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
        var opened = answer.GetProperty("opened").EnumerateArray().Select(o => o.GetString()!).ToArray();
        if (opened.Length != devices.Count)
        {
            throw new InvalidOperationException($"{devices.Count} alerts opened {opened.Length} incidents: {answer}");
        }

        return opened;
    }

    /// <summary>Per incident, seconds on <paramref name="since"/> until it left Running (polled every 100 ms) and its root-cause count.</summary>
    private static async Task<List<(double Seconds, int RootCauses)>> TimeToVerdictsAsync(HttpClient http, string[] ids, Stopwatch since)
    {
        var finished = new Dictionary<string, (double, int)>(StringComparer.Ordinal);
        while (finished.Count < ids.Length)
        {
            if (since.Elapsed > TimeSpan.FromMinutes(4))
            {
                throw new TimeoutException($"{ids.Length - finished.Count} diagnoses still running after 4 minutes");
            }

            var list = await http.GetFromJsonAsync<JsonElement>("/api/incidents?limit=100").ConfigureAwait(false);
            foreach (var incident in list.GetProperty("incidents").EnumerateArray())
            {
                var id = incident.GetProperty("incidentId").GetString()!;
                if (ids.Contains(id) && !finished.ContainsKey(id) && incident.GetProperty("state").GetString() != "Running")
                {
                    var causes = incident.GetProperty("rootCauses").EnumerateArray().Count(c => c.GetString() is { Length: > 0 } code && code != "undetermined");
                    finished[id] = (since.Elapsed.TotalSeconds, causes);
                }
            }

            if (finished.Count < ids.Length)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        return [.. finished.Values];
    }
}
