using System.Text.RegularExpressions;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Vrp;

public enum VrpLogKind
{
    Log,
    Debug,
    Alarm,
}

/// <summary>One asynchronous message; hard-wrapped continuation lines are re-joined into <see cref="Message"/>.</summary>
public sealed record VrpLogEntry(VrpLogKind Kind, string? Timestamp, string? Host, string Module, int? Level, string Brief, string Message)
{
    public bool IsSsh => Module.StartsWith("SSH", StringComparison.OrdinalIgnoreCase) || Message.Contains("SSH protocol packet", StringComparison.OrdinalIgnoreCase);
}

public sealed record VrpLogCapture(IReadOnlyList<VrpLogEntry> Entries)
{
    public int SshCount => Entries.Count(e => e.IsSsh);
}

/// <summary>
/// Log/debug lines printed by "terminal monitor"/"terminal debugging" ("%%01SSH/4/…", "ARP/7/arp_rcv:",
/// "#47/active/…" alarms). Used by the runbook's SSH-debug step: zero SSH lines while a connection is
/// refused means the rejection happens below SSH (the reference "ghost port" case).
/// </summary>
public static partial class SshDebugLogParser
{
    [GeneratedRegex(@"^(?<ts>[A-Z][a-z]{2} +\d{1,2} \d{4} \d\d:\d\d:\d\d(?:[.:]\d+)*(?: ?[+-]\d\d:\d\d)?) (?<host>\S+) (?:%%\d\d)?(?<mod>[A-Za-z0-9_]+)/(?<lvl>\d)/(?<brief>[^:\s]+?)(?:\([a-z]\))?(?:\[\d+\])?:(?<msg>.*)$")]
    private static partial Regex LogLine();

    [GeneratedRegex(@"^#\d+/(?:active|clear)/(?<brief>[^/]+)/(?<sev>[^/]+)/occurredTime:(?<ts>[^/]+)/(?<msg>.*)$")]
    private static partial Regex AlarmLine();

    public static ParseResult<VrpLogCapture> Parse(string? output) => ParseResult.Guard(output, o =>
    {
        var entries = Extract(o);
        return entries.Count == 0
            ? ParseResult.Unparsed<VrpLogCapture>("no log or debug lines recognised", o)
            : ParseResult.Parsed(new VrpLogCapture(entries));
    });

    /// <summary>Number of SSH log/debug messages in a capture; 0 for empty or unrecognised text.</summary>
    public static int CountSshDebugLines(string? text)
    {
        var r = Parse(text);
        return r.IsParsed ? r.Value!.SshCount : 0;
    }

    private static List<VrpLogEntry> Extract(string text)
    {
        var result = new List<VrpLogEntry>();
        foreach (var entry in VrpOutputCleaner.Clean(text).AsyncLogLines)
        {
            var m = LogLine().Match(entry);
            if (m.Success)
            {
                var level = VrpText.ToInt(m.Groups["lvl"].Value);
                result.Add(new VrpLogEntry(level == 7 && !entry.Contains("%%", StringComparison.Ordinal) ? VrpLogKind.Debug : VrpLogKind.Log, m.Groups["ts"].Value, m.Groups["host"].Value, m.Groups["mod"].Value, level, m.Groups["brief"].Value, m.Groups["msg"].Value.Trim()));
                continue;
            }

            m = AlarmLine().Match(entry);
            if (m.Success)
            {
                result.Add(new VrpLogEntry(VrpLogKind.Alarm, m.Groups["ts"].Value, null, "ALARM", null, m.Groups["brief"].Value, m.Groups["msg"].Value.Trim()));
            }
        }

        return result;
    }
}
