using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using NetOpsBot.Host.Tests;
using NetOpsBot.Teams.Tests.Infrastructure;
using static NetOpsBot.Teams.Tests.Infrastructure.TeamsActivities;

namespace NetOpsBot.Teams.Tests;

/// <summary>
/// A container orchestrator stops the host with SIGTERM on every rolling update. With Teams configured (a real
/// credential against the fake Entra, card updates through the fake connector) and a diagnosis and a recovery
/// watch in flight, the host must exit 0 without an unhandled exception, and the next start must record the cut
/// diagnosis and resume the watch, as after any stop.
/// </summary>
public sealed partial class HostShutdownTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private readonly string _secret = "netopsbot-test-secret-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    [Fact]
    public async Task Sigterm_TeamsConfigured_DiagnosisAndRecoveryWatchInFlight_ExitsZeroCleanly_NextStartResumes()
    {
        using var key = new SigningKey("key-teams", "msteams");
        await using var issuer = await LocalIssuer.StartAsync(key);
        await using var entra = await FakeEntra.StartAsync(TestIds.TenantId, TestIds.AppId, _secret);
        await using var connector = await FakeConnector.StartAsync(token => entra.IssuedFor(token, FakeEntra.BotFrameworkScope));

        // Ghost port only: the reboot alone makes the device healthy, so the resumed watch can resolve the incident.
        await using var lab = await TestLab.StartAsync("ghost-port", bootTimeSeconds: 20);
        var settings = new Dictionary<string, string>
        {
            ["Teams__AppId"] = TestIds.AppId,
            ["Teams__AppType"] = "SingleTenant",
            ["Teams__TenantId"] = TestIds.TenantId,
            ["Teams__ClientSecret"] = _secret,
            ["Teams__AuthorityHost"] = entra.AuthorityHost.ToString(),
            ["Teams__OpenIdMetadataUrl"] = issuer.MetadataUrl,
            ["Teams__EntraOpenIdMetadataUrl"] = issuer.EntraMetadataUrl,
            ["Teams__ServiceUrlAllowList__0"] = connector.ServiceUrl,
            ["Teams__CardUpdateIntervalSeconds"] = "0.3",
            ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25",
            ["NetOps__Remediation__RecoveryDeadlineSeconds"] = "90",
            ["NetOps__People__teams-alice__Teams__0"] = Alice.AadObjectId,
            ["SSL_CERT_FILE"] = entra.WriteCertificatePem(lab.WorkDirectory),
        };

        string watched;
        string diagnosing;
        var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
        try
        {
            using var http = host.Client();

            // A reboot approved in the web chat: its recovery watch is running when the host is stopped.
            watched = (await Post(http, "/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = "sigterm-1" })).GetProperty("incidentId").GetString()!;
            await IncidentPolling.WaitAsync(http, watched, i => i.GetProperty("state").GetString() == "Diagnosed");
            Task<object> Click(string user, string verb) => CardClicks.BodyAsync(http, watched, user, verb, "listener-stuck.reboot");
            Assert.True((await Post(http, "/api/chat/actions", await Click("alice", "run"))).GetProperty("accepted").GetBoolean());
            await Post(http, "/api/chat/actions", await Click("bob", "approve"));
            await Post(http, "/api/chat/actions", await Click("carol", "approve"));
            await IncidentPolling.WaitAsync(http, watched, i => IncidentPolling.Thread(i).Any(t => t.Contains("is down (TCP 22", StringComparison.Ordinal)));

            // A diagnosis asked in Teams, its card already in the channel (token from the fake Entra): mid-run when stopped.
            var channel = $"19:netops-{Guid.NewGuid():N}@thread.tacv2";
            connector.Members.Add((Alice.Id, Alice.AadObjectId, Alice.Name));
            using (var posted = await TeamsHostFixture.PostAsync(host, ChannelMention(connector.ServiceUrl, channel, "sshdiag sw-access-12", Alice), new TokenSpec { Key = key, ServiceUrl = connector.ServiceUrl }.Create()))
            {
                Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            }

            await connector.WaitForAsync(c => c.Path == "/v3/conversations" && c.Status == 201, TimeSpan.FromSeconds(20), "the Teams incident's thread");
            var incidents = await http.GetFromJsonAsync<JsonElement>("/api/incidents");
            diagnosing = incidents.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("incidentId").GetString()!).Single(id => id != watched);
            var running = await http.GetFromJsonAsync<JsonElement>($"/api/incidents/{diagnosing}");
            Assert.Equal("Running", running.GetProperty("state").GetString());

            var exit = await host.TerminateAsync(TimeSpan.FromSeconds(60));
            output.WriteLine(host.Log);
            Assert.Equal(0, exit);
            Assert.DoesNotContain("Unhandled", host.Log, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(StackFrame(), host.Log);
            Assert.DoesNotContain(_secret, host.Log, StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
        }

        // The next start records the cut diagnosis and resumes the watch (which resolves the incident).
        await using var restarted = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
        using var http2 = restarted.Client();
        var cut = await IncidentPolling.WaitAsync(http2, diagnosing, i => i.GetProperty("state").GetString() == "Interrupted", TimeSpan.FromSeconds(30));
        Assert.Contains(IncidentPolling.Thread(cut), t => t.StartsWith("Interrupted", StringComparison.Ordinal));
        var done = await IncidentPolling.WaitAsync(http2, watched, i => i.GetProperty("state").GetString() == "Resolved", TimeSpan.FromSeconds(120));
        var thread = IncidentPolling.Thread(done);
        Assert.Contains(thread, t => t.StartsWith("Resuming the recovery watch", StringComparison.Ordinal));
        Assert.Single(thread, t => t.Contains("Ran `reboot`", StringComparison.Ordinal));
    }

    private static async Task<JsonElement> Post(HttpClient http, string path, object body) =>
        await (await http.PostAsJsonAsync(path, body)).Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>A .NET stack frame as an exception's ToString prints it ("   at Namespace.Type.Method(").</summary>
    [GeneratedRegex(@"\bat [A-Za-z_][\w.`<>]*\.[\w<>|`]+\(", RegexOptions.None)]
    private static partial Regex StackFrame();
}
