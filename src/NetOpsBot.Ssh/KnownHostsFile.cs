using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NetOpsBot.Ssh;

/// <summary>
/// Host-key pins from an OpenSSH known_hosts file: plain and <c>[host]:port</c> patterns, comma lists,
/// hashed (<c>|1|salt|hash</c>) entries; <c>@revoked</c> lines reject a key; <c>@cert-authority</c> and
/// wildcard patterns are ignored (a pin must name the host exactly).
/// </summary>
public sealed class KnownHostsFile
{
    private readonly List<Entry> _entries;

    private KnownHostsFile(List<Entry> entries) => _entries = entries;

    public int Count => _entries.Count;

    /// <exception cref="UnauthorizedAccessException">Group or others can write the file.</exception>
    public static KnownHostsFile Load(string path)
    {
        FilePermissions.EnsureTrustFile(path, "known_hosts file");
        return Parse(File.ReadAllText(path));
    }

    public static KnownHostsFile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<Entry>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var revoked = false;
            var i = 0;
            if (parts[0].StartsWith('@'))
            {
                if (parts[0] != "@revoked")
                {
                    continue;
                }

                revoked = true;
                i = 1;
            }

            if (parts.Length < i + 3 || !TryFingerprint(parts[i + 2], out var fingerprint))
            {
                continue;
            }

            entries.Add(new Entry(parts[i].Split(','), parts[i + 1], fingerprint, revoked));
        }

        return new KnownHostsFile(entries);
    }

    /// <summary>SHA256 of the key blob in unpadded base64: the format of SSH.NET's <c>FingerPrintSHA256</c> (no <c>SHA256:</c> prefix).</summary>
    public static string Fingerprint(byte[] keyBlob) => Convert.ToBase64String(SHA256.HashData(keyBlob)).TrimEnd('=');

    /// <summary>The pinned fingerprints for the host as dialled: the REAL address and port, never a local forward.</summary>
    public IReadOnlyList<string> FingerprintsFor(string host, int port) =>
        _entries.Where(e => !e.Revoked && e.Matches(host, port)).Select(e => e.Fingerprint).Distinct(StringComparer.Ordinal).ToList();

    public HostKeyVerdict Verify(string host, int port, string presentedFingerprint)
    {
        ArgumentNullException.ThrowIfNull(presentedFingerprint);
        var actual = presentedFingerprint.StartsWith("SHA256:", StringComparison.Ordinal) ? presentedFingerprint[7..] : presentedFingerprint;
        actual = actual.TrimEnd('=');
        if (_entries.Any(e => e.Revoked && e.Fingerprint == actual))
        {
            return new HostKeyVerdict(HostKeyStatus.Mismatch, host, port, actual, ["(key is @revoked)"]);
        }

        var expected = FingerprintsFor(host, port);
        if (expected.Count == 0)
        {
            return new HostKeyVerdict(HostKeyStatus.Unknown, host, port, actual, expected);
        }

        return new HostKeyVerdict(expected.Contains(actual, StringComparer.Ordinal) ? HostKeyStatus.Match : HostKeyStatus.Mismatch, host, port, actual, expected);
    }

    private static bool TryFingerprint(string base64, out string fingerprint)
    {
        fingerprint = string.Empty;
        var blob = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, blob, out var n))
        {
            return false;
        }

        fingerprint = Fingerprint(blob[..n]);
        return true;
    }

    private sealed record Entry(string[] Patterns, string KeyType, string Fingerprint, bool Revoked)
    {
        public bool Matches(string host, int port)
        {
            // OpenSSH writes port 22 as the bare host and any other port as "[host]:port".
            var name = port == 22 ? host : string.Create(CultureInfo.InvariantCulture, $"[{host}]:{port}");
            foreach (var p in Patterns)
            {
                if (p.StartsWith("|1|", StringComparison.Ordinal) ? HashedMatches(p, name) : string.Equals(p, name, StringComparison.OrdinalIgnoreCase) ||
                    (port == 22 && string.Equals(p, $"[{host}]:22", StringComparison.OrdinalIgnoreCase)))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HashedMatches(string pattern, string name)
        {
            var fields = pattern.Split('|');
            if (fields.Length != 4)
            {
                return false;
            }

            try
            {
                var salt = Convert.FromBase64String(fields[2]);
                // OpenSSH's HashKnownHosts format is defined as HMAC-SHA1; it hides names, it is not a key check.
#pragma warning disable CA5350
                var hash = HMACSHA1.HashData(salt, Encoding.ASCII.GetBytes(name));
#pragma warning restore CA5350
                return CryptographicOperations.FixedTimeEquals(hash, Convert.FromBase64String(fields[3]));
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }
}
