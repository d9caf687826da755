using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NetOpsBot.Core.Security;

/// <summary>
/// The one filter every piece of device output passes before it is stored, shown or exported: secret
/// values in VRP (and Cisco-style) configuration lines become <see cref="Marker"/>, the keyword stays so a
/// reader still sees that a password or key is configured. Parsers never need the secret (they read the
/// session's own output before this runs), so redaction is lossy on purpose and idempotent.
/// </summary>
/// <remarks>
/// Under-redaction is the bug to avoid; a little over-redaction is accepted where a rule cannot tell a secret
/// from a name. Rules that would hit non-secrets are scoped: "community" only on SNMP lines (a route-policy's
/// BGP community is not a secret), "cipher" not after <c>ssh server</c>/<c>ssh client</c> (algorithm names).
/// Tested against real captures in ../shared/vrp-samples.
/// </remarks>
public static partial class DeviceOutputRedactor
{
    public const string Marker = "<redacted>";

    /// <summary>What replaces output the filter could not finish on (it is never shown unfiltered).</summary>
    public const string Withheld = "<output withheld: secret redaction did not finish>";

    // A wrapped CLI line: VRP breaks a long line at the terminal width with " ESC[1D" (see
    // session_transcripts/comocutor-s5710-long-echo_1.txt); captures pasted from a terminal break it with a newline.
    private const string Wrap = @"[ ]?\x1b\[[0-9;]*[A-Za-z]";
    private const string Ws = @"[ \t]+";

    // A value is a quoted string or one token, which may carry VRP's wrap artefact inside. Never a ':'
    // (a table cell "Cipher : aes128" names an algorithm), never empty.
    private const string Value = @"(?<value>""[^""\r\n]*""|(?!:)(?:\S|" + Wrap + @")+)";

    // Words that sit between a keyword and its secret: the encoding, a key id, an algorithm.
    private const string Modifier = @"(?:irreversible-cipher|cipher|simple|plain|hash|encrypted|[0-9]{1,3})";
    private const string Algorithm = @"(?:md5|hmac-md5|sha|sha1|sha2-256|sha224|sha256|sha384|sha512|hmac-sha256|hmac-sha-256|des|des56|3des|3des168|aes128|aes192|aes256)";

