using System.Net;
using System.Text.RegularExpressions;

namespace NetOpsBot.Vrp;

/// <summary>One route. Verbose-only fields are null for the table layout.</summary>
public sealed record Route(
    string Prefix,
    int PrefixLength,
    string Protocol,
    int? Preference,
    long? Cost,
    string Flags,
    string NextHop,
    string Interface)
{
    public string Destination => Prefix + "/" + PrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public bool IsDefault => PrefixLength == 0;
    public bool IsBlackHole => Flags.Contains('B', StringComparison.Ordinal) || Interface.Equals("NULL0", StringComparison.OrdinalIgnoreCase);
    public string? ProcessId { get; init; }
    public string? Neighbour { get; init; }
    public string? State { get; init; }
    public string? Age { get; init; }
    public string? Tag { get; init; }
    public string? Priority { get; init; }
    public string? Label { get; init; }
    public string? QosInfo { get; init; }
    public string? IndirectId { get; init; }
    public string? RelayNextHop { get; init; }
    public string? TunnelId { get; init; }
}

public sealed record RoutingTable(string? TableName, int? Destinations, int? RoutesCount, IReadOnlyList<Route> Routes)
{
    public bool HasDefaultRoute => Routes.Any(r => r.IsDefault);

    /// <summary>A default route that actually forwards (not a black-hole/NULL0 discard route).</summary>
    public bool HasUsableDefaultRoute => Routes.Any(r => r.IsDefault && !r.IsBlackHole);

    /// <summary>Longest-prefix match; the first of equal-cost routes is returned.</summary>
    public Route? FindRoute(string ip)
    {
        if (!IPAddress.TryParse(ip, out var target))
        {
            return null;
        }

        Route? best = null;
        foreach (var r in Routes)
        {
            if ((best is null || r.PrefixLength > best.PrefixLength) && IPAddress.TryParse(r.Prefix, out var net) && Contains(net, r.PrefixLength, target))
            {
                best = r;
            }
        }

        return best;
    }

