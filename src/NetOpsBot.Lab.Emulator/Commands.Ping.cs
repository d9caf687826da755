using System.Globalization;

namespace NetOpsBot.Lab.Emulator;

internal static partial class Commands
{
    private const int MaxPingCount = 1000;

    /// <summary>
    /// `ping [-c N] [-a SRC] [-s SIZE] [-t MS] [-m MS] IP`. A reply needs: a route on the sender, an Up owner of the
    /// target address (or a listed management client), and a route back from the owner to the source address.
    /// </summary>
    private static Reply Ping(CommandContext c)
    {
        long count = 5;
        var size = 56;
        string? source = null;
        var i = 0;
        while (i < c.Count && c[i].StartsWith('-'))
        {
            var opt = c[i];
            if (opt is not ("-c" or "-a" or "-s" or "-t" or "-m"))
            {
                return c.NotRecognized(i);
            }

            if (i + 1 >= c.Count)
            {
                return c.Incomplete();
            }

            var value = c[i + 1];
            switch (opt)
            {
                case "-c":
                    if (!long.TryParse(value, NumberStyles.None, Ci, out count) || count is < 1 or > 4294967295)
                    {
                        return c.Wrong(i + 1);
                    }

                    break;
                case "-a":
                    if (!Ip.TryParse(value, out _))
                    {
                        return c.Wrong(i + 1);
                    }

                    source = value;
                    break;
                case "-s":
                    if (!int.TryParse(value, NumberStyles.None, Ci, out size) || size is < 20 or > 9600)
                    {
                        return c.Wrong(i + 1);
                    }

                    break;
                default:
                    if (!int.TryParse(value, NumberStyles.None, Ci, out _))
                    {
                        return c.Wrong(i + 1);
                    }

                    break;
            }

            i += 2;
        }

        if (i >= c.Count)
        {
            return c.Incomplete();
        }

        if (c.Count > i + 1)
        {
            return c.TooMany(i + 1);
        }

        var targetText = c[i];
        if (!Ip.TryParse(targetText, out var target))
        {
            return Reply.Text("Error: The specified target host does not exist.");
        }

        var self = c.Device.Snapshot();
        var ownAddresses = self.Interfaces.Where(x => x.Up && x.Address is not null).Select(x => Ip.Parse(x.Address!)).ToList();
        uint? src = null;
        if (source is not null)
        {
            var s = Ip.Parse(source);
            if (!ownAddresses.Contains(s))
            {
                return Reply.Text("Error: The specified source address is not a local address.");
            }

            src = s;
        }

        var route = Routing.Lookup(self.Routes, target);
        var reachable = false;
        var ttl = 255;
        var physical = c.Device.Network.Physical;
        if (route is not null && physical is not null)
        {
            ttl = route.Protocol == "Direct" && !ownAddresses.Contains(target) ? 255 : 254;
        }
        else if (route is not null)
        {
            var from = src ?? route.SourceAddress;
            if (ownAddresses.Contains(target) || route.Interface == "InLoopBack0")
            {
                reachable = true;
            }
            else
            {
                var owner = c.Device.Network.Devices
                    .Where(d => d != c.Device)
                    .Select(d => d.Snapshot())
                    .FirstOrDefault(n => n.Power == PowerState.Up && n.Interfaces.Any(x => x.Up && x.Address == targetText));
                if (owner is not null)
                {
                    reachable = Routing.Lookup(owner.Routes, from) is not null;
                }
                else
                {
                    reachable = c.Device.Network.ManagementSubnetClients.Contains(targetText);
                }

                ttl = route.Protocol == "Direct" ? 255 : 254;
            }
        }

        var sent = (int)Math.Min(count, MaxPingCount);
        var r = Reply.Text(string.Create(Ci, $"  PING {targetText}: {size}  data bytes, press CTRL_C to break"));
        var times = new List<int>();
        for (var seq = 1; seq <= sent; seq++)
        {
            if (physical is not null)
            {
                // The kernel decides: a reply needs a path there and a path back.
                reachable = physical.Ping(c.Device.Name, targetText, source);
            }

            if (reachable)
            {
                var ms = 1 + (int)((target + (uint)seq * 7u) % 3u);
                times.Add(ms);
                r.Lines.Add(string.Create(Ci, $"    Reply from {targetText}: bytes={size} Sequence={seq} ttl={ttl} time={ms} ms"));
            }
            else
            {
                r.Lines.Add("    Request time out");
            }
        }

        r.Lines.Add(string.Empty);
        r.Lines.Add("  --- " + targetText + " ping statistics ---");
        r.Lines.Add(string.Create(Ci, $"    {sent} packet(s) transmitted"));
        r.Lines.Add(string.Create(Ci, $"    {times.Count} packet(s) received"));
        r.Lines.Add(string.Create(Ci, $"    {100.0 * (sent - times.Count) / sent:0.00}% packet loss"));
        if (times.Count > 0)
        {
            r.Lines.Add(string.Create(Ci, $"    round-trip min/avg/max = {times.Min()}/{(int)times.Average()}/{times.Max()} ms"));
        }

        r.Lines.Add(string.Empty);
        return r;
    }
}
