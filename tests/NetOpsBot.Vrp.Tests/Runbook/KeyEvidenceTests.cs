using System.Net;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Net;
using NetOpsBot.Core.Platforms;
using NetOpsBot.IosXe.Platform;
using NetOpsBot.Lab.Emulator.IosXe;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Vrp.Tests.Runbook;

/// <summary>
/// Issue 17, the card's top block: every finding carries its key evidence, a few short facts naming the command they
/// came from in the device's own dialect, never a table's column header; the full evidence stays on the finding.
/// </summary>
public sealed class KeyEvidenceTests
{
    private static async Task<DiagnosisReport> RunAsync(FakeDeviceAccess access) =>
        await new DiagnosisRunner(access, new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, TestPlatforms.Vrp)
            .RunAsync(LabScenarios.Device, null, CancellationToken.None);

    [Fact]
    public async Task SeedCase_KeyEvidence_IsTheReadableLine_NotTheColumnHeader()
    {
        var report = await RunAsync(LabScenarios.SeedCaseScenario());

        var listener = report.RootCauses.Single(f => f.Cause == SshUnreachableCauses.ListenerStuck);
        Assert.Equal(["display tcp status: listening on 64443, nothing on 22", "22: refused (RST)", "0 SSH debug lines"], listener.KeyEvidence);
        var route = report.RootCauses.Single(f => f.Cause == SshUnreachableCauses.ReturnRouteMissing);
        Assert.Equal(["display ip routing-table: no default route, nothing covers 10.200.0.0/24", "gateway: ARP entry and ping answers"], route.KeyEvidence);
        foreach (var finding in report.RootCauses)
        {
            Assert.DoesNotContain(finding.KeyEvidence, l => l.Contains("TCPCB", StringComparison.Ordinal) || l.Contains("Destination/Mask", StringComparison.Ordinal));
        }

        // The full record is still there for the details: the table row and the routes.
        Assert.Contains(listener.Evidence, l => l.Contains("0.0.0.0:64443", StringComparison.Ordinal));
        Assert.True(route.Evidence.Count > route.KeyEvidence.Count);
    }

