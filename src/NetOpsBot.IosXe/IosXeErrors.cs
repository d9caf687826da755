using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe;

public enum IosXeMessageKind
{
    /// <summary>"% Invalid input detected at '^' marker."</summary>
    InvalidInput,

    /// <summary>"% Incomplete command."</summary>
    Incomplete,

    /// <summary>"% Ambiguous command:  \"sh\""</summary>
    Ambiguous,

    /// <summary>"% Unknown command or computer name, or unable to find computer address" (user exec treats words as hosts).</summary>
    UnknownCommand,

    /// <summary>Another "% …" line that says something failed ("% Bad IP address or host name", "% Access denied").</summary>
    OtherError,

    /// <summary>A "% …" line that only informs ("% Key pair was generated at: …", "% Network not in table").</summary>
    Info,
}

/// <summary>A device message. <see cref="CaretColumn"/> is the column of the '^' marker (it counts the prompt).</summary>
public sealed record IosXeMessage(IosXeMessageKind Kind, string Text, int? CaretColumn, int LineIndex)
{
    public bool IsError => Kind != IosXeMessageKind.Info;
}

/// <summary>
/// Finds IOS's "% …" lines. Not every such line is an error ("% Key pair was generated at" is data), so only the
/// known failure texts count as errors; the '^' line above "% Invalid input" gives the column of the bad word.
/// </summary>
public static partial class IosXeErrors
{
    [GeneratedRegex(@"^\s*%\s?(?<msg>\S.*?)\s*$")]
    private static partial Regex PercentLine();

    [GeneratedRegex(@"^\s*\^\s*$")]
    private static partial Regex CaretLine();

    [GeneratedRegex(@"(?i)^(?:bad |invalid |access denied|authorization failed|not supported|unrecognized|error|cannot |can't |unable |connection refused|no such|failed)")]
    private static partial Regex OtherFailure();

    public static IReadOnlyList<IosXeMessage> FindMessages(string? text)
    {
        var result = new List<IosXeMessage>();
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        var lines = IosXeOutputCleaner.SplitLines(IosXePaging.Strip(text));
        int? caret = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length > 0 && CaretLine().IsMatch(line))
            {
                caret = line.IndexOf('^', StringComparison.Ordinal);
                continue;
            }

            var m = PercentLine().Match(line);
            if (m.Success)
            {
                var msg = m.Groups["msg"].Value;
                var kind = Classify(msg);
                result.Add(new IosXeMessage(kind, msg, kind == IosXeMessageKind.InvalidInput ? caret : null, i));
            }

            if (line.Trim().Length > 0)
            {
                caret = null;
            }
        }

        return result;
    }

    public static bool HasError(string? text) => FindMessages(text).Any(m => m.IsError);

    public static IosXeMessage? FirstError(string? text) => FindMessages(text).FirstOrDefault(m => m.IsError);

    private static IosXeMessageKind Classify(string msg)
    {
        if (msg.StartsWith("Invalid input detected", StringComparison.OrdinalIgnoreCase))
        {
            return IosXeMessageKind.InvalidInput;
        }

        if (msg.StartsWith("Incomplete command", StringComparison.OrdinalIgnoreCase))
        {
            return IosXeMessageKind.Incomplete;
        }

        if (msg.StartsWith("Ambiguous command", StringComparison.OrdinalIgnoreCase))
        {
            return IosXeMessageKind.Ambiguous;
        }

        if (msg.StartsWith("Unknown command", StringComparison.OrdinalIgnoreCase))
        {
            return IosXeMessageKind.UnknownCommand;
        }

        return OtherFailure().IsMatch(msg) ? IosXeMessageKind.OtherError : IosXeMessageKind.Info;
    }
}
