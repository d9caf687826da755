using System.Globalization;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Vrp.Remediation;

/// <summary>
/// The fixed table of read-only commands the executor may send besides a plan's own commands: each
/// changing template maps to the display commands that read the changed state back. Keyed by the
/// template pattern (not the rendered text) so an argument can never choose what is read.
/// </summary>
internal static class RemediationVerifications
{
    public const string RoutingTable = "display ip routing-table";
    public const string SshServerStatus = "display ssh server status";
    public const string TcpStatus = "display tcp status";
    public const string RsaPublic = "display rsa local-key-pair public";
    public const string UserInterfaceConfig = "display current-configuration | begin user-interface";
    public const string CurrentConfiguration = "display current-configuration";

    public static IReadOnlyList<string> AllCommands { get; } = [RoutingTable, SshServerStatus, TcpStatus, RsaPublic, UserInterfaceConfig, CurrentConfiguration];

    /// <summary>The read-back for <paramref name="command"/>, or null when it changes nothing to check (system-view, return).</summary>
    public static ReadBack? For(BoundCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!command.Template.Contains('{', StringComparison.Ordinal) && Rebind(command.Text) is { } typed)
        {
            // A command restored from storage is bound as a literal; recover its typed parameters
            // (validated again by the template) so it gets the same read-back as a fresh plan.
            command = typed;
        }

