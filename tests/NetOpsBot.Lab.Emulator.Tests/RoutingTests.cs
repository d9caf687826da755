using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab.Emulator.Tests;

public sealed class RoutingTests
{
    private static bool Replied(List<string> ping) => ping.Contains("    0.00% packet loss");

    [Fact]
    public void Seed_NoDefaultRoute_ManagementPingFailsUntilRouteAdded()
    {
        var lab = new Lab();
        using var gw = lab.Console(lab.Gateway);
        using var t = lab.Console();
        gw.Run("screen-length 0 temporary");
        t.Run("screen-length 0 temporary");

        var before = gw.Run("ping -a 10.99.0.1 10.12.0.12");
        Assert.Contains("    Request time out", before);
        Assert.Contains("    100.00% packet loss", before);
        Assert.DoesNotContain(before, l => l.Contains("round-trip", StringComparison.Ordinal));
        Assert.False(lab.Access.HasRouteTo(Lab.ManagementClient));
        Assert.False(Replied(t.Run("ping " + Lab.ManagementClient)));

        t.Run("system-view");
        Assert.Empty(t.Run("ip route-static 0.0.0.0 0.0.0.0 10.12.0.1"));

        Assert.True(Replied(gw.Run("ping -a 10.99.0.1 10.12.0.12")));
        Assert.True(Replied(t.Run("ping " + Lab.ManagementClient)));
        Assert.True(lab.Access.HasRouteTo(Lab.ManagementClient));
    }

    [Fact]
    public void Ping_DirectNeighbour_PrintsVrpFormat()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        var lines = t.Run("ping -c 3 10.12.0.1");

        Assert.Equal("  PING 10.12.0.1: 56  data bytes, press CTRL_C to break", lines[0]);
        Assert.Matches(@"^    Reply from 10\.12\.0\.1: bytes=56 Sequence=1 ttl=255 time=\d+ ms$", lines[1]);
        Assert.Equal(string.Empty, lines[4]);
        Assert.Equal("  --- 10.12.0.1 ping statistics ---", lines[5]);
        Assert.Equal("    3 packet(s) transmitted", lines[6]);
        Assert.Equal("    3 packet(s) received", lines[7]);
        Assert.Equal("    0.00% packet loss", lines[8]);
        Assert.Matches(@"^    round-trip min/avg/max = \d+/\d+/\d+ ms$", lines[9]);
    }

    [Fact]
    public void Ping_PoweredOffNeighbour_TimesOut()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        lab.Gateway.PowerOff();

        Assert.Contains("    100.00% packet loss", t.Run("ping 10.12.0.1"));
    }

    [Fact]
    public void Ping_NonLocalSource_IsRejected()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        Assert.Equal(["Error: The specified source address is not a local address."], t.Run("ping -a 10.1.1.1 10.12.0.1"));
    }

    [Fact]
    public void Ping_MissingTarget_IsIncomplete()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        Assert.Equal("Error: Incomplete command found at '^' position.", t.Run("ping -c 2")[1]);
    }

    [Fact]
    public void DisplayIpRoutingTable_ShowsDirectLoopbackAndStaticRows()
    {
        var lab = new Lab(access: p => p with { StaticRoutes = [new("0.0.0.0", 0, "10.12.0.1"), new("172.16.0.0", 16, "192.168.1.1")] });
        using var t = lab.Ssh();

        var lines = t.Run("display ip routing-table");

        Assert.Equal("Route Flags: R - relay, D - download to fib", lines[0]);
        Assert.Equal("         Destinations : 5        Routes : 5        ", lines[3]);
        Assert.Contains("        0.0.0.0/0   Static  60   0          RD   10.12.0.1       Vlanif10", lines);
        Assert.Contains("      10.12.0.0/24  Direct  0    0           D   10.12.0.12      Vlanif10", lines);
        Assert.Contains("     10.12.0.12/32  Direct  0    0           D   127.0.0.1       Vlanif10", lines);
        Assert.Contains("      127.0.0.0/8   Direct  0    0           D   127.0.0.1       InLoopBack0", lines);
        Assert.Contains("      127.0.0.1/32  Direct  0    0           D   127.0.0.1       InLoopBack0", lines);
        Assert.DoesNotContain(lines, l => l.Contains("172.16.0.0", StringComparison.Ordinal));
    }

    [Fact]
    public void UndoIpRouteStatic_RemovesRoute()
    {
        var lab = new Lab(access: p => p with { StaticRoutes = [new("0.0.0.0", 0, "10.12.0.1")] });
        using var t = lab.Ssh();
        var changes = 0;
        lab.Access.StateChanged += (_, _) => changes++;
        t.Run("system-view");

        t.Run("undo ip route-static 0.0.0.0 0.0.0.0 10.12.0.1");

        Assert.False(lab.Access.HasRouteTo("8.8.8.8"));
        Assert.Equal(1, changes);
        Assert.Equal(["Error: The static route does not exist."], t.Run("undo ip route-static 0.0.0.0 0"));
    }

    [Theory]
    [InlineData("ip route-static 10.0.0.256 24 10.12.0.1", 0)]
    [InlineData("ip route-static 10.0.0.0 255.0.255.0 10.12.0.1", 1)]
    [InlineData("ip route-static 10.0.0.0 24 nexthop", 2)]
    public void IpRouteStatic_InvalidParameter_CaretUnderIt(string command, int argIndex)
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Run("system-view");

        var lines = t.Run(command);

        var tokens = command.Split(' ');
        var column = "[sw-access-12]".Length + command.IndexOf(tokens[2 + argIndex], StringComparison.Ordinal);
        Assert.Equal(new string(' ', column) + "^", lines[0]);
        Assert.Equal("Error: Wrong parameter found at '^' position.", lines[1]);
        Assert.False(lab.Access.HasRouteTo("10.0.0.1"));
    }

    [Fact]
    public void DisplayArp_ShowsOwnAndNeighbourEntries()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        var lines = t.Run("display arp");

        Assert.Matches(@"^10\.12\.0\.12      [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}            I -         Vlanif10$", lines[3]);
        Assert.Matches(@"^10\.12\.0\.1       [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}  20        D-0         GE0/0/1$", lines[4]);
        Assert.Equal(new string(' ', 42) + "10/-", lines[5]);
        Assert.Equal("Total:2         Dynamic:1       Static:0     Interface:1", lines[^1]);
    }

    [Fact]
    public void DisplayIpInterfaceBrief_ListsL3Interfaces()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        var lines = t.Run("display ip interface brief");

        Assert.Contains("Vlanif10                          10.12.0.12/24        up         up        ", lines);
        Assert.Contains("NULL0                             unassigned           up         up(s)     ", lines);
        Assert.Contains("MEth0/0/1                         unassigned           up         down      ", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("GigabitEthernet", StringComparison.Ordinal));
    }
}
