using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NetOpsBot.Lab.Tests;

/// <summary>
/// The namespaced network on its own (no sshd): what a TCP connect from the jump host's namespace
/// gets depends only on the kernel routes, which follow the emulated routing table.
/// </summary>
public sealed class LabNetworkTests
{
    [Fact]
    public async Task ConnectFromJumpHost_FollowsTheSwitchRoutes_AndDisposeRemovesTheLink()
    {
        var block = LabInstance.NextBlock();
        var topology = new Topology(block, ScenarioLoader.Load("seed-case"), 0, LabNetworkMode.Namespaces);
        var run = Path.Combine(Path.GetTempPath(), "netopsbot-net-" + Guid.NewGuid().ToString("N")[..12]);
        var net = await LabNetwork.StartAsync(topology, run, CancellationToken.None);
        try
        {
            var dut = topology.Devices.Single(d => d.Name == "sw-access-12");
            var healthy = topology.Devices.Single(d => d.Name == "sw-access-13");
            foreach (var d in topology.Devices)
            {
                var routes = d.Profile.StaticRoutes.Select(r => (r.Prefix, r.PrefixLength, r.NextHop)).ToList();
                await net.ApplyAsync(d, linkUp: true, routes, null, CancellationToken.None);
            }

            Assert.True(LabNetwork.RootLinkExists(block));
            // Nothing listens anywhere: with a return path a closed port answers RST, without one it stays silent.
            Assert.Equal(TcpOutcome.Refused, await ConnectFromJumpAsync(net, healthy.ManagementIp, 22));
            Assert.Equal(TcpOutcome.Timeout, await ConnectFromJumpAsync(net, dut.ManagementIp, 22));

            await net.ApplyAsync(dut, linkUp: true, [("0.0.0.0", 0, "10.12.0.1")], null, CancellationToken.None);
            Assert.Equal(TcpOutcome.Refused, await ConnectFromJumpAsync(net, dut.ManagementIp, 22));

            await net.ApplyAsync(dut, linkUp: true, [], null, CancellationToken.None);
            Assert.Equal(TcpOutcome.Timeout, await ConnectFromJumpAsync(net, dut.ManagementIp, 22));

            // A dead link: the healthy switch's port on the gateway loses carrier.
            await net.ApplyAsync(healthy, linkUp: false, [("0.0.0.0", 0, "10.12.0.1")], null, CancellationToken.None);
            Assert.Equal(TcpOutcome.Timeout, await ConnectFromJumpAsync(net, healthy.ManagementIp, 22));
        }
        finally
        {
            net.Dispose();
        }

        Assert.True(await Net.EventuallyAsync(() => Task.FromResult(!LabNetwork.RootLinkExists(block)), TimeSpan.FromSeconds(5)), "the published link outlived the lab network");
        var routesLeft = (await Net.RunAsync("/usr/sbin/ip", ["route", "show", "table", "all"])).StdOut;
        Assert.DoesNotContain("198.18." + block.ToString(CultureInfo.InvariantCulture) + ".", routesLeft, StringComparison.Ordinal);
        if (Directory.Exists(run))
        {
            Directory.Delete(run, recursive: true);
        }
    }

    private static async Task<TcpOutcome> ConnectFromJumpAsync(LabNetwork net, string address, int port)
    {
        using var socket = net.RunInside(LabNetwork.JumpNamespace, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var cts = new CancellationTokenSource(1500);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(address), port), cts.Token);
            return TcpOutcome.Open;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return TcpOutcome.Refused;
        }
        catch (OperationCanceledException)
        {
            return TcpOutcome.Timeout;
        }
    }
}
