using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NetOpsBot.Lab.Emulator;

internal sealed record StaticRoute(uint Prefix, int PrefixLength, uint NextHop);

internal sealed record AclRule(int Id, bool Permit, uint? Source, uint? Wildcard);

internal sealed class LocalUser(string name)
{
    public string Name { get; } = name;

    public string Cipher { get; set; } = VrpConfig.CipherFor(name, "initial");

    public int Level { get; set; } = 15;

    public List<string> ServiceTypes { get; } = [];

    public LocalUser Clone()
    {
        var copy = new LocalUser(Name) { Cipher = Cipher, Level = Level };
        copy.ServiceTypes.AddRange(ServiceTypes);
        return copy;
    }
}

/// <summary>
/// One configuration (running or saved). Running and saved are separate instances so `save`, `reboot` and
/// "modified?" checks work by copying and comparing the rendered text, exactly as VRP compares files.
/// </summary>
internal sealed class VrpConfig
{
    public required string SysName { get; set; }

    public required string Version { get; init; }

    public List<InterfaceProfile> Interfaces { get; init; } = [];

    public List<StaticRoute> StaticRoutes { get; init; } = [];

    public bool Stelnet { get; set; }

    public int SshPort { get; set; } = 22;

    public bool SshCompatible { get; set; }

    public bool SshSourceAll { get; set; }

    public List<string> SshSourceInterfaces { get; init; } = [];

    public bool Telnet { get; set; }

    public string VtyProtocol { get; set; } = "ssh";

    public int? VtyAcl { get; set; }

    public string VtyAuthentication { get; set; } = "aaa";

    public SortedDictionary<int, List<AclRule>> Acls { get; init; } = [];

    public List<LocalUser> Users { get; init; } = [];

    public static VrpConfig FromProfile(DeviceProfile p)
    {
        var c = new VrpConfig
        {
            SysName = p.Name,
            Version = p.Version,
            Interfaces = [.. p.Interfaces],
            Stelnet = p.Ssh.StelnetEnabled,
            SshPort = p.Ssh.Port,
            SshCompatible = p.Ssh.CompatibleEnabled,
            SshSourceAll = p.Ssh.SourceAllInterface,
            Telnet = p.TelnetServerEnabled,
            VtyProtocol = p.Vty.ProtocolInbound,
            VtyAcl = p.Vty.AclInbound,
            VtyAuthentication = p.Vty.AuthenticationMode,
        };
        foreach (var r in p.StaticRoutes)
        {
            var prefix = Ip.Parse(r.Prefix) & Ip.Mask(r.PrefixLength);
            c.StaticRoutes.Add(new StaticRoute(prefix, r.PrefixLength, Ip.Parse(r.NextHop)));
        }

        foreach (var acl in p.Acls)
        {
            c.Acls[acl.Number] = [.. acl.Rules.Select(r => new AclRule(
                r.Id,
                string.Equals(r.Action, "permit", StringComparison.OrdinalIgnoreCase),
                r.Source is null ? null : Ip.Parse(r.Source),
                r.Source is null ? null : Ip.Parse(r.Wildcard ?? "0.0.0.0")))];
        }

        foreach (var u in p.LocalUsers)
        {
            var user = new LocalUser(u.Name) { Level = u.Level };
            user.ServiceTypes.AddRange(u.ServiceTypes);
            c.Users.Add(user);
        }

        return c;
    }

    public VrpConfig Clone()
    {
        var c = new VrpConfig
        {
            SysName = SysName,
            Version = Version,
            Interfaces = [.. Interfaces],
            StaticRoutes = [.. StaticRoutes],
            Stelnet = Stelnet,
            SshPort = SshPort,
            SshCompatible = SshCompatible,
            SshSourceAll = SshSourceAll,
            SshSourceInterfaces = [.. SshSourceInterfaces],
            Telnet = Telnet,
            VtyProtocol = VtyProtocol,
            VtyAcl = VtyAcl,
            VtyAuthentication = VtyAuthentication,
            Users = [.. Users.Select(u => u.Clone())],
        };
        foreach (var (n, rules) in Acls)
        {
            c.Acls[n] = [.. rules];
        }

        return c;
    }

