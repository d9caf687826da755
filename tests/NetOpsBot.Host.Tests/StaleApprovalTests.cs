using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// Issue 13 item 6 (stale approvals), item 10 (double Request) and item 16 (Request on a manual plan) through
/// the real host and lab: what an approver clicks is exactly what runs, on the device as it is now.
/// </summary>
public sealed class StaleApprovalTests
{
    private const string Reboot = "listener-stuck.reboot";
    private const string Route = "return-route-missing.default-route";

    private static async Task<JsonElement> Post(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string> DiagnoseAsync(HttpClient http, string clientMessageId)
    {
        var id = (await Post(http, "/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId })).GetProperty("incidentId").GetString()!;
        await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Diagnosed");
        return id;
    }

    private const string AlertToken = "stale-approval-alert-token-0123456789";

    private static async Task<string> OtherIncidentAsync(HttpClient http, string known)
    {
        var until = Environment.TickCount64 + 30_000;
        while (true)
        {
            var list = await http.GetFromJsonAsync<JsonElement>("/api/incidents");
            var other = list.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("incidentId").GetString()!).FirstOrDefault(i => i != known);
            if (other is not null)
            {
                return other;
            }

            Assert.True(Environment.TickCount64 < until, "the alert opened no incident within 30 s");
            await Task.Delay(200);
        }
    }

    private static async Task<JsonElement> Act(HttpClient http, string user, JsonElement data) => await Post(http, "/api/chat/actions", new { user, data });

    [Fact]
    public async Task RebootRequestedInA_DeviceFixedThroughB_AsRequestCancelledAndItsApprovalsRunNothing()
    {
        await using var lab = await TestLab.StartAsync("ghost-port", bootTimeSeconds: 2);
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, new Dictionary<string, string>
        {
            ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25",
            ["NetOps__Alerts__Alertmanager__BearerToken"] = AlertToken,
        });
        using var http = host.Client();

        var a = await DiagnoseAsync(http, "a1");
        Assert.True((await Act(http, "alice", await CardClicks.DataAsync(http, a, "run", Reboot))).GetProperty("accepted").GetBoolean());
        // The buttons approvers of A have on their screens from now on.
        var approveA = await CardClicks.DataAsync(http, a, "approve", Reboot);

        // The same switch is fixed through another incident. A second /sshdiag of the switch joins A (issue 17), so
        // the other incident is one monitoring opened: alerts keep their own identity (their fingerprint).
        using (var raw = host.RawClient())
        using (var alert = new HttpRequestMessage(HttpMethod.Post, "/api/alerts/alertmanager")
        {
            Content = new StringContent(AlertReceiverTests.Notification("firing", [("fp-stale", AlertmanagerEndToEndTests.DialAddress(lab, "sw-access-12") + ":22")]), System.Text.Encoding.UTF8, "application/json"),
            Headers = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AlertToken) },
        })
        using (var answer = await raw.SendAsync(alert))
        {
            Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        }

        var b = await OtherIncidentAsync(http, a);
        await IncidentPolling.WaitAsync(http, b, i => i.GetProperty("state").GetString() == "Diagnosed");
        Assert.True((await Act(http, "alice", await CardClicks.DataAsync(http, b, "run", Reboot))).GetProperty("accepted").GetBoolean());
        var approveB = await CardClicks.DataAsync(http, b, "approve", Reboot);
        await Act(http, "bob", approveB);
        await Act(http, "carol", approveB);
        await IncidentPolling.WaitAsync(http, b, i => i.GetProperty("state").GetString() == "Resolved", TimeSpan.FromSeconds(90));

        // A's request was withdrawn, in A's thread, naming why.
        var cancelled = await IncidentPolling.WaitAsync(http, a, i => IncidentPolling.Thread(i).Any(t => t.StartsWith("Cancelled REQ-", StringComparison.Ordinal)));
        Assert.Contains(IncidentPolling.Thread(cancelled), t => t.Contains("another remediation ran on sw-access-12", StringComparison.Ordinal) && t.Contains(b, StringComparison.Ordinal));
        Assert.Equal("Diagnosed", cancelled.GetProperty("state").GetString());

