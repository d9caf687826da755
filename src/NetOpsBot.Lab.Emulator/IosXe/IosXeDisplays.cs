using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace NetOpsBot.Lab.Emulator.IosXe;

/// <summary>
/// The text of the emulator's "show" commands, written from real IOS-XE outputs (ntc-templates' and genieparser's
/// cisco_ios/iosxe test data): header lines, column widths and wording follow them. Called under the switch's lock.
/// </summary>
internal static class IosXeDisplays
{
    private const string Algorithms =
        "Authentication methods:publickey,keyboard-interactive,password\n" +
        "Authentication Publickey Algorithms:ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-ed25519,rsa-sha2-256,rsa-sha2-512\n" +
        "Hostkey Algorithms:rsa-sha2-512,rsa-sha2-256\n" +
        "Encryption Algorithms:aes128-gcm,aes256-gcm,aes128-ctr,aes192-ctr,aes256-ctr\n" +
        "MAC Algorithms:hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-512\n" +
        "KEX Algorithms:ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group14-sha256,diffie-hellman-group16-sha512";

    private static readonly string[] RouteCodes =
    [
        "Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP",
        "       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area ",
        "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2",
        "       E1 - OSPF external type 1, E2 - OSPF external type 2, m - OMP",
        "       n - NAT, Ni - NAT inside, No - NAT outside, Nd - NAT DIA",
        "       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2",
        "       ia - IS-IS inter area, * - candidate default, U - per-user static route",
        "       H - NHRP, G - NHRP registered, g - NHRP registration summary",
        "       o - ODR, P - periodic downloaded static route, l - LISP",
        "       a - application route",
        "       + - replicated route, % - next hop override, p - overrides from PfR",
        "       & - replicated local route overrides by connected",
    ];

    public static List<string> IpSsh(IosXeSwitch d)
    {
        var c = d.Running;
        var lines = new List<string>();
        if (d.Key is null)
        {
            lines.Add("SSH Disabled - version 1.99");
            lines.Add("%Please create RSA keys to enable SSH (and of atleast 768 bits for SSH v2).");
        }
        else
        {
            lines.Add("SSH Enabled - version " + (c.SshVersion == 2 ? "2.0" : "1.99"));
        }

        lines.AddRange(Algorithms.Split('\n'));
        lines.Add($"Authentication timeout: {c.SshTimeout.ToString(CultureInfo.InvariantCulture)} secs; Authentication retries: {c.SshRetries.ToString(CultureInfo.InvariantCulture)}");
        lines.Add("Minimum expected Diffie Hellman key size : 2048 bits");
        if (d.Key is null)
        {
            lines.Add("IOS Keys in SECSH format(ssh-rsa, base64 encoded): NONE");
            return lines;
        }

        lines.Add("IOS Keys in SECSH format(ssh-rsa, base64 encoded): " + d.KeyName);
        lines.Add("Modulus Size : " + d.Key.KeySize.ToString(CultureInfo.InvariantCulture) + " bits");
        var blob = "ssh-rsa " + Convert.ToBase64String(SshRsaBlob(d.Key));
        for (var i = 0; i < blob.Length; i += 76)
        {
            lines.Add(blob.Substring(i, Math.Min(76, blob.Length - i)));
        }

        return lines;
    }

