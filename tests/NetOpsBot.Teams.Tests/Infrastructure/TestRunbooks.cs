using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Teams.Tests.Infrastructure;

/// <summary>A runbook on <c>/sshdiag</c>, for tests that only read command words (nothing runs).</summary>
internal static class TestRunbooks
{
    public static RunbookRegistry Registry { get; } = With(new RunbookDefinition("ssh-unreachable", "SSH diagnosis", "/sshdiag", "diagnoses why SSH to a device fails", [new RunbookCause(RootCause.Healthy, RootCauseSeverity.NoFault)], [new StepDescriptor("verdict", "Verdict")]));

    public static RunbookRegistry With(RunbookDefinition definition) => new([new RunbookImplementation(definition, "huawei-vrp", new NeverRuns())]);

    private sealed class NeverRuns : IDiagnosisRunner
    {
        public IReadOnlyList<StepDescriptor> Steps => [];

        public Task<DiagnosisReport> RunAsync(DeviceRef device, IDiagnosisObserver? observer, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a command-text test ran a diagnosis");
    }
}
