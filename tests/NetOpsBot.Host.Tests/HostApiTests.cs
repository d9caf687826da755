using System.Net.Http.Json;
using System.Text.Json;

namespace NetOpsBot.Host.Tests;

/// <summary>The host's chat API with bad input and a restart, against a real lab.</summary>
public sealed class HostApiTests
{
    private static async Task<JsonElement> Say(HttpClient http, string user, string text, string? id = null)
    {
        var response = await http.PostAsJsonAsync("/api/chat/messages", new { user, text, clientMessageId = id ?? Guid.NewGuid().ToString("N") });
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task BadInput_EachGetsClearReplyAndNothingReachesADevice()
    {
        await using var lab = await TestLab.StartAsync("healthy");
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, new Dictionary<string, string>
        {
            ["NetOps__Limits__PerUserBurst"] = "3",
            ["NetOps__Limits__PerUserRefillSeconds"] = "60",

            // The flood below is about the per-user rate limit, on one device.
            ["NetOps__Diagnosis__MaxConcurrentPerDevice"] = "10",
        });
        using var http = host.Client();
        var before = lab.Controller.Topology.Devices.Sum(d => lab.DeviceConnections(d.Name));

        Assert.Contains("Unknown command", (await Say(http, "alice", "/reboot sw-access-12")).GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("not in the inventory", (await Say(http, "alice", "/sshdiag sw-nope-99")).GetProperty("text").GetString(), StringComparison.Ordinal);
        foreach (var evil in new[] { "/sshdiag sw-access-12;reboot", "/sshdiag $(id)", "/sshdiag sw-access-12|save", "/sshdiag `reboot`" })
        {
            var reply = await Say(http, "alice", evil);
            Assert.False(reply.GetProperty("accepted").GetBoolean(), evil);
            Assert.Contains("Not a device name", reply.GetProperty("text").GetString(), StringComparison.Ordinal);
        }

        Assert.Contains("Usage", (await Say(http, "alice", "/sshdiag sw-access-12 extra; reboot")).GetProperty("text").GetString(), StringComparison.Ordinal);
        var huge = await Say(http, "alice", "/sshdiag " + new string('x', 200_000));
        Assert.Contains("too long", huge.GetProperty("text").GetString(), StringComparison.Ordinal);
        var stranger = await http.PostAsJsonAsync("/api/chat/messages", new { user = "mallory", text = "/sshdiag sw-access-12" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, stranger.StatusCode);

        var after = lab.Controller.Topology.Devices.Sum(d => lab.DeviceConnections(d.Name));
        Assert.Equal(before, after);

        // A flood from one user: three go through, the rest are refused with a clear reply.
        var replies = new List<JsonElement>();
        for (var i = 0; i < 8; i++)
        {
            replies.Add(await Say(http, "bob", "/sshdiag sw-access-13"));
        }

        Assert.Equal(3, replies.Count(r => r.GetProperty("accepted").GetBoolean()));
        Assert.All(replies.Skip(3), r => Assert.Contains("Too many requests", r.GetProperty("text").GetString(), StringComparison.Ordinal));

        // Nothing lost: each accepted request has its incident and complete timeline.
        var ids = replies.Where(r => r.GetProperty("accepted").GetBoolean()).Select(r => r.GetProperty("incidentId").GetString()!).ToList();
        foreach (var id in ids)
        {
            // Issue 14: a healthy switch closes the incident as "no fault found" and says where to look next.
            // The state and the closing line are one store write: once Resolved is read, the line is there.
            var done = await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Resolved", TimeSpan.FromSeconds(60));
            Assert.Contains("healthy", done.GetProperty("rootCauses").EnumerateArray().Select(c => c.GetString()));
            Assert.Contains(done.GetProperty("thread").EnumerateArray(), t => t.GetProperty("kind").GetString() == "Verdict");
            var closing = IncidentPolling.Thread(done)[^1];
            Assert.StartsWith("No fault found in ", closing, StringComparison.Ordinal);
            Assert.Contains("the user's SSH client", closing, StringComparison.Ordinal);
            Assert.Contains("the path before the jump host", closing, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SameRequestDeliveredTwice_RunsOnce()
    {
        await using var lab = await TestLab.StartAsync("healthy");
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database);
        using var http = host.Client();

        var first = await Say(http, "alice", "/sshdiag sw-access-12", "delivery-1");
        var second = await Say(http, "alice", "/sshdiag sw-access-12", "delivery-1");

        Assert.Equal(first.GetProperty("incidentId").GetString(), second.GetProperty("incidentId").GetString());
        Assert.Contains("Already handled", second.GetProperty("text").GetString(), StringComparison.Ordinal);
        var list = await http.GetFromJsonAsync<JsonElement>("/api/incidents");
        Assert.Single(list.GetProperty("incidents").EnumerateArray());
    }

    [Fact]
    public async Task DiagnoseADeviceWhileItsDiagnosisRuns_JoinsTheRunningIncident()
    {
        await using var lab = await TestLab.StartAsync("ghost-port");
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, new Dictionary<string, string> { ["NetOps__Diagnosis__DebugWindowSeconds"] = "30" });
        using var http = host.Client();

        var first = await Say(http, "alice", "/sshdiag sw-access-12");
        var second = await Say(http, "bob", "/sshdiag sw-access-12");

        var id = first.GetProperty("incidentId").GetString()!;
        // Issue 17: an open incident is joined, not refused and not duplicated.
        Assert.True(second.GetProperty("joined").GetBoolean());
        Assert.Equal(id, second.GetProperty("incidentId").GetString());
        Assert.StartsWith($"Already handled: sw-access-12 has an open incident {id} (Running, opened by alice ", second.GetProperty("text").GetString(), StringComparison.Ordinal);
        var list = await http.GetFromJsonAsync<JsonElement>("/api/incidents");
        Assert.Single(list.GetProperty("incidents").EnumerateArray());
    }

    [Fact]
    public async Task HostKilledMidDiagnosis_IncidentMarkedInterruptedAfterRestart()
    {
        await using var lab = await TestLab.StartAsync("ghost-port");
        var slow = new Dictionary<string, string> { ["NetOps__Diagnosis__DebugWindowSeconds"] = "30" };
        string id;
        await using (var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, slow))
        {
            using var http = host.Client();
            id = (await Say(http, "carol", "/sshdiag sw-access-12")).GetProperty("incidentId").GetString()!;
            await IncidentPolling.WaitAsync(http, id, e => e.GetProperty("thread").EnumerateArray().Any(t => t.GetProperty("text").GetString()!.StartsWith("SSH debug", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
            host.Kill();
        }

        await using var restarted = await HostProcess.StartAsync(lab.RunDirectory, lab.Database);
        using var http2 = restarted.Client();
        var incident = await WaitForStateAsync(http2, id, "Interrupted", TimeSpan.FromSeconds(10));
        Assert.Contains(incident.GetProperty("thread").EnumerateArray(), t => t.GetProperty("kind").GetString() == "Interrupted");
    }

    private static Task<JsonElement> WaitForStateAsync(HttpClient http, string id, string state, TimeSpan timeout) =>
        IncidentPolling.WaitAsync(http, id, e => e.GetProperty("state").GetString() == state, timeout);

}

/// <summary>Start-up configuration errors name the key to fix.</summary>
public sealed class HostConfigurationTests
{
    [Fact]
    public async Task MissingInventory_HostRefusesToStartNamingTheKey()
    {
        var work = Directory.CreateTempSubdirectory("netopsbot-cfg-");
        try
        {
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync(
                Path.Combine(work.FullName, "no-lab-here"),
                Path.Combine(work.FullName, "db.sqlite"),
                new Dictionary<string, string> { ["NetOps__InventoryPath"] = "/nonexistent/inventory.json" }));

            Assert.Contains("NetOps:InventoryPath", ex.Message, StringComparison.Ordinal);
            Assert.Contains("/nonexistent/inventory.json", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("credentials.json", 0b110_100_100, "NetOps:CredentialsPath", "chmod 600")] // 0644: anyone can read device passwords
    [InlineData("known_hosts", 0b110_110_100, "NetOps:KnownHostsPath", "chmod 644")] // 0664: the group could pin its own host key
    public async Task LooseCredentialsOrKnownHosts_HostRefusesToStartNamingTheFileAndTheFix(string file, int mode, string key, string fix)
    {
        var run = Directory.CreateTempSubdirectory("netopsbot-perm-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(run.FullName, "inventory.json"), "{}");
            await File.WriteAllTextAsync(Path.Combine(run.FullName, "known_hosts"), "");
            File.SetUnixFileMode(Path.Combine(run.FullName, "known_hosts"), (UnixFileMode)0b110_100_100);
            await File.WriteAllTextAsync(Path.Combine(run.FullName, "credentials.json"), "{}");
            File.SetUnixFileMode(Path.Combine(run.FullName, "credentials.json"), (UnixFileMode)0b110_000_000);
            var loose = Path.Combine(run.FullName, file);
            File.SetUnixFileMode(loose, (UnixFileMode)mode);

            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync(run.FullName, Path.Combine(run.FullName, "db.sqlite")));

            Assert.Contains(key, ex.Message, StringComparison.Ordinal);
            Assert.Contains(loose, ex.Message, StringComparison.Ordinal);
            Assert.Contains(fix, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            run.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task BadManagementSubnet_HostRefusesToStartNamingTheKey()
    {
        await using var lab = await TestLab.StartAsync("healthy");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync(
            lab.RunDirectory,
            lab.Database,
            new Dictionary<string, string> { ["NetOps__Diagnosis__ManagementSubnet"] = "10.200.0.0/99x" }));

        Assert.Contains("NetOps:Diagnosis:ManagementSubnet", ex.Message, StringComparison.Ordinal);
    }
}