    public static List<string> IpRoute(IosXeSwitch d)
    {
        var c = d.Running;
        var lines = new List<string>(RouteCodes) { string.Empty };
        if (c.InterfaceShutdown)
        {
            // The only interface is down: no connected route, so no static next hop resolves either.
            lines.Add("Gateway of last resort is not set");
            lines.Add(string.Empty);
            return lines;
        }

        var def = c.Statics.FirstOrDefault(s => s.Network == "0.0.0.0" && s.Mask == "0.0.0.0");
        lines.Add(def is null ? "Gateway of last resort is not set" : $"Gateway of last resort is {def.NextHop} to network 0.0.0.0");
        lines.Add(string.Empty);

        var routes = new List<(string Code, uint Net, int Len, string Text)>();
        var len = IosXeSwitch.Length(c.Mask);
        var addr = IosXeSwitch.U(IPAddress.Parse(c.Address));
        var net = len == 0 ? 0u : addr & (uint.MaxValue << (32 - len));
        routes.Add(("C", net, len, $"is directly connected, {c.Interface}"));
        routes.Add(("L", addr, 32, $"is directly connected, {c.Interface}"));
        foreach (var s in c.Statics.Where(s => s != def))
        {
            routes.Add(("S", IosXeSwitch.U(IPAddress.Parse(s.Network)), IosXeSwitch.Length(s.Mask), $"[1/0] via {s.NextHop}"));
        }

        if (def is not null)
        {
            lines.Add($"S*    0.0.0.0/0 [1/0] via {def.NextHop}");
        }

        foreach (var group in routes.GroupBy(r => Major(r.Net)).OrderBy(g => g.Key))
        {
            var majorLen = ClassfulLength(group.Key);
            var list = group.OrderBy(r => r.Net).ThenBy(r => r.Len).ToList();
            if (list.Count == 1 && list[0].Len == majorLen)
            {
                lines.Add($"{list[0].Code,-6}{Ip(list[0].Net)}/{list[0].Len.ToString(CultureInfo.InvariantCulture)} {list[0].Text}");
                continue;
            }

            var masks = list.Select(r => r.Len).Distinct().Count();
            var n = list.Count.ToString(CultureInfo.InvariantCulture);
            lines.Add(masks == 1
                ? $"      {Ip(group.Key)}/{list[0].Len.ToString(CultureInfo.InvariantCulture)} is subnetted, {n} subnet{(list.Count == 1 ? string.Empty : "s")}"
                : $"      {Ip(group.Key)}/{majorLen.ToString(CultureInfo.InvariantCulture)} is variably subnetted, {n} subnets, {masks.ToString(CultureInfo.InvariantCulture)} masks");
            foreach (var r in list)
            {
                lines.Add(masks == 1
                    ? $"{r.Code,-9}{Ip(r.Net)} {r.Text}"
                    : $"{r.Code,-9}{Ip(r.Net)}/{r.Len.ToString(CultureInfo.InvariantCulture)} {r.Text}");
            }
        }

        return lines;
    }

    public static List<string> IpRouteEntry(IosXeSwitch d, string address)
    {
        var route = d.RouteFor(address);
        if (route is null || (address == "0.0.0.0" && route.Value.Length != 0))
        {
            return ["% Network not in table"];
        }

        var (network, length, hop) = route.Value;
        var m = length == 0 ? 0u : uint.MaxValue << (32 - length);
        var netText = Ip(IosXeSwitch.U(IPAddress.Parse(network)) & m) + "/" + length.ToString(CultureInfo.InvariantCulture);
        if (hop is null)
        {
            return
            [
                $"Routing entry for {netText}",
                "  Known via \"connected\", distance 0, metric 0 (connected, via interface)",
                "  Routing Descriptor Blocks:",
                $"  * directly connected, via {d.Running.Interface}",
                "      Route metric is 0, traffic share count is 1",
            ];
        }

        return
        [
            $"Routing entry for {netText}{(length == 0 ? ", supernet" : string.Empty)}",
            $"  Known via \"static\", distance 1, metric 0{(length == 0 ? ", candidate default path" : string.Empty)}",
            "  Routing Descriptor Blocks:",
            $"  * {hop}",
            "      Route metric is 0, traffic share count is 1",
        ];
    }

