using System.Globalization;

namespace NetOpsBot.Lab.Emulator;

/// <summary>IPv4 helpers on host-order uints; the emulator only models IPv4 because the campus lab is IPv4-only.</summary>
internal static class Ip
{
    public static bool TryParse(string text, out uint value)
    {
        value = 0;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit))
            {
                return false;
            }

            var octet = int.Parse(part, CultureInfo.InvariantCulture);
            if (octet > 255)
            {
                return false;
            }

            value = (value << 8) | (uint)octet;
        }

        return true;
    }

    public static uint Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not an IPv4 address.");

    public static string Format(uint value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value >> 24}.{(value >> 16) & 0xFF}.{(value >> 8) & 0xFF}.{value & 0xFF}");

    public static uint Mask(int prefixLength) => prefixLength <= 0 ? 0u : uint.MaxValue << (32 - prefixLength);

    public static bool InSubnet(uint address, uint network, int prefixLength) =>
        (address & Mask(prefixLength)) == (network & Mask(prefixLength));

    /// <summary>Accepts a dotted mask or a length, as `ip route-static` does; non-contiguous masks are rejected.</summary>
    public static bool TryParseMaskOrLength(string text, out int prefixLength)
    {
        prefixLength = -1;
        if (text.All(char.IsAsciiDigit) && text.Length is > 0 and <= 2)
        {
            prefixLength = int.Parse(text, CultureInfo.InvariantCulture);
            return prefixLength <= 32;
        }

        if (!TryParse(text, out var mask))
        {
            return false;
        }

        var len = 0;
        while (len < 32 && (mask & (1u << (31 - len))) != 0)
        {
            len++;
        }

        if (Mask(len) != mask)
        {
            return false;
        }

        prefixLength = len;
        return true;
    }
}
