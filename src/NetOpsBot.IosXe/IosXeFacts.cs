using System.Net;

namespace NetOpsBot.IosXe;

/// <summary>
/// What the IOS-XE parsers tell the ssh-unreachable rules, named as the VRP runbook's facts
/// (NetOpsBot.Runbooks.SshUnreachable.DiagnosisFacts) so the generic runbook engine can read either platform:
/// <list type="bullet">
/// <item><c>StelnetEnabled</c> ← "show ip ssh" "SSH Enabled" (IOS has no separate switch: no RSA key disables it);</item>
/// <item><c>RsaKeyPresent</c> ← "show ip ssh" has no "Please create RSA keys" and/or "show crypto key mypubkey rsa" lists a usable key;</item>
/// <item><c>HasRouteToManagement</c> ← "show ip route" / "show ip route 0.0.0.0" covers the management subnet;</item>
/// <item><c>ListeningPorts</c> ← LISTEN entries of "show tcp brief all" or "show control-plane host open-ports";</item>
/// <item><c>VtyProtocol</c> ← "transport input" of the VTY lines ("ssh", "telnet", "telnet ssh", "none", "all");</item>
/// <item><c>TelnetServerEnabled</c> ← a VTY line accepts telnet;</item>
/// <item><c>AclDeniesManagement</c> ← the VTY "access-class … in" ACL denies the management host (implicit deny included);</item>
/// <item><c>GatewayArpPresent</c>/<c>GatewayPingOk</c> ← "show arp | include ip" / "ping ip" run on the gateway;</item>
/// <item><c>SshDebugLineCount</c> ← SSH lines of "debug ip ssh" while the jump host tries to connect.</item>
/// </list>
/// Null is "not known", never a fault, exactly as on VRP.
/// </summary>
public sealed record IosXeSshFacts
{
    public bool? StelnetEnabled { get; init; }

    public bool? RsaKeyPresent { get; init; }

    public bool? HasRouteToManagement { get; init; }

    public IReadOnlyList<int>? ListeningPorts { get; init; }

    public string? VtyProtocol { get; init; }

    public string VtyRange { get; init; } = "0 4";

    public bool? TelnetServerEnabled { get; init; }

    public bool? AclDeniesManagement { get; init; }

    public IosAclVerdict? DenyingAcl { get; init; }

    public bool? GatewayArpPresent { get; init; }

    public bool? GatewayPingOk { get; init; }

    public int? SshDebugLineCount { get; init; }
}

/// <summary>Turns parse results into <see cref="IosXeSshFacts"/>; an unparsed result leaves its fact unknown.</summary>
public static class IosXeFactReader
{
    public static bool? SshEnabled(ParseResult<IpSshStatus> ssh) => ssh.IsParsed ? ssh.Value!.Enabled : null;

    public static bool? RsaKeyPresent(ParseResult<IpSshStatus> ssh, ParseResult<IosCryptoKeys>? keys = null)
    {
        if (keys is { IsParsed: true })
        {
            return keys.Value!.HasUsableRsaKey();
        }

        if (!ssh.IsParsed)
        {
            return null;
        }

        return ssh.Value!.RsaKeyMissing ? false : ssh.Value.Enabled ? true : null;
    }

    public static bool? HasRouteTo(ParseResult<IosRoutingTable> table, IPAddress managementHost) =>
        table.IsParsed ? table.Value!.RouteTo(managementHost) is not null : null;

    public static IReadOnlyList<int>? ListeningPorts(ParseResult<IosTcpTable>? tcp, ParseResult<IosOpenPorts>? open)
    {
        if (open is { IsParsed: true })
        {
            return open.Value!.ListeningTcpPorts;
        }

        return tcp is { IsParsed: true } ? tcp.Value!.ListeningPorts : null;
    }

    /// <summary>VTY facts from the running configuration: protocol, range, telnet, and the access-class verdict for <paramref name="managementHost"/>.</summary>
    public static IosXeSshFacts Vty(ParseResult<IosRunningConfig> config, IPAddress managementHost)
    {
        if (!config.IsParsed || config.Value!.Vty.Count == 0)
        {
            return new IosXeSshFacts();
        }

        var vty = config.Value.Vty;
        var first = vty[0];
        IosAclVerdict? denying = null;
        bool? denies = false;
        foreach (var l in vty.Where(l => l.AccessClassIn is not null))
        {
            var v = IosAclEvaluator.Evaluate(config.Value, l.AccessClassIn!, managementHost);
            if (!v.Permitted)
            {
                denying ??= v;
            }
        }

        // Every VTY block must deny for SSH to fail: IOS hands a session any free line whose ACL allows it.
        if (denying is not null && vty.Any(l => l.AccessClassIn is null || IosAclEvaluator.Evaluate(config.Value, l.AccessClassIn, managementHost).Permitted))
        {
            denying = null;
        }

        denies = denying is not null;
        return new IosXeSshFacts
        {
            VtyProtocol = first.TransportInput is null ? null : string.Join(' ', first.TransportInput),
            VtyRange = $"{first.First} {first.Last}",
            TelnetServerEnabled = vty.Any(l => l.AllowsTelnet),
            AclDeniesManagement = denies,
            DenyingAcl = denying,
        };
    }

    public static bool? GatewayArpPresent(ParseResult<IosArpTable> arp, string deviceIp) => arp.IsParsed ? arp.Value!.HasResolved(deviceIp) : null;

    public static bool? GatewayPingOk(ParseResult<IosPingResult> ping) => ping.IsParsed ? ping.Value!.AnyReply : null;
}
