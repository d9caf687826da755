using System.Globalization;
using NetOpsBot.Core.Net;

namespace NetOpsBot.Core.Remediation;

/// <summary>A typed placeholder of a <see cref="CommandTemplate"/>: <c>{name:ipv4}</c>, <c>{name:ssh-port}</c>, <c>{name:int(0..99)}</c>.</summary>
public sealed record TemplateParameter(string Name, ParameterType Type, long Min = 0, long Max = 0)
{
    /// <summary>Null when <paramref name="value"/> is acceptable, otherwise why not.</summary>
    public string? Validate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"parameter '{Name}' is missing";
        }

        // Belt and braces: the typed checks below already exclude these, but a value must never be able
        // to add a word or a line to a device command whatever its type.
        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return $"parameter '{Name}' contains whitespace or control characters";
        }

        switch (Type)
        {
            case ParameterType.Ipv4:
                return Ipv4.TryParseStrict(value, out _) ? null : $"parameter '{Name}' is not a dotted-quad IPv4 address";
            case ParameterType.SshPort:
                return TryInt(value, out var port) && (port == 22 || port is >= 1025 and <= 65535)
                    ? null
                    : $"parameter '{Name}' must be 22 or 1025-65535";
            case ParameterType.IntRange:
                return TryInt(value, out var n) && n >= Min && n <= Max
                    ? null
                    : $"parameter '{Name}' must be an integer in {Min.ToString(CultureInfo.InvariantCulture)}..{Max.ToString(CultureInfo.InvariantCulture)}";
            case ParameterType.InterfaceName:
                return IsInterfaceName(value) ? null : $"parameter '{Name}' is not a VRP interface name (letters or digits, then a number such as 10, 0/0/1 or 2/0/35.205)";
            default:
                return $"parameter '{Name}' has an unknown type";
        }
    }

    // Type letters (a leading speed such as "40GE" or "10GE" allowed, "-" for Eth-Trunk), then slot/port numbers
    // with an optional sub-interface: nothing else can reach the CLI through this parameter.
    private static bool IsInterfaceName(string value)
    {
        if (value.Length is < 2 or > 48)
        {
            return false;
        }

        var i = 0;
        while (i < value.Length && char.IsAsciiDigit(value[i]))
        {
            i++;
        }

        var letters = i;
        while (i < value.Length && (char.IsAsciiLetter(value[i]) || (value[i] == '-' && i > letters)))
        {
            i++;
        }

        if (i == letters || value[i - 1] == '-' || i == value.Length)
        {
            return false;
        }

        var rest = value[i..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        var path = dot < 0 ? rest : rest[..dot];
        if (dot >= 0 && (dot == rest.Length - 1 || !rest[(dot + 1)..].All(char.IsAsciiDigit)))
        {
            return false;
        }

        return path.Split('/').All(p => p.Length is > 0 and <= 5 && p.All(char.IsAsciiDigit));
    }

    // Only plain decimal digits: "+1", "1e3", " 1" and "0x16" are rejected by NumberStyles.None.
    private static bool TryInt(string value, out long result)
    {
        result = 0;
        return value.Length <= 18 && (value.Length == 1 || value[0] != '0')
            && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);
    }
}
