using System.Text.Json;

namespace NetOpsBot.Cli.Tests;

// One class per scenario: each has its own lab, so xUnit runs them in parallel (separate collections).

public sealed class HealthyDiagTests(HealthyLab lab) : IClassFixture<HealthyLab>
{
    [Fact]
    public async Task Diag_Healthy_RootCauseHealthy()
    {
        var report = (await lab.DiagAsync()).Report();
        Assert.Equal(["healthy"], DiagRun.RootCauses(report));
        Assert.Equal("ok", DiagRun.Step(report, "access").GetProperty("status").GetString());
    }
}

public sealed class SshDisabledDiagTests(SshDisabledLab lab) : IClassFixture<SshDisabledLab>
{
    [Fact]
    public async Task Diag_SshDisabled_RootCauseSshServerDisabled() =>
        Assert.Equal(["ssh-server-disabled"], DiagRun.RootCauses((await lab.DiagAsync()).Report()));
}

public sealed class NoRsaKeyDiagTests(NoRsaKeyLab lab) : IClassFixture<NoRsaKeyLab>
{
    [Fact]
    public async Task Diag_NoRsaKey_RootCauseRsaKeyMissing() =>
        Assert.Equal(["rsa-key-missing"], DiagRun.RootCauses((await lab.DiagAsync()).Report()));
}

public sealed class NoDefaultRouteDiagTests(NoDefaultRouteLab lab) : IClassFixture<NoDefaultRouteLab>
{
    [Fact]
    public async Task Diag_NoDefaultRoute_RootCauseReturnRouteMissing() =>
        Assert.Equal(["return-route-missing"], DiagRun.RootCauses((await lab.DiagAsync()).Report()));
}

public sealed class VtyAclDiagTests(VtyAclLab lab) : IClassFixture<VtyAclLab>
{
    [Fact]
    public async Task Diag_VtyAcl_RootCauseVtyAclDeniesManagement() =>
        Assert.Equal(["vty-acl-denies-management"], DiagRun.RootCauses((await lab.DiagAsync()).Report()));
}

public sealed class TelnetOnlyVtyDiagTests(TelnetOnlyVtyLab lab) : IClassFixture<TelnetOnlyVtyLab>
{
    [Fact]
    public async Task Diag_TelnetOnlyVty_RootCauseVtyProtocolNotSsh()
    {
        var report = (await lab.DiagAsync()).Report();
        Assert.Equal(["vty-protocol-not-ssh"], DiagRun.RootCauses(report));
        // Port 23 answered the probe with telnet negotiation: SSH there is classified at once, not after the SSH timeout.
        Assert.Contains(DiagRun.Evidence(DiagRun.Step(report, "access")), e => e.StartsWith("cli via ssh:23: SSH handshake failed: ", StringComparison.Ordinal) && e.Contains("telnet option negotiation (IAC), not an SSH banner", StringComparison.Ordinal));
    }
}

public sealed class DeviceDownDiagTests(DeviceDownLab lab) : IClassFixture<DeviceDownLab>
{
    /// <summary>A dead link (the switch is off): every SYN is dropped, the gateway has no ARP; the run must end on its own timeouts.</summary>
    [Fact]
    public async Task Diag_DeviceDown_RootCauseDeviceUnreachableWithinTimeouts_NoArpAtTheGateway()
    {
        var run = await lab.DiagAsync();
        var report = run.Report();
        Assert.Equal(["device-unreachable"], DiagRun.RootCauses(report));
        Assert.Contains(DiagRun.Evidence(DiagRun.Step(report, "access")), e => e.StartsWith("tcp 22: timed out", StringComparison.Ordinal));
        Assert.DoesNotContain(DiagRun.Evidence(DiagRun.Step(report, "gateway")), e => e.StartsWith("arp: 10.12.0.12 ", StringComparison.Ordinal));
        // Probe timeout 3 s + console attempt + gateway ping: well inside the runbook's 2 min limit.
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(30), $"took {run.Elapsed.TotalSeconds:0.0} s");
    }
}

public sealed class GhostPortDiagTests(GhostPortLab lab) : IClassFixture<GhostPortLab>
{
    [Fact]
    public async Task Diag_GhostPort_RootCauseListenerStuckWithReferenceEvidence()
    {
        var report = (await lab.DiagAsync()).Report();
        Assert.Equal(["listener-stuck"], DiagRun.RootCauses(report));
        ReferenceEvidence.AssertListenerStuckEvidence(report);
    }
}

/// <summary>
/// The reference case's two stages, as the jump host sees them through the kernel: first every port times
/// out (no route back) and the CLI is reached over the console; after the route is typed on the console,
/// 22 is refused by RST and 64443 answers. The evidence of each stage must agree with itself.
/// </summary>
public sealed class SeedCaseDiagTests(SeedCaseLab lab) : IClassFixture<SeedCaseLab>
{
    private const string Route = "ip route-static 0.0.0.0 0.0.0.0 10.12.0.1";

