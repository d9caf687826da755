using System.Text.RegularExpressions;

namespace NetOpsBot.Vrp;

/// <summary>An ARP entry. Type is the raw VRP code ("I -", "D-0", "DF0", "S--", "D").</summary>
public sealed record ArpEntry(string IpAddress, string MacAddress, int? ExpireMinutes, string Type, string? Interface, string? VpnInstance, string? Vlan, string? Pvc)
{
    public bool IsIncomplete => MacAddress.Equals("Incomplete", StringComparison.OrdinalIgnoreCase);
}

public sealed record ArpTable(IReadOnlyList<ArpEntry> Entries, int? Total, int? Dynamic, int? Static, int? InterfaceCount)
{
    public ArpEntry? Find(string ip) => Entries.FirstOrDefault(e => e.IpAddress.Equals(ip, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// "display arp" in its VRP5 AR/S, S eNSP, VRP8 NE and CE layouts. VLAN/CEVLAN may sit on the row or on a
/// continuation line below it; the VPN column is identified by the header position because an entry can
/// have a VPN but no interface ("S--   MOBILE-OAM").
/// </summary>
public static partial class ArpParser
{
    [GeneratedRegex(@"^(?:[0-9A-Fa-fx]{4}-[0-9A-Fa-fx]{4}-[0-9A-Fa-fx]{4}|Incomplete)$")]
    private static partial Regex Mac();

    [GeneratedRegex(@"^\d+(?:/[\d-]+)*$")]
    private static partial Regex VlanToken();

    [GeneratedRegex(@"(\w+):(\d+)")]
    private static partial Regex Counter();

    public static ParseResult<ArpTable> Parse(string? output) => ParseResult.Guard(output, ParseCore);

    private static ParseResult<ArpTable> ParseCore(string output)
    {
        var lines = VrpOutputCleaner.Clean(output).Lines;
        var entries = new List<ArpEntry>();
        var vpnCol = -1;
        var headerSeen = false;
        int? total = null, dyn = null, stat = null, ifc = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("IP ADDRESS", StringComparison.Ordinal))
            {
                headerSeen = true;
                vpnCol = line.IndexOf("VPN-INSTANCE", StringComparison.Ordinal);
                continue;
            }

            if (line.StartsWith("Total:", StringComparison.Ordinal))
            {
                foreach (Match m in Counter().Matches(line))
                {
                    var v = VrpText.ToInt(m.Groups[2].Value);
                    switch (m.Groups[1].Value)
                    {
                        case "Total": total = v; break;
                        case "Dynamic": dyn = v; break;
                        case "Static": stat = v; break;
                        case "Interface": ifc = v; break;
                        default: break;
                    }
                }

                continue;
            }

            var tokens = Tokenize(line);
            if (tokens.Count == 0)
            {
                continue;
            }

            if (line.StartsWith(' ') && entries.Count > 0 && tokens.Count <= 2 && VlanToken().IsMatch(tokens[0].Text))
            {
                entries[^1] = entries[^1] with { Vlan = tokens[0].Text, Pvc = tokens.Count > 1 ? tokens[1].Text : entries[^1].Pvc };
                continue;
            }

            if (tokens.Count < 3 || !VrpText.IsIpAddress(tokens[0].Text) || !Mac().IsMatch(tokens[1].Text))
            {
                continue;
            }

            var i = 2;
            int? expire = null;
            if (VrpText.ToInt(tokens[i].Text) is int e)
            {
                expire = e;
                i++;
            }

            if (i >= tokens.Count)
            {
                continue;
            }

            var type = tokens[i++].Text;
            if (i < tokens.Count && tokens[i].Text == "-")
            {
                type += " -";
                i++;
            }

            string? iface = null, vpn = null, vlan = null, pvc = null;
            for (; i < tokens.Count; i++)
            {
                var (text, col) = tokens[i];
                if (vpnCol > 0 && col >= vpnCol - 1 && !VlanToken().IsMatch(text))
                {
                    vpn ??= text;
                }
                else if (iface is null && vlan is null)
                {
                    iface = text;
                }
                else if (VlanToken().IsMatch(text) && vlan is null)
                {
                    vlan = text;
                }
                else if (vlan is not null)
                {
                    pvc ??= text;
                }
                else
                {
                    vpn ??= text;
                }
            }

            entries.Add(new ArpEntry(tokens[0].Text, tokens[1].Text, expire, type, iface, vpn, vlan, pvc));
        }

        if (!headerSeen && entries.Count == 0)
        {
            return ParseResult.Unparsed<ArpTable>("no ARP header or entries found", output);
        }

        // "Total:12 Dynamic:10 Static:2" counts the table; fewer rows read means some were not understood.
        var warnings = new List<string>();
        if (total is int t && t != entries.Count)
        {
            warnings.Add($"the device counts {t.ToString(System.Globalization.CultureInfo.InvariantCulture)} ARP entries, {entries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} were read");
        }

        return ParseResult.Parsed(new ArpTable(entries, total, dyn, stat, ifc), warnings);
    }

    private static List<(string Text, int Column)> Tokenize(string line)
    {
        var result = new List<(string, int)>();
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            if (i > start)
            {
                result.Add((line[start..i], start));
            }
        }

        return result;
    }
}
