namespace NetOpsBot.Vrp;

/// <summary>A user-interface block. ProtocolInbound null = not configured (the VRP default differs by release).</summary>
public sealed record UserInterfaceConfig(string Kind, string Range, string? ProtocolInbound, string? AclInbound, string? AuthenticationMode, int? PrivilegeLevel, bool HasPassword)
{
    /// <summary>First line number of the block ("vty 0 4" → 0, "vty 7" → 7); null when the range is not numeric.</summary>
    public int? First => VrpText.ToInt(Range.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault());

    /// <summary>Last line number of the block ("vty 0 4" → 4, "vty 7" → 7).</summary>
    public int? Last => VrpText.ToInt(Range.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault());

    public bool Covers(int line) => First is int f && Last is int l && line >= f && line <= l;
}

/// <summary>A local user. Password cipher text is deliberately never captured, only whether one is set.</summary>
public sealed record LocalUserConfig(string Name, IReadOnlyList<string> ServiceTypes, int? Level, bool HasPassword);

public sealed record AclRule(int? Id, string Action, string? Protocol, string? Source, string? SourceWildcard, string? Destination, string? DestinationWildcard, string Text);

public sealed record AclConfig(string Number, string? Name, IReadOnlyList<AclRule> Rules);

public sealed record StaticRouteConfig(string? VpnInstance, string Prefix, int? PrefixLength, string? NextHop, string? Interface, int? Preference);

public sealed record InterfaceAddress(string Address, string Mask, int? PrefixLength, bool Secondary);

public sealed record InterfaceConfig(string Name, string? Description, bool Shutdown, string? VpnInstance, IReadOnlyList<InterfaceAddress> Addresses)
{
    /// <summary>The ACL of "traffic-filter inbound acl N" (or "name X"): a packet filter, not a login filter.</summary>
    public string? TrafficFilterInbound { get; init; }
}

public sealed record CurrentConfiguration(
    string? Sysname,
    bool? StelnetServerEnabled,
    bool? StelnetIpv6ServerEnabled,
    int? SshServerPort,
    bool? CompatibleEnable,
    string? ServerSource,
    string? SshServerAcl,
    bool? TelnetServerEnabled,
    IReadOnlyList<UserInterfaceConfig> UserInterfaces,
    IReadOnlyList<LocalUserConfig> LocalUsers,
    IReadOnlyList<AclConfig> Acls,
    IReadOnlyList<StaticRouteConfig> StaticRoutes,
    IReadOnlyList<InterfaceConfig> Interfaces)
{
    public IEnumerable<UserInterfaceConfig> Vty => UserInterfaces.Where(u => u.Kind == "vty");

    /// <summary>Interfaces of every "ssh server-source -i X" line, less those an "undo ssh server-source -i X" took back.</summary>
    public IReadOnlyList<string> SshSourceInterfaces { get; init; } = [];

    /// <summary>"ssh server-source all-interface" → true, "undo ssh server-source all-interface" → false, not stated → null.</summary>
    public bool? SshSourceAllInterfaces { get; init; }

    /// <summary>
    /// Whether SSH answers on <paramref name="interfaceName"/>: the -i list restricts it unless all-interface is also on
    /// (Huawei: the -i interface is then only preferred); an empty list with all-interface undone leaves no interface;
    /// nothing stated leaves the release default (all interfaces on the releases the runbook knows). Null when unknown.
    /// </summary>
    public bool? SshAnswersOn(string? interfaceName)
    {
        if (SshSourceAllInterfaces == true)
        {
            return true;
        }

        if (SshSourceInterfaces.Count == 0)
        {
            return SshSourceAllInterfaces == false ? false : true;
        }

        return interfaceName is null ? null : SshSourceInterfaces.Any(i => InterfaceNames.Same(i, interfaceName));
    }

    /// <summary>The interface whose configured address is <paramref name="ip"/>, or null.</summary>
    public string? InterfaceHolding(string ip) =>
        Interfaces.FirstOrDefault(i => i.Addresses.Any(a => string.Equals(a.Address, ip, StringComparison.Ordinal)))?.Name;

    /// <summary>"user-interface maximum-vty N": how many VTY lines (0..N-1) accept logins; null when not configured.</summary>
    public int? MaximumVty { get; init; }

    /// <summary>The VTY lines that take user logins: 0..maximum-vty-1, VRP's default of 5 when not configured.</summary>
    public int VtyLinesInService => MaximumVty ?? DefaultMaximumVty;

    /// <summary>VRP's default number of VTY user interfaces (Huawei configuration guides: "By default, the maximum number of VTY user interfaces is 5").</summary>
    public const int DefaultMaximumVty = 5;
}

