using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Vrp.Diagnosis;

/// <summary>
/// Every read-only command the runbook sends. Commands with values are typed templates, so even
/// inventory data (an IP) is validated before it reaches a CLI.
/// </summary>
internal static class VrpCommands
{
    public const string ScreenLength = "screen-length 0 temporary";
    public const string RoutingTable = "display ip routing-table";
    public const string SshServerStatus = "display ssh server status";
    public const string TcpStatus = "display tcp status";
    public const string TerminalMonitor = "terminal monitor";
    public const string TerminalDebugging = "terminal debugging";
    public const string DebugSsh = "debugging ssh server all";
    public const string UndoDebugAll = "undo debugging all";
    public const string RsaPublic = "display rsa local-key-pair public";
    public const string CurrentConfiguration = "display current-configuration";
    public const string IpInterfaceBrief = "display ip interface brief";

    public static readonly CommandTemplate ArpInclude = CommandTemplate.Parse("display arp | include {ip:ipv4}");
    public static readonly CommandTemplate PingFrom = CommandTemplate.Parse("ping -a {source:ipv4} {target:ipv4}");
    public static readonly CommandTemplate Ping = CommandTemplate.Parse("ping {target:ipv4}");
}
