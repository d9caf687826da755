using System.Text.RegularExpressions;

namespace NetOpsBot.Vrp;

public enum VrpQuestionKind
{
    YesNo,
    Number,
    Username,
    Password,
}

/// <summary>A question the device is waiting on. <see cref="Default"/> is the value in "[default = 2048]" or "(y/n)[n]".</summary>
public sealed record VrpQuestion(VrpQuestionKind Kind, string Text, string? Default);

/// <summary>
/// Detects interactive questions at the end of the buffer. Questions arrive without a trailing newline,
/// so only the tail is inspected; an answered question earlier in the stream is not a question any more.
/// </summary>
public static partial class VrpConfirmation
{
    [GeneratedRegex(@"(?i)(?:\[\s*y\s*/\s*n\s*\]|\(\s*y\s*/\s*n\s*\))(?:\[(?<def>[yn])\])?\s*:?\s*$")]
    private static partial Regex YesNo();

    [GeneratedRegex(@"(?i)(?:input the bits in the modulus|input the modulus|modulus)\s*\[\s*default\s*=\s*(?<def>\d+)\s*\]\s*:\s*$")]
    private static partial Regex Modulus();

    [GeneratedRegex(@"(?i)(?:enter|input)?\s*(?:the\s+)?(?:login\s+)?password\s*:\s*$")]
    private static partial Regex Password();

    [GeneratedRegex(@"(?i)(?:please input the username|username|user name)\s*:\s*$")]
    private static partial Regex Username();

    public static VrpQuestion? DetectAtEnd(string? buffer)
    {
        if (string.IsNullOrEmpty(buffer))
        {
            return null;
        }

        var clean = VrpPaging.Strip(buffer).TrimEnd(' ', '\t');
        var lastBreak = clean.LastIndexOfAny(['\n', '\r']);
        var last = clean[(lastBreak + 1)..];
        if (last.Length == 0)
        {
            return null;
        }

        var m = YesNo().Match(last);
        if (m.Success)
        {
            return new VrpQuestion(VrpQuestionKind.YesNo, QuestionText(clean, lastBreak, last), m.Groups["def"].Success ? m.Groups["def"].Value : null);
        }

        m = Modulus().Match(last);
        if (m.Success)
        {
            return new VrpQuestion(VrpQuestionKind.Number, last.Trim(), m.Groups["def"].Value);
        }

        if (Password().IsMatch(last))
        {
            return new VrpQuestion(VrpQuestionKind.Password, last.Trim(), null);
        }

        return Username().IsMatch(last) ? new VrpQuestion(VrpQuestionKind.Username, last.Trim(), null) : null;
    }

    public static bool IsYesNoQuestion(string? buffer) => DetectAtEnd(buffer)?.Kind == VrpQuestionKind.YesNo;

    // Multi-line questions ("Warning: The initial password poses security risks.\nThe password needs to be
    // changed. Change now? [Y/N]:") keep their preceding Warning line so callers can match on it.
    private static string QuestionText(string clean, int lastBreak, string last)
    {
        if (lastBreak <= 0 || last.TrimStart().StartsWith("Warning", StringComparison.Ordinal))
        {
            return last.Trim();
        }

        var prevEnd = lastBreak;
        while (prevEnd > 0 && (clean[prevEnd - 1] == '\r' || clean[prevEnd - 1] == '\n'))
        {
            prevEnd--;
        }

        var prevStart = clean.LastIndexOfAny(['\n', '\r'], Math.Max(prevEnd - 1, 0)) + 1;
        var prev = clean[prevStart..prevEnd].Trim();
        return prev.StartsWith("Warning:", StringComparison.Ordinal) ? prev + " " + last.Trim() : last.Trim();
    }
}
