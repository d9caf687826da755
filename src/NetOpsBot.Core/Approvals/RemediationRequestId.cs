using System.Diagnostics.CodeAnalysis;

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

    private RemediationRequestId(string value) => Value = value;

    public string Value { get; }

    /// <summary>A new random id.</summary>
    public static RemediationRequestId New() => new(ShortId.New(Prefix));

    /// <summary>Accepts <c>REQ-</c> plus 8 Crockford base32 characters, case-insensitively; false with a reason to show otherwise.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RemediationRequestId? id, [NotNullWhen(false)] out string? reason)
    {
        var value = ShortId.TryNormalize(text, Prefix, "request id", out reason);
        if (value is null)
        {
            id = null;
            reason ??= "invalid id";
            return false;
        }

        id = new RemediationRequestId(value);
        return true;
    }

    /// <summary>For trusted sources (storage, tests); throws on an invalid id.</summary>
    /// <exception cref="FormatException">The text is not a request id.</exception>
    public static RemediationRequestId Parse(string text) =>
        TryParse(text, out var id, out var reason) ? id : throw new FormatException(reason);

    public override string ToString() => Value;
}
