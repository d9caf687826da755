namespace NetOpsBot.Vrp;

public enum TcpState
{
    Unknown,
    Closed,
    Listening,
    SynSent,
    SynReceived,
    Established,
    CloseWait,
    FinWait1,
    Closing,
    LastAck,
    FinWait2,
    TimeWait,
}

/// <summary>One row of "display tcp status". VRP5 fills Tcpcb/Tid/Soid, VRP8 fills Cid/SocketId.</summary>
public sealed record TcpSocket(
    string LocalAddress,
    int LocalPort,
    string ForeignAddress,
    int ForeignPort,
    TcpState State,
    string StateRaw,
    string? VpnId,
    string? Tcpcb,
    string? Tid,
    string? Soid,
    string? Cid,
    string? SocketId,
    bool AuthenticationFlagged)
{
    public bool IsListening => State == TcpState.Listening;
}

public sealed record TcpStatus(IReadOnlyList<TcpSocket> Sockets)
{
    /// <summary>True when some socket is in LISTEN state on <paramref name="port"/> (any local address).</summary>
    public bool IsListening(int port) => Sockets.Any(s => s.IsListening && s.LocalPort == port);

    public IReadOnlyList<int> ListeningPorts => Sockets.Where(s => s.IsListening).Select(s => s.LocalPort).Distinct().Order().ToList();
}

/// <summary>
/// "display tcp status" / "display tcp ipv6 status" for VRP5 (TCPCB Tid/Soid … VPNID State) and VRP8
/// (Cid SocketID … State VPNID, or Cid/SocketID … VPNID State with "::->22" addresses).
/// Rows are recognised by shape (two address tokens + a state word) rather than column positions,
/// so the column order differences between generations do not matter. Span-based: no regex per line.
/// </summary>
public static class TcpStatusParser
{
    public static ParseResult<TcpStatus> Parse(string? output) => ParseResult.Guard(output, ParseCore);

    private static ParseResult<TcpStatus> ParseCore(string output)
    {
        var text = output.Contains('\x1b', StringComparison.Ordinal) || VrpPaging.ContainsMore(output) || output.Contains('\b', StringComparison.Ordinal)
            ? VrpPaging.Strip(output)
            : output;

        var sockets = new List<TcpSocket>();
        var warnings = new List<string>();
        var headerSeen = false;
        Span<Range> ranges = stackalloc Range[12];
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            var line = rawLine.Trim();
            if (line.IsEmpty)
            {
                continue;
            }

            if (!headerSeen && (line.StartsWith("TCPCB", StringComparison.Ordinal) || line.StartsWith("Cid", StringComparison.Ordinal)))
            {
                headerSeen = true;
                continue;
            }

            var n = line.SplitAny(ranges, " \t", StringSplitOptions.RemoveEmptyEntries);
            if (n is < 5 or > 10)
            {
                // An address:port pair under the header that is not a row (wrapped, new column) is a lost socket.
                if (headerSeen && n >= 2 && line.IndexOf(':') > 0 && line.IndexOfAny('<', '[') != 0)
                {
                    Warn(warnings, line);
                }

                continue;
            }

            var row = TryRow(line, ranges[..n]);
            if (row is not null)
            {
                sockets.Add(row);
            }
            else if (headerSeen && line.IndexOf(':') > 0)
            {
                Warn(warnings, line);
            }
        }

        if (!headerSeen && sockets.Count == 0)
        {
            return ParseResult.Unparsed<TcpStatus>("no tcp status header or socket rows found", output);
        }

