using System.Globalization;
using System.Text.RegularExpressions;

namespace NetOpsBot.Vrp;

/// <summary>One echo attempt; TimedOut for VRP's "Request time out".</summary>
public sealed record PingReply(bool TimedOut, string? From, int? Bytes, int? Sequence, int? Ttl, int? TimeMs);

public sealed record PingResult(string Target, int? DataBytes, int Sent, int Received, decimal LossPercent, int? RttMinMs, int? RttAvgMs, int? RttMaxMs, IReadOnlyList<PingReply> Replies)
{
    public bool AnyReceived => Received > 0;
}

/// <summary>
/// VRP "ping" / "ping ipv6" output (identical on VRP5 and VRP8; IPv6 splits each reply over two lines).
/// A capture without the statistics block is treated as truncated and left unparsed rather than guessed.
/// </summary>
public static partial class PingParser
{
    [GeneratedRegex(@"^PING\s+(?<t>\S+?)\s*:\s*(?<b>\d+)\s+data bytes")]
    private static partial Regex Header();

    [GeneratedRegex(@"^Reply from\s+(?<f>[^\s:]+(?::[^\s:]*)*?)\s*:?(?:\s|$)")]
    private static partial Regex ReplyFrom();

    [GeneratedRegex(@"bytes=(?<b>\d+)\s+Sequence=(?<s>\d+)\s+(?:ttl=(?<ttl>\d+)|hop limit=(?<ttl>\d+))\s+time\s*[=<]\s*(?<ms>\d+)\s*ms")]
    private static partial Regex ReplyData();

    [GeneratedRegex(@"^---\s*(?<t>\S+)\s+ping statistics\s*---")]
    private static partial Regex StatsHeader();

    [GeneratedRegex(@"^(?<n>\d+) packet\(s\) (?<w>transmitted|received)")]
    private static partial Regex Packets();

    [GeneratedRegex(@"^(?<p>\d+(?:\.\d+)?)% packet loss")]
    private static partial Regex Loss();

    [GeneratedRegex(@"round-trip min/avg/max\s*=\s*(?<min>\d+)/(?<avg>\d+)/(?<max>\d+)")]
    private static partial Regex Rtt();

    public static ParseResult<PingResult> Parse(string? output) => ParseResult.Guard(output, o =>
    {
        var all = ParseAllCore(o);
        if (all.Count == 0)
        {
            return ParseResult.Unparsed<PingResult>("no ping statistics found (output truncated or not a ping)", o);
        }

        var warnings = all.Count > 1 ? new[] { $"{all.Count - 1} further ping result(s) in the capture ignored" } : null;
        return ParseResult.Parsed(all[0], warnings);
    });

    /// <summary>Every ping in a capture that contains several (e.g. pings from different sources).</summary>
    public static ParseResult<IReadOnlyList<PingResult>> ParseAll(string? output) => ParseResult.Guard(output, o =>
    {
        var all = ParseAllCore(o);
        return all.Count == 0
            ? ParseResult.Unparsed<IReadOnlyList<PingResult>>("no ping statistics found", o)
            : ParseResult.Parsed<IReadOnlyList<PingResult>>(all);
    });

    private static List<PingResult> ParseAllCore(string output)
    {
        var results = new List<PingResult>();
        var lines = VrpOutputCleaner.SplitLines(VrpPaging.Strip(output));
        string? target = null, statsTarget = null;
        int? dataBytes = null, sent = null, received = null, min = null, avg = null, max = null;
        decimal? loss = null;
        var replies = new List<PingReply>();
        string? pendingFrom = null;

        void Emit()
        {
            if (sent is int s && received is int r)
            {
                var lossValue = loss ?? (s == 0 ? 0 : Math.Round(100m * (s - r) / s, 2));
                results.Add(new PingResult(statsTarget ?? target ?? string.Empty, dataBytes, s, r, lossValue, min, avg, max, replies));
            }

            target = statsTarget = pendingFrom = null;
            dataBytes = sent = received = min = avg = max = null;
            loss = null;
            replies = [];
        }

        foreach (var raw in lines)
        {
            var line = raw.Trim();
            Match m;
            if ((m = Header().Match(line)).Success)
            {
                if (sent is not null)
                {
                    Emit();
                }

                target = m.Groups["t"].Value;
                dataBytes = VrpText.ToInt(m.Groups["b"].Value);
            }
            else if (line.StartsWith("Request time out", StringComparison.OrdinalIgnoreCase))
            {
                replies.Add(new PingReply(true, null, null, null, null, null));
            }
            else if ((m = ReplyFrom().Match(line)).Success)
            {
                pendingFrom = m.Groups["f"].Value;
                var d = ReplyData().Match(line);
                if (d.Success)
                {
                    replies.Add(Reply(pendingFrom, d));
                    pendingFrom = null;
                }
            }
            else if (pendingFrom is not null && (m = ReplyData().Match(line)).Success)
            {
                replies.Add(Reply(pendingFrom, m));
                pendingFrom = null;
            }
            else if ((m = StatsHeader().Match(line)).Success)
            {
                if (sent is not null)
                {
                    Emit();
                }

                statsTarget = m.Groups["t"].Value;
            }
            else if ((m = Packets().Match(line)).Success)
            {
                var n = VrpText.ToInt(m.Groups["n"].Value);
                if (m.Groups["w"].Value == "transmitted")
                {
                    sent = n;
                }
                else
                {
                    received = n;
                }
            }
            else if ((m = Loss().Match(line)).Success)
            {
                loss = decimal.Parse(m.Groups["p"].Value, CultureInfo.InvariantCulture);
            }
            else if ((m = Rtt().Match(line)).Success)
            {
                min = VrpText.ToInt(m.Groups["min"].Value);
                avg = VrpText.ToInt(m.Groups["avg"].Value);
                max = VrpText.ToInt(m.Groups["max"].Value);
            }
        }

        Emit();
        return results;
    }

    private static PingReply Reply(string from, Match d) =>
        new(false, from, VrpText.ToInt(d.Groups["b"].Value), VrpText.ToInt(d.Groups["s"].Value), VrpText.ToInt(d.Groups["ttl"].Value), VrpText.ToInt(d.Groups["ms"].Value));
}
