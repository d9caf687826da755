using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe;

/// <summary>One key of "show crypto key mypubkey rsa". <see cref="ModulusBits"/> is read from the key data (SubjectPublicKeyInfo).</summary>
public sealed record IosCryptoKey(string Name, string Type, string? Usage, string? GeneratedAt, bool Temporary, int? ModulusBits);

public sealed record IosCryptoKeys(IReadOnlyList<IosCryptoKey> Keys)
{
    /// <summary>An RSA key SSH can use: general purpose, not temporary, at least <paramref name="minBits"/>.</summary>
    public bool HasUsableRsaKey(int minBits = 768) =>
        Keys.Any(k => k.Type.StartsWith("RSA", StringComparison.Ordinal) && !k.Temporary && (k.ModulusBits ?? minBits) >= minBits);
}

public static partial class CryptoKeyParser
{
    [GeneratedRegex(@"^% Key pair was generated at:\s*(?<at>.+?)\s*$")]
    private static partial Regex Generated();

    [GeneratedRegex(@"^(?:[0-9A-Fa-f]{2,8}\s*)+$")]
    private static partial Regex HexLine();

    public static ParseResult<IosCryptoKeys> Parse(string? output) => ParseResult.Guard(output, Body);

    private static ParseResult<IosCryptoKeys> Body(string output)
    {
        var lines = IosXeOutputCleaner.Clean(output).Lines;
        var warnings = new List<string>();
        var keys = new List<IosCryptoKey>();
        string? at = null, name = null, type = null, usage = null;
        var temporary = false;
        var hex = new System.Text.StringBuilder();
        var inData = false;

        void Flush()
        {
            if (name is not null)
            {
                keys.Add(new IosCryptoKey(name, type ?? "?", usage, at, temporary, ModulusBits(hex.ToString(), warnings, name)));
            }

            at = name = type = usage = null;
            temporary = inData = false;
            hex.Clear();
        }

        foreach (var raw in lines)
        {
            var t = raw.Trim();
            if (t.Length == 0)
            {
                continue;
            }

            Match m;
            if ((m = Generated().Match(t)).Success)
            {
                Flush();
                at = m.Groups["at"].Value;
            }
            else if (t.StartsWith("Key name:", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    var keep = at;
                    Flush();
                    at = keep;
                }

                name = t["Key name:".Length..].Trim();
            }
            else if (t.StartsWith("Key type:", StringComparison.Ordinal))
            {
                type = t["Key type:".Length..].Trim();
            }
            else if (t.StartsWith("Usage:", StringComparison.Ordinal))
            {
                usage = t["Usage:".Length..].Trim();
            }
            else if (t.Equals("Temporary key", StringComparison.Ordinal))
            {
                temporary = true;
            }
            else if (t.Equals("Key Data:", StringComparison.Ordinal))
            {
                inData = true;
            }
            else if (inData && HexLine().IsMatch(t))
            {
                hex.Append(t.Replace(" ", string.Empty, StringComparison.Ordinal));
            }
            else if (t.StartsWith("Storage Device:", StringComparison.Ordinal) || t.StartsWith("Key is ", StringComparison.Ordinal) || t.StartsWith("Key is not", StringComparison.Ordinal))
            {
                // Storage and exportability do not decide whether SSH has a host key.
            }
            else
            {
                warnings.Add("unrecognised line: " + t);
            }
        }

        Flush();
        return keys.Count > 0
            ? ParseResult.Parsed(new IosCryptoKeys(keys), warnings)
            : ParseResult.Unparsed<IosCryptoKeys>("no 'Key name:' line", output);
    }

    private static int? ModulusBits(string hex, List<string> warnings, string name)
    {
        if (hex.Length == 0)
        {
            return null;
        }

        try
        {
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(Convert.FromHexString(hex), out _);
            return rsa.KeySize;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            warnings.Add($"key '{name}': key data is not an RSA public key ({ex.GetType().Name})");
            return null;
        }
    }
}
