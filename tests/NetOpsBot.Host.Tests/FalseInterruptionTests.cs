using System.Net.Http.Json;
using System.Text.Json;
using NetOpsBot.Storage.Tests.Infrastructure;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// Issue 14, "false Interrupted": work a live host owns must never be reported as cut off. The reference case
/// runs over the web chat API with a reboot slow enough that the periodic sweep runs several times while the
/// fix, the recovery watch and the re-diagnosis are in flight.
/// </summary>
public sealed class FalseInterruptionTests
{
    [Fact]
    public async Task ReferenceCase_WebChatApi_SingleHost_NoInterruptedLineAnywhere()
    {
        await using var lab = await TestLab.StartAsync("seed-case", bootTimeSeconds: 25);
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, new Dictionary<string, string>
        {
            ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25",
        });
        using var http = host.Client();
        var done = await RunReferenceCaseAsync(http, http, TimeSpan.FromSeconds(150), whileWatching: null);
        AssertNoInterruption(done);
    }

    /// <summary>
    /// Replica 2 starts (start-up sweep), sweeps periodically and stops, twice, while replica 1 runs the
    /// diagnosis, the fixes and a 90 s recovery watch (three 30 s lease periods) on the same PostgreSQL.
    /// </summary>
    [Fact]
    public async Task TwoReplicasOnPostgres_OtherReplicaStartsSweepsStops_DuringDiagnosisExecutionAndWatch_NoFalseInterruption()
    {
        var pg = new PostgresServer();
        await pg.InitializeAsync();
        try
        {
            var connectionString = await pg.CreateDatabaseAsync();
            await using var lab = await TestLab.StartAsync("seed-case", bootTimeSeconds: 90);
            var settings = new Dictionary<string, string>(ComposeFile.HostEnvironment());
            settings.Remove("ASPNETCORE_HTTP_PORTS");
            settings["NetOps__Storage__ConnectionString"] = connectionString;
            settings["NetOps__InventoryPath"] = Path.Combine(lab.RunDirectory, "inventory.json");
            settings["NetOps__KnownHostsPath"] = Path.Combine(lab.RunDirectory, "known_hosts");
            settings["NetOps__CredentialsPath"] = Path.Combine(lab.RunDirectory, "credentials.json");
            settings["NetOps__Telemetry__OtlpEndpoint"] = string.Empty;
            settings["NetOps__Remediation__ProbeIntervalSeconds"] = "0.5";
            settings["NetOps__Diagnosis__DebugWindowSeconds"] = "5";

            await using var replica1 = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
            using var one = replica1.Client();

            async Task CycleReplica2Async(TimeSpan stay)
            {
                await using var replica2 = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
                await Task.Delay(stay);
            }

            // During the diagnosis: replica 2 starts (its start-up sweep) and stops.
            var started = await (await one.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = "r1" })).Content.ReadFromJsonAsync<JsonElement>();
            var id = started.GetProperty("incidentId").GetString()!;
            await CycleReplica2Async(TimeSpan.FromSeconds(1));
            var done = await RunReferenceCaseAsync(one, one, TimeSpan.FromSeconds(300), whileWatching: () => CycleReplica2Async(TimeSpan.FromSeconds(25)), incidentId: id);
            AssertNoInterruption(done);
        }
        finally
        {
            await pg.DisposeAsync();
        }
    }

    private static void AssertNoInterruption(JsonElement done)
    {
        Assert.Equal("Resolved", done.GetProperty("state").GetString());
        var thread = done.GetProperty("thread").EnumerateArray().ToList();
        Assert.DoesNotContain(thread, t => t.GetProperty("kind").GetString() == "Interrupted");
        Assert.DoesNotContain(thread, t => t.GetProperty("text").GetString()!.Contains("Interrupted", StringComparison.OrdinalIgnoreCase));
        Assert.Single(thread, t => t.GetProperty("text").GetString()!.Contains("Ran `reboot`", StringComparison.Ordinal));
    }

    /// <summary>The reference case: diagnose, fix the return route (alice, bob), reboot (alice, bob, carol).</summary>
    private static async Task<JsonElement> RunReferenceCaseAsync(HttpClient one, HttpClient two, TimeSpan rebootTimeout, Func<Task>? whileWatching, string? incidentId = null)
    {
        var id = incidentId;
        if (id is null)
        {
            var started = await (await one.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = "c1" })).Content.ReadFromJsonAsync<JsonElement>();
            id = started.GetProperty("incidentId").GetString()!;
        }

        await IncidentPolling.WaitAsync(two, id, i => i.GetProperty("state").GetString() == "Diagnosed", TimeSpan.FromSeconds(90));
        Task<object> Click(string user, string verb, string plan) => CardClicks.BodyAsync(one, id, user, verb, plan);

        await one.PostAsJsonAsync("/api/chat/actions", await Click("alice", "run", "return-route-missing.default-route"));
        await two.PostAsJsonAsync("/api/chat/actions", await Click("bob", "approve", "return-route-missing.default-route"));
        await IncidentPolling.WaitAsync(one, id, i => i.GetProperty("state").GetString() is "Diagnosed" or "Interrupted" && IncidentPolling.Thread(i).Any(t => t.Contains("Still open: listener-stuck", StringComparison.Ordinal)), TimeSpan.FromSeconds(90));

        await one.PostAsJsonAsync("/api/chat/actions", await Click("alice", "run", "listener-stuck.reboot"));
        await two.PostAsJsonAsync("/api/chat/actions", await Click("bob", "approve", "listener-stuck.reboot"));
        await two.PostAsJsonAsync("/api/chat/actions", await Click("carol", "approve", "listener-stuck.reboot"));
        if (whileWatching is not null)
        {
            await IncidentPolling.WaitAsync(one, id, i => IncidentPolling.Thread(i).Any(t => t.Contains("is down", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
            await whileWatching();
        }

        return await IncidentPolling.WaitAsync(one, id, i => i.GetProperty("state").GetString() is "Resolved" or "Failed", rebootTimeout);
    }
}
