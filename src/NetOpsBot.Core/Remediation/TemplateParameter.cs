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
            default:
                return $"parameter '{Name}' has an unknown type";
        }
    }

    // Only plain decimal digits: "+1", "1e3", " 1" and "0x16" are rejected by NumberStyles.None.
    private static bool TryInt(string value, out long result)
    {
        result = 0;
        return value.Length <= 18 && (value.Length == 1 || value[0] != '0')
            && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);
    }
}