/// <summary>
/// The sections of "display current-configuration" the SSH runbook needs. Works on whole configs and on
/// "| include" / "| begin" fragments because each statement is recognised on its own; indented lines
/// attach to the last top-level block.
/// </summary>
public static class CurrentConfigurationParser
{
    public static ParseResult<CurrentConfiguration> Parse(string? output) => ParseResult.Guard(output, ParseCore);

    private static ParseResult<CurrentConfiguration> ParseCore(string output)
    {
        var lines = RejoinWrapped(VrpOutputCleaner.Clean(output).Lines);
        string? sysname = null, source = null, sshAcl = null;
        bool? stelnet = null, stelnet6 = null, compat = null, telnet = null;
        int? port = null, maxVty = null;
        bool? sourceAll = null;
        var sourceInterfaces = new List<string>();
        var uis = new List<UserInterfaceConfig>();
        var users = new Dictionary<string, LocalUserConfig>(StringComparer.Ordinal);
        var acls = new List<AclConfig>();
        var routes = new List<StaticRouteConfig>();
        var ifaces = new List<InterfaceConfig>();
        var recognised = 0;
        string block = string.Empty;

        foreach (var raw in lines)
        {
            if (raw.Length == 0 || raw.TrimStart().StartsWith('#'))
            {
                if (raw.StartsWith('#'))
                {
                    block = string.Empty;
                }

                continue;
            }

            var indented = raw.StartsWith(' ');
            var t = VrpText.Tokens(raw);
            var line = string.Join(' ', t);
            var undo = t[0] == "undo";
            var s = undo ? line[5..] : line;
            var recognisedBefore = recognised;
            recognised++;

            if (indented && block == "ui" && uis.Count > 0)
            {
                var ui = uis[^1];
                if (s.StartsWith("protocol inbound ", StringComparison.Ordinal))
                {
                    uis[^1] = ui with { ProtocolInbound = undo ? null : s["protocol inbound ".Length..] };
                }
                else if (t.Length >= 3 && t[0] == "acl" && t[^1] == "inbound")
                {
                    uis[^1] = ui with { AclInbound = string.Join(' ', t[1..^1]) };
                }
                else if (s.StartsWith("authentication-mode ", StringComparison.Ordinal))
                {
                    uis[^1] = ui with { AuthenticationMode = s["authentication-mode ".Length..] };
                }
                else if (s.StartsWith("user privilege level ", StringComparison.Ordinal))
                {
                    uis[^1] = ui with { PrivilegeLevel = VrpText.ToInt(t[^1]) };
                }
                else if (s.Contains("password", StringComparison.Ordinal))
                {
                    uis[^1] = ui with { HasPassword = !undo };
                }

                continue;
            }

            if (indented && block == "acl" && acls.Count > 0 && t[0] == "rule")
            {
                acls[^1] = acls[^1] with { Rules = [.. acls[^1].Rules, ParseRule(t, line)] };
                continue;
            }

            if (indented && block == "if" && ifaces.Count > 0)
            {
                var ifc = ifaces[^1];
                if (t.Length >= 4 && t[0] == "ip" && t[1] == "address" && VrpText.IsIpAddress(t[2]))
                {
                    ifaces[^1] = ifc with { Addresses = [.. ifc.Addresses, new InterfaceAddress(t[2], t[3], VrpText.MaskToPrefixLength(t[3]), t.Length > 4 && t[4] == "sub")] };
                }
                else if (t[0] == "description")
                {
                    ifaces[^1] = ifc with { Description = line["description ".Length..] };
                }
                else if (line == "shutdown")
                {
                    ifaces[^1] = ifc with { Shutdown = true };
                }
                else if (t.Length >= 4 && t[0] == "traffic-filter" && t[1] == "inbound" && t[2] == "acl")
                {
                    ifaces[^1] = ifc with { TrafficFilterInbound = string.Join(' ', t[3..]) };
                }
                else if (t.Length == 4 && t[0] == "ip" && t[1] == "binding" && t[2] == "vpn-instance")
                {
                    ifaces[^1] = ifc with { VpnInstance = t[3] };
                }

                continue;
            }

            // local-user lines live under "aaa" but "| include local-user" fragments lose the indentation.
            if (t[0] == "local-user" && t.Length >= 3)
            {
                var name = t[1];
                var u = users.TryGetValue(name, out var existing) ? existing : new LocalUserConfig(name, [], null, false);
                if (t[2] == "service-type")
                {
                    u = u with { ServiceTypes = t[3..] };
                }
                else if (t[2] == "privilege" && t.Length >= 5)
                {
                    u = u with { Level = VrpText.ToInt(t[4]) };
                }
                else if (t[2] == "password")
                {
                    u = u with { HasPassword = true };
                }

                users[name] = u;
                continue;
            }

            if (indented)
            {
                recognised = recognisedBefore;
                continue;
            }

            block = string.Empty;
            if (t[0] == "sysname" && t.Length > 1)
            {
                sysname = line["sysname ".Length..];
            }
            else if (s is "stelnet server enable" or "stelnet ipv4 server enable")
            {
                stelnet = !undo;
            }
            else if (s == "stelnet ipv6 server enable")
            {
                stelnet6 = !undo;
            }
            else if (s.StartsWith("ssh server port ", StringComparison.Ordinal) || s.StartsWith("ssh ipv4 server port ", StringComparison.Ordinal))
            {
                port = undo ? null : VrpText.ToInt(t[^1]);
            }
            else if (s.StartsWith("ssh server compatible-ssh1x", StringComparison.Ordinal) || s.StartsWith("ssh server compatible_ssh1x", StringComparison.Ordinal))
            {
                compat = !undo;
            }
            else if (s.StartsWith("ssh server-source ", StringComparison.Ordinal) || s.StartsWith("ssh server source ", StringComparison.Ordinal))
            {
                var arg = s[(s.IndexOf("source ", StringComparison.Ordinal) + "source ".Length)..];
                source = undo ? null : arg;
                var a = VrpText.Tokens(arg);
                if (a.Length >= 1 && a[0] == "all-interface")
                {
                    sourceAll = !undo;
                }
                else if (a.Length >= 2 && a[0] == "-i")
                {
                    foreach (var name in JoinInterfaceTokens(a[1..]))
                    {
                        sourceInterfaces.RemoveAll(x => InterfaceNames.Same(x, name));
                        if (!undo)
                        {
                            sourceInterfaces.Add(name);
                        }
                    }
                }
            }
            else if (s.StartsWith("ssh server acl ", StringComparison.Ordinal))
            {
                sshAcl = undo ? null : s["ssh server acl ".Length..];
            }
            else if (s is "telnet server enable" or "telnet ipv4 server enable")
            {
                telnet = !undo;
            }
            else if (t[0] == "user-interface" && t.Length >= 2 && t[1] == "maximum-vty")
            {
                // "user-interface maximum-vty 15" (VRP5 and VRP8 alike) sets how many VTY lines (0..N-1) take logins.
                maxVty = undo ? null : t.Length == 3 ? VrpText.ToInt(t[2]) : null;
            }
            else if (t[0] == "user-interface" && t.Length >= 2)
            {
                var kind = t[1].TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
                var range = string.Join(' ', t[2..]);
                if (t.Length == 2 && t[1].Length > kind.Length)
                {
                    range = t[1][kind.Length..];
                }

                uis.Add(new UserInterfaceConfig(kind, range, null, null, null, null, false));
                block = "ui";
            }
            else if (t[0] == "acl" && !undo)
            {
                // "acl number 3000", "acl 3000", "acl name MGMT 3000", "acl name MGMT"
                var number = t.FirstOrDefault(x => VrpText.ToInt(x) is not null) ?? string.Empty;
                var nameIdx = Array.IndexOf(t, "name");
                acls.Add(new AclConfig(number, nameIdx >= 0 && nameIdx + 1 < t.Length ? t[nameIdx + 1] : null, []));
                block = "acl";
            }
            else if (t.Length >= 4 && t[0] == "ip" && t[1] == "route-static" && !undo)
            {
                var r = ParseStaticRoute(t);
                if (r is not null)
                {
                    routes.Add(r);
                }
            }
            else if (t[0] == "interface" && t.Length >= 2)
            {
                ifaces.Add(new InterfaceConfig(string.Join(string.Empty, t[1..]), null, false, null, []));
                block = "if";
            }
            else if (line is "aaa" or "return")
            {
                block = line;
            }
            else
            {
                recognised = recognisedBefore;
            }
        }

        if (recognised == 0)
        {
            return ParseResult.Unparsed<CurrentConfiguration>("no recognised configuration statements", output);
        }

        return ParseResult.Parsed(new CurrentConfiguration(sysname, stelnet, stelnet6, port, compat, source, sshAcl, telnet, uis, users.Values.ToList(), acls, routes, ifaces)
        {
            MaximumVty = maxVty,
            SshSourceInterfaces = sourceInterfaces,
            SshSourceAllInterfaces = sourceAll,
        });
    }

