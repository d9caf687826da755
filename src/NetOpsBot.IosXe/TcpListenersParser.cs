using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe;

/// <summary>One TCP control block of "show tcp brief [all|numeric]". Addresses print as "a.b.c.d.port" or "*.port".</summary>
public sealed record IosTcpConnection(string? Tcb, string LocalAddress, int? LocalPort, string ForeignAddress, int? ForeignPort, string State)
{
    public bool IsListening => State.Equals("LISTEN", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One line of "show control-plane host open-ports".</summary>
public sealed record IosOpenPort(string Protocol, string LocalAddress, int LocalPort, string ForeignAddress, string Service, string State)
{
    public bool IsListening => State.Equals("LISTEN", StringComparison.OrdinalIgnoreCase);
}

public sealed record IosTcpTable(IReadOnlyList<IosTcpConnection> Connections)
{
    public IReadOnlyList<int> ListeningPorts =>
        Connections.Where(c => c.IsListening && c.LocalPort is not null).Select(c => c.LocalPort!.Value).Distinct().Order().ToList();
}

public sealed record IosOpenPorts(IReadOnlyList<IosOpenPort> Ports)
{
    public IReadOnlyList<int> ListeningTcpPorts =>
        Ports.Where(p => p.IsListening && p.Protocol.Equals("tcp", StringComparison.OrdinalIgnoreCase)).Select(p => p.LocalPort).Distinct().Order().ToList();
}

/// <summary>
/// The two listener views of IOS-XE: "show tcp brief all" (IOS's TCBs, including LISTEN ones) and
/// "show control-plane host open-ports" (the sockets the control plane accepts on, with the service name).
/// </summary>
public static partial class TcpListenersParser
{
    [GeneratedRegex(@"^TCB\s+Local Address\s+Foreign Address\s+\(state\)\s*$")]
    private static partial Regex TcpHeader();

    [GeneratedRegex(@"^(?:(?<tcb>[0-9A-Fa-f]{6,16})\s+)?(?<local>\S+)\s+(?<foreign>\S+)\s+(?<state>[A-Z][A-Z_0-9]+)\s*$")]
    private static partial Regex TcpLine();

    [GeneratedRegex(@"^Prot\s+Local Address\s+Foreign Address\s+Service\s+State\s*$")]
    private static partial Regex OpenPortsHeader();

    [GeneratedRegex(@"^(?<proto>tcp|udp)\s+(?<local>\S+):(?<lport>\d+)\s+(?<foreign>\S+:\S+)\s+(?<service>\S(?:.*\S)?)\s+(?<state>LISTEN|ESTABLISHED|ESTABLISH|\S+)\s*$")]
    private static partial Regex OpenPortLine();

    public static ParseResult<IosTcpTable> ParseTcpBrief(string? output) => ParseResult.Guard(output, TcpBody);

    public static ParseResult<IosOpenPorts> ParseOpenPorts(string? output) => ParseResult.Guard(output, OpenPortsBody);

    private static ParseResult<IosTcpTable> TcpBody(string output)
    {
        var warnings = new List<string>();
        var rows = new List<IosTcpConnection>();
        var sawHeader = false;
        foreach (var raw in IosXeOutputCleaner.Clean(output).Lines)
        {
            var t = raw.Trim();
            if (t.Length == 0)
            {
                continue;
            }

            if (TcpHeader().IsMatch(t))
            {
                sawHeader = true;
                continue;
            }

            var m = TcpLine().Match(t);
            if (!m.Success || !TrySplitEndpoint(m.Groups["local"].Value, out var la, out var lp) || !TrySplitEndpoint(m.Groups["foreign"].Value, out var fa, out var fp))
            {
                warnings.Add("unrecognised line: " + t);
                continue;
            }

            rows.Add(new IosTcpConnection(m.Groups["tcb"].Success ? m.Groups["tcb"].Value : null, la, lp, fa, fp, m.Groups["state"].Value));
        }

        return sawHeader || rows.Count > 0
            ? ParseResult.Parsed(new IosTcpTable(rows), warnings)
            : ParseResult.Unparsed<IosTcpTable>("no TCB header nor connections", output);
    }

    private static ParseResult<IosOpenPorts> OpenPortsBody(string output)
    {
        var warnings = new List<string>();
        var rows = new List<IosOpenPort>();
        var sawHeader = false;
        foreach (var raw in IosXeOutputCleaner.Clean(output).Lines)
        {
            var t = raw.Trim();
            if (t.Length == 0 || t.StartsWith("Active internet connections", StringComparison.Ordinal))
            {
                continue;
            }

            if (OpenPortsHeader().IsMatch(t))
            {
                sawHeader = true;
                continue;
            }

            var m = OpenPortLine().Match(t);
            if (!m.Success || IosXeText.ToInt(m.Groups["lport"].Value) is not int port)
            {
                warnings.Add("unrecognised line: " + t);
                continue;
            }

            rows.Add(new IosOpenPort(m.Groups["proto"].Value, m.Groups["local"].Value, port, m.Groups["foreign"].Value, m.Groups["service"].Value, m.Groups["state"].Value));
        }

        return sawHeader || rows.Count > 0
            ? ParseResult.Parsed(new IosOpenPorts(rows), warnings)
            : ParseResult.Unparsed<IosOpenPorts>("no open-ports header nor entries", output);
    }

    // "10.1.1.1.22" → (10.1.1.1, 22); "*.22" → (*, 22); "*.*" → (*, null); "0.0.0.0.0" → (0.0.0.0, 0).
    private static bool TrySplitEndpoint(string text, out string address, out int? port)
    {
        address = text;
        port = null;
        var dot = text.LastIndexOf('.');
        if (dot <= 0 || dot == text.Length - 1)
        {
            return false;
        }

        var host = text[..dot];
        var p = text[(dot + 1)..];
        if (host != "*" && !IosXeText.IsIpv4(host))
        {
            return false;
        }

        if (p != "*" && IosXeText.ToInt(p) is not (>= 0 and <= 65535))
        {
            return false;
        }

        address = host;
        port = p == "*" ? null : IosXeText.ToInt(p);
        return true;
    }
}
