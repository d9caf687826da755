using System.Net;
using NetOpsBot.Core.Net;

namespace NetOpsBot.Vrp.Diagnosis;

internal sealed record IpInterfaceRow(string Interface, IPAddress? Address, int? PrefixLength, string Physical, string Protocol)
{
    public bool IsUp => Physical.StartsWith("up", StringComparison.OrdinalIgnoreCase) && Protocol.StartsWith("up", StringComparison.OrdinalIgnoreCase);

    /// <summary>"*down" in the Physical column: VRP's legend "*down: administratively down" (a <c>shutdown</c>).</summary>
    public bool AdminDown => Physical.StartsWith("*down", StringComparison.Ordinal);
}

/// <summary>
/// Minimal "display ip interface brief" reader: only what the gateway step needs (which interface address
/// sits on the device's subnet). Rows are recognised by an "a.b.c.d/len" or "unassigned" second column.
/// </summary>
internal static class IpInterfaceBriefParser
{
    public static IReadOnlyList<IpInterfaceRow> Parse(string? output)
    {
        var rows = new List<IpInterfaceRow>();
        foreach (var line in VrpOutputCleaner.Clean(output).Lines)
        {
            var t = VrpText.Tokens(line);
            if (t.Length < 4)
            {
                continue;
            }

            if (t[1] == "unassigned")
            {
                rows.Add(new IpInterfaceRow(t[0], null, null, t[2], t[3]));
                continue;
            }

            var slash = t[1].IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && Ipv4.TryParseStrict(t[1][..slash], out var ip) && VrpText.ToInt(t[1][(slash + 1)..]) is int len and >= 0 and <= 32)
            {
                rows.Add(new IpInterfaceRow(t[0], ip, len, t[2], t[3]));
            }
        }

        return rows;
    }

    /// <summary>The address of the first up interface whose subnet contains <paramref name="target"/>.</summary>
    public static IPAddress? AddressFacing(IReadOnlyList<IpInterfaceRow> rows, IPAddress target) =>
        rows.FirstOrDefault(r => r.Address is not null && r.IsUp && r.PrefixLength < 32 && Ipv4Prefix.Create(r.Address, r.PrefixLength!.Value).Contains(target))?.Address;
}
