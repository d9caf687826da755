using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe;

/// <summary>
/// The pager: IOS prints " --More-- " without a newline and, once a key is pressed, erases it with
/// backspaces, spaces and backspaces (one per character of the marker) before continuing on the same line.
/// </summary>
public static partial class IosXePaging
{
    public const string MoreMarker = "--More--";

    // Marker with its surrounding blanks and any erase run (backspaces/spaces) that follows it.
    [GeneratedRegex(@" ?--More-- ?(?:[\b ]*\b)?")]
    private static partial Regex MoreWithErase();

    [GeneratedRegex(@"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[@-Z\\-_])")]
    private static partial Regex Ansi();

    /// <summary>True when the buffer ends with the pager marker, i.e. the device waits for a key.</summary>
    public static bool EndsWithMore(string? buffer) =>
        buffer is not null && buffer.TrimEnd(' ').EndsWith(MoreMarker, StringComparison.Ordinal);

    public static bool ContainsMore(string? text) => text is not null && text.Contains(MoreMarker, StringComparison.Ordinal);

    /// <summary>Removes pager markers and their erase runs, ANSI codes and backspaces.</summary>
    public static string Strip(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var s = text;
        if (s.Contains(MoreMarker, StringComparison.Ordinal))
        {
            s = MoreWithErase().Replace(s, string.Empty);
        }

        if (s.Contains('\x1b', StringComparison.Ordinal))
        {
            s = Ansi().Replace(s, string.Empty);
        }

        if (s.Contains('\b', StringComparison.Ordinal) || s.Contains('\0', StringComparison.Ordinal))
        {
            var sb = new System.Text.StringBuilder(s.Length);
            foreach (var c in s)
            {
                if (c == '\b')
                {
                    if (sb.Length > 0 && sb[^1] != '\n')
                    {
                        sb.Length--;
                    }
                }
                else if (c != '\0')
                {
                    sb.Append(c);
                }
            }

            s = sb.ToString();
        }

        return s;
    }
}
