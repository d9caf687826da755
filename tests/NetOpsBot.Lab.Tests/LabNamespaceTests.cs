using System.Diagnostics;
using System.Globalization;

namespace NetOpsBot.Lab.Tests;

/// <summary>
/// The lab in network namespaces (the default as root): what the jump host sees comes from the
/// kernel, so a missing return route is a timeout and a closed port with a path is an RST.
/// </summary>
public sealed class LabNamespaceTests
{
    private const string Dut = "sw-access-12";
    private static readonly TimeSpan NoAnswerWait = TimeSpan.FromSeconds(3);

    private static Task<LabInstance> StartAsync(string scenario) => LabInstance.StartAsync(scenario);

    [Fact]
    public async Task SeedCase_OpenSshThroughJumpHost_TimesOutUntilTheRouteIsTypedOnTheConsole()
    {
        await using var lab = await StartAsync("seed-case");
        var device = lab.Device(Dut);
        Assert.Equal("10.12.0.12", device.Address);

        // Stage one: the switch has no route back to 10.200.0.0/24, so neither the RST for 22 nor the
        // SYN-ACK for 64443 has a path: both ports time out, nothing is refused.
        var (p22, d22, _) = await ProbeAsync(lab, device.Address, 22);
        var (p64443, d64443, _) = await ProbeAsync(lab, device.Address, 64443);
        Assert.True(p22 == TcpOutcome.Timeout, $"port 22 before the route: {p22} {d22}");
        Assert.True(p64443 == TcpOutcome.Timeout, $"port 64443 before the route: {p64443} {d64443}");

        await using (var console = lab.Console(Dut))
        {
            await console.PromptAsync(Dut);
            await console.RunAsync("system-view", Dut);
            await console.RunAsync("ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", Dut);

            var (r22, e22, t22) = await ProbeAsync(lab, device.Address, 22);
            Assert.True(r22 == TcpOutcome.Refused, $"port 22 after the route: {r22} {e22}");
            Assert.True(t22 < TimeSpan.FromSeconds(2), $"the RST took {t22}");
            var (r64443, banner, _) = await ProbeAsync(lab, device.Address, 64443);
            Assert.True(r64443 == TcpOutcome.Open, $"port 64443 after the route: {r64443} {banner}");
            Assert.StartsWith("SSH-2.0-", banner, StringComparison.Ordinal);

            await console.RunAsync("undo ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", Dut);
        }

        var (u22, ud22, _) = await ProbeAsync(lab, device.Address, 22);
        var (u64443, ud64443, _) = await ProbeAsync(lab, device.Address, 64443);
        Assert.True(u22 == TcpOutcome.Timeout, $"port 22 after undo: {u22} {ud22}");
        Assert.True(u64443 == TcpOutcome.Timeout, $"port 64443 after undo: {u64443} {ud64443}");
    }

