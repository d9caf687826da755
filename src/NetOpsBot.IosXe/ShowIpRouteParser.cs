using System.Net;
using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe;

public sealed record IosRouteNextHop(string? Address, string? Interface);

/// <summary>One route of "show ip route". <see cref="Code"/> is the protocol letter(s) ("S", "O", "C", "L"), <see cref="SubType"/> "E2", "IA", "L2"….</summary>
public sealed record IosRoute(
    string Code,
    string? SubType,
    bool CandidateDefault,
    string Network,
    int PrefixLength,
    int? Distance,
    long? Metric,
    IReadOnlyList<IosRouteNextHop> NextHops)
{
    public bool IsDefault => PrefixLength == 0 && Network == "0.0.0.0";

    public bool Covers(IPAddress address)
    {
        if (!IPAddress.TryParse(Network, out var net))
        {
            return false;
        }

        var mask = PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);
        return (IosXeText.ToUInt(address) & mask) == (IosXeText.ToUInt(net) & mask);
    }
}

public sealed record IosRoutingTable(string? GatewayOfLastResort, IReadOnlyList<IosRoute> Routes)
{
    public bool HasDefaultRoute => Routes.Any(r => r.IsDefault);

    /// <summary>The longest-prefix route that covers <paramref name="address"/> (the way back to the management subnet).</summary>
    public IosRoute? RouteTo(IPAddress address) =>
        Routes.Where(r => r.Covers(address)).OrderByDescending(r => r.PrefixLength).FirstOrDefault();
}

/// <summary>
/// "show ip route". Classful headers ("10.0.0.0/8 is variably subnetted, 5 subnets, 3 masks") give the prefix
/// length of the lines under them that print none; a route may continue on following lines ("[110/20] via …").
/// The header's subnet count is checked against the routes read; a mismatch is a warning.
/// </summary>
public static partial class ShowIpRouteParser
{
    [GeneratedRegex(@"^\s*(?<net>\d+\.\d+\.\d+\.\d+)/(?<len>\d+) is (?:variably )?subnetted, (?<n>\d+) subnets?(?:, \d+ masks?)?\s*$")]
    private static partial Regex ClassfulHeader();

    // Code column: "S", "S*", "O E2", "O*E2", "D EX", "O IA", "i L2", "L", "C", "B", "S*" …
    [GeneratedRegex(@"^(?<code>[A-Za-z]{1,2}|[A-Za-z]%|[A-Za-z]\+)(?<star>\*)? ?(?<sub>E1|E2|N1|N2|IA|EX|L1|L2|ia|su)?\s+(?<net>\d+\.\d+\.\d+\.\d+)(?:/(?<len>\d+))?\s*(?<rest>.*)$")]
    private static partial Regex RouteLine();

    [GeneratedRegex(@"^\s+(?<rest>\[\d+/\d+\].*)$")]
    private static partial Regex Continuation();

    [GeneratedRegex(@"^\[(?<ad>\d+)/(?<metric>\d+)\](?:,\s*|\s+via\s+(?<via>\d+\.\d+\.\d+\.\d+))?(?<tail>.*)$")]
    private static partial Regex Path();

    [GeneratedRegex(@"^Gateway of last resort is (?<gw>\S+) to network")]
    private static partial Regex LastResort();

    [GeneratedRegex(@"^(?:[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)? \S+|[A-Z][a-z]{2} \d{1,2}/\d{1,2}/\d{4} \d\d:\d\d:\d\d)")]
    private static partial Regex TimestampLine();

    public static ParseResult<IosRoutingTable> Parse(string? output) => ParseResult.Guard(output, Body);

