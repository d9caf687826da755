using System.Net;
using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe;

public enum IosAclAction
{
    Permit,
    Deny,
}

/// <summary>
/// One ACL entry. <see cref="SourceNetwork"/>/<see cref="SourceWildcard"/> describe the source ("any" is
/// 0.0.0.0/255.255.255.255, "host a" is a/0.0.0.0); <see cref="Protocol"/> is null for a standard ACL.
/// </summary>
public sealed record IosAclEntry(int? Sequence, IosAclAction Action, string? Protocol, string SourceNetwork, string SourceWildcard, string Text);

/// <summary>An ACL: numbered ("access-list 99 …") or named ("ip access-list standard MGMT").</summary>
public sealed record IosAccessList(string Name, bool Extended, IReadOnlyList<IosAclEntry> Entries, IReadOnlyList<string> Remarks)
{
    public int? Number => IosXeText.ToInt(Name);
}

/// <summary>A "line vty 0 4" (or con/aux) block. <see cref="TransportInput"/> is null when not configured (the platform default).</summary>
public sealed record IosLineBlock(string Kind, int First, int Last, IReadOnlyList<string>? TransportInput, string? AccessClassIn, string? AccessClassOut, IReadOnlyList<string> Lines)
{
    public bool AllowsSsh => TransportInput is null || TransportInput.Contains("ssh") || TransportInput.Contains("all");

    public bool AllowsTelnet => TransportInput is not null && (TransportInput.Contains("telnet") || TransportInput.Contains("all"));
}

public sealed record IosStaticRoute(string Network, string Mask, string? NextHop, string? Interface, int? Distance, string Text)
{
    public bool IsDefault => Network == "0.0.0.0" && Mask == "0.0.0.0";
}

public sealed record IosInterfaceAddress(string Interface, string Address, string Mask);

/// <summary>
/// The parts of "show running-config" (or of "show running-config | section …") the ssh-unreachable runbook
/// reads. <see cref="IpSsh"/> holds every "ip ssh …" line; <see cref="SshVersion"/> is "ip ssh version N".
/// </summary>
public sealed record IosRunningConfig(
    string? Hostname,
    IReadOnlyList<string> IpSsh,
    int? SshVersion,
    int? SshTimeoutSeconds,
    int? SshAuthenticationRetries,
    string? SshSourceInterface,
    string? DomainName,
    IReadOnlyList<IosLineBlock> LineBlocks,
    IReadOnlyList<IosAccessList> AccessLists,
    IReadOnlyList<IosStaticRoute> StaticRoutes,
    IReadOnlyList<IosInterfaceAddress> InterfaceAddresses,
    IReadOnlyList<string> CryptoKeyLines)
{
    /// <summary>Interfaces whose block holds "shutdown" (administratively down); IOS prints nothing for an interface that is up.</summary>
    public IReadOnlyList<string> ShutdownInterfaces { get; init; } = [];

    public IReadOnlyList<IosLineBlock> Vty => LineBlocks.Where(l => l.Kind == "vty").ToList();

    /// <summary>The interface whose "ip address" (primary or secondary) is <paramref name="address"/>, or null.</summary>
    public string? InterfaceHolding(string address) => InterfaceAddresses.FirstOrDefault(a => a.Address == address)?.Interface;

    public IosAccessList? AccessList(string name) => AccessLists.FirstOrDefault(a => a.Name == name);
}

/// <summary>
/// Reads a running configuration line by line. Top-level commands the runbook does not need are skipped
/// silently (a configuration holds hundreds); a malformed line inside a block the runbook reads (an ACL entry it
/// cannot read, a "line" header without numbers) is a warning, never a guess.
/// </summary>
public static partial class RunningConfigParser
{
    [GeneratedRegex(@"^line (?<kind>vty|con|console|aux|tty)?\s*(?<first>\d+)(?:\s+(?<last>\d+))?\s*$")]
    private static partial Regex LineHeader();

    [GeneratedRegex(@"^access-list (?<n>\d+) (?<rest>.+)$")]
    private static partial Regex NumberedAcl();

