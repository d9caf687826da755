using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace NetOpsBot.Core.Incidents;

/// <summary>
/// An incident identifier such as <c>INC-7K2M9QXA</c>: <c>INC-</c> and 8 characters of Crockford base32
/// (40 random bits). Short enough to type in chat, URL-safe, and unguessable enough that ids leak nothing
/// about volume or order (creation time is stored separately).
/// </summary>
public sealed record IncidentId
{
    /// <summary>The fixed prefix.</summary>
    public const string Prefix = "INC-";

    /// <summary>Number of base32 characters after the prefix.</summary>
    public const int RandomLength = 8;

    /// <summary>Total length of the textual form.</summary>
    public const int Length = 12;

    // Crockford's alphabet: no I, L, O, U, so ids read aloud or retyped are not confused.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private IncidentId(string value) => Value = value;

    public string Value { get; }

    /// <summary>A new random id.</summary>
    public static IncidentId New()
    {
        Span<byte> bytes = stackalloc byte[RandomLength];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[Length];
        Prefix.AsSpan().CopyTo(chars);
        for (var i = 0; i < RandomLength; i++)
        {
            chars[Prefix.Length + i] = Alphabet[bytes[i] & 31];
        }

        return new IncidentId(new string(chars));
    }

    /// <summary>
    /// Accepts <c>INC-</c> plus 8 Crockford base32 characters, case-insensitively (people retype ids from
    /// cards); the result is always upper case. Returns false with a reason fit to show the user otherwise.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out IncidentId? id, [NotNullWhen(false)] out string? reason)
    {
        id = null;
        if (string.IsNullOrEmpty(text))
        {
            reason = "incident id is empty";
            return false;
        }

        if (text.Length != Length || !text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            reason = $"incident id must look like {Prefix}XXXXXXXX ({RandomLength} letters or digits)";
            return false;
        }

        var upper = text.ToUpperInvariant();
        for (var i = Prefix.Length; i < upper.Length; i++)
        {
            if (!Alphabet.Contains(upper[i], StringComparison.Ordinal))
            {
                reason = $"incident id must look like {Prefix}XXXXXXXX (letters and digits except I, L, O, U)";
                return false;
            }
        }

        reason = null;
        id = new IncidentId(upper);
        return true;
    }

    /// <summary>For trusted sources (storage, tests); throws on an invalid id.</summary>
    public static IncidentId Parse(string text) =>
        TryParse(text, out var id, out var reason) ? id : throw new FormatException(reason);

    public override string ToString() => Value;
}
