namespace NetOpsBot.Cli.Tests;

/// <summary>
/// The runbook against the lab in network namespaces, where the jump host sees what the kernel does:
/// the reference case's first stage is a timeout on every port, and the evidence must agree with it.
/// </summary>
public sealed class NamespacedSeedCaseDiagTests(NamespacedSeedCaseLab lab) : IClassFixture<NamespacedSeedCaseLab>
{
    [Fact]
    public async Task Diag_StageOne_ConsoleReachesTheCli_VerdictHolds_EvidenceAgrees()
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

        var all = report.GetRawText();
        Assert.Contains("no TCP answer from the management subnet, gateway has ARP and ping answers, the switch has no route back", all, StringComparison.Ordinal);
        // Pairs that would contradict a missing route: no login, no refusal, no connection from the jump host.
        Assert.DoesNotContain("login works", all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("refused (RST)", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Established", all, StringComparison.Ordinal);

        // Stage two, after the route typed on the console: the kernel now answers 22 with an RST and 64443
        // with a session; the TCP-layer refusal reaches no SSH code (zero debug lines).
        NamespacedMgmtInterfaceDownDiagTests.TypeOnConsole(lab, "system-view\rip route-static 0.0.0.0 0.0.0.0 10.12.0.1\rreturn\r");
        var two = (await lab.DiagAsync()).Report();
        Assert.Equal(["listener-stuck"], DiagRun.RootCauses(two));
        ReferenceEvidence.AssertListenerStuckEvidence(two);
    }
}

public sealed class NamespacedDeviceDownDiagTests(NamespacedDeviceDownLab lab) : IClassFixture<NamespacedDeviceDownLab>
{
    [Fact]
    public async Task Diag_DeadLink_DeviceUnreachable_NoArpAtTheGateway()
    {
        var report = (await lab.DiagAsync()).Report();

        Assert.Equal(["device-unreachable"], DiagRun.RootCauses(report));
        Assert.DoesNotContain(DiagRun.Evidence(DiagRun.Step(report, "gateway")), e => e.StartsWith("arp: 10.12.0.12 ", StringComparison.Ordinal));
    }
}