    public static TheoryData<string, string, string[]> Scenarios => new()
    {
        { "healthy", "healthy", ["22: open, CLI via ssh:22", "display tcp status: listening on 22", "display ip routing-table: route back to 10.200.0.0/24"] },
        { "ssh-disabled", "ssh-server-disabled", ["display ssh server status: SSH server disabled", "22: refused (RST)"] },
        { "no-rsa-key", "rsa-key-missing", ["display rsa local-key-pair public: no RSA key pair", "22: open, SSH login failed (CLI via console)"] },
        { "no-default-route", "return-route-missing", ["display ip routing-table: no default route, nothing covers 10.200.0.0/24", "gateway: ARP entry and ping answers"] },
        { "ghost-port", "listener-stuck", ["display tcp status: listening on 64443, nothing on 22", "22: refused (RST)", "0 SSH debug lines"] },
        { "vty-acl", "vty-acl-denies-management", ["display current-configuration: acl 2000 denies 10.200.0.1", "22: open, SSH login failed (CLI via console)"] },
        { "telnet-only-vty", "vty-protocol-not-ssh", ["display current-configuration: VTY 0 4: inbound telnet only, not SSH", "22: open, SSH login failed (CLI via console)"] },
        { "device-down", "device-unreachable", ["every port timed out (22, 64443, 23)", "gateway: no ARP entry, no ping answer", "console: no prompt"] },
        { "jump-host-down", "jump-host-unreachable", ["jump host unreachable: no port probed, no CLI session opened"] },
        { "host-key-mismatch", "host-key-mismatch", ["host key differs from the pinned one: run stopped, key not accepted"] },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task EveryLabScenario_KeyEvidenceNamesItsCommandAndPortFacts(string scenario, string cause, string[] expected)
    {
        var access = LabScenarios.ByName(scenario);

        var report = await RunAsync(access);

        var finding = Assert.Single(report.RootCauses);
        Assert.Equal(cause, finding.Cause.Code);
        Assert.Equal(expected, finding.KeyEvidence);
    }

    private static DiagnosisFacts TimedOutBehindTheConsole(string interfaceBriefOrConfig)
    {
        var f = new DiagnosisFacts
        {
            Probes = new Dictionary<int, TcpProbeResult>
            {
                [22] = new(22, ProbeOutcome.Timeout, "", TimeSpan.Zero),
                [64443] = new(64443, ProbeOutcome.Timeout, "", TimeSpan.Zero),
            },
            CliPath = AccessPath.Console,
            ManagementInterface = "Vlanif12",
            ManagementSubnet = Ipv4Prefix.Parse("10.200.0.0/24"),
            ManagementSource = IPAddress.Parse("10.200.0.10"),
        };
        f.Commands[SshUnreachableSteps.Routing] = ["display ip routing-table", interfaceBriefOrConfig];
        f.Commands[SshUnreachableSteps.Hardening] = ["display rsa local-key-pair public", "display current-configuration", "display ip interface brief"];
        return f;
    }

    [Fact]
    public void ShutManagementInterface_KeyEvidenceNamesTheInterfaceAndTheCommandThatShowsIt()
    {
        var f = TimedOutBehindTheConsole("display ip interface brief");
        f.GatewayArpPresent = false;
        f.GatewayPingOk = false;
        f.HasRouteToManagement = false;
        f.ManagementInterfaceDown = true;

        var finding = Assert.Single(SshUnreachableRules.Evaluate(f));

        Assert.Equal(SshUnreachableCauses.ManagementInterfaceDown, finding.Cause);
        Assert.Equal(["display ip interface brief: Vlanif12 administratively down", "every port timed out (22, 64443)", "gateway: no ARP entry, no ping answer", "CLI over the console"], finding.KeyEvidence);
    }

    [Fact]
    public void PacketFilterOnTheManagementInterface_KeyEvidenceNamesTheAclAndTheTimeouts()
    {
        var f = TimedOutBehindTheConsole("display ip interface brief");
        f.GatewayArpPresent = true;
        f.GatewayPingOk = true;
        f.HasRouteToManagement = true;
        f.InterfaceAclDeniesManagement = true;
        f.InterfaceAclName = "3001";

        var finding = Assert.Single(SshUnreachableRules.Evaluate(f));

        Assert.Equal(SshUnreachableCauses.InterfaceAclBlocksManagement, finding.Cause);
        Assert.Equal(["display current-configuration: inbound acl 3001 on Vlanif12 drops 10.200.0.10", "every port timed out (22, 64443; no RST)", "gateway: ARP entry and ping answers"], finding.KeyEvidence);
    }

    [Fact]
    public void SshSourceLeavesOutTheManagementInterface_KeyEvidenceNamesBoth()
    {
        var f = TimedOutBehindTheConsole("display ip interface brief");
        f.Probes = new Dictionary<int, TcpProbeResult> { [22] = new(22, ProbeOutcome.Refused, "", TimeSpan.Zero) };
        f.HasRouteToManagement = true;
        f.SshSourceExcludesManagement = true;
        f.SshSourceInterfaces = ["LoopBack0"];

        var finding = Assert.Single(SshUnreachableRules.Evaluate(f));

        Assert.Equal(SshUnreachableCauses.SshSourceExcludesManagement, finding.Cause);
        Assert.Equal(["display current-configuration: ssh server-source admits LoopBack0, not Vlanif12", "22: refused (RST)"], finding.KeyEvidence);
    }

    [Fact]
    public void EveryCauseOfTheCatalogue_HasKeyEvidence()
    {
        Assert.Empty(SshUnreachableCauses.Catalogue.Select(c => c.Cause).Except(SshUnreachableKeyEvidence.Causes));
    }

    public static TheoryData<string, string[]> IosXeScenarios => new()
    {
        { "listener-stuck", ["show tcp brief all: nothing listens on 22", "22: refused (RST)"] },
        { "return-route-missing", ["show ip route: no default route, nothing covers 10.200.0.0/24", "every port timed out (22)", "gateway: ARP entry and ping answers"] },
        { "vty-protocol-not-ssh", ["show running-config: VTY 0 4: inbound telnet only, not SSH", "22: open, SSH login failed (CLI via console)"] },
        { "rsa-key-missing", ["show crypto key mypubkey rsa: no RSA key pair", "22: refused (RST)"] },
        { "vty-acl-denies-management", ["show running-config: acl 10 denies 10.200.0.1", "22: open, SSH login failed (CLI via console)"] },
        // The routing step's last command is the one that saw "shutdown". This harness's gateway is the VRP lab's, blind to
        // the switch's link; on the namespaced lab (IosXeDiagTests) the gateway has no ARP entry for a shut switch.
        { "mgmt-interface-down", ["show running-config: GigabitEthernet0/0 administratively down", "every port timed out (22)", "gateway: ARP entry and ping answers", "CLI over the console"] },
    };

    /// <summary>The same rules on an IOS-XE switch (the lab's emulator behind the runbook): the key evidence speaks IOS-XE.</summary>
    [Theory]
    [MemberData(nameof(IosXeScenarios))]
    public async Task IosXeSwitch_KeyEvidenceNamesTheIosXeCommands(string cause, string[] expected)
    {
        const string Address = "10.12.0.12";
        const string Gateway = "10.12.0.1";
        var profile = cause switch
        {
            "listener-stuck" => Lab.Emulator.IosXe.IosXeScenarios.ListenerStuck("cat-access-27", Address, Gateway),
            "return-route-missing" => Lab.Emulator.IosXe.IosXeScenarios.NoDefaultRoute("cat-access-27", Address, Gateway),
            "vty-protocol-not-ssh" => Lab.Emulator.IosXe.IosXeScenarios.TelnetOnly("cat-access-27", Address, Gateway),
            "rsa-key-missing" => Lab.Emulator.IosXe.IosXeScenarios.NoRsaKey("cat-access-27", Address, Gateway),
            "mgmt-interface-down" => Lab.Emulator.IosXe.IosXeScenarios.ManagementInterfaceShut("cat-access-27", Address, Gateway),
            _ => Lab.Emulator.IosXe.IosXeScenarios.VtyAccessClass("cat-access-27", Address, Gateway, "10.12.0.0", "0.0.0.255"),
        };
        var device = LabScenarios.Device with { Name = DeviceName.Parse("cat-access-27"), Platform = IosXePlatform.PlatformId, AlternatePorts = [] };
        var access = new EmulatedIosXeAccess(new IosXeSwitch(profile), device.Name, "10.200.0.1", LabScenarios.Healthy());
        var runner = new DiagnosisRunner(access, new FakeInventory(device, LabScenarios.Gateway), TimeProvider.System, new DevicePlatforms([IosXePlatform.Instance, NetOpsBot.Vrp.Platform.VrpPlatform.Instance]));

        var report = await runner.RunAsync(device, null, CancellationToken.None);

        var finding = Assert.Single(report.RootCauses);
        Assert.Equal(cause, finding.Cause.Code);
        Assert.Equal(expected, finding.KeyEvidence);
    }
}
