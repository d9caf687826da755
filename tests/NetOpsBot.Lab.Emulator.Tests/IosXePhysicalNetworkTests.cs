using System.Text;
using NetOpsBot.Lab.Emulator.IosXe;

namespace NetOpsBot.Lab.Emulator.Tests;

/// <summary>
/// The IOS-XE emulator over a real IP stack (the namespaced lab): "show arp" and "ping" come from the kernel, as
/// VRP's "display arp" and "ping" do, and "shutdown" on the management interface takes its routes and ARP away.
/// Formats: ntc-templates tests/cisco_ios/show_arp/cisco_ios_show_arp.raw and tests/cisco_ios/ping/*.raw.
/// </summary>
public sealed class IosXePhysicalNetworkTests
{
    private const string Name = "cat-access-21";
    private const string Address = "10.12.0.201";
    private const string Gateway = "10.12.0.1";

    // "Internet  10.152.1.229            0   488f.5a5a.87ea  ARPA   Vlan1" (ntc-templates cisco_ios_show_arp.raw).
    private const string ArpRow = @"^Internet  (\S+) +(-|\d+)   ([0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})  ARPA   (\S+)$";

    [Fact]
    public void ShowArp_WithAPhysicalNetwork_ListsWhatTheKernelResolved_NotTheProfilesNeighbours()
    {
        var kernel = new FakeKernel { Neighbours = [new(Gateway, "3a:5e:00:11:22:33", "Vlanif10"), new("10.12.0.12", "02:00:00:00:00:0c", "Vlanif10"), new("10.255.0.2", "02:00:00:00:00:ff", "core0")] };
        var sw = Switch(kernel);

        var rows = Rows(Cli.Run(sw, "show arp"));

        // Sorted by address as IOS prints them; 10.255.0.2 is not on the management subnet.
        Assert.Equal([(Gateway, "0"), ("10.12.0.12", "0"), (Address, "-")], rows.Select(r => (r.Address, r.Age)));
        Assert.Equal("3a5e.0011.2233", rows.Single(r => r.Address == Gateway).Mac);
        Assert.All(rows, r => Assert.Equal("GigabitEthernet0/0", r.Interface));
        Assert.Equal([Name], kernel.NeighbourReads);
    }

    [Fact]
    public void ShowArp_KernelHoldsNoGatewayEntry_NoRow_ThoughTheProfileNamesTheGateway()
    {
        var rows = Rows(Cli.Run(Switch(new FakeKernel()), "show arp"));

        Assert.Equal([Address], rows.Select(r => r.Address));
    }

    [Theory]
    [InlineData(true, "!!!!!", "Success rate is 100 percent (5/5), round-trip min/avg/max = 1/1/2 ms")]
    [InlineData(false, ".....", "Success rate is 0 percent (0/5)")]
    public void Ping_WithAPhysicalNetwork_EveryEchoIsTheKernels(bool answers, string marks, string summary)
    {
        var kernel = new FakeKernel { Answers = answers };
        var sw = Switch(kernel);

        var output = Lines(Cli.Run(sw, "ping " + Gateway));

        Assert.Equal(["Type escape sequence to abort.", "Sending 5, 100-byte ICMP Echos to 10.12.0.1, timeout is 2 seconds:", marks, summary], output);
        Assert.Equal(Enumerable.Repeat((Name, Gateway, (string?)null), 5), kernel.Pings);
    }

