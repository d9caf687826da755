using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace NetOpsBot.Core.Devices;

/// <summary>
/// A validated inventory device name. Names arrive as chat text, so the alphabet is deliberately narrow:
/// nothing that a shell or the VRP CLI could interpret (spaces, quotes, '|', ';', '$', newlines) survives.
/// </summary>
public sealed record DeviceName
{
    /// <summary>Longest accepted name (first character plus 62), matching common hostname limits.</summary>
    public const int MaxLength = 63;

    private DeviceName(string value) => Value = value;

    public string Value { get; }

    /// <summary>Accepts <c>[A-Za-z0-9][A-Za-z0-9._-]{0,62}</c>; otherwise returns false with a reason fit to show the user.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out DeviceName? name, [NotNullWhen(false)] out string? reason)
    {
        name = null;
        reason = Validate(text);
        if (reason is not null)
        {
            return false;
        }

        name = new DeviceName(text!);
        return true;
    }

    /// <summary>For trusted sources (inventory files, tests); throws on an invalid name.</summary>
    public static DeviceName Parse(string text) =>
        TryParse(text, out var name, out var reason) ? name : throw new ArgumentException(reason, nameof(text));

    public override string ToString() => Value;

    private static string? Validate(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "device name is empty";
        }

        if (text.Length > MaxLength)
        {
            return $"device name is longer than {MaxLength} characters";
        }

        if (!char.IsAsciiLetterOrDigit(text[0]))
        {
            return "device name must start with a letter or digit";
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not '.' and not '_' and not '-')
            {
                // Only printable ASCII is echoed back into chat. Anything else is described by its code point: control
                // characters, but also invisible and bidirectional ones (U+200B, U+202E) that would hide or reorder
                // the answer, and look-alikes (Cyrillic 'а') that would read as the allowed letter.
                var shown = c is >= '!' and <= '~'
                    ? $"'{c}'"
                    : $"U+{(Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out _) == OperationStatus.Done ? rune.Value : c):X4}";
                return $"device name contains a character that is not allowed: {shown} (allowed: letters, digits, '.', '_', '-')";
            }
        }

        return null;
    }
}
