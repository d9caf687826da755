using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe;

/// <summary>Command output with the terminal noise removed.</summary>
public sealed record IosXeCleanedOutput(
    IReadOnlyList<string> Lines,
    string? EchoedCommand,
    IosXePromptInfo? Prompt,
    IReadOnlyList<string> AsyncLogLines,
    bool HasFollowingCommands)
{
    public string Text => string.Join('\n', Lines);
}

/// <summary>
/// Removes the echoed command, prompts, pager artefacts and ANSI codes, and separates asynchronous syslog and
/// debug lines (terminal monitor) from the command output they interleave with.
/// </summary>
public static partial class IosXeOutputCleaner
{
    // Syslog: "*Mar  1 00:01:02.123: %SSH-5-ENABLED: ...", "Dec  6 01:02:03.456 UTC: %SYS-5-CONFIG_I: ...",
    // optionally after a sequence number ("000123: "); debug: "*Dec  6 01:02:03.456: SSH0: starting SSH control process".
    [GeneratedRegex(@"^(?:\d{1,10}: )?[*.]?[A-Z][a-z]{2} +\d{1,2}(?: \d{4})? \d\d:\d\d:\d\d(?:\.\d{1,6})?(?: [A-Za-z]{2,5})?: (?:%[A-Z0-9_]+-(?:\d+-)?\d-[A-Z0-9_]+:|\S)")]
    internal static partial Regex LogHeader();

    public static IosXeCleanedOutput Clean(string? raw, string? command = null, string? knownHostname = null)
    {
        var lines = SplitLines(IosXePaging.Strip(raw));
        var output = new List<string>(lines.Count);
        var logs = new List<string>();
        string? echo = null;
        IosXePromptInfo? prompt = null;
        var following = false;

        foreach (var line in lines)
        {
            if (LogHeader().IsMatch(line))
            {
                logs.Add(line);
                continue;
            }

            if (IosXePrompt.TryParse(line, out var p, knownHostname))
            {
                prompt ??= p;
                continue;
            }

            if (IosXePrompt.TrySplitEcho(line, out var ep, out var cmd, knownHostname))
            {
                if (echo is null && !output.Any(l => l.Length > 0))
                {
                    echo = cmd;
                    prompt = ep;
                    output.Clear();
                    continue;
                }

                // A second command in the same capture: its output is not ours.
                following = true;
                break;
            }

            if (echo is null && command is not null && !output.Any(l => l.Length > 0) && line.Trim().Equals(command.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                echo = line.Trim();
                continue;
            }

            output.Add(line);
        }

        while (output.Count > 0 && output[^1].Trim().Length == 0)
        {
            output.RemoveAt(output.Count - 1);
        }

        var lead = 0;
        while (lead < output.Count && output[lead].Trim().Length == 0)
        {
            lead++;
        }

        output.RemoveRange(0, lead);
        return new IosXeCleanedOutput(output, echo, prompt, logs, following);
    }

    /// <summary>Splits on CRLF, LF or lone CR and trims trailing padding.</summary>
    public static IReadOnlyList<string> SplitLines(string? text)
    {
        var result = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        var span = text.AsSpan();
        while (true)
        {
            var idx = span.IndexOfAny('\r', '\n');
            if (idx < 0)
            {
                result.Add(span.TrimEnd().ToString());
                break;
            }

            result.Add(span[..idx].TrimEnd().ToString());
            var skip = span[idx] == '\r' && idx + 1 < span.Length && span[idx + 1] == '\n' ? 2 : 1;
            span = span[(idx + skip)..];
            if (span.IsEmpty)
            {
                break;
            }
        }

        return result;
    }
}
