namespace NetOpsBot.Vrp;

public sealed record SshServerStatus(
    string? SshVersion,
    bool? StelnetEnabled,
    bool? StelnetIpv6Enabled,
    bool? SftpEnabled,
    bool? ScpEnabled,
    int? Port,
    int? Ipv6Port,
    string? Source,
    string? Acl4,
    string? Acl6,
    bool? CompatibleEnabled,
    int? AuthenticationTimeoutSeconds,
    int? AuthenticationRetries,
    int? KeyGeneratingIntervalHours,
    IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// "display ssh server status". Layouts differ by release (" Stelnet server :Disable" on VRP5,
/// "STELNET IPv4 server : Enable" on VRP8, "SSH server port" vs "SSH IPv4 server port"), so keys are
/// normalised (lower case, collapsed spaces, unit suffix "(Seconds)" dropped) before mapping.
/// Port is null when the device does not print it (VRP5 then listens on 22 by default — the caller decides).
/// </summary>
public static class SshServerStatusParser
{
    public static ParseResult<SshServerStatus> Parse(string? output) => ParseResult.Guard(output, ParseCore);

    private static ParseResult<SshServerStatus> ParseCore(string output)
    {
        var cleaned = VrpOutputCleaner.Clean(output);
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        var norm = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in cleaned.Lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (key.Length == 0 || key.Length > 80 || key.StartsWith("Error", StringComparison.Ordinal) || key.StartsWith("Info", StringComparison.Ordinal))
            {
                continue;
            }

            raw.TryAdd(key, value);
            norm.TryAdd(Normalize(key), value);
        }

        var known = norm.Keys.Count(k => k.StartsWith("ssh", StringComparison.Ordinal) || k.Contains("stelnet", StringComparison.Ordinal) || k.Contains("sftp", StringComparison.Ordinal));
        if (known == 0)
        {
            return ParseResult.Unparsed<SshServerStatus>("no SSH server status fields found", output);
        }

        string? Get(params string[] keys)
        {
            foreach (var k in keys)
            {
                if (norm.TryGetValue(k, out var v))
                {
                    return v;
                }
            }

            return null;
        }

        static string? NullIfEmpty(string? v) => string.IsNullOrWhiteSpace(v) || v.Trim() == "--" ? null : v.Trim();

        var status = new SshServerStatus(
            SshVersion: NullIfEmpty(Get("ssh version")),
            StelnetEnabled: VrpText.EnableFlag(Get("stelnet server", "stelnet ipv4 server")),
            StelnetIpv6Enabled: VrpText.EnableFlag(Get("stelnet ipv6 server")),
            SftpEnabled: VrpText.EnableFlag(Get("sftp server", "sftp ipv4 server")),
            ScpEnabled: VrpText.EnableFlag(Get("scp server", "scp ipv4 server")),
            Port: VrpText.LeadingInt(Get("ssh server port", "ssh ipv4 server port")),
            Ipv6Port: VrpText.LeadingInt(Get("ssh ipv6 server port")),
            Source: NullIfEmpty(Get("ssh server source", "ssh server source interface", "ssh server-source", "ssh ipv4 server source")),
            Acl4: NullIfEmpty(Get("acl number")) ?? NullIfEmpty(Get("acl name")) ?? NullIfEmpty(Get("ssh server acl", "acl")),
            Acl6: NullIfEmpty(Get("acl6 number")) ?? NullIfEmpty(Get("acl6 name")) ?? NullIfEmpty(Get("ssh server acl6", "acl6")),
            CompatibleEnabled: VrpText.EnableFlag(Get("ssh version 1.x compatibility", "ssh server compatible-ssh1x", "compatible-ssh1x")),
            AuthenticationTimeoutSeconds: VrpText.LeadingInt(Get("ssh authentication timeout", "ssh connection timeout")),
            AuthenticationRetries: VrpText.LeadingInt(Get("ssh authentication retries")),
            KeyGeneratingIntervalHours: VrpText.LeadingInt(Get("ssh server key generating interval")),
            Fields: raw);
        return ParseResult.Parsed(status);
    }

    internal static string Normalize(string key)
    {
        var k = key;
        var paren = k.IndexOf('(', StringComparison.Ordinal);
        if (paren > 0)
        {
            k = k[..paren];
        }

        return string.Join(' ', VrpText.Tokens(k.ToLowerInvariant()));
    }
}