        return ParseResult.Parsed(new TcpStatus(sockets), warnings);
    }

    private static void Warn(List<string> warnings, ReadOnlySpan<char> line)
    {
        if (warnings.Count < 10)
        {
            warnings.Add("line not understood: " + line.ToString());
        }
    }

    private static TcpSocket? TryRow(ReadOnlySpan<char> line, ReadOnlySpan<Range> tokens)
    {
        // Each address token is parsed once: detection and extraction share the result, which
        // matters on a 10,000-socket core switch.
        int local = -1, foreign = -1;
        string lAddr = string.Empty, fAddr = string.Empty;
        int lPort = 0, fPort = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var t = line[tokens[i]];
            if (t.IndexOf(':') < 0 && t.IndexOf("->", StringComparison.Ordinal) < 0)
            {
                continue;
            }

            if (!SplitAddress(t, out var addr, out var port))
            {
                continue;
            }

            if (local < 0)
            {
                local = i;
                lAddr = addr;
                lPort = port;
            }
            else
            {
                foreign = i;
                fAddr = addr;
                fPort = port;
                break;
            }
        }

        if (local < 1 || foreign != local + 1)
        {
            return null;
        }

        // After the addresses come State and VPNID in either order.
        string? stateRaw = null, vpn = null;
        for (var i = foreign + 1; i < tokens.Length; i++)
        {
            var t = line[tokens[i]];
            if (stateRaw is null && MapState(t) != TcpState.Unknown)
            {
                stateRaw = t switch
                {
                    "Listening" => "Listening",
                    "Established" => "Established",
                    _ => t.ToString(),
                };
            }
            else
            {
                vpn ??= t is "-1" ? "-1" : t.ToString();
            }
        }

        if (stateRaw is null)
        {
            return null;
        }

        // Before the addresses: TCPCB + Tid/Soid (VRP5), Cid + SocketID (VRP8) or Cid/SocketID (VRP8 IPv6).
        var first = line[tokens[0]];
        var flagged = first.IndexOfAny('*', '#') >= 0;
        first = first.Trim("*#");
        string? tcpcb = null, tid = null, soid = null, cid = null, socketId = null;
        var isVrp8 = first.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (isVrp8)
        {
            var slash = first.IndexOf('/');
            cid = (slash > 0 ? first[..slash] : first).ToString();
            socketId = slash > 0 ? first[(slash + 1)..].ToString() : local > 1 ? line[tokens[1]].Trim("*#").ToString() : null;
        }
        else
        {
            tcpcb = first.ToString();
            if (local > 1)
            {
                var ts = line[tokens[1]];
                var slash = ts.IndexOf('/');
                tid = SmallNumber(slash > 0 ? ts[..slash] : ts);
                soid = slash > 0 ? SmallNumber(ts[(slash + 1)..]) : null;
            }
        }

        return new TcpSocket(lAddr, lPort, fAddr, fPort, MapState(stateRaw), stateRaw, vpn, tcpcb, tid, soid, cid, socketId, flagged);
    }

    private static bool SplitAddress(ReadOnlySpan<char> token, out string address, out int port)
    {
        address = string.Empty;
        port = 0;
        var arrow = token.IndexOf("->", StringComparison.Ordinal);
        int sep, sepLen;
        if (arrow >= 0)
        {
            sep = arrow;
            sepLen = 2;
        }
        else
        {
            sep = token.LastIndexOf(':');
            sepLen = 1;
        }

        if (sep <= 0 || !int.TryParse(token[(sep + sepLen)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port > 65535)
        {
            return false;
        }

        var addr = token[..sep];
        if (IsIPv4(addr))
        {
            address = addr is "0.0.0.0" ? "0.0.0.0" : addr.ToString();
            return true;
        }

        if (addr.IndexOf(':') < 0 || !System.Net.IPAddress.TryParse(addr, out _))
        {
            return false;
        }

        address = addr.ToString();
        return true;
    }

    // Task and socket ids repeat across thousands of rows; sharing their strings keeps a big table's
    // parse from being mostly garbage collection.
    private static readonly string[] SmallNumbers = Enumerable.Range(0, 1024).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static string SmallNumber(ReadOnlySpan<char> s) =>
        int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n < SmallNumbers.Length && s.Length == SmallNumbers[n].Length
            ? SmallNumbers[n]
            : s.ToString();

    private static bool IsIPv4(ReadOnlySpan<char> s)
    {
        int octets = 0, value = -1;
        foreach (var c in s)
        {
            if (c is >= '0' and <= '9')
            {
                value = value < 0 ? c - '0' : (value * 10) + (c - '0');
                if (value > 255)
                {
                    return false;
                }
            }
            else if (c == '.' && value >= 0)
            {
                octets++;
                value = -1;
            }
            else
            {
                return false;
            }
        }

        return octets == 3 && value >= 0;
    }

    private static TcpState MapState(ReadOnlySpan<char> s)
    {
        Span<char> buf = stackalloc char[16];
        if (s.Length > buf.Length)
        {
            return TcpState.Unknown;
        }

        var n = 0;
        foreach (var c in s)
        {
            if (c is not '_' and not '-')
            {
                buf[n++] = char.ToLowerInvariant(c);
            }
        }

        return buf[..n] switch
        {
            "listen" or "listening" => TcpState.Listening,
            "established" => TcpState.Established,
            "closed" => TcpState.Closed,
            "synsent" => TcpState.SynSent,
            "synrcvd" or "synreceived" => TcpState.SynReceived,
            "closewait" => TcpState.CloseWait,
            "finwait1" => TcpState.FinWait1,
            "finwait2" => TcpState.FinWait2,
            "closing" => TcpState.Closing,
            "lastack" => TcpState.LastAck,
            "timewait" => TcpState.TimeWait,
            _ => TcpState.Unknown,
        };
    }
}
