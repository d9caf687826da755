using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe;

public enum IosXeQuestionKind
{
    /// <summary>"Proceed with reload? [confirm]": Enter confirms, 'n' cancels.</summary>
    Confirm,

    /// <summary>"System configuration has been modified. Save? [yes/no]:": the word, not a letter.</summary>
    YesNo,

    /// <summary>"How many bits in the modulus [1024]:".</summary>
    Number,

    /// <summary>"Destination filename [startup-config]?": Enter takes the default.</summary>
    Filename,

    Username,
    Password,
}

/// <summary>A question the device is waiting on. <see cref="Default"/> is the value in brackets, when it offers one.</summary>
public sealed record IosXeQuestion(IosXeQuestionKind Kind, string Text, string? Default);

/// <summary>
/// Detects IOS's interactive questions at the end of the buffer. They arrive without a trailing newline, so only
/// the last line counts; a question answered earlier in the stream is not a question any more.
/// </summary>
public static partial class IosXeConfirmation
{
    [GeneratedRegex(@"\[confirm\]\s*$")]
    private static partial Regex Confirm();

    [GeneratedRegex(@"(?i)\[\s*yes\s*/\s*no\s*\]\s*:?\s*$")]
    private static partial Regex YesNo();

    [GeneratedRegex(@"(?i)modulus\s*\[(?<def>\d+)\]\s*:\s*$")]
    private static partial Regex Modulus();

    [GeneratedRegex(@"(?i)filename\s*\[(?<def>[^\]\r\n]*)\]\s*\?\s*$")]
    private static partial Regex Filename();

    [GeneratedRegex(@"(?i)password\s*:\s*$")]
    private static partial Regex Password();

    [GeneratedRegex(@"(?i)username\s*:\s*$")]
    private static partial Regex Username();

    public static IosXeQuestion? DetectAtEnd(string? buffer)
    {
        if (string.IsNullOrEmpty(buffer))
        {
            return null;
        }

        var clean = IosXePaging.Strip(buffer).TrimEnd(' ', '\t');
        var last = clean[(clean.LastIndexOfAny(['\n', '\r']) + 1)..].Trim();
        if (last.Length == 0)
        {
            return null;
        }

        if (Confirm().IsMatch(last))
        {
            return new IosXeQuestion(IosXeQuestionKind.Confirm, last, null);
        }

        if (YesNo().IsMatch(last))
        {
            return new IosXeQuestion(IosXeQuestionKind.YesNo, last, null);
        }

        var m = Modulus().Match(last);
        if (m.Success)
        {
            return new IosXeQuestion(IosXeQuestionKind.Number, last, m.Groups["def"].Value);
        }

        m = Filename().Match(last);
        if (m.Success)
        {
            return new IosXeQuestion(IosXeQuestionKind.Filename, last, m.Groups["def"].Value);
        }

        if (Password().IsMatch(last))
        {
            return new IosXeQuestion(IosXeQuestionKind.Password, last, null);
        }

        return Username().IsMatch(last) ? new IosXeQuestion(IosXeQuestionKind.Username, last, null) : null;
    }
}
