using System.Globalization;
using System.Text;

namespace NetOpsBot.Lab.Emulator.IosXe;

internal sealed record IosXeAclLine(int Sequence, bool Permit, string Network, string Wildcard, bool Log);

internal sealed class IosXeAcl(string name, bool numbered)
{
    public string Name { get; } = name;

    public bool Numbered { get; } = numbered;

    public List<IosXeAclLine> Lines { get; } = [];

    public IosXeAcl Clone()
    {
        var c = new IosXeAcl(Name, Numbered);
        c.Lines.AddRange(Lines);
        return c;
    }

    public int NextSequence => Lines.Count == 0 ? 10 : Lines.Max(l => l.Sequence) + 10;
}

internal sealed class IosXeVty(int first, int last)
{
    public int First { get; } = first;

    public int Last { get; } = last;

    public List<string> Transport { get; set; } = ["ssh"];

    public string? AccessClassIn { get; set; }

    public IosXeVty Clone() => new(First, Last) { Transport = [.. Transport], AccessClassIn = AccessClassIn };
}

internal sealed record IosXeStatic(string Network, string Mask, string NextHop);

/// <summary>The configuration of one switch (running or startup); the RSA key lives outside it, in private NVRAM.</summary>
internal sealed class IosXeConfig
{
    public string Hostname { get; set; } = "Switch";

    public string? DomainName { get; set; }

    public string Interface { get; set; } = "GigabitEthernet0/0";

    public string Address { get; set; } = "0.0.0.0";

    public string Mask { get; set; } = "255.255.255.0";

    /// <summary>"shutdown" on the management interface: no connected route, no ARP, so no static resolves either.</summary>
    public bool InterfaceShutdown { get; set; }

    public int? SshVersion { get; set; }

    public int SshTimeout { get; set; } = 120;

    public int SshRetries { get; set; } = 3;

    public List<IosXeStatic> Statics { get; } = [];

    public List<IosXeVty> Vty { get; } = [];

    public SortedDictionary<string, IosXeAcl> Acls { get; } = new(StringComparer.Ordinal);

    public static IosXeConfig FromProfile(IosXeSwitchProfile p)
    {
        var c = new IosXeConfig
        {
            Hostname = p.Hostname,
            DomainName = p.DomainName,
            Interface = p.ManagementInterface,
            Address = p.ManagementAddress,
            Mask = p.ManagementMask,
            SshVersion = p.RsaKeyPresent ? 2 : null,
            InterfaceShutdown = p.ManagementInterfaceShutdown,
        };
        if (p.DefaultGateway is not null)
        {
            c.Statics.Add(new IosXeStatic("0.0.0.0", "0.0.0.0", p.DefaultGateway));
        }

        var acl = p.VtyAccessClass?.ToString(CultureInfo.InvariantCulture);
        c.Vty.Add(new IosXeVty(0, 4) { Transport = [.. p.VtyTransport], AccessClassIn = acl });
        c.Vty.Add(new IosXeVty(5, 15) { Transport = [.. p.VtyTransport], AccessClassIn = acl });
        if (acl is not null)
        {
            var a = new IosXeAcl(acl, numbered: true);
            var seq = 10;
            foreach (var r in p.VtyAcl)
            {
                a.Lines.Add(new IosXeAclLine(seq, r.Permit, r.Network, r.Wildcard, Log: !r.Permit));
                seq += 10;
            }

            c.Acls[acl] = a;
        }

        return c;
    }

    public IosXeConfig Clone()
    {
        var c = new IosXeConfig
        {
            Hostname = Hostname,
            DomainName = DomainName,
            Interface = Interface,
            Address = Address,
            Mask = Mask,
            InterfaceShutdown = InterfaceShutdown,
            SshVersion = SshVersion,
            SshTimeout = SshTimeout,
            SshRetries = SshRetries,
        };
        c.Statics.AddRange(Statics);
        c.Vty.AddRange(Vty.Select(v => v.Clone()));
        foreach (var (k, v) in Acls)
        {
            c.Acls[k] = v.Clone();
        }

        return c;
    }

    /// <summary>The configuration text as "show running-config" prints it (without the header lines).</summary>
    public string Render(string version)
    {
        var sb = new StringBuilder();
        void L(string s) => sb.Append(s).Append('\n');
        L("!");
        L("version " + string.Join('.', version.Split('.').Take(2).Select(p => p.TrimStart('0').Length == 0 ? "0" : p.TrimStart('0'))));
        L("service timestamps debug datetime msec");
        L("service timestamps log datetime msec");
        L("service password-encryption");
        L("!");
        L("hostname " + Hostname);
        L("!");
        L("aaa new-model");
        L("!");
        if (DomainName is not null)
        {
            L("ip domain name " + DomainName);
        }

        L("!");
        L("interface " + Interface);
        L(" ip address " + Address + " " + Mask);
        if (InterfaceShutdown)
        {
            L(" shutdown");
        }

        L(" negotiation auto");
        L("!");
        L("ip forward-protocol nd");
        L("no ip http server");
        L("ip http secure-server");
        foreach (var s in Statics)
        {
            L($"ip route {s.Network} {s.Mask} {s.NextHop}");
        }

        if (SshVersion is int v)
        {
            L("ip ssh version " + v.ToString(CultureInfo.InvariantCulture));
        }

        if (SshTimeout != 120)
        {
            L("ip ssh time-out " + SshTimeout.ToString(CultureInfo.InvariantCulture));
        }

        L("!");
        foreach (var a in Acls.Values.Where(a => !a.Numbered))
        {
            L("ip access-list standard " + a.Name);
            foreach (var l in a.Lines)
            {
                L($" {l.Sequence.ToString(CultureInfo.InvariantCulture)} {Entry(l)}");
            }
        }

        foreach (var a in Acls.Values.Where(a => a.Numbered))
        {
            foreach (var l in a.Lines)
            {
                L($"access-list {a.Name} {Entry(l)}");
            }
        }

        L("!");
        L("control-plane");
        L("!");
        L("line con 0");
        L(" stopbits 1");
        foreach (var vty in Vty)
        {
            L(vty.First == vty.Last ? $"line vty {vty.First.ToString(CultureInfo.InvariantCulture)}" : $"line vty {vty.First.ToString(CultureInfo.InvariantCulture)} {vty.Last.ToString(CultureInfo.InvariantCulture)}");
            if (vty.AccessClassIn is not null)
            {
                L(" access-class " + vty.AccessClassIn + " in");
            }

            L(" login local");
            L(" transport input " + string.Join(' ', vty.Transport));
        }

        L("!");
        L("end");
        return sb.ToString();
    }

    // IOS prints "permit 10.0.0.0 0.0.0.255", a host as "permit 10.0.0.5", and any as "permit any"; deny is padded to align.
    private static string Entry(IosXeAclLine l)
    {
        var action = l.Permit ? "permit" : "deny  ";
        var src = l.Wildcard == "255.255.255.255" ? "any" : l.Wildcard == "0.0.0.0" ? l.Network : l.Network + " " + l.Wildcard;
        return $"{action} {src}{(l.Log ? " log" : string.Empty)}";
    }
}
