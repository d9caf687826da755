namespace NetOpsBot.IosXe;

/// <summary>JSON-friendly outcome of <see cref="IosXeParsers.ParseCommand"/>.</summary>
public sealed record IosXeCommandParse(string Command, string? Parser, bool Parsed, object? Value, IReadOnlyList<string> Warnings, string? Reason, string? Raw);

/// <summary>
/// Maps a command line (abbreviations allowed, as on the device: "sh ip ro") to its parser. Pipes
/// ("| section line vty", "| include 10.0.0.5") are ignored for matching; the parsers accept filtered fragments.
/// Longer patterns are listed first so "show ip route 0.0.0.0" reaches the entry parser, not the table parser.
/// </summary>
public static class IosXeParsers
{
    private sealed record Entry(string Name, string[][] Patterns, bool AllowArgs, Func<string, (bool Ok, object? Value, IReadOnlyList<string> Warnings, string? Reason, string? Raw)> Run);

    private static readonly Entry[] Entries =
    [
        new("ip-ssh", [["show", "ip", "ssh"]], false, o => Wrap(ShowIpSshParser.Parse(o))),
        new("ip-route-entry", [["show", "ip", "route", "0.0.0.0"]], true, o => Wrap(ShowIpRouteEntryParser.Parse(o))),
        new("ip-route", [["show", "ip", "route"]], false, o => Wrap(ShowIpRouteParser.Parse(o))),
        new("arp", [["show", "arp"], ["show", "ip", "arp"]], true, o => Wrap(ShowArpParser.Parse(o))),
        new("ping", [["ping"]], true, o => Wrap(PingParser.Parse(o))),
        new("tcp-brief", [["show", "tcp", "brief"]], true, o => Wrap(TcpListenersParser.ParseTcpBrief(o))),
        new("open-ports", [["show", "control-plane", "host", "open-ports"]], false, o => Wrap(TcpListenersParser.ParseOpenPorts(o))),
        new("crypto-key", [["show", "crypto", "key", "mypubkey", "rsa"]], true, o => Wrap(CryptoKeyParser.Parse(o))),
        new("running-config", [["show", "running-config"], ["show", "startup-config"]], true, o => Wrap(RunningConfigParser.Parse(o))),
        new("version", [["show", "version"]], false, o => Wrap(ShowVersionParser.Parse(o))),
    ];

    public static IReadOnlyList<string> ParserNames => Entries.Select(e => e.Name).ToList();

    public static IosXeCommandParse ParseCommand(string? command, string? output)
    {
        var cmd = command?.Trim() ?? string.Empty;
        var entry = Match(cmd);
        if (entry is null)
        {
            return new IosXeCommandParse(cmd, null, false, null, [], "no parser for command", output ?? string.Empty);
        }

        var (ok, value, warnings, reason, raw) = entry.Run(output ?? string.Empty);
        return new IosXeCommandParse(cmd, entry.Name, ok, value, warnings, reason, raw);
    }

    /// <summary>The parser name for a command, or null; exposed so a runbook can check its commands at start-up.</summary>
    public static string? ParserFor(string command) => Match(command.Trim())?.Name;

    private static Entry? Match(string command)
    {
        var pipe = command.IndexOf('|', StringComparison.Ordinal);
        var tokens = IosXeText.Tokens((pipe >= 0 ? command[..pipe] : command).ToLowerInvariant());
        if (tokens.Length == 0)
        {
            return null;
        }

        foreach (var e in Entries)
        {
            foreach (var p in e.Patterns)
            {
                if (tokens.Length < p.Length || (!e.AllowArgs && tokens.Length != p.Length))
                {
                    continue;
                }

                var ok = true;
                for (var i = 0; i < p.Length && ok; i++)
                {
                    // Literal arguments (an address) must match exactly; keywords may be abbreviated.
                    ok = char.IsAsciiDigit(p[i][0])
                        ? p[i] == tokens[i]
                        : p[i].StartsWith(tokens[i], StringComparison.Ordinal) && (tokens[i].Length >= 2 || p.Length == 1);
                }

                if (ok)
                {
                    return e;
                }
            }
        }

        return null;
    }

    private static (bool, object?, IReadOnlyList<string>, string?, string?) Wrap<T>(ParseResult<T> r) => (r.IsParsed, r.Value, r.Warnings, r.Reason, r.Raw);
}