    /// <summary>Redacts secret values in device output (any number of lines). Null or empty gives itself.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        try
        {
            var once = Blob().Replace(text, Marker);
            once = HuaweiOrUnixHash().Replace(once, Marker);
            once = KeywordValue().Replace(once, KeepKeyword);
            return ContextLine().Replace(once, line => line.Value.Contains("snmp-", StringComparison.OrdinalIgnoreCase)
                ? SnmpCommunity().Replace(line.Value, KeepKeyword)
                : ServerKey().Replace(line.Value, KeepKeyword));
        }
        catch (RegexMatchTimeoutException)
        {
            // Fail closed: output the filter could not finish on is not shown at all.
            return Withheld;
        }
    }

    private static string KeepKeyword(Match m) => m.Value[..(m.Groups["value"].Index - m.Index)] + Marker;

    /// <summary>Redacts each line of a list (evidence lines).</summary>
    public static IReadOnlyList<string> Redact(IReadOnlyList<string>? lines)
    {
        if (lines is null || lines.Count == 0)
        {
            return lines ?? [];
        }

        string[]? copy = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var redacted = Redact(lines[i]);
            if (!ReferenceEquals(redacted, lines[i]) && !string.Equals(redacted, lines[i], StringComparison.Ordinal))
            {
                copy ??= [.. lines];
                copy[i] = redacted;
            }
        }

        return copy ?? lines;
    }

    /// <summary>
    /// Redacts every string value of a JSON document (timeline details carry commands and their output);
    /// property names are left alone. Returns the input when nothing had to change, so formatting is kept.
    /// </summary>
    public static string RedactJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var node = JsonNode.Parse(json);
        if (node is null)
        {
            return json;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            var r = Redact(s);
            return string.Equals(r, s, StringComparison.Ordinal) ? json : JsonSerializer.Serialize(r);
        }

        return Walk(node) ? node.ToJsonString() : json;
    }

    private static bool Walk(JsonNode node)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                {
                    changed |= Replace(child, n => o[key] = n);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var index = i;
                    changed |= Replace(a[i], n => a[index] = n);
                }

                break;
        }

        return changed;
    }

    private static bool Replace(JsonNode? child, Action<JsonNode> set)
    {
        if (child is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var s = value.GetValue<string>();
            var r = Redact(s);
            if (string.Equals(r, s, StringComparison.Ordinal))
            {
                return false;
            }

            set(JsonValue.Create(r));
            return true;
        }

        return child is not null && Walk(child);
    }

    // VRP's reversible ciphertext: %^%#…%^%# (VRP8), %$%$…%$%$ and %@%@…%@%@ (VRP5), and the %+%#/%$%#/%#%#
    // variants seen in real CE and S-series configs, whatever keyword precedes it. A blob may be wrapped over
    // lines; one whose end never came (output cut short) is redacted to the end of its token.
    [GeneratedRegex(
        @"(?<d>%[\^$@+#]%[#$@])(?:\S|" + Wrap + @"|\r?\n){0,4096}?\k<d>|%[\^$@+#]%[#$@](?:\S|" + Wrap + @")*",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 5_000)]
    private static partial Regex Blob();

    // Irreversible hashes: VRP $1a$/$1b$/$1c$/$1d$… and crypt-style $1$, $5$, $6$, $8$, $9$ (Cisco type 5/8/9).
    [GeneratedRegex(@"(?<![\w$])\$(?:1[a-z]?|5|6|8|9)\$(?:\S|" + Wrap + @")+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 5_000)]
    private static partial Regex HuaweiOrUnixHash();

    // The keyword rules. Each alternative ends in the value group; everything before it is kept.
    [GeneratedRegex(
        // password cipher X · local-user u password irreversible-cipher X · peer p password simple X ·
        // ospf authentication-mode simple cipher X · snmp … privacy-mode aes128 cipher X. Not "ssh server cipher
        // aes256_ctr": there the word names algorithms.
        @"(?<![\w-])(?:irreversible-cipher|cipher|simple|plain)(?<!\bssh" + Ws + @"(?:server|client)" + Ws + @"cipher)" + Ws + "(?:" + Modifier + Ws + ")*" + Value +
        // password/secret with an encoding or type (password 7 X, secret 5 X); bare "password" is a mode
        // (authentication-mode password) or prose ("The password needs to be changed").
        @"|(?<![\w-])(?:password|secret)" + Ws + "(?:" + Modifier + Ws + ")+" + Value +
        // enable password X · username u [privilege n] secret X · local-user u password X (no encoding word).
        @"|(?m:^)[ \t]*(?:enable|username" + Ws + @"\S+|local-user" + Ws + @"\S+)(?:" + Ws + @"privilege" + Ws + @"[0-9]+)?" + Ws + "(?:password|secret)" + Ws + "(?:" + Modifier + Ws + ")*" + Value +
        // RADIUS/HWTACACS shared-key, IKE pre-shared-key, authentication-key, key-string, message-digest-key.
        @"|(?<![\w-])(?:shared-key|pre-shared-key|authentication-key|key-string|message-digest-key)" + Ws + "(?:(?:" + Modifier + "|" + Algorithm + ")" + Ws + ")*" + Value +
        // ospf/bgp/ntp/snmp authentication-mode md5 1 X (the encoding word is optional in older releases).
        @"|(?<![\w-])(?:authentication-mode|privacy-mode)" + Ws + Algorithm + Ws + "(?:" + Modifier + Ws + @")*(?!keychain\b)" + Value,
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 5_000)]
    private static partial Regex KeywordValue();

    // Rules that only hold on some lines are applied line by line (a lookbehind over the whole line at every
    // keyword would be quadratic on a long line).
    [GeneratedRegex(@"(?m)^[^\r\n]*?\b(?:snmp-agent|snmp-server|radius-server|tacacs-server)\b[^\r\n]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 5_000)]
    private static partial Regex ContextLine();

    // SNMP community names are passwords: snmp-agent community read X, snmp-server community X RO.
    [GeneratedRegex(@"(?<![\w-])community" + Ws + "(?:(?:read|write|ro|rw|" + Modifier + ")" + Ws + @")*(?!complexity-check\b)" + Value,
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 5_000)]
    private static partial Regex SnmpCommunity();

    // Cisco: radius-server key 7 X, tacacs-server host h key X.
    [GeneratedRegex(@"(?<![\w-])key" + Ws + "(?:" + Modifier + Ws + ")*" + Value, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 5_000)]
    private static partial Regex ServerKey();
}