    [Fact]
    public void Ping_SomeEchoesLost_CountsThemAsIosDoes()
    {
        var kernel = new FakeKernel { Sequence = [false, true, true, false, true] };

        var output = Lines(Cli.Run(Switch(kernel), "ping 10.200.0.10"));

        // ntc-templates cisco_ios_ping_mix.raw: "Success rate is 20 percent (1/5), round-trip min/avg/max = 9/9/9 ms".
        Assert.Equal(".!!.!", output[2]);
        Assert.StartsWith("Success rate is 60 percent (3/5), round-trip min/avg/max = ", output[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Ping_FromTheManagementInterface_SendsFromItsAddress()
    {
        var kernel = new FakeKernel { Answers = true };

        var output = Lines(Cli.Run(Switch(kernel), "ping 10.200.0.10 source Gi0/0"));

        // ntc-templates cisco_ios_ping_source.raw.
        Assert.Equal("Packet sent with a source address of " + Address, output[2]);
        Assert.All(kernel.Pings, p => Assert.Equal(Address, p.Source));
    }

    [Fact]
    public void Shutdown_ManagementInterface_NoConnectedRouteNoStaticNoArp_AndNoShutdownRestoresThem()
    {
        var sw = Switch(physical: null);
        Assert.Contains("!!!!!", Cli.Run(sw, "ping " + Gateway), StringComparison.Ordinal);

        var log = Cli.Run(sw, "configure terminal", "interface gi0/0", "shutdown", "end");

        Assert.Contains("%LINK-5-CHANGED: Interface GigabitEthernet0/0, changed state to administratively down", log, StringComparison.Ordinal);
        Assert.False(sw.ManagementInterfaceUp);
        Assert.Empty(sw.ActiveStaticRoutes);
        Assert.False(sw.HasRouteTo("10.200.0.10"));
        Assert.Empty(Rows(Cli.Run(sw, "show arp")));
        Assert.Contains("Gateway of last resort is not set", Cli.Run(sw, "show ip route"), StringComparison.Ordinal);
        Assert.DoesNotContain("directly connected", Cli.Run(sw, "show ip route"), StringComparison.Ordinal);
        Assert.Contains(" ip address 10.12.0.201 255.255.255.0\r\n shutdown\r\n", Cli.Run(sw, "show running-config"), StringComparison.Ordinal);
        Assert.Contains(".....", Cli.Run(sw, "ping " + Gateway), StringComparison.Ordinal);

        Cli.Run(sw, "configure terminal", "interface GigabitEthernet0/0", "no shutdown", "end");

        Assert.True(sw.ManagementInterfaceUp);
        Assert.Equal([("0.0.0.0", 0, Gateway)], sw.ActiveStaticRoutes);
        Assert.Contains(Rows(Cli.Run(sw, "show arp")), r => r.Address == Gateway);
        Assert.Contains("!!!!!", Cli.Run(sw, "ping " + Gateway), StringComparison.Ordinal);
    }

    [Fact]
    public void Shutdown_AnotherInterface_LeavesTheManagementInterfaceUp()
    {
        var sw = Switch(physical: null);

        Cli.Run(sw, "configure terminal", "interface GigabitEthernet1/0/1", "shutdown", "end");

        Assert.True(sw.ManagementInterfaceUp);
        Assert.Equal([("0.0.0.0", 0, Gateway)], sw.ActiveStaticRoutes);
    }

    private static IosXeSwitch Switch(IPhysicalNetwork? physical) =>
        new(IosXeScenarios.Healthy(Name, Address, Gateway)) { Physical = physical };

    private static List<string> Lines(string output) =>
        [.. output.Split(["\r\n", "\n"], StringSplitOptions.None).Select(l => l.TrimEnd()).Where(l => l.Length > 0 && !l.EndsWith('#') && !l.StartsWith("ping ", StringComparison.Ordinal))];

    private static List<(string Address, string Age, string Mac, string Interface)> Rows(string output)
    {
        var lines = Lines(output).Where(l => !l.StartsWith("show ", StringComparison.Ordinal)).ToList();
        Assert.Equal("Protocol  Address          Age (min)  Hardware Addr   Type   Interface", lines[0]);
        return [.. lines.Skip(1).Select(l =>
        {
            var m = System.Text.RegularExpressions.Regex.Match(l, ArpRow);
            Assert.True(m.Success, "not an IOS ARP row: " + l);
            // The age ends in column 35: "Internet  " + the address in 17 + the age right-aligned in 8.
            Assert.Equal(35, m.Groups[2].Index + m.Groups[2].Length);
            return (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value);
        })];
    }

    /// <summary>Types lines into a fresh session; returns everything printed, prompts included.</summary>
    private static class Cli
    {
        public static string Run(IosXeSwitch sw, params string[] lines)
        {
            var all = new StringBuilder();
            var session = sw.OpenSession("10.200.0.10", 50022);
            session.Output += s => all.Append(s);
            session.Start();
            var start = all.Length;
            foreach (var line in lines)
            {
                session.Receive(line + "\r");
            }

            return all.ToString()[start..];
        }
    }

    private sealed class FakeKernel : IPhysicalNetwork
    {
        private int _echo;

        public IReadOnlyList<NeighbourEntry> Neighbours { get; init; } = [];

        public bool Answers { get; init; }

        public bool[]? Sequence { get; init; }

        public List<string> NeighbourReads { get; } = [];

        public List<(string Device, string Target, string? Source)> Pings { get; } = [];

        IReadOnlyList<NeighbourEntry> IPhysicalNetwork.Neighbours(string device)
        {
            NeighbourReads.Add(device);
            return Neighbours;
        }

        public IReadOnlyList<TcpSocketEntry> TcpSockets(string device) => [];

        public bool Ping(string device, string target, string? source)
        {
            Pings.Add((device, target, source));
            return Sequence is { } s ? s[_echo++ % s.Length] : Answers;
        }
    }
}
