using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe;

/// <summary>One ARP entry. <see cref="Mac"/> is null for "Incomplete"; <see cref="AgeMinutes"/> null for "-" (the device's own address).</summary>
public sealed record IosArpEntry(string Address, int? AgeMinutes, string? Mac, string Type, string? Interface)
{
    public bool IsIncomplete => Mac is null;

    public bool IsOwnAddress => AgeMinutes is null && Mac is not null;
}

public sealed record IosArpTable(IReadOnlyList<IosArpEntry> Entries)
{
    /// <summary>A resolved entry for <paramref name="ip"/>: the device answered ARP next to the gateway.</summary>
    public bool HasResolved(string ip) => Entries.Any(e => e.Address == ip && !e.IsIncomplete);
}

/// <summary>"show arp" / "show ip arp" (also filtered with "| include"): header optional, unknown lines are warnings.</summary>
public static partial class ShowArpParser
{
    [GeneratedRegex(@"^Protocol\s+Address\s+Age ?\(min\)\s+Hardware Addr\s+Type\s+Interface\s*$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^(?<proto>Internet|IP)\s+(?<ip>\d+\.\d+\.\d+\.\d+)\s+(?<age>-|\d+)\s+(?<mac>[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}|Incomplete)\s+(?<type>\S+)(?:\s+(?<if>\S+))?\s*$")]
    private static partial Regex Entry();

    public static ParseResult<IosArpTable> Parse(string? output) => ParseResult.Guard(output, Body);

    private static ParseResult<IosArpTable> Body(string output)
    {
        var lines = IosXeOutputCleaner.Clean(output).Lines;
        var warnings = new List<string>();
        var entries = new List<IosArpEntry>();
        var sawHeader = false;
        foreach (var raw in lines)
        {
            var t = raw.Trim();
            if (t.Length == 0)
            {
                continue;
            }

            if (Header().IsMatch(t))
            {
                sawHeader = true;
                continue;
            }

            var m = Entry().Match(t);
            if (!m.Success)
            {
                warnings.Add("unrecognised line: " + t);
                continue;
            }

            var mac = m.Groups["mac"].Value;
            entries.Add(new IosArpEntry(
                m.Groups["ip"].Value,
                m.Groups["age"].Value == "-" ? null : IosXeText.ToInt(m.Groups["age"].Value),
                mac.Equals("Incomplete", StringComparison.Ordinal) ? null : mac.ToLowerInvariant(),
                m.Groups["type"].Value,
                m.Groups["if"].Success ? m.Groups["if"].Value : null));
        }

        return sawHeader || entries.Count > 0
            ? ParseResult.Parsed(new IosArpTable(entries), warnings)
            : ParseResult.Unparsed<IosArpTable>("no ARP header nor entries", output);
    }
}
