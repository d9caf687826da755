using System.Net;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Net;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>Runs one read-only command on the device through the runbook (which logs it and bounds its time).</summary>
public delegate Task<CliResult> DeviceCommandRunner(string command, TimeSpan? timeout = null);

/// <summary>What the runbook knows about the device before a device step runs.</summary>
public sealed record SshUnreachableTarget(DeviceRef Device, Ipv4Prefix ManagementSubnet, IPAddress ManagementHost, int ConfiguredPort)
{
    /// <summary>Ports of known services besides SSH: a listener on any other port is a "ghost port".</summary>
    public IReadOnlyList<int> KnownServicePorts { get; init; } = [];

    /// <summary>What the earlier steps of this run learned (a step that refines a fact reads it here).</summary>
    public SshUnreachableFacts Known { get; init; } = new();
}

/// <summary>The gateway step's view: the gateway (another device, its own session) and the device it looks at.</summary>
public sealed record SshUnreachableGatewayTarget(DeviceRef Gateway, DeviceRef Device, TimeSpan PingTimeout);

/// <summary>The SSH debug lines of one capture: those of the runbook's own attempt, and how many belonged to other connections.</summary>
public sealed record SshDebugLines(IReadOnlyList<string> Attempt, int OtherCount, IReadOnlyList<int> OtherPorts);

/// <summary>
/// Facts a platform's collectors learned, named as the <c>ssh-unreachable</c> rules read them; null is "not known",
/// never a fault, on every platform.
/// </summary>
public sealed record SshUnreachableFacts
{
    public bool? HasRouteToManagement { get; init; }

    public int? ConfiguredPort { get; init; }

    /// <summary>The gateway's address on the device's subnet, as the gateway step learned it (next hop of a default-route fix).</summary>
    public string? GatewayIp { get; init; }

    public bool? StelnetEnabled { get; init; }

    public IReadOnlyList<int>? ListeningPorts { get; init; }

    public bool? RsaKeyPresent { get; init; }

    public string? VtyProtocol { get; init; }

    public string? VtyRange { get; init; }

    public bool? TelnetServerEnabled { get; init; }

    public bool? AclDeniesManagement { get; init; }

    /// <summary>The interface holding the device's management address.</summary>
    public string? ManagementInterface { get; init; }

    /// <summary>True when the interface holding the management address is administratively down.</summary>
    public bool? ManagementInterfaceDown { get; init; }

    /// <summary>The interfaces the SSH server is restricted to; empty when none is configured.</summary>
    public IReadOnlyList<string>? SshSourceInterfaces { get; init; }

    /// <summary>True when the SSH server's source restriction leaves out the management interface.</summary>
    public bool? SshSourceExcludesManagement { get; init; }

    /// <summary>True when an inbound packet filter on the management interface drops the management source.</summary>
    public bool? InterfaceAclDeniesManagement { get; init; }

    /// <summary>The packet filter's configuration lines and rules, as its verdict quotes them.</summary>
    public IReadOnlyList<string>? InterfaceAclEvidence { get; init; }

    /// <summary>The gateway's ARP table has an entry for the device.</summary>
    public bool? GatewayArpPresent { get; init; }

    /// <summary>The device answers the gateway's ping.</summary>
    public bool? GatewayPingOk { get; init; }

    /// <summary>The ACL that denies the management host, as the verdict names it.</summary>
    public string? DenyingAclName { get; init; }

    /// <summary>The packet filter on the management interface that drops the management source, as the verdict names it.</summary>
    public string? InterfaceAclName { get; init; }

    /// <summary>Opaque to the runbook: the platform's own parse results that its remediation plans need (an ACL's entries).</summary>
    public object? PlatformDetail { get; init; }
}

/// <summary>One device step's outcome on a platform, with the facts it learned.</summary>
public sealed record CollectedStep(StepStatus Status, string Finding, IReadOnlyList<string> Evidence, SshUnreachableFacts Facts);

/// <summary>
/// The <c>ssh-unreachable</c> runbook's device steps in one platform's commands and parsers. The runbook keeps the
/// order, the access path, the probes, the timeouts and the rules; the platform only says what to type and what the
/// answer means, so the same rules reach the same verdicts on every platform.
/// </summary>
public interface ISshUnreachableCollector
{
    /// <summary>Commands sent once on a new session before any step (paging off when the session did not already).</summary>
    IReadOnlyList<string> SessionSetupCommands { get; }

    /// <summary>The gateway checks (ARP, ping) when a device of this platform is the gateway; null when not implemented.</summary>
    ISshUnreachableGatewayChecks? GatewayChecks { get; }

    Task<CollectedStep> RoutingAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken);

    Task<CollectedStep> ServiceAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken);

    Task<CollectedStep> ListenerAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken);

    Task<CollectedStep> HardeningAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken);

    /// <summary>Commands that show SSH debug output on this session, sent before the connection attempt.</summary>
    IReadOnlyList<string> DebugOnCommands { get; }

    /// <summary>Commands that switch every debug off again; always sent, even when the step fails.</summary>
    IReadOnlyList<string> DebugOffCommands { get; }

    /// <summary>
    /// The SSH debug lines among the asynchronous lines collected during the attempt on <paramref name="attemptPort"/>,
    /// as evidence lines; null when they cannot be read.
    /// </summary>
    SshDebugLines? ReadSshDebug(string asyncLines, int attemptPort);

    /// <summary>Remediation plans for a finding, rendered from this platform's templates only.</summary>
    IReadOnlyList<RemediationPlan> PlansFor(RootCause cause, SshUnreachableFacts facts, SshUnreachableTarget target, int configApproversRequired);
}

/// <summary>The gateway step on a gateway of one platform: does it see the device at L2 (ARP) and L3 (ping)?</summary>
public interface ISshUnreachableGatewayChecks
{
    Task<CollectedStep> CheckAsync(DeviceCommandRunner run, SshUnreachableGatewayTarget target, CancellationToken cancellationToken);
}

/// <summary>
/// A device platform that runs the <c>ssh-unreachable</c> runbook: it brings the runbook's device steps. The platform
/// project implements this (platform → runbook); the runbook never names a platform.
/// </summary>
public interface ISshUnreachablePlatform
{
    ISshUnreachableCollector SshUnreachable { get; }
}
