using System.Text.RegularExpressions;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.IosXe;

public enum IosLogKind
{
    /// <summary>A syslog message: "%FACILITY-SEVERITY-MNEMONIC: text".</summary>
    Syslog,

    /// <summary>A debug line: "SSH0: starting SSH control process", "SSH2 0: SSH2_MSG_KEXINIT sent".</summary>
    Debug,
}

/// <summary>One asynchronous line printed under "terminal monitor". <see cref="Facility"/> is "SSH" for "%SSH-5-…" and for "SSH0:"/"SSH2 0:" debug lines.</summary>
public sealed record IosLogEntry(IosLogKind Kind, string Timestamp, string Facility, int? Severity, string? Mnemonic, string Message)
{
    public bool IsSsh => Facility.Equals("SSH", StringComparison.Ordinal);
}

public sealed record IosLogCapture(IReadOnlyList<IosLogEntry> Entries)
{
    public int SshCount => Entries.Count(e => e.IsSsh);
}

/// <summary>
/// Lines printed by "terminal monitor" + "debug ip ssh" ("*Mar  1 00:13:51.883: SSH0: starting SSH control
/// process", "%SSH-5-SSH2_SESSION: SSH2 Session request from …"). Zero SSH lines while a connection attempt is
/// refused means the rejection happens below SSH (no listener, an ACL on the port), as on VRP.
/// </summary>
public static partial class SshDebugLogParser
{
    [GeneratedRegex(@"^(?:\d{1,10}: )?(?<ts>[*.]?[A-Z][a-z]{2} +\d{1,2}(?: \d{4})? \d\d:\d\d:\d\d(?:\.\d{1,6})?(?: [A-Za-z]{2,5})?): (?<msg>.*)$")]
    private static partial Regex Stamped();

    [GeneratedRegex(@"^%(?<fac>[A-Z0-9_]+)-(?:\d+-)?(?<sev>\d)-(?<mn>[A-Z0-9_]+):\s*(?<text>.*)$")]
    private static partial Regex Syslog();

    [GeneratedRegex(@"^(?<fac>SSH)(?:\d+|2 \d+):\s*(?<text>.*)$")]
    private static partial Regex SshDebug();

    [GeneratedRegex(@"^(?<fac>[A-Za-z][A-Za-z0-9_-]*?)\d*:\s*(?<text>.*)$")]
    private static partial Regex OtherDebug();

    public static ParseResult<IosLogCapture> Parse(string? output) => ParseResult.Guard(output, o =>
    {
        var entries = new List<IosLogEntry>();
        var warnings = new List<string>();
        foreach (var line in IosXeOutputCleaner.Clean(o).AsyncLogLines)
        {
            var m = Stamped().Match(line);
            if (!m.Success)
            {
                warnings.Add("unrecognised log line: " + line);
                continue;
            }

            var ts = m.Groups["ts"].Value;
            var msg = m.Groups["msg"].Value.Trim();
            Match d;
            if ((d = Syslog().Match(msg)).Success)
            {
                entries.Add(new IosLogEntry(IosLogKind.Syslog, ts, d.Groups["fac"].Value, IosXeText.ToInt(d.Groups["sev"].Value), d.Groups["mn"].Value, d.Groups["text"].Value));
            }
            else if ((d = SshDebug().Match(msg)).Success || (d = OtherDebug().Match(msg)).Success)
            {
                entries.Add(new IosLogEntry(IosLogKind.Debug, ts, d.Groups["fac"].Value.ToUpperInvariant(), 7, null, d.Groups["text"].Value));
            }
            else
            {
                warnings.Add("unrecognised log line: " + line);
            }
        }

        return entries.Count == 0
            ? ParseResult.Unparsed<IosLogCapture>("no log or debug lines recognised", o)
            : ParseResult.Parsed(new IosLogCapture(entries), warnings);
    });

    /// <summary>Number of SSH log/debug messages in a capture; 0 for empty or unrecognised text.</summary>
    public static int CountSshDebugLines(string? text)
    {
        var r = Parse(text);
        return r.IsParsed ? r.Value!.SshCount : 0;
    }
}
