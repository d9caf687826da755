using System.Text.RegularExpressions;

namespace NetOpsBot.Vrp;

/// <summary>Command output with the terminal noise removed.</summary>
public sealed record CleanedOutput(
    IReadOnlyList<string> Lines,
    string? EchoedCommand,
    VrpPromptInfo? Prompt,
    IReadOnlyList<string> AsyncLogLines,
    string? Timestamp,
    bool HasFollowingCommands)
{
    public string Text => string.Join('\n', Lines);
}

/// <summary>
/// Removes echoed command, prompts, pager artefacts and ANSI codes, and separates asynchronous
/// log/debug lines (terminal monitor) from the command output they interleave with.
/// </summary>
public static partial class VrpOutputCleaner
{
    // VRP5: "Apr  2 2020 20:25:28-08:00 KH %%01SSH/4/..."; VRP8: "Nov 26 2024 14:05:54 SPINE1 %%01IFNET/2/...";
    // debug: "Jan 11 2026 12:53:16.722.1-08:00 Huawei ARP/7/arp_rcv:"; alarms: "#47/active/linkDown/...".
    [GeneratedRegex(@"^(?:[A-Z][a-z]{2} +\d{1,2} \d{4} \d\d:\d\d:\d\d(?:[.:]\d+)*(?: ?[+-]\d\d:\d\d)? \S+ (?:%%\d\d)?[A-Za-z0-9_]+/\d/[^:\s]+?(?:\([a-z]\))?(?:\[\d+\])?:|#\d+/(?:active|clear)/)")]
    internal static partial Regex LogHeader();

    /// <summary>Terminal width at which VRP hard-wraps log messages; a line this long continues on the next one.</summary>
    internal const int WrapWidth = 79;

    public static CleanedOutput Clean(string? raw, string? command = null, string? knownHostname = null)
    {
        var lines = SplitLines(VrpPaging.Strip(raw));
        var output = new List<string>(lines.Count);
        var logs = new List<string>();
        string? echo = null;
        string? timestamp = null;
        VrpPromptInfo? prompt = null;
        var following = false;

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (LogHeader().IsMatch(line))
            {
                var entry = line;
                while (line.Length >= WrapWidth && i + 1 < lines.Count && lines[i + 1].Length > 0 && !IsPromptish(lines[i + 1]) && !LogHeader().IsMatch(lines[i + 1]))
                {
                    line = lines[++i];
                    entry += line;
                }

                logs.Add(entry);
                continue;
            }

            if (VrpPrompt.TryParse(line, out var p, knownHostname))
            {
                prompt ??= p;
                continue;
            }

            if (VrpPrompt.TrySplitEcho(line, out var ep, out var cmd, knownHostname) && LooksLikeCommand(cmd))
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

            if (echo is null && !output.Any(l => l.Length > 0) && IsBareEcho(line, command))
            {
                echo = line.Trim();
                continue;
            }

            if (timestamp is null && !output.Any(l => l.Length > 0) && VrpText.TimestampLine().IsMatch(line.Trim()))
            {
                timestamp = line.Trim();
                continue;
            }

            output.Add(line);
        }

        TrimBlankEdges(output);
        return new CleanedOutput(output, echo, prompt, logs, timestamp, following);
    }

    /// <summary>Splits on CRLF, LF or lone CR and trims trailing padding (captures are often space-padded to 80/132 columns).</summary>
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

    private static bool IsPromptish(string line) => VrpPrompt.TryParse(line, out _) || VrpPrompt.TrySplitEcho(line, out _, out _);

    // Echoes start with a lowercase command word; anything else after a "[...]" is data (e.g. "[V200R003C00]").
    private static bool LooksLikeCommand(string cmd) => cmd.Length > 0 && char.IsAsciiLetterLower(cmd[0]);

    private static bool IsBareEcho(string line, string? command)
    {
        var t = line.Trim();
        if (t.Length == 0)
        {
            return false;
        }

        if (command is not null && t.Equals(command.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return (t.StartsWith("display ", StringComparison.Ordinal) || t.StartsWith("dis ", StringComparison.Ordinal) || t.StartsWith("ping ", StringComparison.Ordinal))
               && !t.Contains(':', StringComparison.Ordinal) && !t.Contains('=', StringComparison.Ordinal);
    }

    private static void TrimBlankEdges(List<string> lines)
    {
        while (lines.Count > 0 && lines[^1].Trim().Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var lead = 0;
        while (lead < lines.Count && lines[lead].Trim().Length == 0)
        {
            lead++;
        }

        lines.RemoveRange(0, lead);
    }
}
