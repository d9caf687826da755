using System.Text.RegularExpressions;

namespace NetOpsBot.Lab.Tests;

/// <summary>
/// On the namespaced lab an IOS-XE switch's "show arp" and "ping" are what its namespace's kernel holds and answers,
/// as VRP's "display arp" and "ping" are: with the management interface shut the gateway's ping fails and its ARP row
/// goes, on both platforms, while the jump host's SYNs time out. Row format: ntc-templates
/// tests/cisco_ios/show_arp/cisco_ios_show_arp.raw; ping: tests/cisco_ios/ping/cisco_ios_ping_fail.raw.
/// </summary>
public sealed class LabIosXeKernelEvidenceTests
{
    private const string Cisco = "cat-access-21";
    private const string Vrp = "sw-access-12";
    private const string Gateway = "10.12.0.1";

    [Fact]
    public async Task ShutManagementInterface_PingToTheGatewayFailsAndItsArpRowGoes_OnIosXeAsOnVrp()
    {
        await using var lab = await LabInstance.StartAsync("mixed-site");
        Assert.NotNull(lab.JumpNetwork);
        var address = lab.Device(Cisco).Address;
        var gatewayMac = await GatewayMacAsync(lab);
        // The SSH endpoint is OpenSSH and says so, but its banner tells an emulated IOS-XE switch from a VRP one.
        var banner = await Net.ReadBannerFromJumpAsync(lab, address, 22);
        Assert.StartsWith("SSH-2.0-OpenSSH_", banner, StringComparison.Ordinal);
        Assert.Contains(" NetOpsBot-lab-emulated-Cisco-IOS-XE\r\n", banner, StringComparison.Ordinal);
        Assert.DoesNotContain("Cisco", await Net.ReadBannerFromJumpAsync(lab, lab.Device(Vrp).Address, 22), StringComparison.Ordinal);

        await using var console = lab.Console(Cisco);
        var ios = new IosConsole(console, Cisco);
        await ios.ReadyAsync();
        Assert.Contains("!!!!!", await ios.RunAsync("ping " + Gateway), StringComparison.Ordinal);
        // The gateway's row carries the MAC the switch's kernel resolved (the gateway's bridge), not a profile's.
        Assert.Matches(@"(?m)^Internet  10\.12\.0\.1 +0   " + Regex.Escape(gatewayMac) + @"  ARPA   GigabitEthernet0/0\s*$", await ios.RunAsync("show arp"));

        await ios.RunAsync("configure terminal");
        await ios.RunAsync("interface GigabitEthernet0/0");
        await ios.RunAsync("shutdown");
        await ios.RunAsync("end");

        // The lab follows the interface asynchronously (after the input line): the kernel's answer is awaited.
        var failed = string.Empty;
        Assert.True(
            await Net.EventuallyAsync(async () => (failed = await ios.RunAsync("ping " + Gateway)).Contains("Success rate is 0 percent (0/5)", StringComparison.Ordinal), TimeSpan.FromSeconds(20)),
            "ping still answered after shutdown:\n" + failed);
        Assert.Contains("\n.....", failed, StringComparison.Ordinal);
        Assert.DoesNotContain("Internet  10.12.0.1 ", await ios.RunAsync("show arp"), StringComparison.Ordinal);
        Assert.Equal(TcpOutcome.Timeout, await Net.ConnectFromJumpAsync(lab, address, 22));

        // The same situation on a VRP switch of the same site reads the same way.
        await using (var vrp = lab.Console(Vrp))
        {
            await vrp.PromptAsync(Vrp);
            await vrp.RunAsync("screen-length 0 temporary", Vrp);
            Assert.Contains("Reply from " + Gateway, await vrp.RunAsync("ping -c 2 " + Gateway, Vrp), StringComparison.Ordinal);
            await vrp.RunAsync("system-view", Vrp);
            await vrp.RunAsync("interface Vlanif10", Vrp);
            await vrp.RunAsync("shutdown", Vrp);
            await vrp.RunAsync("return", Vrp);
            var vrpPing = string.Empty;
            Assert.True(
                await Net.EventuallyAsync(async () => !(vrpPing = await vrp.RunAsync("ping -c 2 " + Gateway, Vrp)).Contains("Reply from", StringComparison.Ordinal), TimeSpan.FromSeconds(20)),
                "VRP ping still answered after shutdown:\n" + vrpPing);
            Assert.DoesNotContain("\n" + Gateway + " ", await vrp.RunAsync("display arp", Vrp), StringComparison.Ordinal);
        }

        // "no shutdown" gives the switch its link, connected route and default route back.
        await ios.RunAsync("configure terminal");
        await ios.RunAsync("interface GigabitEthernet0/0");
        await ios.RunAsync("no shutdown");
        await ios.RunAsync("end");
        Assert.True(await Net.EventuallyAsync(async () => (await ios.RunAsync("ping " + Gateway)).Contains("!!!!!", StringComparison.Ordinal), TimeSpan.FromSeconds(20)), "ping did not come back after no shutdown");
        Assert.Contains("Internet  10.12.0.1 ", await ios.RunAsync("show arp"), StringComparison.Ordinal);
        Assert.True(await Net.EventuallyAsync(async () => await Net.ConnectFromJumpAsync(lab, address, 22) == TcpOutcome.Open, TimeSpan.FromSeconds(10)), "22 did not answer after no shutdown");
    }

