using System.Text.RegularExpressions;

namespace NetOpsBot.Vrp;

public sealed record RsaKeyInfo(string? Title, string? KeyName, string? KeyType, int? ModulusBits, string? CreatedAt, string? Fingerprint, string? OpenSshPublicKey);

public sealed record RsaLocalKeyPairs(bool KeyPresent, IReadOnlyList<RsaKeyInfo> Keys, string? AbsenceMessage);

/// <summary>
/// "display rsa local-key-pair public": the 2023 boxed layout ("Key Name : Host", "Key modulus : 3072")
/// and the older one ("Key name: client002_Host", "Time of Key pair created: 16:38:51  2007/5/25").
/// "Info: The key pair does not exist."-style answers mean no host key, which is a finding, not a failure.
/// </summary>
public static partial class RsaLocalKeyPairParser
{
    [GeneratedRegex(@"(?i)(?:key\s*pair|local-key-pair|rsa key|host key)s?\b.*\b(?:does not exist|do not exist|not exist|not found|not been created|no key)|\bno (?:rsa )?(?:local )?key(?: pair)?s?\b")]
    private static partial Regex Absent();

    [GeneratedRegex(@"^=+\s*(?<t>[^=]*?)\s*=*$")]
    private static partial Regex Rule();

    public static ParseResult<RsaLocalKeyPairs> Parse(string? output) => ParseResult.Guard(output, ParseCore);

    private static ParseResult<RsaLocalKeyPairs> ParseCore(string output)
    {
        var lines = VrpOutputCleaner.Clean(output).Lines;
        var keys = new List<RsaKeyInfo>();
        RsaKeyInfo? cur = null;
        string? pendingTitle = null;
        var inPem = false;
        var expectFingerprint = false;
        var expectOpenSsh = false;
        var warnings = new List<string>();

        // Length of the previous physical line of the OpenSSH key while it may continue (it reached the terminal width).
        int? openSshWrap = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (openSshWrap is int width && cur?.OpenSshPublicKey is { } partial)
            {
                openSshWrap = null;
                if (line.Length > 0 && !line.Contains(':', StringComparison.Ordinal) && !line.StartsWith("====", StringComparison.Ordinal))
                {
                    // An 80-column terminal cuts the key anywhere; a line one short of the width lost a trailing space.
                    var joined = partial + (width == VrpOutputCleaner.WrapWidth ? " " : string.Empty) + line;
                    cur = cur with { OpenSshPublicKey = joined };
                    openSshWrap = raw.Length >= VrpOutputCleaner.WrapWidth ? raw.Length : null;
                    continue;
                }
            }

            if (line.Length == 0)
            {
                continue;
            }

            if (Absent().IsMatch(line) && (line.StartsWith("Info", StringComparison.Ordinal) || line.StartsWith("Error", StringComparison.Ordinal) || cur is null))
            {
                if (keys.Count == 0 && cur is null)
                {
                    return ParseResult.Parsed(new RsaLocalKeyPairs(false, [], line));
                }
            }

            if (line.StartsWith("---- BEGIN", StringComparison.Ordinal))
            {
                inPem = true;
                continue;
            }

            if (line.StartsWith("---- END", StringComparison.Ordinal))
            {
                inPem = false;
                continue;
            }

            if (inPem)
            {
                continue;
            }

            var rule = Rule().Match(line);
            if (rule.Success && line.StartsWith("===", StringComparison.Ordinal))
            {
                if (rule.Groups["t"].Value.Length > 0)
                {
                    pendingTitle = rule.Groups["t"].Value;
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var key = colon > 0 ? SshServerStatusParser.Normalize(line[..colon]) : string.Empty;
            var value = colon > 0 ? line[(colon + 1)..].Trim() : string.Empty;
            if (key is "time of key pair created" or "key name")
            {
                // Each key block starts with one of these; start a new key when the current already has it.
                if (cur is null || (key == "key name" && cur.KeyName is not null) || (key == "time of key pair created" && cur.CreatedAt is not null))
                {
                    if (cur is not null)
                    {
                        keys.Add(cur);
                    }

                    cur = new RsaKeyInfo(pendingTitle, null, null, null, null, null, null);
                    pendingTitle = null;
                }

                cur = key == "key name" ? cur with { KeyName = value } : cur with { CreatedAt = System.Text.RegularExpressions.Regex.Replace(value, @"\s+", " ") };
                expectFingerprint = expectOpenSsh = false;
                continue;
            }

            if (cur is null)
            {
                continue;
            }

            if (key == "key type")
            {
                cur = cur with { KeyType = value };
            }
            else if (key == "key modulus")
            {
                cur = cur with { ModulusBits = VrpText.LeadingInt(value) };
            }
            else if (key == "key fingerprint")
            {
                expectFingerprint = value.Length == 0;
                cur = value.Length > 0 ? cur with { Fingerprint = value } : cur;
            }
            else if (line.StartsWith("Public key code for pasting", StringComparison.Ordinal))
            {
                expectOpenSsh = true;
            }
            else if (expectFingerprint)
            {
                cur = cur with { Fingerprint = line };
                expectFingerprint = false;
            }
            else if (expectOpenSsh && line.StartsWith("ssh-", StringComparison.Ordinal))
            {
                cur = cur with { OpenSshPublicKey = line };
                expectOpenSsh = false;
                openSshWrap = raw.Length >= VrpOutputCleaner.WrapWidth ? raw.Length : null;
            }
        }

        if (cur is not null)
        {
            keys.Add(cur);
        }

        foreach (var k in keys)
        {
            if (k.OpenSshPublicKey is { } ssh && !IsWholeOpenSshKey(ssh))
            {
                warnings.Add($"public key of {k.KeyName ?? k.Title ?? "the key"} looks cut (not a whole base64 blob): {(ssh.Length > 40 ? ssh[..40] + "..." : ssh)}");
            }
        }

        return keys.Count == 0
            ? ParseResult.Unparsed<RsaLocalKeyPairs>("no key pair fields or absence message found", output)
            : ParseResult.Parsed(new RsaLocalKeyPairs(true, keys, null), warnings);
    }

    /// <summary>"ssh-rsa AAAA... [comment]" whose blob decodes and names the same key type.</summary>
    private static bool IsWholeOpenSshKey(string line)
    {
        var t = VrpText.Tokens(line);
        if (t.Length < 2)
        {
            return false;
        }

        var buffer = new byte[t[1].Length];
        if (!Convert.TryFromBase64String(t[1], buffer, out var n) || n < 4)
        {
            return false;
        }

        // The blob is a sequence of length-prefixed fields (RFC 4253 §6.6); a cut blob does not end on a field boundary.
        var at = 0;
        var first = true;
        while (at < n)
        {
            if (at + 4 > n)
            {
                return false;
            }

            var len = (buffer[at] << 24) | (buffer[at + 1] << 16) | (buffer[at + 2] << 8) | buffer[at + 3];
            if (len < 0 || at + 4 + len > n || (first && System.Text.Encoding.ASCII.GetString(buffer, at + 4, len) != t[0]))
            {
                return false;
            }

            at += 4 + len;
            first = false;
        }

        return !first;
    }
}