    /// <summary>
    /// "show arp" as IOS prints it (ntc-templates tests/cisco_ios/show_arp/cisco_ios_show_arp.raw: "Internet", the
    /// address in 17 columns, the age right-aligned in 8, "-" for the switch's own address, MACs as aaaa.bbbb.cccc).
    /// With <paramref name="kernel"/> (the namespace's resolved neighbours) the dynamic rows are what the switch's
    /// kernel really holds; without it (loopback lab) the profile's neighbours that are alive. A shut interface holds none.
    /// </summary>
    public static List<string> Arp(IosXeSwitch d, IReadOnlyList<NeighbourEntry>? kernel)
    {
        var lines = new List<string> { "Protocol  Address          Age (min)  Hardware Addr   Type   Interface" };
        if (d.Running.InterfaceShutdown)
        {
            return lines;
        }

        var entries = new List<(string Ip, string Age, string Mac)> { (d.Running.Address, "-", d.Profile.Mac) };
        if (kernel is null)
        {
            entries.AddRange(d.Profile.Neighbours.Where(n => d.NeighbourAlive(n.Address)).Select(n => (n.Address, "0", n.Mac)));
        }
        else
        {
            var length = IosXeSwitch.Length(d.Running.Mask);
            var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
            var own = IosXeSwitch.U(IPAddress.Parse(d.Running.Address));
            entries.AddRange(kernel
                .Where(n => IPAddress.TryParse(n.Address, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                    && IosXeSwitch.U(a) != own && (IosXeSwitch.U(a) & mask) == (own & mask))
                .Select(n => (n.Address, "0", CiscoMac(n.Mac))));
        }

        foreach (var e in entries.OrderBy(e => IosXeSwitch.U(IPAddress.Parse(e.Ip))))
        {
            lines.Add($"Internet  {e.Ip,-17}{e.Age,8}   {e.Mac}  ARPA   {d.Running.Interface}");
        }

        return lines;
    }

    /// <summary>"aa:bb:cc:dd:ee:ff" (the kernel's spelling) as IOS writes it: "aabb.ccdd.eeff".</summary>
    private static string CiscoMac(string mac)
    {
        var hex = mac.Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return hex.Length == 12 ? $"{hex[..4]}.{hex[4..8]}.{hex[8..]}" : mac;
    }

    /// <summary>
    /// "ping" from the echoes the switch's kernel answered (one bool per echo, in order), in IOS's words
    /// (ntc-templates tests/cisco_ios/ping: cisco_ios_ping_fail.raw, cisco_ios_ping_mix.raw for "Success rate is
    /// 20 percent (1/5), round-trip ...", cisco_ios_ping_source.raw for "Packet sent with a source address of").
    /// </summary>
    public static List<string> Ping(string target, string? source, IReadOnlyList<bool> replies)
    {
        var lines = new List<string> { "Type escape sequence to abort.", $"Sending {replies.Count.ToString(CultureInfo.InvariantCulture)}, 100-byte ICMP Echos to {target}, timeout is 2 seconds:" };
        if (source is not null)
        {
            lines.Add("Packet sent with a source address of " + source);
        }

        lines.Add(string.Concat(replies.Select(r => r ? '!' : '.')));
        var ok = replies.Count(r => r);
        var rate = ok * 100 / Math.Max(1, replies.Count);
        var counts = ok.ToString(CultureInfo.InvariantCulture) + "/" + replies.Count.ToString(CultureInfo.InvariantCulture);
        lines.Add(ok > 0
            ? $"Success rate is {rate.ToString(CultureInfo.InvariantCulture)} percent ({counts}), round-trip min/avg/max = 1/1/2 ms"
            : $"Success rate is 0 percent ({counts})");
        return lines;
    }

    public static List<string> Ping(IosXeSwitch d, string target)
    {
        var lines = new List<string> { "Type escape sequence to abort.", $"Sending 5, 100-byte ICMP Echos to {target}, timeout is 2 seconds:" };
        var ok = d.RouteFor(target) is not null && d.NeighbourAlive(target);
        lines.Add(ok ? "!!!!!" : ".....");
        lines.Add(ok ? "Success rate is 100 percent (5/5), round-trip min/avg/max = 1/1/2 ms" : "Success rate is 0 percent (0/5)");
        return lines;
    }

    public static List<string> TcpBrief(IosXeSwitch d)
    {
        var lines = new List<string> { "TCB       Local Address               Foreign Address             (state)" };
        var tcb = 0x7F3A1C2B4D18L;
        foreach (var port in d.ListeningTcpPortsLocked())
        {
            lines.Add($"{tcb:X}  {"0.0.0.0." + port.ToString(CultureInfo.InvariantCulture),-24} {"*.*",-27} LISTEN");
            tcb += 0x108;
        }

        foreach (var s in d.Sessions)
        {
            lines.Add($"{tcb:X}  {d.Running.Address + "." + s.ServerPort.ToString(CultureInfo.InvariantCulture),-24} {s.ClientAddress + "." + s.ClientPort.ToString(CultureInfo.InvariantCulture),-27} ESTAB");
            tcb += 0x108;
        }

        return lines;
    }

    public static List<string> OpenPorts(IosXeSwitch d)
    {
        var lines = new List<string>
        {
            "Active internet connections (servers and established)",
            "Prot        Local Address      Foreign Address                  Service    State",
        };
        foreach (var port in d.ListeningTcpPortsLocked())
        {
            var service = port == 22 ? "SSH-Server" : "Telnet";
            lines.Add($" tcp {"*:" + port.ToString(CultureInfo.InvariantCulture),20} {"*:0",21} {service,24}   LISTEN");
        }

        lines.Add($" udp {"*:67",20} {"*:0",21} {"DHCPD Receive",24}   LISTEN");
        return lines;
    }

    public static List<string> RunningConfig(IosXeSwitch d, IosXeConfig config, string title)
    {
        var body = config.Render(d.Profile.Version);
        var lines = new List<string> { "Building configuration...", string.Empty, $"{title} : {Encoding.ASCII.GetByteCount(body).ToString(CultureInfo.InvariantCulture)} bytes" };
        lines.AddRange(body.TrimEnd('\n').Split('\n'));
        return lines;
    }

    public static List<string> CryptoKeys(IosXeSwitch d)
    {
        if (d.Key is null)
        {
            return [];
        }

        var lines = new List<string>
        {
            "% Key pair was generated at: " + d.KeyGeneratedAt.ToString("HH:mm:ss 'UTC' MMM d yyyy", CultureInfo.InvariantCulture),
            "Key name: " + d.KeyName,
            "Key type: RSA KEYS",
            " Storage Device: private-config",
            " Usage: General Purpose Key",
            " Key is not exportable. Redundancy enabled.",
            " Key Data:",
        };
        var hex = Convert.ToHexString(d.Key.ExportSubjectPublicKeyInfo());
        var words = Enumerable.Range(0, (hex.Length + 7) / 8).Select(i => hex.Substring(i * 8, Math.Min(8, hex.Length - (i * 8)))).ToList();
        for (var i = 0; i < words.Count; i += 8)
        {
            lines.Add("  " + string.Join(' ', words.Skip(i).Take(8)));
        }

        return lines;
    }

    public static List<string> Version(IosXeSwitch d)
    {
        var p = d.Profile;
        var up = d.Time.GetUtcNow() - d.BootedAt;
        var uptime = $"{up.Days.ToString(CultureInfo.InvariantCulture)} day{(up.Days == 1 ? string.Empty : "s")}, {up.Hours.ToString(CultureInfo.InvariantCulture)} hour{(up.Hours == 1 ? string.Empty : "s")}, {up.Minutes.ToString(CultureInfo.InvariantCulture)} minute{(up.Minutes == 1 ? string.Empty : "s")}";
        var shortVersion = string.Join('.', p.Version.Split('.').Select(x => x.TrimStart('0').Length == 0 ? "0" : x.TrimStart('0')));
        return
        [
            "Cisco IOS XE Software, Version " + p.Version,
            $"Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version {shortVersion}, RELEASE SOFTWARE (fc3)",
            "Technical Support: http://www.cisco.com/techsupport",
            "Copyright (c) 1986-2023 by Cisco Systems, Inc.",
            "Compiled Fri 20-Oct-23 10:44 by mcpre",
            string.Empty,
            string.Empty,
            "ROM: IOS-XE ROMMON",
            "BOOTLDR: System Bootstrap, Version 17.11.1r, RELEASE SOFTWARE (P)",
            string.Empty,
            $"{d.Running.Hostname} uptime is {uptime}",
            $"Uptime for this control processor is {uptime}",
            "System returned to ROM by Reload Command",
            "System image file is \"flash:packages.conf\"",
            "Last reload reason: Reload Command",
            string.Empty,
            $"cisco {p.Model} (X86) processor with 1338934K/6147K bytes of memory.",
            "Processor board ID " + p.Serial,
            "2048K bytes of non-volatile configuration memory.",
            string.Empty,
            "Configuration register is 0x102",
        ];
    }

    // RFC 4253 "ssh-rsa" public key blob: string "ssh-rsa", mpint e, mpint n.
    private static byte[] SshRsaBlob(RSA key)
    {
        var p = key.ExportParameters(false);
        using var ms = new MemoryStream();
        void Put(byte[] b, bool mpint)
        {
            var pad = mpint && b.Length > 0 && (b[0] & 0x80) != 0;
            var n = b.Length + (pad ? 1 : 0);
            ms.Write([(byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n]);
            if (pad)
            {
                ms.WriteByte(0);
            }

            ms.Write(b);
        }

        Put(Encoding.ASCII.GetBytes("ssh-rsa"), mpint: false);
        Put(p.Exponent!, mpint: true);
        Put(p.Modulus!, mpint: true);
        return ms.ToArray();
    }

    private static uint Major(uint net) => ClassfulLength(net) is var l && l == 0 ? 0 : net & (uint.MaxValue << (32 - l));

    private static int ClassfulLength(uint net) => (net >> 24) switch
    {
        < 128 => 8,
        < 192 => 16,
        _ => 24,
    };

    private static string Ip(uint v) => new IPAddress([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]).ToString();
}