    private static bool Contains(IPAddress network, int length, IPAddress ip)
    {
        var a = network.GetAddressBytes();
        var b = ip.GetAddressBytes();
        if (a.Length != b.Length || length > a.Length * 8)
        {
            return false;
        }

        for (var bit = 0; bit < length; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// "display ip routing-table" (table and verbose layouts, VRP5 and VRP8). ECMP continuation rows have no
/// destination and belong to the previous one; an interface hard-wrapped at 80 columns (CE12800 sample)
/// is re-joined from the single-token next line.
/// </summary>
public static partial class RoutingTableParser
{
    [GeneratedRegex(@"Destinations\s*:\s*(\d+)\s+Routes\s*:\s*(\d+)")]
    private static partial Regex Counts();

    [GeneratedRegex(@"Summary Count\s*:\s*(\d+)")]
    private static partial Regex SummaryCount();

    [GeneratedRegex(@"^Routing Tables?\s*:\s*(\S+)")]
    private static partial Regex TableName();

    [GeneratedRegex(@"(?:^|\s)(?<k>[A-Z][A-Za-z]*(?: ID)?):")]
    private static partial Regex VerboseKey();

    public static ParseResult<RoutingTable> Parse(string? output) => ParseResult.Guard(output, ParseCore);

    private static ParseResult<RoutingTable> ParseCore(string output)
    {
        var lines = VrpOutputCleaner.Clean(output).Lines;
        string? name = null;
        int? dest = null, count = null;
        var headerSeen = false;
        foreach (var l in lines)
        {
            var t = l.Trim();
            var m = Counts().Match(t);
            if (m.Success)
            {
                dest = VrpText.ToInt(m.Groups[1].Value);
                count = VrpText.ToInt(m.Groups[2].Value);
            }

            m = SummaryCount().Match(t);
            if (m.Success)
            {
                count = VrpText.ToInt(m.Groups[1].Value);
            }

            m = TableName().Match(t);
            if (m.Success)
            {
                name = m.Groups[1].Value;
            }

            headerSeen |= t.StartsWith("Destination/Mask", StringComparison.Ordinal) || t.StartsWith("Route Flags", StringComparison.Ordinal);
        }

        var warnings = new List<string>();
        var verbose = lines.Any(l => l.StartsWith("Destination:", StringComparison.Ordinal));
        var routes = verbose ? ParseVerbose(lines) : ParseTable(lines, warnings);
        if (routes.Count == 0 && !headerSeen)
        {
            return ParseResult.Unparsed<RoutingTable>("no routing table header or routes found", output);
        }

        if (count is int c && c != routes.Count && !lines.Any(l => l.StartsWith("Summary", StringComparison.Ordinal)))
        {
            warnings.Add($"header says {c} routes, parsed {routes.Count}");
        }

        return ParseResult.Parsed(new RoutingTable(name, dest, count, routes), warnings);
    }

    private static List<Route> ParseTable(IReadOnlyList<string> lines, List<string> warnings)
    {
        var routes = new List<Route>();
        string? currentPrefix = null;
        var currentLen = 0;
        var lastWasRoute = false;
        foreach (var line in lines)
        {
            var tok = VrpText.Tokens(line);
            if (tok.Length == 0)
            {
                lastWasRoute = false;
                continue;
            }

            // Interface name wrapped to the next line at 80 columns ("40GE2/0/35.20" + "5").
            if (tok.Length == 1 && lastWasRoute && !line.StartsWith(' ') && tok[0].Length <= 4 && routes.Count > 0)
            {
                routes[^1] = routes[^1] with { Interface = routes[^1].Interface + tok[0] };
                lastWasRoute = false;
                continue;
            }

            var i = 0;
            var slash = tok[0].IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && VrpText.IsIpAddress(tok[0][..slash]) && VrpText.ToInt(tok[0][(slash + 1)..]) is int len)
            {
                currentPrefix = tok[0][..slash];
                currentLen = len;
                i = 1;
            }
            else if (currentPrefix is null || !line.StartsWith(' '))
            {
                lastWasRoute = false;
                continue;
            }

            // proto pre cost [flags] nexthop interface
            var rest = tok.Length - i;
            if (rest is < 5 or > 6 || VrpText.ToInt(tok[i + 1]) is not int pre || VrpText.ToLong(tok[i + 2]) is not long cost)
            {
                lastWasRoute = false;
                continue;
            }

            var hasFlags = rest == 6;
            var flags = hasFlags ? tok[i + 3] : string.Empty;
            var nh = tok[i + (hasFlags ? 4 : 3)];
            if (!VrpText.IsIpAddress(nh))
            {
                warnings.Add("unrecognised route row: " + line.Trim());
                lastWasRoute = false;
                continue;
            }

            routes.Add(new Route(currentPrefix, currentLen, tok[i], pre, cost, flags, nh, tok[^1]));
            lastWasRoute = true;
        }

        return routes;
    }

    private static List<Route> ParseVerbose(IReadOnlyList<string> lines)
    {
        var routes = new List<Route>();
        Dictionary<string, string>? current = null;
        string? destination = null;
        void Flush()
        {
            if (current is null || destination is null)
            {
                return;
            }

            var slash = destination.IndexOf('/', StringComparison.Ordinal);
            var prefix = slash > 0 ? destination[..slash] : destination;
            var len = slash > 0 ? VrpText.ToInt(destination[(slash + 1)..]) ?? 0 : 0;
            string? G(string k) => current.TryGetValue(k, out var v) ? v : null;
            routes.Add(new Route(prefix, len, G("Protocol") ?? string.Empty, VrpText.ToInt(G("Preference")), VrpText.ToLong(G("Cost")), G("Flags") ?? string.Empty, G("NextHop") ?? string.Empty, G("Interface") ?? string.Empty)
            {
                ProcessId = G("Process ID"),
                Neighbour = G("Neighbour"),
                State = G("State"),
                Age = G("Age"),
                Tag = G("Tag"),
                Priority = G("Priority"),
                Label = G("Label"),
                QosInfo = G("QoSInfo"),
                IndirectId = G("IndirectID"),
                RelayNextHop = G("RelayNextHop"),
                TunnelId = G("TunnelID"),
            });
        }

        foreach (var line in lines)
        {
            if (line.StartsWith("Destination:", StringComparison.Ordinal))
            {
                Flush();
                destination = line["Destination:".Length..].Trim();
                current = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }

            if (current is null)
            {
                continue;
            }

            var matches = VerboseKey().Matches(line);
            for (var m = 0; m < matches.Count; m++)
            {
                var start = matches[m].Index + matches[m].Length;
                var end = m + 1 < matches.Count ? matches[m + 1].Index : line.Length;
                current.TryAdd(matches[m].Groups["k"].Value, line[start..end].Trim());
            }
        }

        Flush();
        return routes;
    }
}
