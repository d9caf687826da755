using System.Diagnostics;
using System.Text.Json;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Vrp;
using NetOpsBot.Vrp.Remediation;
using NetOpsBot.Platforms;
using NetOpsBot.Runbooks.SshUnreachable;
using Xunit.Abstractions;

namespace NetOpsBot.Ssh.Tests.Remediation;

public sealed class SeedCaseRemediationLab : RemediationLab
{
    protected override int AddressBlock => 230;

    protected override string ScenarioName => "seed-case";

    protected override TimeSpan BootTime => TimeSpan.FromSeconds(2);
}

/// <summary>The reference case end to end: diagnosis, route fix, port re-apply, reboot, healthy re-diagnosis.</summary>
public sealed class SeedCaseRemediationTests(SeedCaseRemediationLab lab, ITestOutputHelper output) : IClassFixture<SeedCaseRemediationLab>
{
    [Fact]
    public async Task ExecuteAsync_SeedCasePlansInOrder_RouteVerifiedListenerStuckThenRebootRecoversHealthy()
    {
        await using var access = lab.Access();
        var device = lab.Device();
        var runner = new DiagnosisRunner(access, lab.Inventory, TimeProvider.System, new SshUnreachableOptions { DebugWindow = TimeSpan.FromSeconds(1) }, KnownPlatforms.All);
        var executor = new RemediationExecutor(access, RemediationTestSupport.Opener(access), TimeProvider.System);
        var options = new ExecutionOptions { RecoveryDeadline = TimeSpan.FromSeconds(60), ProbeInterval = TimeSpan.FromMilliseconds(250) };

        var before = await runner.RunAsync(device, null, CancellationToken.None);
        Assert.Contains("return-route-missing", before.RootCauseCodes);
        Assert.Contains("listener-stuck", before.RootCauseCodes);
        var routePlan = before.Remediations.Single(p => p.Id == "return-route-missing.default-route");
        var portPlan = before.Remediations.Single(p => p.Id == "listener-stuck.ssh-server-port");
        var rebootPlan = before.Remediations.Single(p => p.Id == "listener-stuck.reboot");

        // Route: exactly the plan's commands, then the routing table read back.
        var routeObserver = new RecordingObserver(output);
        var route = await executor.ExecuteAsync(device, routePlan, options, routeObserver, CancellationToken.None);
        Assert.True(route.Succeeded, route.Summary);
        Assert.True(route.Verified, route.VerificationEvidence);
        Assert.Equal(["system-view", "ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", "return", "display ip routing-table"], route.Commands.Select(c => c.Command));
        Assert.Contains("0.0.0.0/0", route.VerificationEvidence, StringComparison.Ordinal);
        Assert.Contains("via 10.12.0.1", route.VerificationEvidence, StringComparison.Ordinal);
        var table = RoutingTableParser.Parse(await RemediationTestSupport.RoutingTableAsync(access, device)).Value!;
        Assert.Contains(table.Routes, r => r.IsDefault && r.NextHop == "10.12.0.1");
        var detail = routeObserver.Lines.First(l => l.Detail is not null && l.Detail.Contains("ip route-static", StringComparison.Ordinal)).Detail!;
        using (var json = JsonDocument.Parse(detail))
        {
            Assert.Equal("ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", json.RootElement.GetProperty("command").GetString());
            Assert.True(json.RootElement.TryGetProperty("output", out _));
            Assert.True(json.RootElement.TryGetProperty("error", out _));
            Assert.True(json.RootElement.TryGetProperty("durationMs", out _));
        }

        // ssh server port 22: the configuration takes it, the stuck listener does not move (reference case). The
        // commands were applied (not a failure), but the fix is not verified: the socket table is the proof, and
        // it still shows 64443; the result says what to do next, and the thread says "Applied, not effective".
        var port = await executor.ExecuteAsync(device, portPlan, options, new RecordingObserver(output), CancellationToken.None);
        Assert.True(port.Succeeded, port.Summary);
        Assert.False(port.Verified, port.VerificationEvidence);
        Assert.True(port.AppliedNotEffective);
        Assert.Equal(["system-view", "ssh server port 22", "return", "display ssh server status", "display tcp status"], port.Commands.Select(c => c.Command));
        Assert.Contains("SSH server port 22", port.VerificationEvidence, StringComparison.Ordinal);
        Assert.Contains("NOT listening on 22", port.VerificationEvidence, StringComparison.Ordinal);
        Assert.Contains("64443", port.VerificationEvidence, StringComparison.Ordinal);
        Assert.DoesNotContain("verified", port.Summary, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("reboot", port.NextStep, StringComparison.Ordinal);
        var line = ExecutionOutcomeText.Line(port);
        output.WriteLine(line);
        Assert.StartsWith("Applied, not effective: ", line, StringComparison.Ordinal);
        Assert.Contains("NOT listening on 22", line, StringComparison.Ordinal);
        Assert.Contains("; next: the listener is stuck (nothing on 22; listening: ", line, StringComparison.Ordinal);
        Assert.Contains("a reboot re-binds it", line, StringComparison.Ordinal);

        // Save and reboot: down, back, 0.0.0.0:22 listening, a real login through the jump host.
        var rebootObserver = new RecordingObserver(output);
        var clock = Stopwatch.StartNew();
        var reboot = await executor.ExecuteAsync(device, rebootPlan, options, rebootObserver, CancellationToken.None);
        clock.Stop();
        output.WriteLine($"reboot to recovered: {clock.Elapsed.TotalSeconds:0.0} s (downtime {reboot.Recovery?.Downtime.TotalSeconds:0.0} s)");
        Assert.True(reboot.Succeeded, reboot.Summary);
        Assert.Equal(["save", "reboot", "display tcp status"], reboot.Commands.Select(c => c.Command));
        var recovery = reboot.Recovery!;
        Assert.True(recovery.WentDown, recovery.Summary);
        Assert.True(recovery.CameBack, recovery.Summary);
        Assert.True(recovery.SshPortListening, recovery.Summary);
        Assert.True(recovery.SshLoginWorks, recovery.Summary);
        Assert.Contains(rebootObserver.Summaries, s => s == "Sent reboot; session closed by the device");
        Assert.Contains(rebootObserver.Summaries, s => s.StartsWith("sw-access-12 is down (TCP 22 ", StringComparison.Ordinal));
        Assert.Contains(rebootObserver.Summaries, s => s.StartsWith("sw-access-12 answers on TCP 22 again after ", StringComparison.Ordinal));
        Assert.Contains(rebootObserver.Summaries, s => s == "SSH login through the jump host works; 0.0.0.0:22 Listening");
        var tcp = TcpStatusParser.Parse(reboot.VerificationEvidence).Value!;
        Assert.True(tcp.IsListening(22));
        Assert.DoesNotContain(64443, tcp.ListeningPorts);

        var after = await runner.RunAsync(device, null, CancellationToken.None);
        Assert.Equal(["healthy"], after.RootCauseCodes);
    }
}