    [GeneratedRegex(@"^ip access-list (?<kind>standard|extended) (?<name>\S+)\s*$")]
    private static partial Regex NamedAcl();

    [GeneratedRegex(@"^ip route (?:vrf \S+ )?(?<net>\d+\.\d+\.\d+\.\d+) (?<mask>\d+\.\d+\.\d+\.\d+)(?<rest>(?: \S+)+)\s*$")]
    private static partial Regex StaticRoute();

    [GeneratedRegex(@"^ip address (?<ip>\d+\.\d+\.\d+\.\d+) (?<mask>\d+\.\d+\.\d+\.\d+)(?: secondary)?\s*$")]
    private static partial Regex InterfaceAddress();

    public static ParseResult<IosRunningConfig> Parse(string? output) => ParseResult.Guard(output, Body);

    private static ParseResult<IosRunningConfig> Body(string output)
    {
        var lines = IosXeOutputCleaner.Clean(output).Lines;
        var warnings = new List<string>();
        string? hostname = null, domain = null, sshSource = null;
        int? sshVersion = null, sshTimeout = null, sshRetries = null;
        var ipSsh = new List<string>();
        var crypto = new List<string>();
        var blocks = new List<IosLineBlock>();
        var acls = new Dictionary<string, (bool Extended, List<IosAclEntry> Entries, List<string> Remarks)>(StringComparer.Ordinal);
        var aclOrder = new List<string>();
        var routes = new List<IosStaticRoute>();
        var addresses = new List<IosInterfaceAddress>();
        var shutdown = new List<string>();
        var sawConfig = false;

        string? block = null;           // "line", "acl", "interface" or null (a block we skip)
        string? currentAcl = null;
        string? currentInterface = null;
        (string Kind, int First, int Last, List<string>? Transport, string? In, string? Out, List<string> Body)? line = null;

        (bool Extended, List<IosAclEntry> Entries, List<string> Remarks) Acl(string name, bool extended)
        {
            if (!acls.TryGetValue(name, out var a))
            {
                a = (extended, [], []);
                acls[name] = a;
                aclOrder.Add(name);
            }

            return a;
        }

        void CloseLine()
        {
            if (line is { } l)
            {
                blocks.Add(new IosLineBlock(l.Kind, l.First, l.Last, l.Transport, l.In, l.Out, l.Body));
            }

            line = null;
        }

        foreach (var raw in lines)
        {
            if (raw.Length == 0)
            {
                continue;
            }

            var indented = raw[0] == ' ';
            var t = raw.Trim();
            if (!indented)
            {
                CloseLine();
                block = null;
                currentAcl = null;
                currentInterface = null;
            }

            if (t.StartsWith('!') || t.StartsWith("Building configuration", StringComparison.Ordinal) || t.StartsWith("Current configuration", StringComparison.Ordinal) || t == "end")
            {
                sawConfig = true;
                continue;
            }

            if (indented)
            {
                if (block == "line" && line is { } l)
                {
                    l.Body.Add(t);
                    var tok = IosXeText.Tokens(t);
                    if (tok.Length >= 2 && tok[0] == "transport" && tok[1] == "input")
                    {
                        line = l with { Transport = tok.Skip(2).ToList() };
                    }
                    else if (tok.Length >= 3 && tok[0] == "access-class")
                    {
                        line = tok[2] == "in" ? l with { In = tok[1] } : tok[2] == "out" ? l with { Out = tok[1] } : l;
                    }
                }
                else if (block == "acl" && currentAcl is not null)
                {
                    var a = acls[currentAcl];
                    if (t.StartsWith("remark", StringComparison.Ordinal) || (IosXeText.Tokens(t) is [_, "remark", ..] && IosXeText.ToInt(IosXeText.Tokens(t)[0]) is not null))
                    {
                        a.Remarks.Add(t);
                    }
                    else if (ParseEntry(t, a.Extended, allowSequence: true) is { } e)
                    {
                        a.Entries.Add(e);
                    }
                    else
                    {
                        warnings.Add($"ACL {currentAcl}: unrecognised entry: {t}");
                    }
                }
                else if (block == "interface" && currentInterface is not null)
                {
                    var m = InterfaceAddress().Match(t);
                    if (m.Success)
                    {
                        addresses.Add(new IosInterfaceAddress(currentInterface, m.Groups["ip"].Value, m.Groups["mask"].Value));
                    }
                    else if (t == "shutdown")
                    {
                        shutdown.Add(currentInterface);
                    }
                }

                continue;
            }

            sawConfig = true;
            Match mm;
            if (t.StartsWith("hostname ", StringComparison.Ordinal))
            {
                hostname = t[9..].Trim();
            }
            else if (t.StartsWith("ip domain name ", StringComparison.Ordinal) || t.StartsWith("ip domain-name ", StringComparison.Ordinal))
            {
                domain = t[15..].Trim();
            }
            else if (t.StartsWith("ip ssh ", StringComparison.Ordinal) || t.StartsWith("no ip ssh ", StringComparison.Ordinal))
            {
                ipSsh.Add(t);
                var tok = IosXeText.Tokens(t);
                if (tok is ["ip", "ssh", "version", var v])
                {
                    sshVersion = IosXeText.ToInt(v);
                }
                else if (tok is ["ip", "ssh", "time-out", var s])
                {
                    sshTimeout = IosXeText.ToInt(s);
                }
                else if (tok is ["ip", "ssh", "authentication-retries", var r])
                {
                    sshRetries = IosXeText.ToInt(r);
                }
                else if (tok is ["ip", "ssh", "source-interface", var i])
                {
                    sshSource = i;
                }
            }
            else if (t.StartsWith("crypto key ", StringComparison.Ordinal))
            {
                crypto.Add(t);
            }
            else if ((mm = LineHeader().Match(t)).Success)
            {
                var kind = mm.Groups["kind"].Success ? (mm.Groups["kind"].Value == "console" ? "con" : mm.Groups["kind"].Value) : "tty";
                var first = IosXeText.ToInt(mm.Groups["first"].Value) ?? 0;
                var last = mm.Groups["last"].Success ? IosXeText.ToInt(mm.Groups["last"].Value) ?? first : first;
                line = (kind, first, last, null, null, null, []);
                block = "line";
            }
            else if (t.StartsWith("line ", StringComparison.Ordinal))
            {
                warnings.Add("unrecognised line header: " + t);
            }
            else if ((mm = NamedAcl().Match(t)).Success)
            {
                currentAcl = mm.Groups["name"].Value;
                Acl(currentAcl, mm.Groups["kind"].Value == "extended");
                block = "acl";
            }
            else if ((mm = NumberedAcl().Match(t)).Success)
            {
                var name = mm.Groups["n"].Value;
                var n = IosXeText.ToInt(name) ?? 0;
                var extended = n is >= 100 and <= 199 or >= 2000 and <= 2699;
                var a = Acl(name, extended);
                var rest = mm.Groups["rest"].Value.Trim();
                if (rest.StartsWith("remark", StringComparison.Ordinal))
                {
                    a.Remarks.Add(rest);
                }
                else if (ParseEntry(rest, extended, allowSequence: false) is { } e)
                {
                    a.Entries.Add(e);
                }
                else
                {
                    warnings.Add($"ACL {name}: unrecognised entry: {rest}");
                }
            }
            else if ((mm = StaticRoute().Match(t)).Success)
            {
                routes.Add(StaticRouteOf(mm, t));
            }
            else if (t.StartsWith("interface ", StringComparison.Ordinal))
            {
                currentInterface = t[10..].Trim();
                block = "interface";
            }
        }

        CloseLine();
        if (!sawConfig)
        {
            return ParseResult.Unparsed<IosRunningConfig>("no configuration lines", output);
        }

        var list = aclOrder.Select(n => new IosAccessList(n, acls[n].Extended, acls[n].Entries, acls[n].Remarks)).ToList();
        return ParseResult.Parsed(
            new IosRunningConfig(hostname, ipSsh, sshVersion, sshTimeout, sshRetries, sshSource, domain, blocks, list, routes, addresses, crypto) { ShutdownInterfaces = shutdown },
            warnings);
    }

