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

    /// <summary>False for a route in the Inactive section of a protocol table (or verbose "State: Inactive"): it does not forward.</summary>
    public bool Active { get; init; } = true;
}

/// <summary>A "Destinations : n  Routes : m" (or "Summary Count : m") line as the device printed it.</summary>
public sealed record RouteCounts(int? Destinations, int? Routes);

public sealed record RoutingTable(string? TableName, int? Destinations, int? RoutesCount, IReadOnlyList<Route> Routes)
{
    /// <summary>The protocol filter of "display ip routing-table protocol X" ("Static", "OSPF"); null for the full table.</summary>
    public string? Protocol { get; init; }

    /// <summary>Counts of the Active section of a protocol table, as printed.</summary>
    public RouteCounts? ActiveCounts { get; init; }

    /// <summary>Counts of the Inactive section of a protocol table, as printed.</summary>
    public RouteCounts? InactiveCounts { get; init; }

    public bool HasDefaultRoute => Routes.Any(r => r.IsDefault);

    /// <summary>An active default route that actually forwards (not a black-hole/NULL0 discard route).</summary>
    public bool HasUsableDefaultRoute => Routes.Any(r => r.IsDefault && r.Active && !r.IsBlackHole);

    /// <summary>Longest-prefix match over active routes; the first of equal-cost routes is returned.</summary>
    public Route? FindRoute(string ip)
    {
        if (!IPAddress.TryParse(ip, out var target))
        {
            return null;
        }

        Route? best = null;
        foreach (var r in Routes)
        {
            if (r.Active && (best is null || r.PrefixLength > best.PrefixLength) && IPAddress.TryParse(r.Prefix, out var net) && Contains(net, r.PrefixLength, target))
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
/// "display ip routing-table" (table and verbose layouts, VRP5 and VRP8), also filtered by protocol
/// ("display ip routing-table protocol static": a table-wide count, then an Active and an Inactive section,
/// each with its own count). ECMP continuation rows have no destination and belong to the previous one; a
/// row hard-wrapped at 80 columns (CE12800 "40GE2/0/35.20" + "5", eNSP "GigabitEthernet" + "0/0/0") is
/// re-joined. Every count the device prints is checked against the rows read, and every line after the
/// column header that is not understood becomes a warning: a route is never dropped silently.
/// </summary>
public static partial class RoutingTableParser
{
    private const int MaxWarnings = 10;

    private enum Section
    {
        All,
        Active,
        Inactive,
    }

    [GeneratedRegex(@"Destinations\s*:\s*(\d+)\s+Routes\s*:\s*(\d+)")]
    private static partial Regex Counts();

    [GeneratedRegex(@"(?i)Summary Count\s*:\s*(\d+)")]
    private static partial Regex SummaryCount();

    [GeneratedRegex(@"^Routing Tables?\s*:\s*(\S+)")]
    private static partial Regex TableName();

    // "Public routing table : OSPF" (VRP5), "_public_ Routing Table : Direct" (VRP8): the table, then the protocol filter.
    [GeneratedRegex(@"(?i)^(?<t>\S+) routing table\s*:\s*(?<p>\S+)$")]
    private static partial Regex ProtocolTableName();

    [GeneratedRegex(@"(?i)routing table status\s*:\s*<\s*(?<s>Active|Inactive)\s*>")]
    private static partial Regex SectionStatus();

    [GeneratedRegex(@"(?:^|\s)(?<k>[A-Z][A-Za-z]*(?: ID)?):")]
    private static partial Regex VerboseKey();

    public static ParseResult<RoutingTable> Parse(string? output) => ParseResult.Guard(output, ParseCore);

    private static ParseResult<RoutingTable> ParseCore(string output)
    {
        var lines = VrpOutputCleaner.Clean(output).Lines;
        string? name = null, protocol = null;
        RouteCounts? total = null, active = null, inactive = null;
        var section = Section.All;
        var headerSeen = false;
        foreach (var l in lines)
        {
            var t = l.Trim();
            var status = SectionStatus().Match(t);
            if (status.Success)
            {
                section = status.Groups["s"].Value.Equals("Active", StringComparison.OrdinalIgnoreCase) ? Section.Active : Section.Inactive;
                continue;
            }

            RouteCounts? counts = null;
            var m = Counts().Match(t);
            if (m.Success)
            {
                counts = new RouteCounts(VrpText.ToInt(m.Groups[1].Value), VrpText.ToInt(m.Groups[2].Value));
            }
            else if ((m = SummaryCount().Match(t)).Success)
            {
                counts = new RouteCounts(null, VrpText.ToInt(m.Groups[1].Value));
            }

            if (counts is not null)
            {
                // The first count of a section is its own; later ones belong to nothing we know.
                _ = section switch
                {
                    Section.Active => active ??= counts,
                    Section.Inactive => inactive ??= counts,
                    _ => total ??= counts,
                };
            }

            if ((m = ProtocolTableName().Match(t)).Success && !t.StartsWith("Destination", StringComparison.Ordinal))
            {
                name ??= m.Groups["t"].Value;
                protocol ??= m.Groups["p"].Value;
            }
            else if ((m = TableName().Match(t)).Success)
            {
                name ??= m.Groups[1].Value;
            }

            headerSeen |= t.StartsWith("Destination/Mask", StringComparison.Ordinal) || t.StartsWith("Route Flags", StringComparison.Ordinal);
        }

        var warnings = new List<string>();
        var verbose = lines.Any(l => l.StartsWith("Destination:", StringComparison.Ordinal));
        var routes = verbose ? ParseVerbose(lines) : ParseTable(lines, warnings);
        if (routes.Count == 0 && !headerSeen && total is null)
        {
            return ParseResult.Unparsed<RoutingTable>("no routing table header or routes found", output);
        }

        // The table-wide count covers both sections of a protocol table; each section has its own as well.
        CheckCounts("table", total, routes, warnings);
        CheckCounts("Active section", active, routes.Where(r => r.Active).ToList(), warnings);
        CheckCounts("Inactive section", inactive, routes.Where(r => !r.Active).ToList(), warnings);

        if (warnings.Count > MaxWarnings)
        {
            var more = warnings.Count - MaxWarnings;
            warnings.RemoveRange(MaxWarnings, more);
            warnings.Add($"... and {more.ToString(System.Globalization.CultureInfo.InvariantCulture)} more warnings");
        }

        return ParseResult.Parsed(
            new RoutingTable(name, total?.Destinations, total?.Routes, routes) { Protocol = protocol, ActiveCounts = active, InactiveCounts = inactive },
            warnings);
    }

    private static void CheckCounts(string what, RouteCounts? counts, List<Route> routes, List<string> warnings)
    {
        if (counts is null)
        {
            return;
        }

        var ci = System.Globalization.CultureInfo.InvariantCulture;
        if (counts.Routes is int r && r != routes.Count)
        {
            warnings.Add($"{what}: the device counts {r.ToString(ci)} routes, {routes.Count.ToString(ci)} were read");
        }

        var destinations = routes.Select(x => x.Destination).Distinct(StringComparer.Ordinal).Count();
        if (counts.Destinations is int d && d != destinations)
        {
            warnings.Add($"{what}: the device counts {d.ToString(ci)} destinations, {destinations.ToString(ci)} were read");
        }
    }

    private static bool IsFrameLine(string t) =>
        t.Length == 0 || VrpText.IsDashRule(t) || SectionStatus().IsMatch(t) || Counts().IsMatch(t) || SummaryCount().IsMatch(t)
        || TableName().IsMatch(t) || ProtocolTableName().IsMatch(t) || t.StartsWith("Destination/Mask", StringComparison.Ordinal)
        || t.StartsWith("Route Flags", StringComparison.Ordinal) || t.StartsWith("Proto:", StringComparison.Ordinal);

    private static List<Route> ParseTable(IReadOnlyList<string> lines, List<string> warnings)
    {
        var routes = new List<Route>();
        string? currentPrefix = null;
        var currentLen = 0;
        var lastWasRoute = false;
        var previousWrapped = false;
        var inTable = false;
        var active = true;
        foreach (var line in lines)
        {
            var wrappedAbove = previousWrapped;
            previousWrapped = line.Length >= VrpOutputCleaner.WrapWidth;
            var t = line.Trim();
            var status = SectionStatus().Match(t);
            if (status.Success)
            {
                active = status.Groups["s"].Value.Equals("Active", StringComparison.OrdinalIgnoreCase);
                currentPrefix = null;
                lastWasRoute = false;
                continue;
            }

            inTable |= t.StartsWith("Destination/Mask", StringComparison.Ordinal);
            var tok = VrpText.Tokens(line);
            if (tok.Length == 0)
            {
                lastWasRoute = false;
                continue;
            }

            // The row above reached the terminal width and this line is its tail ("GigabitEthernet" + "0/0/0").
            // Short tails of unpadded captures ("40GE2/0/35.20" + "5") are kept from the older heuristic.
            if (tok.Length == 1 && lastWasRoute && !line.StartsWith(' ') && routes.Count > 0 && (wrappedAbove || tok[0].Length <= 4))
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
            else if (currentPrefix is null || !line.StartsWith(' ') && !line.StartsWith('\t'))
            {
                if (inTable && !IsFrameLine(t))
                {
                    warnings.Add("line not understood: " + t);
                }

                lastWasRoute = false;
                continue;
            }

            // proto pre cost [flags] nexthop interface
            var rest = tok.Length - i;
            if (rest is < 4 or > 6 || VrpText.ToInt(tok[i + 1]) is not int pre || VrpText.ToLong(tok[i + 2]) is not long cost)
            {
                if (inTable && !IsFrameLine(t))
                {
                    warnings.Add("line not understood: " + t);
                }

                lastWasRoute = false;
                continue;
            }

            // Four columns: a row without interface column (some VRP8 builds) or one whose interface wrapped whole.
            var hasFlags = rest == 6 || (rest == 5 && !VrpText.IsIpAddress(tok[i + 3]));
            var nhIndex = i + (hasFlags ? 4 : 3);
            var flags = hasFlags ? tok[i + 3] : string.Empty;
            if (nhIndex >= tok.Length || !VrpText.IsIpAddress(tok[nhIndex]))
            {
                warnings.Add("unrecognised route row: " + t);
                lastWasRoute = false;
                continue;
            }

            var iface = nhIndex + 1 < tok.Length ? tok[^1] : string.Empty;
            routes.Add(new Route(currentPrefix, currentLen, tok[i], pre, cost, flags, tok[nhIndex], iface) { Active = active });
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
                Active = G("State")?.Contains("Inactive", StringComparison.OrdinalIgnoreCase) != true,
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
