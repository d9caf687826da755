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
        await using var replicas = await TwoReplicas.StartAsync("ghost-port", bootTimeSeconds: 2);
        var (httpA, httpB) = (replicas.A, replicas.B);

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

    /// <summary>
    /// Issue 14, "what it must show": the reference case through two replicas on real PostgreSQL. The engineer asks on
    /// one replica; every approval arrives on the other as ten racing clicks per fix. One route fix and one reboot run,
    /// nothing is falsely interrupted, and the incident resolves with the record naming what it was opened for.
    /// </summary>
    [Fact]
    public async Task ReferenceCase_RequestOnOneReplica_TenRacingApprovalsOnTheOther_OneRebootNoInterruptionResolved()
    {
        await using var replicas = await TwoReplicas.StartAsync("seed-case", bootTimeSeconds: 5);
        var (httpA, httpB) = (replicas.A, replicas.B);

        var started = await (await httpA.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = "story-2r" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = started.GetProperty("incidentId").GetString()!;
        await IncidentPolling.WaitAsync(httpB, id, i => i.GetProperty("state").GetString() == "Diagnosed", TimeSpan.FromSeconds(90));

        async Task RequestOnAApproveTenTimesOnB(string plan)
        {
            await httpA.PostAsJsonAsync("/api/chat/actions", await CardClicks.BodyAsync(httpA, id, "alice", "run", plan));
            var approve = await CardClicks.DataAsync(httpB, id, "approve", plan);
            var clicks = Enumerable.Range(0, 10).Select(i => httpB.PostAsJsonAsync("/api/chat/actions", new { user = i % 2 == 0 ? "bob" : "carol", data = approve }));
            var answers = await Task.WhenAll(clicks);
            Assert.All(answers, r => Assert.True(r.IsSuccessStatusCode, $"a click got {(int)r.StatusCode}"));
        }

        await RequestOnAApproveTenTimesOnB("return-route-missing.default-route");
        await IncidentPolling.WaitAsync(httpA, id, i => i.GetProperty("state").GetString() != "Remediating" && IncidentPolling.Thread(i).Any(t => t.Contains("Still open: listener-stuck", StringComparison.Ordinal)), TimeSpan.FromSeconds(90));
        await RequestOnAApproveTenTimesOnB("listener-stuck.reboot");
        var done = await IncidentPolling.WaitAsync(httpA, id, i => i.GetProperty("state").GetString() is "Resolved" or "Diagnosed" or "Interrupted" && IncidentPolling.Thread(i).Any(t => t.Contains("Ran `reboot`", StringComparison.Ordinal)), TimeSpan.FromSeconds(150));

        Assert.Equal("Resolved", done.GetProperty("state").GetString());
        var thread = done.GetProperty("thread").EnumerateArray().ToList();
        var texts = thread.Select(t => t.GetProperty("text").GetString()!).ToList();
        Assert.DoesNotContain(thread, t => t.GetProperty("kind").GetString() == "Interrupted");
        Assert.DoesNotContain(texts, t => t.Contains("Interrupted", StringComparison.OrdinalIgnoreCase));
        Assert.Single(texts, t => t.Contains("Ran `reboot`", StringComparison.Ordinal));
        Assert.Single(texts, t => t.Contains("Ran `ip route-static 0.0.0.0 0.0.0.0 10.12.0.1`", StringComparison.Ordinal));
        Assert.Equal(2, texts.Count(t => t.StartsWith("Running REQ-", StringComparison.Ordinal)));

        // The clicks that changed nothing were each told to their clicker; the channel's thread got none of them.
        Assert.DoesNotContain(texts, t => t.Contains("this click changes nothing", StringComparison.Ordinal) || t.Contains(" already approved ", StringComparison.Ordinal));

        // The route fix needs one approver and the reboot two distinct people: three approvals count, no more.
        Assert.Equal(3, thread.Count(t => t.GetProperty("kind").GetString() == "ApprovalGranted"));

        var export = await httpB.GetStringAsync($"/api/incidents/{id}/export");
        var causes = System.Text.RegularExpressions.Regex.Matches(export, @"### Root Cause: .* \(`(?<code>[a-z-]+)`\)").Select(m => m.Groups["code"].Value).ToList();
        Assert.Equal(["listener-stuck", "return-route-missing"], causes.Order(StringComparer.Ordinal));
    }

    /// <summary>A lab and two host replicas on one real PostgreSQL; disposing stops the hosts, then the lab, then the database.</summary>
    private sealed class TwoReplicas : IAsyncDisposable
    {
        private readonly List<Func<Task>> _stops = [];

        public HttpClient A { get; private set; } = null!;

        public HttpClient B { get; private set; } = null!;

        public static async Task<TwoReplicas> StartAsync(string scenario, double bootTimeSeconds)
        {
            var replicas = new TwoReplicas();
            try
            {
                var pg = new PostgresServer();
                replicas._stops.Add(pg.DisposeAsync);
                await pg.InitializeAsync();
                var connectionString = await pg.CreateDatabaseAsync();
                var lab = await TestLab.StartAsync(scenario, bootTimeSeconds);
                replicas._stops.Add(() => lab.DisposeAsync().AsTask());
                var settings = new Dictionary<string, string>
                {
                    ["NetOps__Storage__Provider"] = "Postgres",
                    ["NetOps__Storage__ConnectionString"] = connectionString,
                    ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25",
                };
                var a = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
                replicas._stops.Add(() => a.DisposeAsync().AsTask());
                var b = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
                replicas._stops.Add(() => b.DisposeAsync().AsTask());
                (replicas.A, replicas.B) = (a.Client(), b.Client());
                return replicas;
            }
            catch
            {
                await replicas.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            A?.Dispose();
            B?.Dispose();
            for (var i = _stops.Count - 1; i >= 0; i--)
            {
                await _stops[i]();
            }
        }
    }
}
