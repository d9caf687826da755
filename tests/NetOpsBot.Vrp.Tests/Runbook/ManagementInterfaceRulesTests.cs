using NetOpsBot.Core.Access;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Runbooks.SshUnreachable;
using NetOpsBot.Vrp.Diagnosis;

namespace NetOpsBot.Vrp.Tests.Runbook;

/// <summary>
/// The management interface's two faults: a shut Vlanif (read from "display ip interface brief", whose "*down"
/// is VRP's administratively down) and a traffic-filter on it (read from the configuration).
/// </summary>
public sealed class ManagementInterfaceRulesTests
{
    private static Dictionary<int, TcpProbeResult> AllTimedOut() => new()
    {
        [22] = new(22, ProbeOutcome.Timeout, "", TimeSpan.Zero),
        [64443] = new(64443, ProbeOutcome.Timeout, "", TimeSpan.Zero),
    };

    [Fact]
    public void IpInterfaceBrief_RealSample_StarDownIsAdminDown_PlainDownIsNot()
    {
        // ntc-templates fixture (SOURCES.md): "GigabitEthernet2/1/3 unassigned *down down" and "Aux0/0/1 unassigned down down".
        var rows = IpInterfaceBriefParser.Parse(SampleFiles.Read("display_ip_interface_brief/ntc-templates_1.txt"));

        Assert.True(rows.Single(r => r.Interface == "GigabitEthernet2/1/3").AdminDown);
        Assert.False(rows.Single(r => r.Interface == "Aux0/0/1").AdminDown);
        Assert.False(rows.Single(r => r.Interface == "Eth-Trunk1").AdminDown);
    }

    [Fact]
    public void Configuration_TrafficFilterInbound_IsReadOnTheInterface()
    {
        // The interface block layout of a published eNSP lab configuration (R4: "interface GigabitEthernet0/0/0 /
        // ip address 202.96.1.4 255.255.255.0 / traffic-filter inbound acl 2000"); addresses changed to the lab's.
        var cfg = CurrentConfigurationParser.Parse("""
            #
             sysname sw-access-12
            #
            acl number 2001
             rule 5 deny source 10.200.0.0 0.0.0.255
             rule 10 permit
            #
            interface Vlanif10
             ip address 10.12.0.12 255.255.255.0
             traffic-filter inbound acl 2001
            #
            return
            """);

        Assert.True(cfg.IsParsed);
        Assert.Equal("2001", cfg.Value!.Interfaces.Single(i => i.Name == "Vlanif10").TrafficFilterInbound);
    }

    [Fact]
    public void ShutInterface_FiresAlone_NotReturnRouteMissing_AndSaysItPlainly()
    {
        var f = new DiagnosisFacts
        {
            Probes = AllTimedOut(),
            CliPath = AccessPath.Console,
            GatewayArpPresent = false,
            GatewayPingOk = false,
            HasRouteToManagement = false,
            ManagementInterfaceDown = true,
            ManagementInterface = "Vlanif10",
        };

        var finding = Assert.Single(SshUnreachableRules.Evaluate(f));
        Assert.Equal(SshUnreachableCauses.ManagementInterfaceDown, finding.Cause);
        Assert.Equal(Confidence.High, finding.Confidence);
        Assert.Equal("no TCP answer from the management subnet, gateway has no ARP entry, the console works: Vlanif10 is shut down", finding.Evidence[0]);
    }

    [Fact]
    public void UpInterface_NoRoute_StillReturnRouteMissing()
    {
        var f = new DiagnosisFacts { Probes = AllTimedOut(), CliPath = AccessPath.Console, GatewayArpPresent = true, GatewayPingOk = true, HasRouteToManagement = false, ManagementInterfaceDown = false };

        Assert.Equal(SshUnreachableCauses.ReturnRouteMissing, Assert.Single(SshUnreachableRules.Evaluate(f)).Cause);
    }

    [Fact]
    public void InterfaceAcl_Timeouts_WithArpAndPing_FiresWithHighConfidence()
    {
        var f = new DiagnosisFacts
        {
            Probes = AllTimedOut(),
            CliPath = AccessPath.Console,
            GatewayArpPresent = true,
            GatewayPingOk = true,
            HasRouteToManagement = true,
            InterfaceAclDeniesManagement = true,
            ManagementInterface = "Vlanif10",
        };

        var finding = Assert.Single(SshUnreachableRules.Evaluate(f));
        Assert.Equal(SshUnreachableCauses.InterfaceAclBlocksManagement, finding.Cause);
        Assert.Equal(Confidence.High, finding.Confidence);
        Assert.StartsWith("no TCP answer from the management subnet (timeouts, not RST)", finding.Evidence[0], StringComparison.Ordinal);
    }

    [Fact]
    public void InterfaceAcl_NotDenying_DoesNotFire()
    {
        var f = new DiagnosisFacts { Probes = AllTimedOut(), InterfaceAclDeniesManagement = false };

        Assert.DoesNotContain(SshUnreachableRules.Evaluate(f), x => x.Cause == SshUnreachableCauses.InterfaceAclBlocksManagement);
    }
}