    [Fact]
    public async Task Diag_SeedCase_StageOneOverTheConsole_ThenStageTwoOverSsh_EvidenceAgrees()
    {
        var report = (await lab.DiagAsync()).Report();

        Assert.Equal(["listener-stuck", "return-route-missing"], DiagRun.RootCauses(report));
        var access = DiagRun.Evidence(DiagRun.Step(report, "access"));
        Assert.Contains(access, e => e.StartsWith("tcp 22: timed out", StringComparison.Ordinal));
        Assert.Contains(access, e => e.StartsWith("tcp 64443: timed out", StringComparison.Ordinal));
        Assert.Contains("cli via console: ok", access);
        var gateway = DiagRun.Evidence(DiagRun.Step(report, "gateway"));
        Assert.Contains(gateway, e => e.StartsWith("arp: 10.12.0.12 ", StringComparison.Ordinal));
        var listener = DiagRun.Evidence(DiagRun.Step(report, "listener"));
        Assert.Contains(listener, e => e.Contains("0.0.0.0:64443", StringComparison.Ordinal) && e.Contains("Listening", StringComparison.Ordinal));
        var remediations = report.GetProperty("remediations").EnumerateArray().ToList();
        Assert.Contains(remediations, r => r.GetProperty("commands").EnumerateArray().Any(c => c.GetString() == Route));

        var all = report.GetRawText();
        Assert.Contains("no TCP answer from the management subnet, gateway has ARP and ping answers, the switch has no route back", all, StringComparison.Ordinal);
        // Pairs that would contradict a missing route: no login, no refusal, no connection from the jump host.
        Assert.DoesNotContain("login works", all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("refused (RST)", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Established", all, StringComparison.Ordinal);

        // Stage two, after the route typed on the console: the kernel now answers 22 with an RST and 64443
        // with a session; the TCP-layer refusal reaches no SSH code (zero debug lines).
        MgmtInterfaceDownDiagTests.TypeOnConsole(lab, $"system-view\r{Route}\rreturn\r");
        try
        {
            var two = (await lab.DiagAsync()).Report();
            Assert.Equal(["listener-stuck"], DiagRun.RootCauses(two));
            ReferenceEvidence.AssertListenerStuckEvidence(two);
            var reboot = two.GetProperty("remediations").EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "reboot");
            Assert.Equal(2, reboot.GetProperty("approversRequired").GetInt32());
        }
        finally
        {
            // Back to stage one for the other test on this lab.
            MgmtInterfaceDownDiagTests.TypeOnConsole(lab, $"system-view\rundo {Route}\rreturn\r");
        }
    }

    [Fact]
    public async Task Diag_SeedCaseTerminal_PrintsLiveStepsVerdictAndPlans()
    {
        var run = await lab.DiagAsync(json: false);
        Assert.True(run.ExitCode == 0, run.StdErr);
        var output = run.StdOut;
        // Every step announced as it starts, then finished with its status.
        Assert.Contains("...   access", output, StringComparison.Ordinal);
        Assert.Contains("FAIL  listener", output, StringComparison.Ordinal);
        Assert.True(output.IndexOf("...   routing", StringComparison.Ordinal) < output.IndexOf("FAIL  routing", StringComparison.Ordinal));
        Assert.Contains("[listener-stuck] SSH listener stuck on another port", output, StringComparison.Ordinal);
        Assert.Contains("[return-route-missing]", output, StringComparison.Ordinal);
        Assert.Contains("> ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", output, StringComparison.Ordinal);
        Assert.Contains("needs approval by 2 approvers", output, StringComparison.Ordinal);
        var password = lab.Status.Devices[0].Password;
        Assert.DoesNotContain(password, output, StringComparison.Ordinal);
        Assert.DoesNotContain(password, run.StdErr, StringComparison.Ordinal);
    }
}

/// <summary>What the reference case (seeds/000) showed, and the report must show too.</summary>
internal static class ReferenceEvidence
{
    public static void AssertListenerStuckEvidence(JsonElement report)
    {
        // Port 22 refused with RST (not a timeout, not a filtered port).
        var access = DiagRun.Evidence(DiagRun.Step(report, "access"));
        Assert.Contains(access, e => e.StartsWith("tcp 22: refused (RST)", StringComparison.Ordinal));
        Assert.Contains(access, e => e.StartsWith("tcp 64443: open", StringComparison.Ordinal));

        // SSH server "enabled" yet nothing listening on 22, a listener on 64443, from `display tcp status`.
        var service = DiagRun.Step(report, "service");
        Assert.Equal("ok", service.GetProperty("status").GetString());
        Assert.Contains(DiagRun.Evidence(service), e => e.StartsWith("Stelnet server", StringComparison.OrdinalIgnoreCase) && e.EndsWith("Enable", StringComparison.Ordinal));
        var listener = DiagRun.Step(report, "listener");
        Assert.Contains("display tcp status", listener.GetProperty("commands").EnumerateArray().Select(c => c.GetString()));
        Assert.StartsWith("Nothing listens on port 22; listener on unexpected port 64443", listener.GetProperty("finding").GetString(), StringComparison.Ordinal);
        var tcp = DiagRun.Evidence(listener);
        Assert.Contains(tcp, e => e.StartsWith("TCPCB", StringComparison.Ordinal));
        Assert.Contains(tcp, e => e.Contains("0.0.0.0:64443", StringComparison.Ordinal) && e.EndsWith("Listening", StringComparison.Ordinal));
        Assert.DoesNotContain(tcp, e => e.Contains(":22 ", StringComparison.Ordinal) && e.EndsWith("Listening", StringComparison.Ordinal));
        Assert.Contains("0.0.0.0:64443", listener.GetProperty("rawOutput").GetString(), StringComparison.Ordinal);

        // Zero SSH debug lines during the attempt to 22: rejected below SSH.
        var debug = DiagRun.Evidence(DiagRun.Step(report, "ssh-debug"));
        Assert.Contains("attempt to port 22: refused (RST)", debug);
        Assert.Contains("SSH debug lines during the attempt: 0", debug);
    }
}
