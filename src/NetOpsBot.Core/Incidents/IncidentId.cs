using System.Diagnostics.CodeAnalysis;

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

    private IncidentId(string value) => Value = value;

    public string Value { get; }

    /// <summary>A new random id.</summary>
    public static IncidentId New() => new(ShortId.New(Prefix));

    /// <summary>Accepts <c>INC-</c> plus 8 Crockford base32 characters, case-insensitively; false with a reason to show otherwise.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out IncidentId? id, [NotNullWhen(false)] out string? reason)
    {
        var value = ShortId.TryNormalize(text, Prefix, "incident id", out reason);
        if (value is null)
        {
            id = null;
            reason ??= "invalid id";
            return false;
        }

        id = new IncidentId(value);
        return true;
    }

    /// <summary>For trusted sources (storage, tests); throws on an invalid id.</summary>
    public static IncidentId Parse(string text) =>
        TryParse(text, out var id, out var reason) ? id : throw new FormatException(reason);

    public override string ToString() => Value;
}