        string Arg(string name) => command.Arguments.TryGetValue(name, out var v) ? v : string.Empty;
        return command.Template switch
        {
            "ip route-static 0.0.0.0 0.0.0.0 {gateway:ipv4}" => new ReadBack("default route", [RoutingTable], o => DefaultRoute(o[0], Arg("gateway"))),
            "ssh server port {port:ssh-port}" => new ReadBack("ssh server port", [SshServerStatus, TcpStatus], o => SshPort(o[0], o[1], int.Parse(Arg("port"), CultureInfo.InvariantCulture))),
            "stelnet server enable" => new ReadBack("stelnet server", [SshServerStatus], o => Stelnet(o[0])),
            "rsa local-key-pair create" => new ReadBack("rsa key", [RsaPublic], o => RsaKey(o[0])),
            "protocol inbound ssh" => new ReadBack("vty protocol", [UserInterfaceConfig], o => VtyProtocol(o[0])),
            "rule {rule:int(0..4294967294)} permit source {network:ipv4} {wildcard:ipv4}" =>
                new ReadBack("acl rule", [CurrentConfiguration], o => AclRule(o[0], Arg("rule"), Arg("network"), Arg("wildcard"))),
            "ssh server-source -i {interface:interface}" => new ReadBack("ssh server source", [CurrentConfiguration], o => SshSource(o[0], Arg("interface"))),
            _ => null,
        };
    }

    private static readonly (string Template, System.Text.RegularExpressions.Regex Text)[] Typed =
    [
        ("ip route-static 0.0.0.0 0.0.0.0 {gateway:ipv4}", new(@"^ip route-static 0\.0\.0\.0 0\.0\.0\.0 (?<gateway>\S+)$")),
        ("ssh server port {port:ssh-port}", new(@"^ssh server port (?<port>\S+)$")),
        ("rule {rule:int(0..4294967294)} permit source {network:ipv4} {wildcard:ipv4}", new(@"^rule (?<rule>\S+) permit source (?<network>\S+) (?<wildcard>\S+)$")),
        ("ssh server-source -i {interface:interface}", new(@"^ssh server-source -i (?<interface>\S+)$")),
    ];

    private static BoundCommand? Rebind(string text)
    {
        foreach (var (template, regex) in Typed)
        {
            var m = regex.Match(text);
            if (!m.Success)
            {
                continue;
            }

            var args = regex.GetGroupNames().Where(g => !char.IsDigit(g[0])).ToDictionary(g => g, g => m.Groups[g].Value, StringComparer.Ordinal);
            return CommandTemplate.Parse(template).TryRender(args).Command;
        }

        return null;
    }

    internal static ReadBackOutcome DefaultRoute(string output, string gateway)
    {
        var parsed = RoutingTableParser.Parse(output);
        if (!parsed.IsParsed || parsed.Value is null)
        {
            return new ReadBackOutcome(false, $"{RoutingTable}: not understood ({parsed.Reason})");
        }

        var defaults = parsed.Value.Routes.Where(r => r.IsDefault).ToList();
        var via = defaults.FirstOrDefault(r => !r.IsBlackHole && string.Equals(r.NextHop, gateway, StringComparison.Ordinal));
        return via is not null
            ? new ReadBackOutcome(true, $"{RoutingTable}: {via.Destination} {via.Protocol} via {via.NextHop} on {via.Interface}")
            : new ReadBackOutcome(false, defaults.Count == 0
                ? $"{RoutingTable}: no default route"
                : $"{RoutingTable}: default route(s) {string.Join(", ", defaults.Select(r => $"via {r.NextHop} {r.Interface}"))}, none usable via {gateway}");
    }

    internal static ReadBackOutcome SshPort(string status, string tcp, int port)
    {
        var parsed = SshServerStatusParser.Parse(status);
        if (!parsed.IsParsed || parsed.Value is null)
        {
            return new ReadBackOutcome(false, $"{SshServerStatus}: not understood ({parsed.Reason})");
        }

        // VRP5 omits the port line when it is the default 22.
        var configured = parsed.Value.Port ?? 22;
        var configOk = configured == port;
        var evidence = $"{SshServerStatus}: SSH server port {configured.ToString(CultureInfo.InvariantCulture)}";

        // The configuration line alone proves nothing: in the reference case it changes while the listener stays
        // on the old port until a reboot. Only a socket listening on the port is the effect the fix was for.
        var sockets = TcpStatusParser.Parse(tcp);
        if (!sockets.IsParsed || sockets.Value is null)
        {
            return new ReadBackOutcome(false, evidence + $"; {TcpStatus}: not understood ({sockets.Reason})",
                $"check `{TcpStatus}` by hand for a listener on {port.ToString(CultureInfo.InvariantCulture)}");
        }

        var listening = sockets.Value.ListeningPorts;
        var ports = listening.Count == 0 ? "none" : string.Join(", ", listening.Select(p => p.ToString(CultureInfo.InvariantCulture)));
        if (sockets.Value.IsListening(port))
        {
            evidence += $"; {TcpStatus}: listening on {port.ToString(CultureInfo.InvariantCulture)} (listening ports: {ports})";
            return configOk
                ? new ReadBackOutcome(true, evidence)
                : new ReadBackOutcome(false, evidence, $"the configuration still says port {configured.ToString(CultureInfo.InvariantCulture)}: re-run the diagnosis before changing it again");
        }

        evidence += $"; {TcpStatus}: NOT listening on {port.ToString(CultureInfo.InvariantCulture)}, listening ports: {ports}";
        var next = configOk
            ? $"the listener is stuck (nothing on {port.ToString(CultureInfo.InvariantCulture)}; listening: {ports}) and re-applying the port will not move it; a reboot re-binds it (request \"Save and reboot\": it saves the configuration first)"
            : $"the configuration did not take port {port.ToString(CultureInfo.InvariantCulture)}: re-run the diagnosis and check the device's log";
        return new ReadBackOutcome(false, evidence, next);
    }

    internal static ReadBackOutcome Stelnet(string status)
    {
        var parsed = SshServerStatusParser.Parse(status);
        return parsed is { IsParsed: true, Value: { } s }
            ? new ReadBackOutcome(s.StelnetEnabled == true, $"{SshServerStatus}: STelnet server {(s.StelnetEnabled is null ? "unknown" : s.StelnetEnabled.Value ? "enabled" : "disabled")}")
            : new ReadBackOutcome(false, $"{SshServerStatus}: not understood ({parsed.Reason})");
    }

    internal static ReadBackOutcome RsaKey(string output)
    {
        var parsed = RsaLocalKeyPairParser.Parse(output);
        if (parsed is not { IsParsed: true, Value: { } keys })
        {
            return new ReadBackOutcome(false, $"{RsaPublic}: not understood ({parsed.Reason})");
        }

        var first = keys.Keys.Count > 0 ? keys.Keys[0] : null;
        return keys.KeyPresent
            ? new ReadBackOutcome(true, $"{RsaPublic}: key present{(first?.ModulusBits is int bits ? $" ({bits.ToString(CultureInfo.InvariantCulture)} bits)" : string.Empty)}")
            : new ReadBackOutcome(false, $"{RsaPublic}: no key ({keys.AbsenceMessage ?? "absent"})");
    }

    internal static ReadBackOutcome VtyProtocol(string output)
    {
        var parsed = CurrentConfigurationParser.Parse(output);
        if (parsed is not { IsParsed: true, Value: { } cfg })
        {
            return new ReadBackOutcome(false, $"{UserInterfaceConfig}: not understood ({parsed.Reason})");
        }

        var vtys = cfg.Vty.ToList();
        if (vtys.Count == 0)
        {
            return new ReadBackOutcome(false, $"{UserInterfaceConfig}: no user-interface vty section");
        }

        var ok = vtys.All(v => v.ProtocolInbound is { } p && (p.Contains("ssh", StringComparison.OrdinalIgnoreCase) || p == "all"));
        return new ReadBackOutcome(ok, $"{UserInterfaceConfig}: {string.Join("; ", vtys.Select(v => $"vty {v.Range} protocol inbound {v.ProtocolInbound ?? "(default)"}"))}");
    }

    internal static ReadBackOutcome AclRule(string output, string rule, string network, string wildcard)
    {
        var parsed = CurrentConfigurationParser.Parse(output);
        if (parsed is not { IsParsed: true, Value: { } cfg })
        {
            return new ReadBackOutcome(false, $"{CurrentConfiguration}: not understood ({parsed.Reason})");
        }

        var id = int.TryParse(rule, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
        var hit = cfg.Acls.SelectMany(a => a.Rules.Select(r => (Acl: a, Rule: r)))
            .FirstOrDefault(x => x.Rule.Id == id && string.Equals(x.Rule.Action, "permit", StringComparison.OrdinalIgnoreCase)
                && string.Equals(x.Rule.Source, network, StringComparison.Ordinal) && string.Equals(x.Rule.SourceWildcard, wildcard, StringComparison.Ordinal));
        return hit.Rule is not null
            ? new ReadBackOutcome(true, $"{CurrentConfiguration}: acl {hit.Acl.Number} {hit.Rule.Text}")
            : new ReadBackOutcome(false, $"{CurrentConfiguration}: no rule {rule} permit source {network} {wildcard}");
    }

    internal static ReadBackOutcome SshSource(string output, string iface)
    {
        var parsed = CurrentConfigurationParser.Parse(output);
        if (parsed is not { IsParsed: true, Value: { } cfg })
        {
            return new ReadBackOutcome(false, $"{CurrentConfiguration}: not understood ({parsed.Reason})");
        }

        var list = cfg.SshSourceInterfaces.Count == 0 ? "none" : string.Join(", ", cfg.SshSourceInterfaces);
        return cfg.SshAnswersOn(iface) == true
            ? new ReadBackOutcome(true, $"{CurrentConfiguration}: ssh server-source -i {list}")
            : new ReadBackOutcome(false, $"{CurrentConfiguration}: ssh server-source still leaves {iface} out (-i {list})");
    }
}
