using System.Collections.Concurrent;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Net;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>
/// What the steps learned, as plain values the rules read. Null means "not known" (step skipped, output
/// unparsed) and no rule may treat unknown as a fault. The gateway step and the device steps run
/// concurrently but write disjoint properties; evidence goes to a concurrent map keyed by step id.
/// </summary>
internal sealed class DiagnosisFacts
{
    public int ConfiguredPort { get; set; } = 22;

    public IReadOnlyDictionary<int, TcpProbeResult> Probes { get; set; } = new Dictionary<int, TcpProbeResult>();

    public bool JumpHostUnreachable { get; set; }

    public bool HostKeyMismatch { get; set; }

    public AccessPath? CliPath { get; set; }

    public bool CliReachable => CliPath is not null;

    /// <summary>True when the console server was tried and gave no prompt.</summary>
    public bool? ConsoleNoPrompt { get; set; }

    public bool? GatewayArpPresent { get; set; }

    public bool? GatewayPingOk { get; set; }

    /// <summary>The gateway's address on the device's subnet (next hop for the default-route fix).</summary>
    public string? GatewayIp { get; set; }

    public bool? HasRouteToManagement { get; set; }

    public bool? StelnetEnabled { get; set; }

    public IReadOnlyList<int>? ListeningPorts { get; set; }

    public IReadOnlyList<int> KnownServicePorts { get; set; } = [];

    public int? SshDebugLineCount { get; set; }

    public ProbeOutcome? DebugProbeOutcome { get; set; }

    public bool? RsaKeyPresent { get; set; }

    /// <summary>The <c>protocol inbound</c> value of the VTY lines; null when not configured or unknown.</summary>
    public string? VtyProtocol { get; set; }

    public string VtyRange { get; set; } = "0 4";

    public bool? TelnetServerEnabled { get; set; }

    public bool? AclDeniesManagement { get; set; }

    /// <summary>The interface holding the device's management address (from its configuration or "display ip interface brief").</summary>
    public string? ManagementInterface { get; set; }

    /// <summary>The "ssh server-source -i" list; empty when none is configured.</summary>
    public IReadOnlyList<string> SshSourceInterfaces { get; set; } = [];

    /// <summary>True when the SSH server source (interfaces, all-interface) leaves out the management interface; null when unknown.</summary>
    public bool? SshSourceExcludesManagement { get; set; }

    /// <summary>True when "display ip interface brief" shows the interface holding the management address administratively down; null when not looked at.</summary>
    public bool? ManagementInterfaceDown { get; set; }

    /// <summary>True when a "traffic-filter inbound acl" on the management interface drops the management source; null when unknown.</summary>
    public bool? InterfaceAclDeniesManagement { get; set; }

    /// <summary>The filter's configuration lines and rules, as the verdict quotes them.</summary>
    public IReadOnlyList<string> InterfaceAclEvidence { get; set; } = [];

    /// <summary>A platform's own parse results its remediation plans need (an ACL's rules; opaque here, see ISshUnreachableCollector).</summary>
    public object? PlatformDetail { get; set; }

    public ConcurrentDictionary<string, IReadOnlyList<string>> Evidence { get; } = new(StringComparer.Ordinal);

    /// <summary>The commands each step sent, in order, keyed by step id: the key evidence names the command a fact came from in the platform's own words.</summary>
    public ConcurrentDictionary<string, IReadOnlyList<string>> Commands { get; } = new(StringComparer.Ordinal);

    /// <summary>The subnet the bot connects from (the runbook's option), as the key evidence names it; null when not stated.</summary>
    public Ipv4Prefix? ManagementSubnet { get; set; }

    /// <summary>The address the bot's connections come from (the jump host), the one ACLs are checked against; null when not stated.</summary>
    public System.Net.IPAddress? ManagementSource { get; set; }

    /// <summary>The name of the VTY (or SSH server) ACL that denies the management source, on any platform; null when none or unknown.</summary>
    public string? DenyingAclName { get; set; }

    /// <summary>The management interface's dropping packet filter, as the platform names it (key evidence).</summary>
    public string? InterfaceAclName { get; set; }

    public ProbeOutcome? ConfiguredPortProbe => Probes.TryGetValue(ConfiguredPort, out var p) ? p.Outcome : null;

    public bool? ListeningOnConfiguredPort => ListeningPorts?.Contains(ConfiguredPort);

    /// <summary>Listeners that are neither the configured SSH port nor a known service: the "ghost port".</summary>
    public IReadOnlyList<int> GhostPorts => ListeningPorts is null
        ? []
        : ListeningPorts.Where(p => p != ConfiguredPort && !KnownServicePorts.Contains(p)).ToList();

    public IReadOnlyList<string> EvidenceOf(string stepId) => Evidence.TryGetValue(stepId, out var e) ? e : [];

    public IReadOnlyList<string> CommandsOf(string stepId) => Commands.TryGetValue(stepId, out var c) ? c : [];
}
