using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NetOpsBot.Lab.Emulator;

/// <summary>Renders `display …` output from the device's current state, in VRP5 S-series (V200R01x) layouts.</summary>
internal static class Displays
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;
    private const string Rule78 = "------------------------------------------------------------------------------";

    public static List<string> Version(VrpDevice d)
    {
        string version;
        DateTimeOffset booted;
        lock (d.Gate)
        {
            version = d.Running.Version;
            booted = d.BootedAt;
        }

        var uptime = Uptime(d.Time.GetUtcNow() - booted);
        var series = d.Profile.Model.Split('-')[0];
        return
        [
            "Huawei Versatile Routing Platform Software",
            $"VRP (R) software, Version 5.170 ({series} {version})",
            "Copyright (C) 2000-2020 HUAWEI TECH CO., LTD",
            $"HUAWEI {d.Profile.Model} Routing Switch uptime is {uptime}",
            string.Empty,
            $"ES5D2T48Q002 0(Master) : uptime is {uptime}",
            "DDR             Memory Size : 1024   M bytes",
            "FLASH Total     Memory Size : 1024   M bytes",
            "FLASH Available Memory Size : 631    M bytes",
            "Pcb           Version   : VER.A",
            "BootROM       Version   : 0213.0000",
            "BootLoad      Version   : 0213.0000",
            "CPLD          Version   : 0106",
            $"Software      Version   : VRP (R) Software, Version 5.170 ({version})",
            "FLASH         Version   : 0000.0000",
        ];
    }

    private static string Uptime(TimeSpan t)
    {
        static string Unit(int n, string name) => n.ToString(Ci) + " " + name + (n > 1 ? "s" : string.Empty);
        return string.Join(", ", Unit(t.Days / 7, "week"), Unit(t.Days % 7, "day"), Unit(t.Hours, "hour"), Unit(t.Minutes, "minute"));
    }

    public static List<string> Clock(VrpDevice d)
    {
        var now = d.Time.GetUtcNow();
        return [now.ToString("yyyy-MM-dd HH:mm:ss", Ci), now.DayOfWeek.ToString(), "Time Zone(Default Zone Name) : UTC+00:00"];
    }

    public static List<string> RoutingTable(VrpDevice d)
    {
        List<Route> routes;
        lock (d.Gate)
        {
            routes = Routing.Compute(d.Running);
        }

        var lines = new List<string>
        {
            "Route Flags: R - relay, D - download to fib",
            Rule78,
            "Routing Tables: Public",
            string.Create(Ci, $"         Destinations : {routes.Select(r => (r.Destination, r.PrefixLength)).Distinct().Count(),-9}Routes : {routes.Count,-9}"),
            string.Empty,
            "Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface",
            string.Empty,
        };
        foreach (var r in routes)
        {
            // VRP aligns the '/' of the destination column rather than right-aligning the whole prefix.
            lines.Add(string.Create(Ci, $"{Ip.Format(r.Destination),15}/{r.PrefixLength,-2}  {r.Protocol,-8}{r.Preference,-5}{0,-10}{r.Flags,3}   {Ip.Format(r.NextHop),-16}{r.Interface}"));
        }

        lines.Add(string.Empty);
        return lines;
    }

    public static List<string> IpInterfaceBrief(VrpDevice d)
    {
        List<InterfaceProfile> ifs;
        lock (d.Gate)
        {
            ifs = [.. d.Running.Interfaces];
        }

        var rows = ifs
            .Where(i => i.Address is not null || !IsPhysicalPort(i.Name))
            .Select(i => (i.Name, Addr: i.Address is null ? "unassigned" : i.Address + "/" + i.PrefixLength.ToString(Ci), Phy: i.Up ? "up" : i.Address is not null ? "*down" : "down", Proto: i.Up && i.Address is not null ? "up" : "down"))
            .Append(("NULL0", "unassigned", "up", "up(s)"))
            .OrderBy(r => r.Item1, StringComparer.Ordinal)
            .ToList();
        var lines = new List<string>
        {
            "*down: administratively down",
            "^down: standby",
            "(l): loopback",
            "(s): spoofing",
            "(E): E-Trunk down",
            string.Create(Ci, $"The number of interface that is UP in Physical is {rows.Count(r => r.Item3 == "up")}"),
            string.Create(Ci, $"The number of interface that is DOWN in Physical is {rows.Count(r => r.Item3 != "up")}"),
            string.Create(Ci, $"The number of interface that is UP in Protocol is {rows.Count(r => r.Item4.StartsWith("up", StringComparison.Ordinal))}"),
            string.Create(Ci, $"The number of interface that is DOWN in Protocol is {rows.Count(r => !r.Item4.StartsWith("up", StringComparison.Ordinal))}"),
            string.Empty,
            "Interface                         IP Address/Mask      Physical   Protocol  ",
        };
        lines.AddRange(rows.Select(r => $"{r.Item1,-34}{r.Item2,-21}{r.Item3,-11}{r.Item4,-10}"));
        return lines;
    }

    private static bool IsPhysicalPort(string name) =>
        name.Contains("Ethernet", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("Eth-Trunk", StringComparison.OrdinalIgnoreCase);

    /// <summary>Stable locally-administered-looking MAC from name+interface, in VRP's xxxx-xxxx-xxxx form with a Huawei-like OUI.</summary>
    public static string Mac(string device, string iface)
    {
        var h = SHA256.HashData(Encoding.UTF8.GetBytes(device + "/" + iface));
        return string.Create(Ci, $"4c1f-cc{h[0]:x2}-{h[1]:x2}{h[2]:x2}");
    }

    /// <summary>aa:bb:cc:dd:ee:ff (the kernel's form) as VRP prints it: aabb-ccdd-eeff.</summary>
    private static string VrpMac(string mac)
    {
        var hex = mac.Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return hex.Length == 12 ? $"{hex[..4]}-{hex[4..8]}-{hex[8..]}" : mac;
    }

    private static string ShortName(string name) =>
        name.StartsWith("GigabitEthernet", StringComparison.OrdinalIgnoreCase) ? "GE" + name[15..]
        : name.StartsWith("XGigabitEthernet", StringComparison.OrdinalIgnoreCase) ? "XGE" + name[16..]
        : name;

    public static List<string> Arp(VrpDevice d)
    {
        List<InterfaceProfile> own;
        string self;
        lock (d.Gate)
        {
            own = [.. d.Running.Interfaces];
        }

        self = d.Name;
        var neighbours = d.Network.Devices.Where(n => n != d).Select(n => n.Snapshot()).Where(n => n.Power == PowerState.Up).ToList();
        var port = own.FirstOrDefault(i => i.Up && IsPhysicalPort(i.Name))?.Name ?? "GigabitEthernet0/0/1";
        var lines = new List<string>
        {
            "IP ADDRESS      MAC ADDRESS     EXPIRE(M) TYPE        INTERFACE   VPN-INSTANCE",
            "                                          VLAN/CEVLAN",
            Rule78,
        };
        int dynamic = 0, iface = 0;
        foreach (var i in own.Where(i => i.Up && i.Address is not null))
        {
            var addr = Ip.Parse(i.Address!);
            lines.Add($"{i.Address,-16}{Mac(self, i.Name),-16}{string.Empty,-10}{"I -",-12}{i.Name}");
            iface++;
            var entries = (d.Network.Physical is { } physical
                    ? physical.Neighbours(self)
                        .Where(n => Ip.TryParse(n.Address, out var a) && a != addr && Ip.InSubnet(a, addr, i.PrefixLength))
                        .Select(n => (Ip: Ip.Parse(n.Address), Address: (string?)n.Address, Mac: VrpMac(n.Mac)))
                    : neighbours
                        .SelectMany(n => n.Interfaces
                            .Where(x => x.Up && x.Address is not null && Ip.TryParse(x.Address, out var a) && a != addr && Ip.InSubnet(a, addr, i.PrefixLength))
                            .Select(x => (Ip: Ip.Parse(x.Address!), x.Address, Mac: Mac(n.Name, x.Name)))))
                .OrderBy(e => e.Ip)
                .ToList();
            var isVlanif = i.Name.StartsWith("Vlanif", StringComparison.OrdinalIgnoreCase);
            foreach (var e in entries)
            {
                lines.Add($"{e.Address,-16}{e.Mac,-16}{"20",-10}{"D-0",-12}{(isVlanif ? ShortName(port) : i.Name)}");
                if (isVlanif)
                {
                    lines.Add(new string(' ', 42) + i.Name[6..] + "/-");
                }

                dynamic++;
            }
        }

        lines.Add(Rule78);
        lines.Add($"{"Total:" + (dynamic + iface).ToString(Ci),-16}{"Dynamic:" + dynamic.ToString(Ci),-16}{"Static:0",-13}Interface:{iface.ToString(Ci)}");
        return lines;
    }

    public static List<string> SshServerStatus(VrpDevice d)
    {
        VrpConfig c;
        lock (d.Gate)
        {
            c = d.Running.Clone();
        }

        static string Row(string key, string value) => " " + key.PadRight(36) + ":" + value;
        return
        [
            Row("SSH version", c.SshCompatible ? "1.99" : "2.0"),
            Row("SSH connection timeout", "60 seconds"),
            Row("SSH server key generating interval", "0 hours"),
            Row("SSH authentication retries", "3 times"),
            Row("SFTP server", "Disable"),
            Row("Stelnet server", c.Stelnet ? "Enable" : "Disable"),
            Row("Scp server", "Disable"),
            Row("SSH server port", c.SshPort.ToString(Ci)),
            Row("SSH server source", c.SshSourceAll ? "all-interface" : c.SshSourceInterfaces.Count > 0 ? string.Join(' ', c.SshSourceInterfaces) : "-"),
            Row("ACL4 number", string.Empty),
            Row("ACL6 number", string.Empty),
        ];
    }

    public static List<string> TcpStatus(VrpDevice d)
    {
        HashSet<int> ports;
        List<VrpSession> sessions;
        List<Route> routes;
        List<InterfaceProfile> ifs;
        lock (d.Gate)
        {
            ports = d.ListenersLocked();
            sessions = d.SessionsLocked();
            routes = Routing.Compute(d.Running);
            ifs = [.. d.Running.Interfaces];
        }

        var lines = new List<string> { "TCPCB    Tid/Soid Local Add:port        Foreign Add:port      VPNID  State" };
        var soid = 1;
        if (d.Network.Physical is { } physical)
        {
            // The sockets the device's namespace really holds: a row for a connection exists only if
            // the kernel completed its handshake.
            var sockets = physical.TcpSockets(d.Name);
            foreach (var p in sockets.Where(x => x.Listening).Select(x => x.LocalPort).Distinct().Order())
            {
                lines.Add(Row(p * 0x1d8, $"{(p == 23 ? "102" : "122")}/{soid++}", "0.0.0.0:" + p.ToString(Ci), "0.0.0.0:0", "Listening"));
            }

            foreach (var x in sockets.Where(x => !x.Listening).OrderBy(x => x.LocalPort).ThenBy(x => x.RemotePort))
            {
                lines.Add(Row(x.RemotePort + (x.LocalPort * 7), $"122/{soid++}", x.LocalAddress + ":" + x.LocalPort.ToString(Ci), x.RemoteAddress + ":" + x.RemotePort.ToString(Ci), "Established"));
            }

            lines.Add(string.Empty);
            return lines;
        }

        foreach (var p in ports.Order())
        {
            var tid = p == 23 ? "102" : "122";
            lines.Add(Row(p * 0x1d8, $"{tid}/{soid++}", "0.0.0.0:" + p.ToString(Ci), "0.0.0.0:0", "Listening"));
        }

        var fallback = ifs.FirstOrDefault(i => i.Up && i.Address is not null)?.Address ?? "0.0.0.0";
        foreach (var s in sessions.Where(s => s.Origin.Transport == SessionTransport.Ssh))
        {
            var o = s.Origin;
            var local = Ip.TryParse(o.ClientAddress, out var client) && Routing.Lookup(routes, client) is { } r && r.Interface != "InLoopBack0"
                ? Ip.Format(r.SourceAddress)
                : fallback;
            lines.Add(Row(o.ClientPort + (o.ServerPort * 7), $"122/{soid++}", local + ":" + o.ServerPort.ToString(Ci), o.ClientAddress + ":" + o.ClientPort.ToString(Ci), "Established"));
        }

        lines.Add(string.Empty);
        return lines;

        static string Row(int seed, string tid, string local, string foreign, string state) =>
            string.Create(Ci, $"{0x0d431000 + (seed & 0xFFFFF):x8} {tid,-9}{local,-22}{foreign,-22}{"-1",-7}{state}");
    }

    public static List<string> RsaPublic(VrpDevice d)
    {
        RsaKey? key;
        string sysname;
        lock (d.Gate)
        {
            key = d.Key;
            sysname = d.Running.SysName;
        }

        if (key is null)
        {
            return [NoKeyText];
        }

        var b64 = Convert.ToBase64String(key.Blob);
        var lines = new List<string>
        {
            string.Empty,
            "=====================================================",
            "Time of Key pair created: " + key.Created.ToString("HH:mm:ss  yyyy/M/d", Ci),
            "Key name    : " + sysname + "_Host",
            "Key modulus : " + key.Bits.ToString(Ci),
            "Key type    : RSA encryption Key",
            "=====================================================",
            "Key code:",
        };
        lines.AddRange(key.KeyCodeLines());
        lines.Add(string.Empty);
        lines.Add("Key fingerprint:");
        lines.Add("  ssh-rsa " + key.Bits.ToString(Ci) + " " + key.Fingerprint["SHA256:".Length..]);
        lines.Add(string.Empty);
        lines.Add("Host public key for PEM format code:");
        lines.Add("---- BEGIN SSH2 PUBLIC KEY ----");
        for (var i = 0; i < b64.Length; i += 64)
        {
            lines.Add(b64.Substring(i, Math.Min(64, b64.Length - i)));
        }

        lines.Add("---- END SSH2 PUBLIC KEY ----");
        lines.Add(string.Empty);
        lines.Add("Public key code for pasting into OpenSSH authorized_keys file:");
        lines.Add("ssh-rsa " + b64 + " rsa-key");
        lines.Add(string.Empty);
        return lines;
    }

    public const string NoKeyText = "Info: The RSA host key pair does not exist.";

    public static List<string> Users(VrpDevice d, VrpSession current)
    {
        List<VrpSession> sessions;
        lock (d.Gate)
        {
            sessions = d.SessionsLocked();
        }

        var lines = new List<string> { "  User-Intf    Delay    Type   Network Address     AuthenStatus    AuthorcmdFlag" };
        var now = d.Time.GetUtcNow();
        foreach (var s in sessions.OrderBy(s => s.IsVty).ThenBy(s => s.VtyIndex))
        {
            var idle = now - s.LoginTime;
            var delay = string.Create(Ci, $"{(int)idle.TotalHours:00}:{idle.Minutes:00}:{idle.Seconds:00}");
            var intf = s.IsVty ? string.Create(Ci, $"{34 + s.VtyIndex,-4}VTY {s.VtyIndex}") : "0   CON 0";
            var type = s.Origin.Transport switch
            {
                SessionTransport.Ssh => "SSH",
                SessionTransport.Telnet => "TEL",
                _ => string.Empty,
            };
            lines.Add($"{(s == current ? "+" : " ")} {intf,-11}{delay,-10}{type,-7}{(s.IsVty ? s.Origin.ClientAddress : string.Empty),-20}{"pass",-16}no");
            lines.Add("  Username : " + s.Origin.User);
        }

        return lines;
    }
}