    /// <summary>VRP never shows a password; it shows irreversible cipher text, deterministic here so output is stable.</summary>
    public static string CipherFor(string user, string password)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(user + "\0" + password));
        var body = Convert.ToBase64String(hash).Replace('/', '!').Replace('+', '*').TrimEnd('=');
        return "%^%#" + body + "%^%#";
    }

    /// <summary>Renders like `display current-configuration` on an S5735 (V200R019): sections separated by `#`.</summary>
    public List<string> Render()
    {
        var ci = CultureInfo.InvariantCulture;
        var lines = new List<string> { "!Software Version " + Version, "#", "sysname " + SysName, "#" };
        var vlans = Interfaces
            .Where(i => i.Name.StartsWith("Vlanif", StringComparison.OrdinalIgnoreCase))
            .Select(i => int.TryParse(i.Name.AsSpan(6), NumberStyles.None, ci, out var v) ? v : 0)
            .Where(v => v > 1)
            .Order()
            .ToList();
        if (vlans.Count > 0)
        {
            lines.Add("vlan batch " + string.Join(' ', vlans));
            lines.Add("#");
        }

        if (Telnet)
        {
            lines.Add("telnet server enable");
            lines.Add("#");
        }

        foreach (var (number, rules) in Acls)
        {
            lines.Add("acl number " + number.ToString(ci));
            foreach (var r in rules.OrderBy(r => r.Id))
            {
                var text = string.Create(ci, $" rule {r.Id} {(r.Permit ? "permit" : "deny")}");
                if (r.Source is { } src)
                {
                    var wc = r.Wildcard ?? 0;
                    text += " source " + Ip.Format(src) + " " + (wc == 0 ? "0" : Ip.Format(wc));
                }

                lines.Add(text);
            }

            lines.Add("#");
        }

        lines.Add("aaa");
        lines.Add(" authentication-scheme default");
        lines.Add(" authorization-scheme default");
        lines.Add(" accounting-scheme default");
        lines.Add(" domain default");
        lines.Add(" domain default_admin");
        foreach (var u in Users)
        {
            lines.Add($" local-user {u.Name} password irreversible-cipher {u.Cipher}");
            lines.Add(string.Create(ci, $" local-user {u.Name} privilege level {u.Level}"));
            if (u.ServiceTypes.Count > 0)
            {
                lines.Add($" local-user {u.Name} service-type {string.Join(' ', u.ServiceTypes)}");
            }
        }

        lines.Add("#");
        foreach (var i in Interfaces)
        {
            lines.Add("interface " + i.Name);
            if (i.Address is not null)
            {
                lines.Add($" ip address {i.Address} {Ip.Format(Ip.Mask(i.PrefixLength))}");
            }

            if (i.TrafficFilterInbound is { } filter)
            {
                lines.Add(string.Create(ci, $" traffic-filter inbound acl {filter}"));
            }

            if (!i.Up && i.Address is not null)
            {
                lines.Add(" shutdown");
            }

            lines.Add("#");
        }

        lines.Add("interface NULL0");
        lines.Add("#");
        foreach (var r in StaticRoutes)
        {
            lines.Add($"ip route-static {Ip.Format(r.Prefix)} {Ip.Format(Ip.Mask(r.PrefixLength))} {Ip.Format(r.NextHop)}");
        }

        if (StaticRoutes.Count > 0)
        {
            lines.Add("#");
        }

        if (Stelnet)
        {
            lines.Add("stelnet server enable");
        }

        if (SshPort != 22)
        {
            lines.Add("ssh server port " + SshPort.ToString(ci));
        }

        if (SshCompatible)
        {
            lines.Add("ssh server compatible-enable");
        }

        lines.Add("ssh authentication-type default password");
        if (SshSourceAll)
        {
            lines.Add("ssh server-source all-interface");
        }
        else if (SshSourceInterfaces.Count > 0)
        {
            lines.Add("ssh server-source -i " + string.Join(' ', SshSourceInterfaces));
        }

        lines.Add("#");
        lines.Add("user-interface con 0");
        lines.Add(" authentication-mode password");
        lines.Add("user-interface vty 0 4");
        if (VtyAcl is { } acl)
        {
            lines.Add(" acl " + acl.ToString(ci) + " inbound");
        }

        lines.Add(" authentication-mode " + VtyAuthentication);
        lines.Add(" user privilege level 15");
        lines.Add(" protocol inbound " + VtyProtocol);
        lines.Add("user-interface vty 16 20");
        lines.Add("#");
        lines.Add("return");
        return lines;
    }
}
