using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe;

/// <summary>"show ip route 0.0.0.0" (or any address): the entry, or <see cref="Found"/> false for "% Network not in table".</summary>
public sealed record IosRouteEntry(bool Found, string? Network, int? PrefixLength, string? KnownVia, int? Distance, long? Metric, bool CandidateDefault, IReadOnlyList<string> NextHops)
{
    public bool IsDefault => Found && Network == "0.0.0.0" && PrefixLength == 0;
}

public static partial class ShowIpRouteEntryParser
{
    [GeneratedRegex(@"^Routing entry for (?<net>\d+\.\d+\.\d+\.\d+)/(?<len>\d+)")]
    private static partial Regex EntryLine();

    [GeneratedRegex(@"^Known via ""(?<via>[^""]+)"", distance (?<ad>\d+), metric (?<metric>\d+)(?<rest>.*)$")]
    private static partial Regex KnownVia();

    // "* 10.0.0.1", "  192.0.2.1, from 192.0.2.1, 00:01:02 ago, via GigabitEthernet0/0", "* directly connected, via Gi0/0"
    [GeneratedRegex(@"^\*?\s*(?<hop>\d+\.\d+\.\d+\.\d+|directly connected)(?:,|\s*$)")]
    private static partial Regex DescriptorLine();

    [GeneratedRegex(@"^(?:Route metric is|Redistributing via|Advertised by|Last update from|Routing Descriptor Blocks:|Tag \d+|MPLS label|Repair Path|Gateway of last resort|Routing entry for|\S+ uptime)")]
    private static partial Regex KnownNoise();

    public static ParseResult<IosRouteEntry> Parse(string? output) => ParseResult.Guard(output, Body);

    private static ParseResult<IosRouteEntry> Body(string output)
    {
        var lines = IosXeOutputCleaner.Clean(output).Lines;
        if (lines.Any(l => l.Trim().StartsWith("% Network not in table", StringComparison.Ordinal) || l.Trim().StartsWith("% Subnet not in table", StringComparison.Ordinal)))
        {
            return ParseResult.Parsed(new IosRouteEntry(false, null, null, null, null, null, false, []));
        }

        var warnings = new List<string>();
        string? net = null, via = null;
        int? len = null, ad = null;
        long? metric = null;
        var candidate = false;
        var hops = new List<string>();
        foreach (var raw in lines)
        {
            var t = raw.Trim();
            if (t.Length == 0)
            {
                continue;
            }

            Match m;
            if ((m = EntryLine().Match(t)).Success)
            {
                net = m.Groups["net"].Value;
                len = IosXeText.ToInt(m.Groups["len"].Value);
            }
            else if ((m = KnownVia().Match(t)).Success)
            {
                via = m.Groups["via"].Value;
                ad = IosXeText.ToInt(m.Groups["ad"].Value);
                metric = IosXeText.ToLong(m.Groups["metric"].Value);
                candidate = m.Groups["rest"].Value.Contains("candidate default", StringComparison.Ordinal);
            }
            else if ((m = DescriptorLine().Match(t)).Success)
            {
                hops.Add(m.Groups["hop"].Value);
            }
            else if (!KnownNoise().IsMatch(t))
            {
                warnings.Add("unrecognised line: " + t);
            }
        }

        return net is null
            ? ParseResult.Unparsed<IosRouteEntry>("no 'Routing entry for' line nor '% Network not in table'", output)
            : ParseResult.Parsed(new IosRouteEntry(true, net, len, via, ad, metric, candidate, hops), warnings);
    }
}