        // The old buttons of A: both approvals are refused and nothing runs.
        var bob = await Act(http, "bob", approveA);
        var carol = await Act(http, "carol", approveA);
        Assert.False(bob.GetProperty("accepted").GetBoolean());
        Assert.False(carol.GetProperty("accepted").GetBoolean());
        Assert.Contains("cancelled", bob.GetProperty("text").GetString(), StringComparison.Ordinal);
        await Task.Delay(3000);
        var after = await http.GetFromJsonAsync<JsonElement>($"/api/incidents/{a}");
        var thread = IncidentPolling.Thread(after);
        Assert.DoesNotContain(thread, t => t.StartsWith("Running REQ-", StringComparison.Ordinal));
        Assert.DoesNotContain(thread, t => t.Contains("Ran `reboot`", StringComparison.Ordinal));
        Assert.Equal("Diagnosed", after.GetProperty("state").GetString());
        Assert.Single(IncidentPolling.Thread(await http.GetFromJsonAsync<JsonElement>($"/api/incidents/{b}")), t => t.Contains("Ran `reboot`", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RebootApproved_DeviceFixedByHandSinceTheRequest_ReprobedJustBeforeAndNotRun()
    {
        await using var lab = await TestLab.StartAsync("ghost-port", bootTimeSeconds: 1);
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, new Dictionary<string, string> { ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25" });
        using var http = host.Client();
        var id = await DiagnoseAsync(http, "h1");
        Assert.True((await Act(http, "alice", await CardClicks.DataAsync(http, id, "run", Reboot))).GetProperty("accepted").GetBoolean());
        var approve = await CardClicks.DataAsync(http, id, "approve", Reboot);

        // Someone power-cycles the switch on site: the stuck listener is gone, well within the diagnosis' 10 minutes.
        var device = lab.Controller.Network.Find("sw-access-12")!;
        device.PowerOff();
        device.PowerOn();
        var until = Environment.TickCount64 + 30_000;
        while (device.Power != PowerState.Up && Environment.TickCount64 < until)
        {
            await Task.Delay(100);
        }

        Assert.Equal(PowerState.Up, device.Power);
        await Act(http, "bob", approve);
        await Act(http, "carol", approve);

        var done = await IncidentPolling.WaitAsync(http, id, i => IncidentPolling.Thread(i).Any(t => t.Contains("evidence changed", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
        var thread = IncidentPolling.Thread(done);
        Assert.Contains(thread, t => t.StartsWith("Re-running the diagnosis", StringComparison.Ordinal));
        Assert.Contains(thread, t => t.Contains("approved on listener-stuck", StringComparison.Ordinal) && t.Contains("now shows healthy", StringComparison.Ordinal));
        Assert.DoesNotContain(thread, t => t.Contains("Ran `reboot`", StringComparison.Ordinal));
        Assert.Equal("Resolved", (await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Resolved")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task ApproveButton_AlteredCommandsHashOrNoRequestId_RefusedInTheThreadAndNothingRuns_DoubleRequestMakesOne()
    {
        await using var lab = await TestLab.StartAsync("no-default-route");
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database);
        using var http = host.Client();
        var id = await DiagnoseAsync(http, "m1");

        // Double click on Request (item 10): one request, the second click names it.
        var run = await CardClicks.DataAsync(http, id, "run", Route);
        var requests = await Task.WhenAll(Act(http, "alice", run), Act(http, "alice", run));
        Assert.Single(requests, r => r.GetProperty("accepted").GetBoolean());
        Assert.Contains(requests, r => r.GetProperty("text").GetString()!.Contains("no second request was made", StringComparison.Ordinal));
        var requested = IncidentPolling.Thread(await http.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}"));
        Assert.Single(requested, t => t.StartsWith("alice requested REQ-", StringComparison.Ordinal));

        var approve = await CardClicks.DataAsync(http, id, "approve", Route);
        var altered = JsonNode.Parse(approve.GetRawText())!.AsObject();
        altered["commandsHash"] = "0123456789abcdef";
        var forged = await Act(http, "bob", JsonSerializer.SerializeToElement(altered));
        var bare = JsonNode.Parse(approve.GetRawText())!.AsObject();
        bare.Remove("requestId");
        bare.Remove("commandsHash");
        var old = await Act(http, "bob", JsonSerializer.SerializeToElement(bare));

        Assert.False(forged.GetProperty("accepted").GetBoolean());
        Assert.Contains("other commands than REQ-", forged.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.False(old.GetProperty("accepted").GetBoolean());
        Assert.Contains("does not name the request", old.GetProperty("text").GetString(), StringComparison.Ordinal);
        var still = await http.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");
        Assert.Equal("AwaitingApproval", still.GetProperty("state").GetString());
        Assert.Contains(IncidentPolling.Thread(still), t => t.Contains("other commands than REQ-", StringComparison.Ordinal));
        Assert.DoesNotContain(still.GetProperty("thread").EnumerateArray(), t => t.GetProperty("kind").GetString() == "ApprovalGranted");

        // The button as drawn still works.
        Assert.True((await Act(http, "bob", approve)).GetProperty("accepted").GetBoolean());
        await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Resolved", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task RequestOnAManualPlan_ClearRefusalInTheChannel_NotAServerError()
    {
        await using var lab = await TestLab.StartAsync("device-down");
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database);
        using var http = host.Client();
        var id = await DiagnoseAsync(http, "d1");
        var incident = await http.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");
        Assert.Contains("device-unreachable", incident.GetProperty("rootCauses").EnumerateArray().Select(c => c.GetString()));

        // The card offers no Request button for a manual fix; a hand-made click asks anyway.
        using var response = await http.PostAsJsonAsync("/api/chat/actions", new { user = "alice", data = new { verb = "run", incidentId = id, planId = "device-unreachable.onsite-check", nonce = "n" } });

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(reply.GetProperty("accepted").GetBoolean());
        Assert.Contains("is a manual fix", reply.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("Diagnosed", (await http.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}")).GetProperty("state").GetString());
    }
}
