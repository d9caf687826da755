using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>
/// The <c>ssh-unreachable</c> runbook as the registry knows it: its id, chat command, root-cause catalogue and steps.
/// Every platform that runs it (through its <see cref="NetOpsBot.Core.Platforms.ISshUnreachableCollector"/>) registers this one definition.
/// </summary>
public static class SshUnreachableRunbook
{
    public const string Id = "ssh-unreachable";

    /// <summary>The catalogue: every cause the rules of <see cref="SshUnreachableRules"/> can conclude, with its severity.</summary>
    public static IReadOnlyList<RunbookCause> Causes { get; } =
    [
        new(RootCause.Healthy, RootCauseSeverity.NoFault),
        new(RootCause.SshServerDisabled, RootCauseSeverity.Fault),
        new(RootCause.RsaKeyMissing, RootCauseSeverity.Fault),
        new(RootCause.ReturnRouteMissing, RootCauseSeverity.Fault),
        new(RootCause.ListenerStuck, RootCauseSeverity.Fault),
        new(RootCause.VtyAclDeniesManagement, RootCauseSeverity.Fault),
        new(RootCause.VtyProtocolNotSsh, RootCauseSeverity.Fault),
        new(RootCause.SshSourceExcludesManagement, RootCauseSeverity.Fault),
        new(RootCause.ManagementInterfaceDown, RootCauseSeverity.Fault),
        new(RootCause.InterfaceAclBlocksManagement, RootCauseSeverity.Fault),
        new(RootCause.DeviceUnreachable, RootCauseSeverity.Outage),
        new(RootCause.JumpHostUnreachable, RootCauseSeverity.Undiagnosable),
        new(RootCause.HostKeyMismatch, RootCauseSeverity.SecurityEvent),
    ];

    public static RunbookDefinition Definition { get; } = new(
        Id,
        "SSH diagnosis",
        "/sshdiag",
        "diagnoses why SSH to a device fails, step by step, and proposes the fix",
        Causes,
        SshUnreachableSteps.All)
    {
        Symptom = "was reported unreachable over SSH",
    };
}
