using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe;

/// <summary>
/// IOS ping. <see cref="Stream"/> is the per-probe line ("!!!!!", ".....", "Q..U!"); '!' is a reply, '.' a
/// timeout, 'U' unreachable, 'Q' source quench, 'M' could not fragment, '?' unknown packet type, '&amp;' TTL exceeded.
/// </summary>
public sealed record IosPingResult(
    string? Destination,
    string? Source,
    int Sent,
    int Received,
    int SuccessPercent,
    int? PacketSize,
    int? TimeoutSeconds,
    string Stream,
    int? RttMinMs,
    int? RttAvgMs,
    int? RttMaxMs)
{
    public bool AnyReply => Received > 0;
}

public static partial class PingParser
{
    [GeneratedRegex(@"^Sending (?<n>\d+), (?<size>\d+)-byte ICMP Echos to (?<dst>\S+), timeout is (?<to>\d+) seconds:$")]
    private static partial Regex Sending();

    [GeneratedRegex(@"^Packet sent with a source address of (?<src>\S+)$")]
    private static partial Regex Source();

    [GeneratedRegex(@"^Success rate is (?<pct>\d+) percent \((?<ok>\d+)/(?<sent>\d+)\)(?:, round-trip min/avg/max = (?<min>\d+)/(?<avg>\d+)/(?<max>\d+) ms)?\s*$")]
    private static partial Regex Success();

    [GeneratedRegex(@"^[!.UQM?&C]+$")]
    private static partial Regex StreamLine();

    public static ParseResult<IosPingResult> Parse(string? output) => ParseResult.Guard(output, Body);

    private static ParseResult<IosPingResult> Body(string output)
    {
        var lines = IosXeOutputCleaner.Clean(output).Lines;
        var warnings = new List<string>();
        string? dst = null, src = null;
        int? announced = null, size = null, timeout = null;
        var stream = new System.Text.StringBuilder();
        Match? success = null;
        foreach (var raw in lines)
        {
            var t = raw.Trim();
            if (t.Length == 0 || t.StartsWith("Type escape sequence to abort", StringComparison.Ordinal))
            {
                continue;
            }

            Match m;
            if ((m = Sending().Match(t)).Success)
            {
                announced = IosXeText.ToInt(m.Groups["n"].Value);
                size = IosXeText.ToInt(m.Groups["size"].Value);
                dst = m.Groups["dst"].Value;
                timeout = IosXeText.ToInt(m.Groups["to"].Value);
            }
            else if ((m = Source().Match(t)).Success)
            {
                src = m.Groups["src"].Value;
            }
            else if ((m = Success().Match(t)).Success)
            {
                success = m;
            }
            else if (StreamLine().IsMatch(t))
            {
                stream.Append(t);
            }
            else
            {
                warnings.Add("unrecognised line: " + t);
            }
        }

        if (success is null)
        {
            return ParseResult.Unparsed<IosPingResult>("no 'Success rate is' line", output);
        }

        var ok = IosXeText.ToInt(success.Groups["ok"].Value) ?? 0;
        var sent = IosXeText.ToInt(success.Groups["sent"].Value) ?? 0;
        var replies = stream.ToString().Count(c => c == '!');
        if (announced is int a && a != sent)
        {
            warnings.Add($"announced {a} probes, summary counts {sent}");
        }

        if (stream.Length > 0 && (replies != ok || stream.Length != sent))
        {
            warnings.Add($"probe line '{stream}' does not match the summary {ok}/{sent}");
        }

        int? Ms(string g) => success.Groups[g].Success ? IosXeText.ToInt(success.Groups[g].Value) : null;
        return ParseResult.Parsed(
            new IosPingResult(dst, src, sent, ok, IosXeText.ToInt(success.Groups["pct"].Value) ?? 0, size, timeout, stream.ToString(), Ms("min"), Ms("avg"), Ms("max")),
            warnings);
    }
}