    // Words that only ever continue a statement (an ACL rule's or a static route's tail), never start one.
    private static readonly HashSet<string> ContinuationWords = new(StringComparer.Ordinal)
    {
        "source", "destination", "source-port", "destination-port", "logging", "time-range", "vpn-instance", "preference",
        "tag", "track", "description", "inbound", "outbound", "eq", "range", "fragment", "precedence", "tos", "dscp",
    };

    // Statements that start a line of "display current-configuration" at column 0.
    private static readonly HashSet<string> TopLevelWords = new(StringComparer.Ordinal)
    {
        "interface", "user-interface", "acl", "ip", "ipv6", "ssh", "stelnet", "telnet", "aaa", "return", "sysname", "undo",
        "local-user", "rsa", "vlan", "snmp-agent", "ntp-service", "info-center", "radius-server", "hwtacacs-server", "dhcp",
        "lldp", "stp", "ftp", "sftp", "scp", "http", "clock", "header", "drop-profile", "traffic", "vrrp", "bfd", "ospf",
        "bgp", "isis", "rip", "route-policy", "ip-prefix", "mpls", "port-group", "domain", "authentication-profile",
    };

    /// <summary>
    /// An 80-column terminal cuts a long statement (an ACL rule with source, destination and ports) and goes on at
    /// column 0, where it would read as a new top-level statement and the rule would lose its tail. A line that
    /// follows one reaching the terminal width and begins with an address, a number or a word that only continues
    /// statements is the rest of that statement.
    /// </summary>
    private static List<string> RejoinWrapped(IReadOnlyList<string> lines)
    {
        var result = new List<string>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (result.Count > 0 && lines[i - 1].Length >= VrpOutputCleaner.WrapWidth && line.Trim().Length > 0 && line.TrimStart()[0] != '#')
            {
                var first = VrpText.Tokens(line)[0];
                var above = lines[i - 1];

                // Cut inside a word ("destin" + "ation-port eq 22"): the line above filled all 80 columns of a block
                // statement and this one starts at column 0 with something no statement starts with.
                if (above.Length == VrpOutputCleaner.WrapWidth + 1 && above[0] == ' ' && line[0] != ' ' && !char.IsAsciiDigit(first[0])
                    && !ContinuationWords.Contains(first) && !TopLevelWords.Contains(first))
                {
                    result[^1] += line;
                    continue;
                }

                if (char.IsAsciiDigit(first[0]) || ContinuationWords.Contains(first))
                {
                    // The space the terminal wrapped at is either trimmed off the line above (one short of the width)
                    // or leads this one.
                    var space = lines[i - 1].Length == VrpOutputCleaner.WrapWidth || line[0] == ' ';
                    result[^1] += (space ? " " : string.Empty) + line.TrimStart();
                    continue;
                }
            }

            result.Add(line);
        }

