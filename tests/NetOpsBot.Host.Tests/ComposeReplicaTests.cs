using System.Net.Http.Json;
using System.Text.Json;
using NetOpsBot.Storage.Tests.Infrastructure;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// The documented equivalent of `docker compose up` (no Docker engine in CI): two host processes with the
/// environment of infra/docker/compose.yaml's replicas, on one real PostgreSQL, against the seed-case lab. The
/// reference story runs against replica 1, every approval goes through replica 2, the reboot runs once.
/// </summary>
public sealed class ComposeReplicaTests
{
    [Fact]
    public async Task ComposeEnvironment_TwoReplicasOnePostgres_SeedCaseOnReplica1_ApprovedOnReplica2_RebootRunsOnce()
    {
        var pg = new PostgresServer();
        await pg.InitializeAsync();
        try
        {
            var connectionString = await pg.CreateDatabaseAsync();
            await using var lab = await TestLab.StartAsync("seed-case", bootTimeSeconds: 2);

            // The compose file's values, with only what a container would get from its mounts and the database
            // service put in their place.
            var settings = new Dictionary<string, string>(ComposeFile.HostEnvironment());
            settings.Remove("ASPNETCORE_HTTP_PORTS");
            settings["NetOps__Storage__ConnectionString"] = connectionString;
            settings["NetOps__InventoryPath"] = Path.Combine(lab.RunDirectory, "inventory.json");
            settings["NetOps__KnownHostsPath"] = Path.Combine(lab.RunDirectory, "known_hosts");
            settings["NetOps__CredentialsPath"] = Path.Combine(lab.RunDirectory, "credentials.json");
            settings["NetOps__Telemetry__OtlpEndpoint"] = string.Empty;
            settings["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25";
            Assert.Equal("Postgres", settings["NetOps__Storage__Provider"]);

            await using var replica1 = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
            await using var replica2 = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
            // The compose demo's one override is announced, loudly, by each replica.
            Assert.Contains("AllowDemoUsersOnContainerNetwork=true", replica1.Log, StringComparison.Ordinal);
            using var one = replica1.Client();
            using var two = replica2.Client();

            var started = await (await one.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = "c1" })).Content.ReadFromJsonAsync<JsonElement>();
            var id = started.GetProperty("incidentId").GetString()!;
            var diagnosed = await IncidentPolling.WaitAsync(two, id, i => i.GetProperty("state").GetString() == "Diagnosed");
            var causes = diagnosed.GetProperty("rootCauses").EnumerateArray().Select(c => c.GetString()).ToList();
            Assert.Contains("listener-stuck", causes);
            Assert.Contains("return-route-missing", causes);
            Task<object> Click(string user, string verb, string plan) => CardClicks.BodyAsync(one, id, user, verb, plan);

            await one.PostAsJsonAsync("/api/chat/actions", await Click("alice", "run", "return-route-missing.default-route"));
            await two.PostAsJsonAsync("/api/chat/actions", await Click("bob", "approve", "return-route-missing.default-route"));
            await IncidentPolling.WaitAsync(one, id, i => i.GetProperty("state").GetString() == "Diagnosed" && IncidentPolling.Thread(i).Any(t => t.Contains("Still open: listener-stuck", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));

            await one.PostAsJsonAsync("/api/chat/actions", await Click("alice", "run", "listener-stuck.reboot"));
            var bob = await Click("bob", "approve", "listener-stuck.reboot");
            var carol = await Click("carol", "approve", "listener-stuck.reboot");
            await Task.WhenAll(
                two.PostAsJsonAsync("/api/chat/actions", bob),
                two.PostAsJsonAsync("/api/chat/actions", carol),
                two.PostAsJsonAsync("/api/chat/actions", carol));

            var done = await IncidentPolling.WaitAsync(one, id, i => i.GetProperty("state").GetString() == "Resolved", TimeSpan.FromSeconds(90));
            var thread = IncidentPolling.Thread(done);
            Assert.Single(thread, t => t.Contains("Ran `reboot`", StringComparison.Ordinal));
            Assert.Single(thread, t => t.Contains("Ran `ip route-static 0.0.0.0 0.0.0.0 10.12.0.1`", StringComparison.Ordinal));
            Assert.Equal(3, done.GetProperty("thread").EnumerateArray().Count(t => t.GetProperty("kind").GetString() == "ApprovalGranted"));
            Assert.Equal("Resolved", (await two.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}")).GetProperty("state").GetString());
        }
        finally
        {
            await pg.DisposeAsync();
        }
    }
}