    private static ParseResult<IosRoutingTable> Body(string output)
    {
        var lines = IosXeOutputCleaner.Clean(output).Lines;
        var warnings = new List<string>();
        var routes = new List<IosRoute>();
        string? lastResort = null;
        var sawShape = false;
        var inCodes = false;
        int? headerLength = null;
        (string Net, IosRoute Span, int Expected, int Seen)? header = null;
        IosRoute? current = null;

        void CloseHeader()
        {
            if (header is { } h && h.Seen != h.Expected)
            {
                warnings.Add($"{h.Net}: header says {h.Expected} subnets, {h.Seen} routes read");
            }

            header = null;
            headerLength = null;
        }

        foreach (var line in lines)
        {
            var t = line.Trim();
            if (t.Length == 0)
            {
                inCodes = false;
                continue;
            }

            if (t.StartsWith("Codes:", StringComparison.Ordinal))
            {
                inCodes = sawShape = true;
                continue;
            }

            if (inCodes && line.StartsWith(' ') || (inCodes && t.StartsWith('+')))
            {
                continue;
            }

            inCodes = false;
            if (TimestampLine().IsMatch(t))
            {
                continue;
            }

            var m = LastResort().Match(t);
            if (m.Success || t.StartsWith("Gateway of last resort is not set", StringComparison.Ordinal))
            {
                sawShape = true;
                lastResort = m.Success ? m.Groups["gw"].Value : null;
                continue;
            }

            if ((m = ClassfulHeader().Match(line)).Success)
            {
                CloseHeader();
                var n = IosXeText.ToInt(m.Groups["n"].Value) ?? 0;
                var span = new IosRoute("", null, false, m.Groups["net"].Value, IosXeText.ToInt(m.Groups["len"].Value) ?? 32, null, null, []);
                header = (m.Groups["net"].Value + "/" + m.Groups["len"].Value, span, n, 0);
                headerLength = line.Contains("variably", StringComparison.Ordinal) ? null : IosXeText.ToInt(m.Groups["len"].Value);
                sawShape = true;
                continue;
            }

            if ((m = Continuation().Match(line)).Success && current is not null)
            {
                var hop = ParsePath(m.Groups["rest"].Value, out var ad, out var metric);
                var merged = current with
                {
                    Distance = current.Distance ?? ad,
                    Metric = current.Metric ?? metric,
                    NextHops = hop is null ? current.NextHops : [.. current.NextHops, hop],
                };
                routes[^1] = merged;
                current = merged;
                continue;
            }

            if ((m = RouteLine().Match(line)).Success && !char.IsWhiteSpace(line[0]))
            {
                var net = m.Groups["net"].Value;

                // A route outside the classful network ends that block (IOS lists supernets and other majors after it).
                if (header is { } open && !(open.Span with { PrefixLength = Math.Min(open.Span.PrefixLength, ClassfulLength(open.Span.Network) ?? 32) }).Covers(IPAddress.Parse(net)))
                {
                    CloseHeader();
                }

                var len = m.Groups["len"].Success ? IosXeText.ToInt(m.Groups["len"].Value) : headerLength ?? ClassfulLength(net);
                if (len is null or > 32)
                {
                    warnings.Add("route without a usable prefix length: " + t);
                    continue;
                }

                var rest = m.Groups["rest"].Value.Trim();
                int? distance = null;
                long? metricValue = null;
                var hops = new List<IosRouteNextHop>();
                if (rest.StartsWith('['))
                {
                    var hop = ParsePath(rest, out distance, out metricValue);
                    if (hop is not null)
                    {
                        hops.Add(hop);
                    }
                }
                else if (rest.StartsWith("is directly connected,", StringComparison.Ordinal))
                {
                    hops.Add(new IosRouteNextHop(null, rest["is directly connected,".Length..].Trim().TrimEnd(',')));
                }
                else if (rest.StartsWith("is a summary", StringComparison.Ordinal))
                {
                    var parts = rest.Split(',', StringSplitOptions.TrimEntries);
                    hops.Add(new IosRouteNextHop(null, parts.Length > 2 ? parts[^1] : null));
                }
                else if (rest.Length > 0)
                {
                    warnings.Add("unrecognised route detail: " + t);
                }

                current = new IosRoute(m.Groups["code"].Value, m.Groups["sub"].Success ? m.Groups["sub"].Value : null, m.Groups["star"].Success, net, len.Value, distance, metricValue, hops);
                routes.Add(current);
                sawShape = true;
                if (header is { } h)
                {
                    header = h with { Seen = h.Seen + 1 };
                }

                continue;
            }

            warnings.Add("unrecognised line: " + t);
        }

        CloseHeader();
        return sawShape
            ? ParseResult.Parsed(new IosRoutingTable(lastResort, routes), warnings)
            : ParseResult.Unparsed<IosRoutingTable>("no routing table shape (Codes, Gateway of last resort, routes)", output);
    }

    private static IosRouteNextHop? ParsePath(string text, out int? distance, out long? metric)
    {
        distance = null;
        metric = null;
        var m = Path().Match(text.Trim());
        if (!m.Success)
        {
            return null;
        }

        distance = IosXeText.ToInt(m.Groups["ad"].Value);
        metric = IosXeText.ToLong(m.Groups["metric"].Value);
        var via = m.Groups["via"].Success ? m.Groups["via"].Value : null;

        // The tail is ", uptime, interface" or ", interface"; an interface name starts with a letter and holds no ':'
        // unless it is a channelised serial ("Serial0/0/0:0"), while an uptime is digits and unit letters.
        var tail = m.Groups["tail"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var iface = tail.LastOrDefault(p => p.Length > 0 && char.IsAsciiLetter(p[0]));
        return new IosRouteNextHop(via, iface);
    }

    private static int? ClassfulLength(string net)
    {
        var first = IosXeText.ToInt(net.Split('.')[0]) ?? 0;
        return first switch
        {
            0 => 0,
            < 128 => 8,
            < 192 => 16,
            < 224 => 24,
            _ => null,
        };
    }
}