    /// <summary>"[seq] permit|deny [protocol] source …"; only the source is read (what an access-class matches on).</summary>
    internal static IosAclEntry? ParseEntry(string text, bool extended, bool allowSequence)
    {
        var tok = IosXeText.Tokens(text);
        var i = 0;
        int? seq = null;
        if (allowSequence && tok.Length > 0 && IosXeText.ToInt(tok[0]) is int s)
        {
            seq = s;
            i++;
        }

        if (i >= tok.Length || tok[i] is not ("permit" or "deny"))
        {
            return null;
        }

        var action = tok[i] == "permit" ? IosAclAction.Permit : IosAclAction.Deny;
        i++;
        string? protocol = null;
        if (extended)
        {
            if (i >= tok.Length)
            {
                return null;
            }

            protocol = tok[i++];
        }

        if (i >= tok.Length)
        {
            return null;
        }

        string net, wild;
        if (tok[i] == "any")
        {
            (net, wild) = ("0.0.0.0", "255.255.255.255");
        }
        else if (tok[i] == "host" && i + 1 < tok.Length && IosXeText.IsIpv4(tok[i + 1]))
        {
            (net, wild) = (tok[i + 1], "0.0.0.0");
        }
        else if (IosXeText.IsIpv4(tok[i]))
        {
            // A standard entry may omit the wildcard ("permit 10.16.5.19" is a host); an extended one may not.
            var hasWildcard = i + 1 < tok.Length && IosXeText.IsIpv4(tok[i + 1]);
            if (!hasWildcard && extended)
            {
                return null;
            }

            (net, wild) = (tok[i], hasWildcard ? tok[i + 1] : "0.0.0.0");
        }
        else
        {
            return null;
        }

        return new IosAclEntry(seq, action, protocol, net, wild, text.Trim());
    }

