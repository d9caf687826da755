using System.Net.Http.Json;
using System.Text.Json;
using NetOpsBot.Lab;
using NetOpsBot.Lab.Emulator;
using NetOpsBot.Lab.Emulator.IosXe;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// Issue 16's proof in the web chat, on the mixed site (Cisco IOS-XE switches beside VRP ones, each switch in its own
/// network namespace, the fixture's default): <c>/sshdiag</c> of an IOS-XE switch gives the VRP card's shape with IOS-XE fixes,
/// and a reload approved by two people recovers the switch and resolves the incident, over real SSH through the
/// jump host, with only IOS-XE commands sent.
/// </summary>
public sealed class IosXeWebChatTests
{
    private static async Task<JsonElement> Post(HttpClient http, string path, object body) =>
        await (await http.PostAsJsonAsync(path, body)).Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<JsonElement> Click(HttpClient http, string id, string user, string verb, string plan) =>
        await Post(http, "/api/chat/actions", await CardClicks.BodyAsync(http, id, user, verb, plan));

    private static async Task<(string Id, JsonElement Incident)> DiagnoseAsync(HttpClient http, string device, string messageId)
    {
        var id = (await Post(http, "/api/chat/messages", new { user = "alice", text = "/sshdiag " + device, clientMessageId = messageId })).GetProperty("incidentId").GetString()!;
        return (id, await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Diagnosed", TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public async Task SshDiag_IosXeSwitch_SameCardShapeAsVrp_OffersTheIosXeFix()
    {
        await using var lab = await TestLab.StartAsync("mixed-site");
        Assert.Equal(LabNetworkMode.Namespaces, lab.Controller.Topology.Network);
        // The same root cause on a VRP switch of the site: its default route removed on the console.
        var vrp = lab.Controller.Network.Find("sw-access-12")!;
        using (var session = vrp.OpenSession(new SessionOrigin(SessionTransport.Console, "console", 0, 0, "netops")))
        {
            session.Start();
            session.Input(System.Text.Encoding.ASCII.GetBytes("system-view\rundo ip route-static 0.0.0.0 0.0.0.0 10.12.0.1\rreturn\r"));
        }

        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database);
        using var http = host.Client();
        var (_, iosxe) = await DiagnoseAsync(http, "cat-access-25", "x1");
        var (_, huawei) = await DiagnoseAsync(http, "sw-access-12", "v1");

        var iosxeCard = iosxe.GetProperty("card");
        var vrpCard = huawei.GetProperty("card");
        var shape = Shape(iosxeCard);
        Assert.Contains(shape, l => l.Contains("Container#top", StringComparison.Ordinal));
        Assert.Contains(shape, l => l.Contains("#cause-", StringComparison.Ordinal));
        Assert.Contains(shape, l => l.EndsWith(" run", StringComparison.Ordinal));
        Assert.True(shape.SequenceEqual(Shape(vrpCard)), $"IOS-XE card shape:\n{string.Join("\n", Shape(iosxeCard))}\nVRP card shape:\n{string.Join("\n", Shape(vrpCard))}");

        // Headline, cause and primary action: the IOS-XE fix, in IOS-XE commands, one click away.
        var headline = iosxeCard.GetProperty("body")[0].GetProperty("items")[0].GetProperty("text").GetString()!;
        var vrpHeadline = vrpCard.GetProperty("body")[0].GetProperty("items")[0].GetProperty("text").GetString()!;
        Assert.Equal(vrpHeadline.Replace("sw-access-12", "cat-access-25", StringComparison.Ordinal), headline);
        Assert.NotNull(CardClicks.Find(iosxeCard, "run", "return-route-missing.default-route"));
        var text = iosxeCard.GetRawText();
        Assert.Contains("ip route 0.0.0.0 0.0.0.0 10.12.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ip route-static", text, StringComparison.Ordinal);
        Assert.Contains("ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", vrpCard.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultRouteFix_Approved_AppliedInIosXeCommands_ReadBack_IncidentResolved()
    {
        await using var lab = await TestLab.StartAsync("mixed-site");
        Assert.Equal(LabNetworkMode.Namespaces, lab.Controller.Topology.Network);
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database);
        using var http = host.Client();
        var (id, _) = await DiagnoseAsync(http, "cat-access-25", "f1");

        await Click(http, id, "alice", "run", "return-route-missing.default-route");
        await Click(http, id, "bob", "approve", "return-route-missing.default-route");

        var done = await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() is "Resolved" || IncidentPolling.Thread(i).Any(t => t.StartsWith("Failed:", StringComparison.Ordinal)), TimeSpan.FromSeconds(120));
        var thread = IncidentPolling.Thread(done);
        Assert.True(done.GetProperty("state").GetString() == "Resolved", string.Join("\n", thread));
        Assert.Contains(thread, t => t.Contains("Ran `ip route 0.0.0.0 0.0.0.0 10.12.0.1`", StringComparison.Ordinal) || t.Contains("ip route 0.0.0.0 0.0.0.0 10.12.0.1", StringComparison.Ordinal));
        Assert.DoesNotContain(thread, t => t.Contains("route-static", StringComparison.Ordinal) || t.Contains("system-view", StringComparison.Ordinal));
        // Read back in IOS-XE's own "show ip route", not merely accepted.
        Assert.True(thread.Any(t => t.Contains("applied and verified", StringComparison.Ordinal)), string.Join("\n", thread));
        Assert.Contains("ip route 0.0.0.0 0.0.0.0 10.12.0.1", RunningConfig(lab.Controller.IosXeDevice("cat-access-25")!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_TwoApprovals_IosXeSwitchRecoversOverSsh_IncidentResolved_UnsavedChangeLost()
    {
        await using var lab = await TestLab.StartAsync("mixed-site", bootTimeSeconds: 3);
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, new Dictionary<string, string>
        {
            ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25",
            ["NetOps__Remediation__RecoveryDeadlineSeconds"] = "60",
            // Not saved first: IOS's "Save? [yes/no]" gets "no" and the unsaved change is lost, as the card warned.
            ["NetOps__Approvals__SaveBeforeReboot"] = "false",
        });
        using var http = host.Client();
        var sw = lab.Controller.IosXeDevice("cat-access-27")!;
        Assert.DoesNotContain(22, sw.ListeningTcpPorts);
        var operatorSession = sw.OpenSession("10.12.0.1", 40001, 23);
        operatorSession.Start();
        operatorSession.Receive("configure terminal\rip route 172.31.0.0 255.255.0.0 10.12.0.1\rend\r");
        Assert.Contains(Unsaved, RunningConfig(sw), StringComparison.Ordinal);

        var (id, diagnosed) = await DiagnoseAsync(http, "cat-access-27", "r1");
        Assert.NotNull(CardClicks.Find(diagnosed.GetProperty("card"), "run", "listener-stuck.reload"));

        await Click(http, id, "alice", "run", "listener-stuck.reload");
        var pending = await IncidentPolling.WaitAsync(http, id, i => CardClicks.Find(i.GetProperty("card"), "approve", "listener-stuck.reload") is not null);
        Assert.Contains("not saved: " + Unsaved, pending.GetRawText(), StringComparison.Ordinal);
        await Click(http, id, "bob", "approve", "listener-stuck.reload");
        // One approval is not enough for a reload: nothing has run yet.
        Assert.DoesNotContain(IncidentPolling.Thread(await http.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}")), t => t.Contains("Ran `reload`", StringComparison.Ordinal));
        await Click(http, id, "carol", "approve", "listener-stuck.reload");

        var done = await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() is "Resolved" or "Diagnosed" && IncidentPolling.Thread(i).Any(t => t.Contains("Ran `reload`", StringComparison.Ordinal)), TimeSpan.FromSeconds(120));
        var thread = IncidentPolling.Thread(done);
        Assert.True(done.GetProperty("state").GetString() == "Resolved", string.Join("\n", thread));
        Assert.Contains(thread, t => t.Contains("cat-access-27 recovered", StringComparison.Ordinal) && t.Contains("SSH login through the jump host works", StringComparison.Ordinal));
        Assert.DoesNotContain(thread, t => t.Contains("Ran `write memory`", StringComparison.Ordinal));
        Assert.DoesNotContain(thread, t => t.Contains("Ran `display", StringComparison.Ordinal) || t.Contains("Ran `save`", StringComparison.Ordinal) || t.Contains("Ran `reboot`", StringComparison.Ordinal));

        Assert.True(operatorSession.IsClosed); // the reload dropped every session
        Assert.Equal(IosXePower.Up, sw.Power);
        Assert.Contains(22, sw.ListeningTcpPorts);
        Assert.DoesNotContain(Unsaved, RunningConfig(sw), StringComparison.Ordinal); // unsaved: gone with the reload
    }

    private const string Unsaved = "ip route 172.31.0.0 255.255.0.0 10.12.0.1";

    /// <summary>The switch's running configuration, read on a console-like session of its own.</summary>
    private static string RunningConfig(IosXeSwitch sw)
    {
        var text = new System.Text.StringBuilder();
        var session = sw.OpenSession("10.12.0.1", 40002, 23);
        session.Output += s => text.Append(s);
        session.Start();
        session.Receive("terminal length 0\rshow running-config\rexit\r");
        return text.ToString();
    }

    /// <summary>The card's structure without its words: container ids, element types, and the verbs of its buttons.</summary>
    private static List<string> Shape(JsonElement card)
    {
        var shape = new List<string>();
        void Walk(JsonElement e, int depth)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    var type = e.TryGetProperty("type", out var t) ? t.GetString() : null;
                    var id = e.TryGetProperty("id", out var i) ? i.GetString() : null;
                    var verb = e.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("verb", out var v) ? v.GetString() : null;
                    if (id is not null || verb is not null || type is "Container" or "ActionSet" or "Action.Submit" or "Action.ShowCard")
                    {
                        shape.Add($"{new string(' ', depth)}{type}{(id is null ? string.Empty : "#" + id)}{(verb is null ? string.Empty : " " + verb)}");
                    }

                    foreach (var p in e.EnumerateObject())
                    {
                        Walk(p.Value, depth + 1);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Walk(item, depth);
                    }

                    break;
            }
        }

        Walk(card, 0);
        return shape;
    }
}
