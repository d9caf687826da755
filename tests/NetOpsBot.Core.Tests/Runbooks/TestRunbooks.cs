using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Runbooks;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Core.Tests.Runbooks;

/// <summary>
/// Core's tests register a runbook of the real one's shape (<c>ssh-unreachable</c> on <c>/sshdiag</c>, as every chat
/// test types it, with two of its causes) around runners of their own, so no test here runs a device step.
/// </summary>
internal static class TestRunbooks
{
    public static RunbookDefinition SshDiag { get; } = Definition("ssh-unreachable", "SSH diagnosis", "/sshdiag", "diagnoses why SSH to a device fails, step by step, and proposes the fix");

    /// <summary>A registry holding only <see cref="SshDiag"/>, on VRP; its runner must never run.</summary>
    public static RunbookRegistry Registry { get; } = new([new RunbookImplementation(SshDiag, "huawei-vrp", new NeverRuns())]);

    public static RunbookDefinition Definition(string id, string title, string command, string purpose) =>
        new(id, title, command, purpose, [new RunbookCause(SshUnreachableCauses.Healthy, RootCauseSeverity.NoFault), new RunbookCause(SshUnreachableCauses.DeviceUnreachable, RootCauseSeverity.Outage)], [new StepDescriptor("access", "Access"), new StepDescriptor("verdict", "Verdict")]);

    /// <summary>A registry around <paramref name="runner"/> for the <see cref="SshDiag"/> runbook on VRP.</summary>
    public static RunbookRegistry With(IDiagnosisRunner runner) => new([new RunbookImplementation(SshDiag, "huawei-vrp", runner)]);

    private sealed class NeverRuns : IDiagnosisRunner
    {
        public IReadOnlyList<StepDescriptor> Steps => SshDiag.Steps;

        public Task<DiagnosisReport> RunAsync(DeviceRef device, IDiagnosisObserver? observer, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a parser test ran a diagnosis");
    }
}
