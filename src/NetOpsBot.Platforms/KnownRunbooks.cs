using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Runbooks;
using NetOpsBot.IosXe.Platform;
using NetOpsBot.Vrp.Platform;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Platforms;

/// <summary>
/// The one place that lists which runbook runs on which platform (issue 16, seam 1): a new runbook, or a platform
/// that implements one, is one line here; the Host and the CLI both take this registry.
/// </summary>
public static class KnownRunbooks
{
    /// <summary>Every runbook's definition, for readers that run nothing (an incident export names its runbook's command).</summary>
    public static IReadOnlyList<RunbookDefinition> Definitions { get; } = [SshUnreachableRunbook.Definition];

    /// <param name="sshUnreachable">The <c>ssh-unreachable</c> runner (it picks the platform's collectors per device).</param>
    public static RunbookRegistry Create(IDiagnosisRunner sshUnreachable) => new(
        [
            new RunbookImplementation(SshUnreachableRunbook.Definition, VrpPlatform.PlatformId, sshUnreachable),
            new RunbookImplementation(SshUnreachableRunbook.Definition, IosXePlatform.PlatformId, sshUnreachable),
        ],
        KnownPlatforms.All);
}
