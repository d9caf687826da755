using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe;

/// <summary>
/// "show ip ssh". <see cref="Enabled"/> is the server state; IOS disables SSH by itself while no RSA key exists
/// and then says "%Please create RSA keys to enable SSH" (<see cref="RsaKeyMissing"/>).
/// </summary>
public sealed record IpSshStatus(
    bool Enabled,
    string? Version,
    int? AuthenticationTimeoutSeconds,
    int? AuthenticationRetries,
    int? MinimumDhKeyBits,
    bool RsaKeyMissing,
    string? RsaKeyName,
    int? RsaModulusBits,
    IReadOnlyList<string> AuthenticationMethods);

public static partial class ShowIpSshParser
{
    [GeneratedRegex(@"^SSH (?<state>Enabled|Disabled)\s*-\s*version\s+(?<ver>\d+(?:\.\d+)?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex StateLine();

    [GeneratedRegex(@"^Authentication timeout:\s*(?<t>\d+)\s*secs?;\s*Authentication retries:\s*(?<r>\d+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TimeoutLine();

    [GeneratedRegex(@"^IOS Keys in SECSH format\((?<alg>[^,]+),\s*base64 encoded\):\s*(?<name>\S+)\s*$")]
    private static partial Regex KeyHeader();

    [GeneratedRegex(@"^(?:Modulus|Key) Size\s*:\s*(?<bits>\d+)\s*bits\s*$")]
    private static partial Regex KeySize();

    [GeneratedRegex(@"^Minimum expected Diffie Hellman key size\s*:\s*(?<bits>\d+)\s*bits\s*$")]
    private static partial Regex MinDh();

    // Algorithm lists ("Authentication methods:publickey,password", "KEX Algorithms:...") and the Bulk/Hostkey lines.
    [GeneratedRegex(@"^(?<name>[A-Za-z][A-Za-z ]*?(?:methods|Algorithms|algorithms))\s*:\s*(?<list>\S.*)$")]
    private static partial Regex ListLine();

    // Base64 continuation lines of a public key (and the key line itself: "ssh-rsa AAAA…").
    [GeneratedRegex(@"^(?:(?:ssh-|ecdsa-)\S+ )?[A-Za-z0-9+/=]{16,}$")]
    private static partial Regex KeyData();

    public static ParseResult<IpSshStatus> Parse(string? output) => ParseResult.Guard(output, Body);

    private static ParseResult<IpSshStatus> Body(string output)
    {
        var lines = IosXeOutputCleaner.Clean(output).Lines;
        var warnings = new List<string>();
        bool? enabled = null;
        string? version = null;
        int? timeout = null, retries = null, minDh = null, rsaBits = null;
        var rsaMissing = false;
        string? rsaName = null;
        string? currentAlg = null;
        var methods = new List<string>();

        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            Match m;
            if ((m = StateLine().Match(line)).Success)
            {
                enabled = m.Groups["state"].Value.Equals("Enabled", StringComparison.OrdinalIgnoreCase);
                version = m.Groups["ver"].Value;
            }
            else if ((m = TimeoutLine().Match(line)).Success)
            {
                timeout = IosXeText.ToInt(m.Groups["t"].Value);
                retries = IosXeText.ToInt(m.Groups["r"].Value);
            }
            else if (line.StartsWith("%Please create RSA keys", StringComparison.OrdinalIgnoreCase) || line.StartsWith("% Please create RSA keys", StringComparison.OrdinalIgnoreCase))
            {
                rsaMissing = true;
            }
            else if ((m = KeyHeader().Match(line)).Success)
            {
                currentAlg = m.Groups["alg"].Value.Trim();
                // "…(ssh-rsa, base64 encoded): NONE" is what IOS prints when no key exists.
                if (currentAlg == "ssh-rsa" && m.Groups["name"].Value != "NONE")
                {
                    rsaName = m.Groups["name"].Value;
                }
            }
            else if ((m = KeySize().Match(line)).Success)
            {
                if (currentAlg == "ssh-rsa")
                {
                    rsaBits = IosXeText.ToInt(m.Groups["bits"].Value);
                }
            }
            else if ((m = MinDh().Match(line)).Success)
            {
                minDh = IosXeText.ToInt(m.Groups["bits"].Value);
            }
            else if ((m = ListLine().Match(line)).Success)
            {
                if (m.Groups["name"].Value.Equals("Authentication methods", StringComparison.OrdinalIgnoreCase))
                {
                    methods.AddRange(m.Groups["list"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                }
            }
            else if (KeyData().IsMatch(line) && currentAlg is not null)
            {
                // Public key material: shown as evidence elsewhere, nothing to decide here.
            }
            else
            {
                warnings.Add("unrecognised line: " + line);
            }
        }

        if (enabled is null)
        {
            return ParseResult.Unparsed<IpSshStatus>("no 'SSH Enabled/Disabled - version' line", output);
        }

        if (enabled.Value && rsaMissing)
        {
            warnings.Add("SSH reported enabled but the device asks for RSA keys");
        }

        return ParseResult.Parsed(new IpSshStatus(enabled.Value, version, timeout, retries, minDh, rsaMissing, rsaName, rsaBits, methods), warnings);
    }
}
