using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NetOpsBot.Lab;
using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// A storm of SSHDown alerts behind sw-agg-01 on the namespaced lab (real routes through the aggregation switch):
/// the gateway is checked first, once; healthy, each switch gets its own verdict; powered off, every incident says
/// so with the check's evidence within seconds instead of three diagnoses waiting out their timeouts behind it.
/// </summary>
public sealed class AlertStormTests
{
    private const string Token = "alert-storm-token-0123456789abcdef";
    private static readonly string[] Switches = ["sw-access-12", "sw-access-13", "sw-access-14"];

    private static async Task<JsonElement> SendAsync(HttpClient http, TestLab lab, string round)
    {
        var body = AlertReceiverTests.Notification("firing", Switches.Select(s => ($"{round}-{s}", AlertmanagerEndToEndTests.DialAddress(lab, s) + ":22")));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/alerts/alertmanager") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Waits until a TCP connect from the jump host's namespace to the device's SSH port gets no answer.</summary>
    private static async Task WaitUntilSilentAsync(TestLab lab, string device)
    {
        var jump = lab.Controller.JumpNamespacePath ?? throw new InvalidOperationException("not a namespaced lab");
        var address = AlertmanagerEndToEndTests.DialAddress(lab, device);
        var until = Environment.TickCount64 + 15_000;
        while (Environment.TickCount64 < until)
        {
            // bash's /dev/tcp connect under `timeout`: exit 124 is a connect still pending after 0.5 s.
            var psi = new ProcessStartInfo("/usr/bin/nsenter") { UseShellExecute = false, RedirectStandardError = true };
            foreach (var a in new[] { "--net=" + jump, "--", "/usr/bin/timeout", "0.5", "/bin/bash", "-c", $"exec 3<>/dev/tcp/{address}/22" })
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            _ = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            var silent = p.ExitCode == 124;
            if (silent)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{device} still answers from the jump host 15 s after it was powered off");
    }

    [Fact]
    public async Task StormBehindSwAgg01_HealthyGateway_EachDiagnosed_ThenGatewayPoweredOff_IncidentsSaySoWithTheEvidence()
    {
        await using var lab = await TestLab.StartAsync("seed-case", network: LabNetworkMode.Namespaces);
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, new Dictionary<string, string>
        {
            ["NetOps__Alerts__Alertmanager__BearerToken"] = Token,
            ["NetOps__Alerts__Storm__WindowSeconds"] = "3",
            ["NetOps__Alerts__Storm__MinDevices"] = "3",
            ["NetOps__Alerts__Storm__GatewayCheckTimeoutSeconds"] = "3",
        });
        using var http = host.RawClient();
        using var page = host.Client();

        // Healthy gateway: one line says it answers, and each switch gets its own diagnosis and verdict.
        var healthy = await SendAsync(http, lab, "a");
        var note = Assert.Single(healthy.GetProperty("notes").EnumerateArray()).GetString()!;
        Assert.True(note.StartsWith("Alert storm: SSHDown from Alertmanager for 3 devices behind sw-agg-01 within 3 s; the gateway was checked first, once. sw-agg-01 answers (TCP ", StringComparison.Ordinal), note);
        Assert.EndsWith("): each device is diagnosed on its own.", note, StringComparison.Ordinal);
        var opened = healthy.GetProperty("opened").EnumerateArray().Select(o => o.GetString()!).ToList();
        Assert.Equal(3, opened.Count);
        foreach (var id in opened)
        {
            var done = await IncidentPolling.WaitAsync(page, id, i => i.GetProperty("state").GetString() != "Running", TimeSpan.FromSeconds(120));
            var causes = done.GetProperty("rootCauses").EnumerateArray().Select(c => c.GetString()).ToHashSet();
            var expected = done.GetProperty("device").GetString() == "sw-access-12" ? new HashSet<string?> { "listener-stuck", "return-route-missing" } : ["healthy"];
            Assert.True(expected.SetEquals(causes), $"{done.GetProperty("device")}: {string.Join(", ", causes)}\n{host.Log}");
            Assert.DoesNotContain(IncidentPolling.Thread(done), t => t.Contains("does not answer", StringComparison.Ordinal));
        }

        // sw-agg-01 powered off: its uplink goes down, the jump host reaches none of the switches behind it.
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        lab.Controller.Network.Find("sw-agg-01")!.PowerOff();
        var until = Environment.TickCount64 + 15_000;
        while (lab.Controller.CurrentStatus().Devices.Single(d => d.Name == "sw-agg-01").Power != "off" && Environment.TickCount64 < until)
        {
            await Task.Delay(100);
        }

        // The emulator's state is immediate; the namespace's link follows it in the background.
        await WaitUntilSilentAsync(lab, "sw-agg-01");
        var sw = Stopwatch.StartNew();
        var storm = await SendAsync(http, lab, "b");
        note = Assert.Single(storm.GetProperty("notes").EnumerateArray()).GetString()!;
        Assert.True(note.StartsWith("Alert storm: SSHDown from Alertmanager for 3 devices behind sw-agg-01 within 3 s; the gateway was checked first, once. sw-agg-01 (the gateway of 3 alerted devices) does not answer: TCP ", StringComparison.Ordinal), note);
        Assert.Contains(": timeout, ", note, StringComparison.Ordinal);
        var down = storm.GetProperty("opened").EnumerateArray().Select(o => o.GetString()!).ToList();
        Assert.Equal(3, down.Count);
        foreach (var id in down)
        {
            var done = await IncidentPolling.WaitAsync(page, id, i => i.GetProperty("state").GetString() != "Running", TimeSpan.FromSeconds(30));
            Assert.Empty(done.GetProperty("rootCauses").EnumerateArray());
            var thread = IncidentPolling.Thread(done);
            Assert.StartsWith("opened by alert SSHDown from Alertmanager: sw-agg-01 (the gateway of 3 alerted devices) does not answer: TCP ", thread[0], StringComparison.Ordinal);
            Assert.Contains(thread, t => t.StartsWith("L2/L3 from the gateway: Error - sw-agg-01 (the gateway of 3 alerted devices) does not answer: TCP ", StringComparison.Ordinal));
            Assert.DoesNotContain(thread, t => t.EndsWith(": started", StringComparison.Ordinal));
        }

        // The check's timeout, not three full diagnoses (each would wait out its access probes and console behind the dead uplink).
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"took {sw.Elapsed}");
    }
}