    private static IosStaticRoute StaticRouteOf(Match m, string text)
    {
        var rest = IosXeText.Tokens(m.Groups["rest"].Value);
        string? hop = null, iface = null;
        int? distance = null;
        foreach (var tok in rest)
        {
            if (IosXeText.IsIpv4(tok) && hop is null)
            {
                hop = tok;
            }
            else if (IosXeText.ToInt(tok) is int d && distance is null && (hop is not null || iface is not null))
            {
                distance = d;
            }
            else if (iface is null && hop is null && char.IsAsciiLetterUpper(tok[0]))
            {
                iface = tok;
            }
        }

        return new IosStaticRoute(m.Groups["net"].Value, m.Groups["mask"].Value, hop, iface, distance, text);
    }
}

/// <summary>How an ACL treats a source address: the first matching entry decides; none matching is IOS's implicit deny.</summary>
public sealed record IosAclVerdict(string AclName, bool Permitted, IosAclEntry? DecidingEntry, bool AclMissing);

public static class IosAclEvaluator
{
    /// <summary>
    /// Evaluates <paramref name="source"/> against ACL <paramref name="name"/> as a VTY access-class does. IOS
    /// permits everything when the referenced ACL does not exist, so a missing ACL permits (and says so).
    /// </summary>
    public static IosAclVerdict Evaluate(IosRunningConfig config, string name, IPAddress source)
    {
        var acl = config.AccessList(name);
        if (acl is null)
        {
            return new IosAclVerdict(name, true, null, true);
        }

        foreach (var e in acl.Entries)
        {
            if (e.Protocol is not null and not ("ip" or "tcp"))
            {
                continue;
            }

            if (IosXeText.MatchesWildcard(source, IPAddress.Parse(e.SourceNetwork), IPAddress.Parse(e.SourceWildcard)))
            {
                return new IosAclVerdict(name, e.Action == IosAclAction.Permit, e, false);
            }
        }

        return new IosAclVerdict(name, false, null, false);
    }
}
