using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace NetOpsBot.Core.Approvals;

/// <summary>
/// A remediation request identifier such as <c>REQ-7K2M9QXA</c>: <c>REQ-</c> and 8 characters of Crockford
/// base32 (40 random bits), the same shape as an incident id so people can retype either from a card.
/// </summary>
public sealed record RemediationRequestId
{
    /// <summary>The fixed prefix.</summary>
    public const string Prefix = "REQ-";

    /// <summary>Number of base32 characters after the prefix.</summary>
    public const int RandomLength = 8;

    /// <summary>Total length of the textual form.</summary>
    public const int Length = 12;

    // Crockford's alphabet: no I, L, O, U, so ids read aloud or retyped are not confused.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private RemediationRequestId(string value) => Value = value;

    public string Value { get; }

    /// <summary>A new random id.</summary>
    public static RemediationRequestId New()
    {
        Span<byte> bytes = stackalloc byte[RandomLength];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[Length];
        Prefix.AsSpan().CopyTo(chars);
        for (var i = 0; i < RandomLength; i++)
        {
            chars[Prefix.Length + i] = Alphabet[bytes[i] & 31];
        }

        return new RemediationRequestId(new string(chars));
    }

    /// <summary>
    /// Accepts <c>REQ-</c> plus 8 Crockford base32 characters, case-insensitively; the result is upper case.
    /// Returns false with a reason fit to show the user otherwise (ids arrive in card actions and chat text).
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RemediationRequestId? id, [NotNullWhen(false)] out string? reason)
    {
        id = null;
        if (string.IsNullOrEmpty(text))
        {
            reason = "request id is empty";
            return false;
        }

        if (text.Length != Length || !text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            reason = $"request id must look like {Prefix}XXXXXXXX ({RandomLength} letters or digits)";
            return false;
        }

        var upper = text.ToUpperInvariant();
        for (var i = Prefix.Length; i < upper.Length; i++)
        {
            if (!Alphabet.Contains(upper[i], StringComparison.Ordinal))
            {
                reason = $"request id must look like {Prefix}XXXXXXXX (letters and digits except I, L, O, U)";
                return false;
            }
        }

        reason = null;
        id = new RemediationRequestId(upper);
        return true;
    }

    /// <summary>For trusted sources (storage, tests); throws on an invalid id.</summary>
    /// <exception cref="FormatException">The text is not a request id.</exception>
    public static RemediationRequestId Parse(string text) =>
        TryParse(text, out var id, out var reason) ? id : throw new FormatException(reason);

    public override string ToString() => Value;
}
