using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NetOpsBot.Core.Net;

/// <summary>An IPv4 network such as 10.200.0.0/24 (host bits are cleared on parse).</summary>
public sealed record Ipv4Prefix
{
    private Ipv4Prefix(uint network, int length)
    {
        NetworkValue = network;
        Length = length;
    }

    public int Length { get; }

    public IPAddress Network => Ipv4.FromUInt32(NetworkValue);

    /// <summary>The mask as a dotted quad (255.255.255.0).</summary>
    public IPAddress Mask => Ipv4.FromUInt32(MaskValue);

    /// <summary>The inverse mask VRP ACL rules use (0.0.0.255).</summary>
    public IPAddress Wildcard => Ipv4.FromUInt32(~MaskValue);

    /// <summary>The first usable host address (the network address itself for /31 and /32).</summary>
    public IPAddress FirstHost => Ipv4.FromUInt32(Length >= 31 ? NetworkValue : NetworkValue + 1);

    internal uint NetworkValue { get; }

    internal uint MaskValue => Length == 0 ? 0u : uint.MaxValue << (32 - Length);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Ipv4Prefix? prefix)
    {
        prefix = null;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash <= 0 || !Ipv4.TryParseStrict(text![..slash], out var ip)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var len) || len > 32)
        {
            return false;
        }

        prefix = Create(ip, len);
        return true;
    }

    public static Ipv4Prefix Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException("not an IPv4 prefix: " + text);

    public static Ipv4Prefix Create(IPAddress address, int length)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 32);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
        return new Ipv4Prefix(Ipv4.ToUInt32(address) & mask, length);
    }

    public bool Contains(IPAddress address) =>
        address is not null && address.AddressFamily == AddressFamily.InterNetwork && (Ipv4.ToUInt32(address) & MaskValue) == NetworkValue;

    /// <summary>True when every address of <paramref name="other"/> is inside this prefix.</summary>
    public bool Covers(Ipv4Prefix other) => other is not null && other.Length >= Length && (other.NetworkValue & MaskValue) == NetworkValue;

    public override string ToString() => Network + "/" + Length.ToString(CultureInfo.InvariantCulture);
}