    [Fact]
    public async Task ShutManagementInterface_OnLoopback_JumpHostTimesOutAndTheEmulatedPingAndArpAgree()
    {
        // The loopback lab keeps its emulated "show arp" (the profile's gateway MAC) and "ping"; a shut interface
        // cuts the jump host off as for VRP (LabSshTests.ManagementInterfaceCutOff_OnLoopback_*), the console still works.
        await using var lab = await LabInstance.StartAsync("mixed-site", network: LabNetworkMode.Loopback);
        var address = lab.Device(Cisco).Address;
        Assert.Equal(TcpOutcome.Open, await Net.ConnectFromJumpAsync(lab, address, 22));
        await using var console = lab.Console(Cisco);
        var ios = new IosConsole(console, Cisco);
        await ios.ReadyAsync();
        Assert.Matches(@"(?m)^Internet  10\.12\.0\.1 +0   00a0\.c9ff\.0001  ARPA   GigabitEthernet0/0\s*$", await ios.RunAsync("show arp"));

        await ios.RunAsync("configure terminal");
        await ios.RunAsync("interface Gi0/0");
        await ios.RunAsync("shutdown");
        await ios.RunAsync("end");

        Assert.True(await Net.EventuallyAsync(async () => await Net.ConnectFromJumpAsync(lab, address, 22, 500) == TcpOutcome.Timeout, TimeSpan.FromSeconds(10)), "22 still answered after shutdown");
        Assert.Contains("Success rate is 0 percent (0/5)", await ios.RunAsync("ping " + Gateway), StringComparison.Ordinal);
        Assert.DoesNotContain("Internet  ", await ios.RunAsync("show arp"), StringComparison.Ordinal);

        await ios.RunAsync("configure terminal");
        await ios.RunAsync("interface Gi0/0");
        await ios.RunAsync("no shutdown");
        await ios.RunAsync("end");
        Assert.True(await Net.EventuallyAsync(async () => await Net.ConnectFromJumpAsync(lab, address, 22) == TcpOutcome.Open, TimeSpan.FromSeconds(10)), "22 did not answer after no shutdown");
        Assert.Contains("!!!!!", await ios.RunAsync("ping " + Gateway), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoDefaultRoute_PingToTheJumpHostFailsUntilTheRouteIsTyped_AsTheKernelSees()
    {
        const string noRoute = "cat-access-25";
        await using var lab = await LabInstance.StartAsync("mixed-site");
        await using var console = lab.Console(noRoute);
        var ios = new IosConsole(console, noRoute);
        await ios.ReadyAsync();

        Assert.Contains("Success rate is 0 percent (0/5)", await ios.RunAsync("ping " + Topology.JumpHostManagementIp), StringComparison.Ordinal);
        // On its own subnet the switch reaches the gateway, and it is the kernel's neighbour table "show arp" lists.
        Assert.Contains("!!!!!", await ios.RunAsync("ping " + Gateway), StringComparison.Ordinal);
        Assert.Contains("Internet  10.12.0.1 ", await ios.RunAsync("show arp"), StringComparison.Ordinal);

        await ios.RunAsync("configure terminal");
        await ios.RunAsync("ip route 0.0.0.0 0.0.0.0 " + Gateway);
        await ios.RunAsync("end");
        Assert.True(await Net.EventuallyAsync(async () => (await ios.RunAsync("ping " + Topology.JumpHostManagementIp)).Contains("!!!!!", StringComparison.Ordinal), TimeSpan.FromSeconds(20)), "the jump host did not answer after the route was typed");
        // The gateway's other address (its uplink to the jump host's side) answers too: nothing emulated decides who
        // is "alive", the kernels on the path do.
        Assert.Contains("!!!!!", await ios.RunAsync("ping 10.255.0.2"), StringComparison.Ordinal);
    }

    /// <summary>The MAC of the gateway's Vlanif10 in its namespace, in IOS's spelling (aaaa.bbbb.cccc).</summary>
    private static async Task<string> GatewayMacAsync(LabInstance lab)
    {
        var (code, stdout, stderr) = await Net.RunAsync("/usr/bin/nsenter", ["--net=" + lab.JumpNetwork!.NamespacePath("sw-agg-01"), "/usr/sbin/ip", "-o", "link", "show", "Vlanif10"]);
        Assert.True(code == 0, stderr);
        var hex = Regex.Match(stdout, "link/ether ([0-9a-f:]{17})").Groups[1].Value.Replace(":", string.Empty, StringComparison.Ordinal);
        Assert.Equal(12, hex.Length);
        return hex[..4] + "." + hex[4..8] + "." + hex[8..];
    }

    /// <summary>An IOS console line: each command waits for the prompt of whatever mode it leaves the switch in.</summary>
    private sealed class IosConsole(NetOpsBot.Testing.SshTerminal terminal, string hostname)
    {
        private readonly string _prompt = "(?m)^" + Regex.Escape(hostname) + @"(\([a-z-]+\))?#\s*$";

        public Task<string> ReadyAsync() => terminal.ExpectAsync(_prompt);

        public async Task<string> RunAsync(string command)
        {
            await terminal.SendAsync(command + "\r");
            return await terminal.ExpectAsync(_prompt, TimeSpan.FromSeconds(30));
        }
    }
}