        return result;
    }

    // "-i Vlanif10 Vlanif20" (the lab prints several on one line) or "-i loopback 0" as typed: a number-only token
    // belongs to the type before it.
    private static List<string> JoinInterfaceTokens(string[] t)
    {
        var names = new List<string>();
        foreach (var x in t)
        {
            if (names.Count > 0 && x.Length > 0 && char.IsAsciiDigit(x[0]) && !names[^1].Any(char.IsAsciiDigit))
            {
                names[^1] += x;
            }
            else
            {
                names.Add(x);
            }
        }

        return names;
    }

    private static AclRule ParseRule(string[] t, string text)
    {
        var i = 1;
        int? id = null;
        if (i < t.Length && VrpText.ToInt(t[i]) is int n)
        {
            id = n;
            i++;
        }

        var action = i < t.Length ? t[i++] : string.Empty;
        string? protocol = null;
        if (i < t.Length && t[i] is not ("source" or "destination" or "time-range" or "logging" or "vpn-instance"))
        {
            protocol = t[i++];
        }

        (string? Addr, string? Wild) Addr(string keyword)
        {
            var k = Array.IndexOf(t, keyword, i);
            if (k < 0 || k + 1 >= t.Length)
            {
                return (null, null);
            }

            if (t[k + 1] == "any")
            {
                return ("any", null);
            }

            return (t[k + 1], k + 2 < t.Length && (VrpText.IsIpAddress(t[k + 2]) || t[k + 2] == "0") ? t[k + 2] : null);
        }

        var (src, sw) = Addr("source");
        var (dst, dw) = Addr("destination");
        return new AclRule(id, action, protocol, src, sw, dst, dw, text);
    }

    private static StaticRouteConfig? ParseStaticRoute(string[] t)
    {
        var i = 2;
        string? vpn = null;
        if (t[i] == "vpn-instance" && i + 1 < t.Length)
        {
            vpn = t[i + 1];
            i += 2;
        }

        if (i + 1 >= t.Length || !VrpText.IsIpAddress(t[i]))
        {
            return null;
        }

        var prefix = t[i];
        var len = VrpText.MaskToPrefixLength(t[i + 1]);
        i += 2;
        string? nh = null, iface = null;
        int? pref = null;
        for (; i < t.Length; i++)
        {
            if (t[i] == "preference" && i + 1 < t.Length)
            {
                pref = VrpText.ToInt(t[++i]);
            }
            else if (t[i] is "description" or "tag" or "track" or "bfd")
            {
                break;
            }
            else if (nh is null && VrpText.IsIpAddress(t[i]))
            {
                nh = t[i];
            }
            else if (iface is null && nh is null)
            {
                iface = t[i];
            }
        }

        return new StaticRouteConfig(vpn, prefix, len, nh, iface, pref);
    }
}

/// <summary>Compares VRP interface names the way the CLI accepts them: case-insensitive, spaces ignored, long or short type.</summary>
public static class InterfaceNames
{
    private static readonly (string Long, string Short)[] Types =
    [
        ("xgigabitethernet", "xge"), ("gigabitethernet", "ge"), ("ethernet", "eth"), ("loopback", "loop"),
        ("vlanif", "vlanif"), ("meth", "meth"), ("eth-trunk", "eth-trunk"), ("tunnel", "tun"),
    ];

    public static bool Same(string? a, string? b) =>
        a is not null && b is not null && string.Equals(Canonical(a), Canonical(b), StringComparison.Ordinal);

    public static string Canonical(string name)
    {
        var n = string.Concat(name.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();
        foreach (var (longName, shortName) in Types)
        {
            if (n.StartsWith(longName, StringComparison.Ordinal) && n.Length > longName.Length && char.IsAsciiDigit(n[longName.Length]))
            {
                return shortName + n[longName.Length..];
            }
        }

        return n;
    }
}
