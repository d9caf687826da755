namespace NetOpsBot.Vrp;

/// <summary>JSON-friendly outcome of <see cref="VrpParsers.ParseCommand"/>.</summary>
public sealed record VrpCommandParse(string Command, string? Parser, bool Parsed, object? Value, IReadOnlyList<string> Warnings, string? Reason, string? Raw);

/// <summary>
/// Maps a command line (abbreviations allowed, as on the device: "dis tcp status") to its parser.
/// Pipes ("| include x") are ignored for matching; the parsers accept filtered fragments.
/// </summary>
public static class VrpParsers
{
    private sealed record Entry(string Name, string[][] Patterns, bool AllowArgs, Func<string, (bool Ok, object? Value, IReadOnlyList<string> Warnings, string? Reason, string? Raw)> Run);

    private static readonly Entry[] Entries =
    [
        new("tcp-status", [["display", "tcp", "status"], ["display", "tcp", "ipv6", "status"]], false, o => Wrap(TcpStatusParser.Parse(o))),
        new("ssh-server-status", [["display", "ssh", "server", "status"]], false, o => Wrap(SshServerStatusParser.Parse(o))),
        new("routing-table", [["display", "ip", "routing-table"]], true, o => Wrap(RoutingTableParser.Parse(o))),
        new("arp", [["display", "arp"]], true, o => Wrap(ArpParser.Parse(o))),
        new("ping", [["ping"]], true, o => Wrap(PingParser.Parse(o))),
        new("rsa-local-key-pair", [["display", "rsa", "local-key-pair", "public"]], false, o => Wrap(RsaLocalKeyPairParser.Parse(o))),
        new("current-configuration", [["display", "current-configuration"], ["display", "saved-configuration"]], true, o => Wrap(CurrentConfigurationParser.Parse(o))),
        new("version", [["display", "version"]], false, o => Wrap(VersionParser.Parse(o))),
    ];

    public static IReadOnlyList<string> ParserNames => Entries.Select(e => e.Name).ToList();

    public static VrpCommandParse ParseCommand(string? command, string? output)
    {
        var cmd = command?.Trim() ?? string.Empty;
        var entry = Match(cmd);
        if (entry is null)
        {
            return new VrpCommandParse(cmd, null, false, null, [], "no parser for command", output ?? string.Empty);
        }

        var (ok, value, warnings, reason, raw) = entry.Run(output ?? string.Empty);
        return new VrpCommandParse(cmd, entry.Name, ok, value, warnings, reason, raw);
    }

    private static Entry? Match(string command)
    {
        var pipe = command.IndexOf('|', StringComparison.Ordinal);
        var tokens = VrpText.Tokens((pipe >= 0 ? command[..pipe] : command).ToLowerInvariant());
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
                    ok = p[i].StartsWith(tokens[i], StringComparison.Ordinal) && (tokens[i].Length >= 2 || p.Length == 1);
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
