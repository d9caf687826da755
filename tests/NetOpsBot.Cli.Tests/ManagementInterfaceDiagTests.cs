using System.Text;
using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Cli.Tests;

/// <summary>
/// The two scenarios whose physics only the namespaced lab has: a shut management Vlanif (no ARP at the
/// gateway, console alive) and a packet filter on it (timeouts, not RST, while ARP and ping work). Each
/// verdict comes from real SSH and console sessions, and the offered fix, typed on the console, works.
/// </summary>
public sealed class MgmtInterfaceDownDiagTests(MgmtInterfaceDownLab lab) : IClassFixture<MgmtInterfaceDownLab>
{
    [Fact]
    public async Task Diag_ShutVlanif_MgmtInterfaceDown_FromTheConsole_AndUndoShutdownRestoresSsh()
    {
        var report = (await lab.DiagAsync()).Report();

        Assert.Equal(["mgmt-interface-down"], DiagRun.RootCauses(report));
        var access = DiagRun.Evidence(DiagRun.Step(report, "access"));
        Assert.Contains(access, e => e.StartsWith("tcp 22: timed out", StringComparison.Ordinal));
        Assert.Contains("cli via console: ok", access);
        Assert.DoesNotContain(DiagRun.Evidence(DiagRun.Step(report, "gateway")), e => e.StartsWith("arp: 10.12.0.12 ", StringComparison.Ordinal));
        Assert.Contains(DiagRun.Evidence(DiagRun.Step(report, "routing")), e => e.StartsWith("Vlanif10 10.12.0.12/24: physical *down", StringComparison.Ordinal));
        var all = report.GetRawText();
        Assert.Contains("no TCP answer from the management subnet, gateway has no ARP entry, the console works: Vlanif10 is shut down", all, StringComparison.Ordinal);
        Assert.DoesNotContain("return-route-missing", all, StringComparison.Ordinal);
        var plan = report.GetProperty("remediations").EnumerateArray().Single();
        Assert.Equal(["system-view", "interface Vlanif10", "undo shutdown", "return"], plan.GetProperty("commands").EnumerateArray().Select(c => c.GetString()!).ToList());

        TypeOnConsole(lab, "system-view\rinterface Vlanif10\rundo shutdown\rreturn\r");

        // The console answers before the interface is up in the kernel (link, connected route, the gateway's ARP), as
        // on a real switch; a diagnosis in that second may still see it down. It must be healthy once it is up.
        Assert.Equal(["healthy"], await HealthyWithinAsync(lab, TimeSpan.FromSeconds(20)));
    }

    private static async Task<IReadOnlyList<string>> HealthyWithinAsync(DiagLab lab, TimeSpan within)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var causes = DiagRun.RootCauses((await lab.DiagAsync()).Report());
            if ((causes.Count == 1 && causes[0] == "healthy") || clock.Elapsed > within)
            {
                return causes;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    internal static void TypeOnConsole(DiagLab lab, string keys)
    {
        var device = lab.Controller.Network.Find(DiagLab.Dut)!;
        using var session = device.OpenSession(new SessionOrigin(SessionTransport.Console, "console", 0, 0, "netops"));
        session.Start();
        session.Input(Encoding.ASCII.GetBytes(keys));
    }
}

public sealed class InterfaceAclDiagTests(InterfaceAclLab lab) : IClassFixture<InterfaceAclLab>
{
    [Fact]
    public async Task Diag_PacketFilterOnVlanif_InterfaceAcl_TimeoutsNotRst_AndThePermitRestoresSsh()
    {
        var report = (await lab.DiagAsync()).Report();

        Assert.Equal(["interface-acl-blocks-management"], DiagRun.RootCauses(report));
        var access = DiagRun.Evidence(DiagRun.Step(report, "access"));
        Assert.Contains(access, e => e.StartsWith("tcp 22: timed out", StringComparison.Ordinal));
        Assert.Contains("cli via console: ok", access);
        Assert.Contains(DiagRun.Evidence(DiagRun.Step(report, "gateway")), e => e.StartsWith("arp: 10.12.0.12 ", StringComparison.Ordinal));
        var hardening = DiagRun.Evidence(DiagRun.Step(report, "hardening"));
        Assert.Contains("interface Vlanif10: traffic-filter inbound acl 2001", hardening);
        var all = report.GetRawText();
        Assert.Contains("no TCP answer from the management subnet (timeouts, not RST), gateway has ARP and ping answers, the packet filter on Vlanif10 drops the management subnet", all, StringComparison.Ordinal);
        Assert.DoesNotContain("refused (RST)", all, StringComparison.Ordinal);
        var plan = report.GetProperty("remediations").EnumerateArray().Single();
        var commands = plan.GetProperty("commands").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(["system-view", "acl number 2001", "rule 4 permit source 10.200.0.0 0.0.0.255", "return"], commands);

        MgmtInterfaceDownDiagTests.TypeOnConsole(lab, string.Join('\r', commands) + "\r");
        Assert.Equal(["healthy"], DiagRun.RootCauses((await lab.DiagAsync()).Report()));
    }
}
