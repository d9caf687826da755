using System.Net.Http.Json;
using System.Text.Json;
using NetOpsBot.Storage.Tests.Infrastructure;

namespace NetOpsBot.Host.Tests;

/// <summary>Two host replicas on one real PostgreSQL: approval clicks race on both, the reboot runs once.</summary>
public sealed class ReplicaApprovalTests
{
    [Fact]
    public async Task TwentySimultaneousApproveClicksOverTwoHosts_RebootRunsOnce()
    {
        var pg = new PostgresServer();
        await pg.InitializeAsync();
        try
        {
            var connectionString = await pg.CreateDatabaseAsync();
            await using var lab = await TestLab.StartAsync("ghost-port", bootTimeSeconds: 2);
            var settings = new Dictionary<string, string>
            {
                ["NetOps__Storage__Provider"] = "Postgres",
                ["NetOps__Storage__ConnectionString"] = connectionString,
                ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25",
            };
            await using var a = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
            await using var b = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
            using var httpA = a.Client();
            using var httpB = b.Client();

            var started = await (await httpA.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = "p1" })).Content.ReadFromJsonAsync<JsonElement>();
            var id = started.GetProperty("incidentId").GetString()!;
            await IncidentPolling.WaitAsync(httpB, id, i => i.GetProperty("state").GetString() == "Diagnosed");
            await httpA.PostAsJsonAsync("/api/chat/actions", await CardClicks.BodyAsync(httpA, id, "alice", "run", "listener-stuck.reboot"));
            var approve = await CardClicks.DataAsync(httpB, id, "approve", "listener-stuck.reboot");
            object Click(string user, string verb) => new { user, data = approve };

            var clicks = Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? httpA : httpB).PostAsJsonAsync("/api/chat/actions", Click(i % 4 < 2 ? "bob" : "carol", "approve")));
            await Task.WhenAll(clicks);

            var done = await IncidentPolling.WaitAsync(httpA, id, i => i.GetProperty("state").GetString() == "Resolved", TimeSpan.FromSeconds(90));
            var thread = done.GetProperty("thread").EnumerateArray().Select(t => t.GetProperty("text").GetString()!).ToList();
            Assert.Single(thread, t => t.StartsWith("Running REQ-", StringComparison.Ordinal));
            Assert.Single(thread, t => t.Contains("Ran `reboot`", StringComparison.Ordinal));
            // Two approvals counted (bob and carol); every other click was a duplicate or came too late.
            Assert.Equal(2, done.GetProperty("thread").EnumerateArray().Count(t => t.GetProperty("kind").GetString() == "ApprovalGranted"));
        }
        finally
        {
            await pg.DisposeAsync();
        }
    }
}
