using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe;

/// <summary>"show version". <see cref="IsIosXe"/> tells IOS-XE ("Cisco IOS XE Software") from classic IOS.</summary>
public sealed record IosVersionInfo(
    string Version,
    bool IsIosXe,
    string? SoftwareImage,
    string? Hostname,
    string? Uptime,
    string? ReloadReason,
    string? SystemImage,
    IReadOnlyList<string> Hardware,
    IReadOnlyList<string> Serials,
    string? ConfigRegister);

public static partial class ShowVersionParser
{
    [GeneratedRegex(@"^Cisco IOS(?<xe> XE)? Software.*?(?:\((?<image>[^)]+)\))?,\s*Version (?<ver>[^\s,]+)")]
    private static partial Regex SoftwareLine();

    [GeneratedRegex(@"^Cisco IOS XE Software, Version (?<ver>\S+)")]
    private static partial Regex XeLine();

    [GeneratedRegex(@"^(?<host>\S+) uptime is (?<up>.+)$")]
    private static partial Regex UptimeLine();

    [GeneratedRegex(@"^System returned to ROM by (?<why>.+?)(?: at .*)?$")]
    private static partial Regex ReturnedLine();

    [GeneratedRegex(@"^Last reload reason:\s*(?<why>.+)$")]
    private static partial Regex ReloadReasonLine();

    [GeneratedRegex(@"^System image file is ""(?:[^:""]*:)?/?(?<file>[^""]+)""")]
    private static partial Regex ImageLine();

    [GeneratedRegex(@"^[Cc]isco (?<hw>\S+) \(.+\) processor")]
    private static partial Regex HardwareLine();

    [GeneratedRegex(@"^(?:Processor board ID|System Serial Number\s*:)\s*(?<sn>\S+)")]
    private static partial Regex SerialLine();

    [GeneratedRegex(@"^Configuration register is (?<reg>\S+)")]
    private static partial Regex RegisterLine();

    public static ParseResult<IosVersionInfo> Parse(string? output) => ParseResult.Guard(output, Body);

    private static ParseResult<IosVersionInfo> Body(string output)
    {
        string? version = null, image = null, host = null, up = null, why = null, file = null, reg = null;
        var xe = false;
        var hw = new List<string>();
        var serials = new List<string>();
        foreach (var raw in IosXeOutputCleaner.Clean(output).Lines)
        {
            var t = raw.Trim();
            Match m;
            if ((m = XeLine().Match(t)).Success)
            {
                xe = true;
                version ??= m.Groups["ver"].Value;
            }
            else if (version is null && (m = SoftwareLine().Match(t)).Success)
            {
                version = m.Groups["ver"].Value;
                xe |= m.Groups["xe"].Success || t.Contains("IOS-XE", StringComparison.Ordinal);
                image = m.Groups["image"].Success ? m.Groups["image"].Value : null;
            }
            else if (image is null && (m = SoftwareLine().Match(t)).Success && m.Groups["image"].Success)
            {
                image = m.Groups["image"].Value;
            }
            else if (host is null && (m = UptimeLine().Match(t)).Success)
            {
                host = m.Groups["host"].Value;
                up = m.Groups["up"].Value;
            }
            else if ((m = ReloadReasonLine().Match(t)).Success || (why is null && (m = ReturnedLine().Match(t)).Success))
            {
                why = m.Groups["why"].Value;
            }
            else if ((m = ImageLine().Match(t)).Success)
            {
                file = m.Groups["file"].Value;
            }
            else if ((m = HardwareLine().Match(t)).Success)
            {
                hw.Add(m.Groups["hw"].Value);
            }
            else if ((m = SerialLine().Match(t)).Success)
            {
                serials.Add(m.Groups["sn"].Value);
            }
            else if ((m = RegisterLine().Match(t)).Success)
            {
                reg = m.Groups["reg"].Value;
            }
        }

        // The legal text and the interface counts are long and vary by platform: only the facts above are read.
        return version is null
            ? ParseResult.Unparsed<IosVersionInfo>("no 'Cisco IOS Software …, Version' line", output)
            : ParseResult.Parsed(new IosVersionInfo(version, xe, image, host, up, why, file, hw, serials.Distinct().ToList(), reg));
    }
}
