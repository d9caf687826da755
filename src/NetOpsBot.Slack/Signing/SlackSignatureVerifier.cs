using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NetOpsBot.Slack.Signing;

/// <summary>
/// Slack's <c>v0</c> request signature: HMAC-SHA256 with the signing secret over
/// <c>"v0:" + timestamp + ":" + raw body</c>, compared in constant time, and a timestamp window that
/// applies in both directions (Bolt rejects only old timestamps; a future one would let a captured
/// request be replayed later, so we refuse it too).
/// </summary>
public sealed class SlackSignatureVerifier
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";

    // "v0=" + 64 hex characters.
    private const int SignatureLength = 67;
    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly long _windowSeconds;

    public SlackSignatureVerifier(string signingSecret, TimeProvider time, TimeSpan window)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(signingSecret);
        ArgumentNullException.ThrowIfNull(time);
        _key = Encoding.UTF8.GetBytes(signingSecret);
        _time = time;
        _windowSeconds = (long)window.TotalSeconds;
    }

    /// <summary>Checks one request; <paramref name="body"/> must be the bytes exactly as received.</summary>
    public SignatureCheck Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return SignatureCheck.MissingHeaders;
        }

        if (timestamp.Length > 12 || !timestamp.All(char.IsAsciiDigit) || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts))
        {
            return SignatureCheck.MalformedTimestamp;
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (now - ts > _windowSeconds)
        {
            return SignatureCheck.Stale;
        }

        if (ts - now > _windowSeconds)
        {
            return SignatureCheck.FromTheFuture;
        }

        if (!signature.StartsWith("v0=", StringComparison.Ordinal))
        {
            return SignatureCheck.UnknownVersion;
        }

        Span<byte> expected = stackalloc byte[SignatureLength];
        Compute(timestamp, body, expected);
        Span<byte> given = stackalloc byte[SignatureLength];
        // A header of the wrong length cannot match; comparing it against a fixed-size buffer keeps the
        // work independent of where it differs.
        given.Clear();
        if (signature.Length == SignatureLength)
        {
            Encoding.ASCII.GetBytes(signature, given);
        }

        return CryptographicOperations.FixedTimeEquals(expected, given) && signature.Length == SignatureLength
            ? SignatureCheck.Valid
            : SignatureCheck.Mismatch;
    }

    /// <summary>The <c>v0=…</c> signature of a request (also what the tests' fake Slack sends).</summary>
    public static string Sign(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(timestamp);
        if (timestamp.Length > 12)
        {
            throw new ArgumentException("a Slack timestamp is unix seconds", nameof(timestamp));
        }

        var key = Encoding.UTF8.GetBytes(signingSecret);
        Span<byte> sig = stackalloc byte[SignatureLength];
        Compute(key, timestamp, body, sig);
        return Encoding.ASCII.GetString(sig);
    }

    private void Compute(string timestamp, ReadOnlySpan<byte> body, Span<byte> destination) => Compute(_key, timestamp, body, destination);

    private static void Compute(byte[] key, string timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        Span<byte> prefix = stackalloc byte[3 + 12 + 1];
        var n = Encoding.ASCII.GetBytes("v0:", prefix);
        n += Encoding.ASCII.GetBytes(timestamp, prefix[n..]);
        prefix[n++] = (byte)':';
        hmac.AppendData(prefix[..n]);
        hmac.AppendData(body);
        Span<byte> mac = stackalloc byte[32];
        hmac.GetHashAndReset(mac);
        "v0="u8.CopyTo(destination);
        // Lowercase hex straight into the output buffer.
        for (var i = 0; i < 32; i++)
        {
            destination[3 + (2 * i)] = Hex[mac[i] >> 4];
            destination[4 + (2 * i)] = Hex[mac[i] & 0xF];
        }
    }

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;
}
