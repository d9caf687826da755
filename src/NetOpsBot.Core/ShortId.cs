using System.Security.Cryptography;

namespace NetOpsBot.Core;

/// <summary>
/// The textual form shared by incident and request ids: a prefix and 8 characters of Crockford base32
/// (40 random bits). Short enough to type in chat, URL-safe, unguessable enough that ids leak nothing
/// about volume or order.
/// </summary>
internal static class ShortId
{
    public const int RandomLength = 8;

    // Crockford's alphabet: no I, L, O, U, so ids read aloud or retyped are not confused.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(string prefix)
    {
        Span<byte> bytes = stackalloc byte[RandomLength];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[prefix.Length + RandomLength];
        prefix.AsSpan().CopyTo(chars);
        for (var i = 0; i < RandomLength; i++)
        {
            chars[prefix.Length + i] = Alphabet[bytes[i] & 31];
        }

        return new string(chars);
    }

    /// <summary>
    /// Accepts the prefix plus 8 Crockford base32 characters, case-insensitively (people retype ids from
    /// cards); the result is upper case. Otherwise null, with a reason fit to show the user.
    /// </summary>
    public static string? TryNormalize(string? text, string prefix, string what, out string? reason)
    {
        if (string.IsNullOrEmpty(text))
        {
            reason = $"{what} is empty";
            return null;
        }

        if (text.Length != prefix.Length + RandomLength || !text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            reason = $"{what} must look like {prefix}XXXXXXXX ({RandomLength} letters or digits)";
            return null;
        }

        var upper = text.ToUpperInvariant();
        for (var i = prefix.Length; i < upper.Length; i++)
        {
            if (!Alphabet.Contains(upper[i], StringComparison.Ordinal))
            {
                reason = $"{what} must look like {prefix}XXXXXXXX (letters and digits except I, L, O, U)";
                return null;
            }
        }

        reason = null;
        return upper;
    }
}
