namespace NetOpsBot.Lab.Emulator;

internal sealed record Route(uint Destination, int PrefixLength, string Protocol, int Preference, uint NextHop, string Interface, string Flags, uint SourceAddress);

internal static class Routing
{
    /// <summary>The FIB as VRP builds it: direct routes of up addressed interfaces, loopback, and static routes whose next hop resolves over a direct subnet.</summary>
    public static List<Route> Compute(VrpConfig config)
    {
        var loop = Ip.Parse("127.0.0.1");
        var routes = new List<Route>
        {
            new(Ip.Parse("127.0.0.0"), 8, "Direct", 0, loop, "InLoopBack0", "D", loop),
            new(loop, 32, "Direct", 0, loop, "InLoopBack0", "D", loop),
        };
        var direct = new List<(uint Net, int Len, uint Addr, string Name)>();
        foreach (var i in config.Interfaces)
        {
            if (!i.Up || i.Address is null || !Ip.TryParse(i.Address, out var addr))
            {
                continue;
            }

            var net = addr & Ip.Mask(i.PrefixLength);
            direct.Add((net, i.PrefixLength, addr, i.Name));
            if (i.PrefixLength < 32)
            {
                routes.Add(new Route(net, i.PrefixLength, "Direct", 0, addr, i.Name, "D", addr));
            }

            routes.Add(new Route(addr, 32, "Direct", 0, loop, i.Name, "D", addr));
        }

        foreach (var s in config.StaticRoutes)
        {
            var via = direct
                .Where(d => Ip.InSubnet(s.NextHop, d.Net, d.Len) && s.NextHop != d.Addr)
                .OrderByDescending(d => d.Len)
                .Cast<(uint Net, int Len, uint Addr, string Name)?>()
                .FirstOrDefault();
            if (via is { } v)
            {
                routes.Add(new Route(s.Prefix, s.PrefixLength, "Static", 60, s.NextHop, v.Name, "RD", v.Addr));
            }
        }

        return [.. routes.OrderBy(r => r.Destination).ThenBy(r => r.PrefixLength)];
    }

    public static Route? Lookup(IReadOnlyList<Route> routes, uint address) =>
        routes.Where(r => Ip.InSubnet(address, r.Destination, r.PrefixLength))
            .OrderByDescending(r => r.PrefixLength)
            .FirstOrDefault();
}
