using System.Text.RegularExpressions;

namespace NetOpsBot.Vrp;

/// <summary>
/// The pager: VRP prints "  ---- More ----" without a newline, then erases it with cursor-left N,
/// N spaces, cursor-left N (N=42 on VRP5 S-series, 16 on VRP8/CE) and continues on the same line.
/// </summary>
public static partial class VrpPaging
{
    public const string MoreMarker = "---- More ----";

    // Marker plus any erase sequences; also tolerates captures where the escapes were already stripped
    // (marker followed by a run of spaces glued to the next line).
    [GeneratedRegex(@" *-{4} More -{4}(?:(?:\x1b\[\d+D)? *)*(?:\x1b\[\d+D)?")]
    private static partial Regex MoreWithErase();

    // Long command echo wraps with "space + ESC[1D" at the terminal width; must go before generic ANSI stripping.
    [GeneratedRegex(@" \x1b\[\d+D")]
    private static partial Regex WrapArtefact();

    [GeneratedRegex(@"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[@-Z\\-_])")]
    private static partial Regex Ansi();

    /// <summary>True when the buffer ends with the pager marker, i.e. the device waits for a key.</summary>
    public static bool EndsWithMore(string? buffer) =>
        buffer is not null && buffer.TrimEnd(' ').EndsWith(MoreMarker, StringComparison.Ordinal);

    public static bool ContainsMore(string? text) => text is not null && text.Contains(MoreMarker, StringComparison.Ordinal);

    /// <summary>Removes pager markers, their erase sequences, wrap artefacts, other ANSI codes and backspaces.</summary>
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
            s = WrapArtefact().Replace(s, string.Empty);
            s = Ansi().Replace(s, string.Empty);
        }

        if (s.Contains('\b', StringComparison.Ordinal) || s.Contains('\0', StringComparison.Ordinal))
        {
            s = ApplyBackspaces(s);
        }

        return s;
    }

    private static string ApplyBackspaces(string s)
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

        return sb.ToString();
    }
}
