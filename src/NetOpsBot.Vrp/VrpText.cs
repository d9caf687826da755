using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace NetOpsBot.Vrp;

/// <summary>Small shared helpers for tokenising VRP text.</summary>
internal static partial class VrpText
{
    public static readonly char[] Blanks = [' ', '\t'];

    public static string[] Tokens(string line) => line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);

    public static int? ToInt(string? s) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static long? ToLong(string? s) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>Leading integer of values such as "60 seconds" or "3 times".</summary>
    public static int? LeadingInt(string? s)
    {
        if (s is null)
        {
            return null;
        }

        var t = s.Trim();
        var n = 0;
        while (n < t.Length && char.IsAsciiDigit(t[n]))
        {
            n++;
        }

        return n == 0 ? null : ToInt(t[..n]);
    }

    /// <summary>VRP prints Enable/Disable (sometimes Enabled/Disabled); anything else is unknown, not false.</summary>
    public static bool? EnableFlag(string? value)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v))
        {
            return null;
        }

        if (v.StartsWith("enable", StringComparison.OrdinalIgnoreCase) || v.Equals("yes", StringComparison.OrdinalIgnoreCase) || v.Equals("on", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (v.StartsWith("disable", StringComparison.OrdinalIgnoreCase) || v.Equals("no", StringComparison.OrdinalIgnoreCase) || v.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return null;
    }

    public static bool IsIpAddress(string s) => s.Length >= 2 && IPAddress.TryParse(s, out _) && (s.Contains('.', StringComparison.Ordinal) || s.Contains(':', StringComparison.Ordinal));

    public static bool IsDashRule(string trimmed) => trimmed.Length >= 3 && trimmed.AsSpan().Trim("-= ").IsEmpty;

    /// <summary>Dotted mask (255.255.255.0) or a bare length to a prefix length; null when not contiguous.</summary>
    public static int? MaskToPrefixLength(string mask)
    {
        if (ToInt(mask) is int len)
        {
            return len is >= 0 and <= 128 ? len : null;
        }

        if (!IPAddress.TryParse(mask, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return null;
        }

        var bytes = ip.GetAddressBytes();
        uint v = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        var count = System.Numerics.BitOperations.PopCount(v);
        var expected = count == 0 ? 0u : uint.MaxValue << (32 - count);
        return v == expected ? count : null;
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: ?[+-]\d\d:\d\d)?$")]
    public static partial Regex TimestampLine();
}
