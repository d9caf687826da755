using System.Net.Http.Json;
using System.Text.Json;

namespace NetOpsBot.Host.Tests;

/// <summary>A host that dies during an approved reboot: the execution is reported, never repeated, and the watch resumes.</summary>
public sealed class RemediationRestartTests
{
    private static async Task<JsonElement> Post(HttpClient http, string path, object body) =>
        await (await http.PostAsJsonAsync(path, body)).Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task HostKilledAfterRebootSent_RestartReportsInterruptedExecutionAndResumesRecovery()
    {
        // Ghost port only (the route is fine): the reboot alone makes the device healthy.
        await using var lab = await TestLab.StartAsync("ghost-port", bootTimeSeconds: 8);
        var settings = new Dictionary<string, string> { ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25", ["NetOps__Remediation__RecoveryDeadlineSeconds"] = "60" };
        string id;
        await using (var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings))
        {
            using var http = host.Client();
            id = (await Post(http, "/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = "r1" })).GetProperty("incidentId").GetString()!;
            await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Diagnosed");
            Task<object> Click(string user, string verb) => CardClicks.BodyAsync(http, id, user, verb, "listener-stuck.reboot");
            Assert.True((await Post(http, "/api/chat/actions", await Click("alice", "run"))).GetProperty("accepted").GetBoolean());
            await Post(http, "/api/chat/actions", await Click("bob", "approve"));
            await Post(http, "/api/chat/actions", await Click("carol", "approve"));
            await IncidentPolling.WaitAsync(http, id, i => IncidentPolling.Thread(i).Any(t => t.Contains("Ran `reboot`", StringComparison.Ordinal)));
            host.Kill();
        }

        await using var restarted = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
        using var http2 = restarted.Client();
        var done = await IncidentPolling.WaitAsync(http2, id, i => i.GetProperty("state").GetString() == "Resolved", TimeSpan.FromSeconds(90));
        var thread = IncidentPolling.Thread(done);
        Assert.Contains(thread, t => t.Contains("cut off by a host restart; it is NOT repeated", StringComparison.Ordinal));
        Assert.Contains(thread, t => t.StartsWith("Resuming the recovery watch", StringComparison.Ordinal));
        Assert.Single(thread, t => t.Contains("Ran `reboot`", StringComparison.Ordinal));
        Assert.Contains(thread, t => t.Contains("healthy again: incident resolved", StringComparison.Ordinal));
    }
}
