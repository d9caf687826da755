using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Host.Tests;

/// <summary>Remediation edge cases through the real host: a device that stays down, and a stale diagnosis.</summary>
public sealed class RemediationPolicyTests
{
    private static async Task<JsonElement> Post(HttpClient http, string path, object body) =>
        await (await http.PostAsJsonAsync(path, body)).Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<JsonElement> Click(HttpClient http, string id, string user, string verb, string plan) =>
        await Post(http, "/api/chat/actions", await CardClicks.BodyAsync(http, id, user, verb, plan));

    [Fact]
    public async Task Reboot_DeviceNotBackByDeadline_ClearFailureInThreadAndIncidentLeftOpen()
    {
        await using var lab = await TestLab.StartAsync("ghost-port", bootTimeSeconds: 600);
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, new Dictionary<string, string>
        {
            ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25",
            ["NetOps__Remediation__RecoveryDeadlineSeconds"] = "3",
        });
        using var http = host.Client();
        var id = (await Post(http, "/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = "d1" })).GetProperty("incidentId").GetString()!;
        await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Diagnosed");

        await Click(http, id, "alice", "run", "listener-stuck.reboot");
        await Click(http, id, "bob", "approve", "listener-stuck.reboot");
        await Click(http, id, "carol", "approve", "listener-stuck.reboot");

        // The failure goes on the timeline first and the incident's state follows it (the thread is the record a
        // crash must not lose), so wait for both; an incident stuck in Remediating times the wait out.
        var done = await IncidentPolling.WaitAsync(
            http,
            id,
            i => IncidentPolling.Thread(i).Any(t => t.StartsWith("Failed:", StringComparison.Ordinal)) && i.GetProperty("state").GetString() != "Remediating",
            TimeSpan.FromSeconds(60));
        Assert.Contains(IncidentPolling.Thread(done), t => t.Contains("did not answer on TCP 22 within 3.0 s", StringComparison.Ordinal));
        Assert.Equal("Diagnosed", done.GetProperty("state").GetString());
        Assert.DoesNotContain(IncidentPolling.Thread(done), t => t.Contains("incident resolved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StaleDiagnosis_EvidenceChangedBeforeExecution_NothingRunAndAskedAgain()
    {
        await using var lab = await TestLab.StartAsync("seed-case");
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, new Dictionary<string, string>
        {
            // Every diagnosis counts as stale, so every approved plan is re-checked first.
            ["NetOps__Approvals__MaxDiagnosisAge"] = "00:00:00.001",
        });
        using var http = host.Client();
        var id = (await Post(http, "/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = "s1" })).GetProperty("incidentId").GetString()!;
        await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Diagnosed");
        await Click(http, id, "alice", "run", "return-route-missing.default-route");

        // Meanwhile someone fixes the route by hand on the console: the evidence the request was bound to is gone.
        var device = lab.Controller.Network.Find("sw-access-12")!;
        using (var session = device.OpenSession(new SessionOrigin(SessionTransport.Console, "console", 0, 0, "netops")))
        {
            session.Start();
            session.Input(Encoding.ASCII.GetBytes("system-view\rip route-static 0.0.0.0 0.0.0.0 10.12.0.1\rreturn\r"));
        }

        await Click(http, id, "bob", "approve", "return-route-missing.default-route");
        var done = await IncidentPolling.WaitAsync(http, id, i => IncidentPolling.Thread(i).Any(t => t.Contains("evidence changed", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
        var thread = IncidentPolling.Thread(done);
        Assert.Contains(thread, t => t.StartsWith("Re-running the diagnosis", StringComparison.Ordinal));
        Assert.DoesNotContain(thread, t => t.Contains("Ran `ip route-static", StringComparison.Ordinal));
    }
}