    [Fact]
    public async Task SeedCase_StageOne_FactsComeFromTheKernel_GatewayArpPingAndNoEstablishedRow()
    {
        await using var lab = await StartAsync("seed-case");
        // The jump host tries 64443: the SYN reaches the switch, the SYN-ACK has no path back.
        var (probe, detail, _) = await ProbeAsync(lab, "10.12.0.12", 64443);
        Assert.True(probe == TcpOutcome.Timeout, $"{probe} {detail}");

        await using (var gateway = lab.Console("sw-agg-01"))
        {
            await gateway.PromptAsync("sw-agg-01");
            await gateway.RunAsync("screen-length 0 temporary", "sw-agg-01");
            var arp = await gateway.RunAsync("display arp", "sw-agg-01");
            var row = arp.Split('\n').FirstOrDefault(l => l.StartsWith("10.12.0.12 ", StringComparison.Ordinal));
            Assert.True(row is not null, "the gateway has an ARP entry for the switch:\n" + arp);
            // The MAC is the one the gateway's kernel learned, not a made-up one.
            var holder = ProcessesMentioning(lab.RunDirectory + "/netns/sw-agg-01").Single();
            var neigh = (await Net.RunAsync("/usr/bin/nsenter", ["--net=/proc/" + holder.ToString(CultureInfo.InvariantCulture) + "/ns/net", "/usr/sbin/ip", "-o", "neigh", "show", "10.12.0.12"])).StdOut;
            var mac = System.Text.RegularExpressions.Regex.Match(neigh, "lladdr ([0-9a-f:]{17})").Groups[1].Value.Replace(":", string.Empty, StringComparison.Ordinal);
            Assert.Equal(12, mac.Length);
            Assert.Matches(@"^10\.12\.0\.12\s+" + mac[..4] + "-" + mac[4..8] + "-" + mac[8..] + @"\s", row!);
        }

        await using var console = lab.Console(Dut);
        await console.PromptAsync(Dut);
        await console.RunAsync("screen-length 0 temporary", Dut);
        var toGateway = await console.RunAsync("ping -c 2 10.12.0.1", Dut);
        Assert.Contains("Reply from 10.12.0.1", toGateway, StringComparison.Ordinal);
        var toJump = await console.RunAsync("ping -c 1 10.200.0.10", Dut);
        Assert.DoesNotContain("Reply from", toJump, StringComparison.Ordinal);

        var tcp = await console.RunAsync("display tcp status", Dut);
        Assert.Contains("0.0.0.0:64443", tcp, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0.0.0:22 ", tcp, StringComparison.Ordinal);
        // No emulated row may claim the connection the kernel could not complete.
        Assert.DoesNotContain("Established", tcp, StringComparison.Ordinal);
        Assert.DoesNotContain("10.200.0.10", tcp, StringComparison.Ordinal);

        await console.RunAsync("system-view", Dut);
        await console.RunAsync("ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", Dut);
        await console.RunAsync("quit", Dut);
        var toJumpAfter = await console.RunAsync("ping -c 1 10.200.0.10", Dut);
        Assert.Contains("Reply from 10.200.0.10", toJumpAfter, StringComparison.Ordinal);
        await using var ssh = lab.Ssh(Dut, 64443);
        await ssh.PromptAsync(Dut);
        var after = await console.RunAsync("display tcp status", Dut);
        Assert.Matches(@"10\.12\.0\.12:64443\s+10\.200\.0\.10:\d+\s+-1\s+Established", after);
    }

    [Fact]
    public async Task Healthy_SshThroughPublishedJumpHost_ReachesTheSwitchAtItsEmulatedAddress()
    {
        await using var lab = await StartAsync("healthy");
        Assert.StartsWith("198.18.", lab.Status.JumpHost.Address, StringComparison.Ordinal);

        await using var ssh = lab.Ssh(Dut);
        await ssh.PromptAsync(Dut);
        await ssh.RunAsync("screen-length 0 temporary", Dut);
        var tcp = await ssh.RunAsync("display tcp status", Dut);

        // The connection really comes from the jump host's management address: no translation.
        Assert.Contains("10.200.0.10", tcp, StringComparison.Ordinal);
        Assert.DoesNotContain("Permanently added", ssh.StdErr, StringComparison.Ordinal);
        var inventory = await File.ReadAllTextAsync(lab.Status.Inventory);
        Assert.Contains("\"managementAddress\": \"10.12.0.12\"", inventory, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeviceDown_IsADeadLink_ConsoleSilent()
    {
        await using var lab = await StartAsync("device-down");

        var (outcome, detail, _) = await ProbeAsync(lab, lab.Device(Dut).Address, 22);
        Assert.True(outcome == TcpOutcome.Timeout, $"{outcome} {detail}");
        var (healthy, _, _) = await ProbeAsync(lab, lab.Device("sw-access-13").Address, 22);
        Assert.Equal(TcpOutcome.Open, healthy);
        await using var console = lab.Console(Dut);
        Assert.True(await console.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.DoesNotContain("<" + Dut + ">", console.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MgmtInterfaceDown_PortsTimeOut_NoArpAtTheGateway_ConsoleWorks()
    {
        await using var lab = await StartAsync("mgmt-interface-down");

        var (outcome, detail, _) = await ProbeAsync(lab, "10.12.0.12", 22);
        Assert.True(outcome == TcpOutcome.Timeout, $"{outcome} {detail}");
        Assert.DoesNotContain("10.12.0.12 ", await GatewayArpAsync(lab), StringComparison.Ordinal);
        await using var console = lab.Console(Dut);
        await console.PromptAsync(Dut);
        await console.RunAsync("screen-length 0 temporary", Dut);
        var config = await console.RunAsync("display current-configuration", Dut);
        Assert.Matches(@"interface Vlanif10\r?\n ip address 10\.12\.0\.12 255\.255\.255\.0\r?\n shutdown", config);
    }

    [Fact]
    public async Task InterfaceAcl_TimesOutWithoutRst_GatewayHasArp_UnlikeAVtyAcl()
    {
        await using (var lab = await StartAsync("interface-acl"))
        {
            var (outcome, detail, _) = await ProbeAsync(lab, "10.12.0.12", 22);
            Assert.True(outcome == TcpOutcome.Timeout, $"a packet filter drops the SYN: {outcome} {detail}");
            Assert.Contains("10.12.0.12 ", await GatewayArpAsync(lab), StringComparison.Ordinal);
            await using var gateway = lab.Console("sw-agg-01");
            await gateway.PromptAsync("sw-agg-01");
            Assert.Contains("Reply from 10.12.0.12", await gateway.RunAsync("ping -c 1 10.12.0.12", "sw-agg-01"), StringComparison.Ordinal);
        }

        // A VTY ACL acts after the handshake: the jump host's connect succeeds.
        await using var vty = await StartAsync("vty-acl");
        var (vtyOutcome, vtyDetail, _) = await ProbeAsync(vty, "10.12.0.12", 22);
        Assert.True(vtyOutcome == TcpOutcome.Open, $"{vtyOutcome} {vtyDetail}");
    }

    private static async Task<string> GatewayArpAsync(LabInstance lab)
    {
        await using var gateway = lab.Console("sw-agg-01");
        await gateway.PromptAsync("sw-agg-01");
        await gateway.RunAsync("screen-length 0 temporary", "sw-agg-01");
        return await gateway.RunAsync("display arp", "sw-agg-01");
    }

    [Fact]
    public async Task Dispose_RemovesEveryNamespaceLinkAndProcessItMade()
    {
        var block = LabInstance.NextBlock();
        var lab = await LabInstance.StartAsync(ScenarioLoader.Load("seed-case"), block);
        var run = lab.RunDirectory;
        var holders = ProcessesMentioning(run + "/netns/");
        Assert.True(LabNetwork.RootLinkExists(block), "the published link exists while the lab runs");
        Assert.Equal(lab.Status.Devices.Count + 1, holders.Count);
        var routesBefore = await RootRoutesAsync();
        Assert.Contains("198.18." + block.ToString(CultureInfo.InvariantCulture) + ".0/30", routesBefore, StringComparison.Ordinal);

        await lab.DisposeAsync();

        Assert.True(await Net.EventuallyAsync(() => Task.FromResult(!LabNetwork.RootLinkExists(block)), TimeSpan.FromSeconds(5)), "the published link outlived the lab");
        Assert.DoesNotContain(holders, pid => Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture)));
        Assert.Empty(ProcessesMentioning(run + "/"));
        Assert.DoesNotContain("198.18." + block.ToString(CultureInfo.InvariantCulture) + ".", await RootRoutesAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_AsRootWithTheTools_RunsTheNamespacedLab_AndSaysWhy()
    {
        // The real decision on this machine: the suite runs as root inside `unshare --net`.
        var capabilities = LabNetworkCapabilities.Probe();
        Assert.True(capabilities.Root && capabilities.NetAdmin && capabilities.SysAdmin, $"the suite runs as root with CAP_NET_ADMIN and CAP_SYS_ADMIN: {capabilities}");
        Assert.Empty(capabilities.MissingTools);

        await using var lab = await LabInstance.StartAsync(ScenarioLoader.Load("healthy"), network: LabNetworkMode.Auto);

        Assert.Equal(LabNetworkMode.Namespaces, lab.Controller.Topology.Network);
        Assert.Equal("namespaces", lab.Status.Network);
        Assert.Contains("root", lab.Status.NetworkReason, StringComparison.Ordinal);
        Assert.StartsWith("198.18.", lab.Status.JumpHost.Address, StringComparison.Ordinal);
    }

    /// <summary>
    /// OpenSSH through the jump host (`ssh -W`): a banner is an open port, the jump host's
    /// "Connection refused" is an RST, and no answer within the wait is a timeout.
    /// </summary>
    private static async Task<(TcpOutcome Outcome, string Detail, TimeSpan Elapsed)> ProbeAsync(LabInstance lab, string address, int port)
    {
        var psi = new ProcessStartInfo("/usr/bin/ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-F", lab.Status.SshConfig, "-W", $"{address}:{port.ToString(CultureInfo.InvariantCulture)}", "lab-jump" })
        {
            psi.ArgumentList.Add(a);
        }

        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var buffer = new char[64];
        var read = p.StandardOutput.ReadAsync(buffer, 0, buffer.Length);
        var exited = p.WaitForExitAsync();
        var first = await Task.WhenAny(read, exited, Task.Delay(NoAnswerWait));
        try
        {
            if (first == read && read.Result > 0)
            {
                return (TcpOutcome.Open, new string(buffer, 0, read.Result), sw.Elapsed);
            }

            if (first == exited || (first == read && read.Result == 0))
            {
                await exited;
                var err = await stderr;
                return (err.Contains("Connection refused", StringComparison.Ordinal) ? TcpOutcome.Refused : TcpOutcome.Open, err.Trim(), sw.Elapsed);
            }

            return (TcpOutcome.Timeout, "no answer in " + NoAnswerWait, sw.Elapsed);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
        }
    }

    private static List<int> ProcessesMentioning(string text)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Contains(text, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    private static async Task<string> RootRoutesAsync() => (await Net.RunAsync("/usr/sbin/ip", ["route", "show", "table", "all"])).StdOut;
}
