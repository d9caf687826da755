using System.Net;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Net;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Core.Platforms;

/// <summary>Runs one read-only command on the device through the runbook (which logs it and bounds its time).</summary>
public delegate Task<CliResult> DeviceCommandRunner(string command, TimeSpan? timeout = null);

/// <summary>What the runbook knows about the device before its device steps run.</summary>
public sealed record SshUnreachableTarget(DeviceRef Device, Ipv4Prefix ManagementSubnet, IPAddress ManagementHost, int ConfiguredPort);

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

    /// <summary>The ACL that denies the management host, as the verdict names it.</summary>
    public string? DenyingAclName { get; init; }

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
    Task<CollectedStep> RoutingAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken);

    Task<CollectedStep> ServiceAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken);

    Task<CollectedStep> ListenerAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken);

    Task<CollectedStep> HardeningAsync(DeviceCommandRunner run, SshUnreachableTarget target, CancellationToken cancellationToken);

    /// <summary>Commands that show SSH debug output on this session, sent before the connection attempt.</summary>
    IReadOnlyList<string> DebugOnCommands { get; }

    /// <summary>Commands that switch every debug off again; always sent, even when the step fails.</summary>
    IReadOnlyList<string> DebugOffCommands { get; }

    /// <summary>The SSH debug lines among the asynchronous lines collected during the attempt; null when they cannot be read.</summary>
    IReadOnlyList<string>? SshDebugLines(string asyncLines);

    /// <summary>Remediation plans for a finding, rendered from this platform's templates only.</summary>
    IReadOnlyList<RemediationPlan> PlansFor(RootCause cause, SshUnreachableFacts facts, SshUnreachableTarget target, int configApproversRequired);
}
