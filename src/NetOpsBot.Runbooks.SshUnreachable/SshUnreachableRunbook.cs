using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>
/// The <c>ssh-unreachable</c> runbook as the registry knows it: its id, chat command, root-cause catalogue and steps.
/// Every platform that runs it (through its <see cref="ISshUnreachableCollector"/>) registers this one definition.
/// </summary>
public static class SshUnreachableRunbook
{
    public const string Id = "ssh-unreachable";

    public static RunbookDefinition Definition { get; } = new(
        Id,
        "SSH diagnosis",
        "/sshdiag",
        "diagnoses why SSH to a device fails, step by step, and proposes the fix",
        SshUnreachableCauses.Catalogue,
        SshUnreachableSteps.All)
    {
        Symptom = "was reported unreachable over SSH",
        NoFaultNextChecks = SshUnreachableCauses.NoFaultNextChecks,
        FixNames = SshUnreachableCauses.FixNames,
    };
}
