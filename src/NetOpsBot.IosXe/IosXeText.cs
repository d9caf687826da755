using System.Globalization;
using System.Net;

namespace NetOpsBot.IosXe;

/// <summary>Small shared helpers for tokenising IOS text.</summary>
internal static class IosXeText
{
    public static readonly char[] Blanks = [' ', '\t'];

    public static string[] Tokens(string line) => line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);

    public static int? ToInt(string? s) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static long? ToLong(string? s) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static bool IsIpv4(string s) =>
        s.Length >= 7 && s.Count(c => c == '.') == 3 && IPAddress.TryParse(s, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;

    /// <summary>Dotted mask (255.255.255.0) to a prefix length; null when not contiguous.</summary>
    public static int? MaskToPrefixLength(string mask)
    {
        if (!IsIpv4(mask))
        {
            return null;
        }

        var v = ToUInt(IPAddress.Parse(mask));
        var count = System.Numerics.BitOperations.PopCount(v);
        var expected = count == 0 ? 0u : uint.MaxValue << (32 - count);
        return v == expected ? count : null;
    }

    public static uint ToUInt(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    /// <summary>True when <paramref name="address"/> falls in network/wildcard (IOS ACL semantics: 1 bits are "don't care").</summary>
    public static bool MatchesWildcard(IPAddress address, IPAddress network, IPAddress wildcard)
    {
        var care = ~ToUInt(wildcard);
        return (ToUInt(address) & care) == (ToUInt(network) & care);
    }
}
