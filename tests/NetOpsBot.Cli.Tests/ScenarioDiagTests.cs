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
    public async Task Diag_TelnetOnlyVty_RootCauseVtyProtocolNotSsh() =>
        Assert.Equal(["vty-protocol-not-ssh"], DiagRun.RootCauses((await lab.DiagAsync()).Report()));
}

public sealed class DeviceDownDiagTests(DeviceDownLab lab) : IClassFixture<DeviceDownLab>
{
    /// <summary>The device drops every SYN (a hang, not a refusal): the run must end on its own timeouts.</summary>
    [Fact]
    public async Task Diag_DeviceDown_RootCauseDeviceUnreachableWithinTimeouts()
    {
        var run = await lab.DiagAsync();
        var report = run.Report();
        Assert.Equal(["device-unreachable"], DiagRun.RootCauses(report));
        Assert.Contains(DiagRun.Evidence(DiagRun.Step(report, "access")), e => e.StartsWith("tcp 22: timed out", StringComparison.Ordinal));
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

public sealed class SeedCaseDiagTests(SeedCaseLab lab) : IClassFixture<SeedCaseLab>
{
    [Fact]
    public async Task Diag_SeedCase_RootCausesReturnRouteMissingAndListenerStuck()
    {
        var report = (await lab.DiagAsync()).Report();
        Assert.Equal(["listener-stuck", "return-route-missing"], DiagRun.RootCauses(report));
        ReferenceEvidence.AssertListenerStuckEvidence(report);
        var remediations = report.GetProperty("remediations").EnumerateArray().ToList();
        var reboot = remediations.Single(r => r.GetProperty("kind").GetString() == "reboot");
        Assert.Equal(2, reboot.GetProperty("approversRequired").GetInt32());
        Assert.Contains(remediations, r => r.GetProperty("commands").EnumerateArray().Any(c => c.GetString() == "ip route-static 0.0.0.0 0.0.0.0 10.12.0.1"));
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
