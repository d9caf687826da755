using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Teams.Tests.Infrastructure;

/// <summary>A runbook on <c>/sshdiag</c>, for tests that only read command words (nothing runs).</summary>
internal static class TestRunbooks
{
    /// <summary>The no-fault cause every runbook concludes (Teams never reads a runbook's other causes).</summary>
    public static RunbookCause NoFault { get; } = new(new RootCause(RootCause.HealthyCode, "Healthy", "No fault found."), RootCauseSeverity.NoFault);

    public static RunbookRegistry Registry { get; } = With(new RunbookDefinition("ssh-unreachable", "SSH diagnosis", "/sshdiag", "diagnoses why SSH to a device fails", [TestRunbooks.NoFault], [new StepDescriptor("verdict", "Verdict")]));

    public static RunbookRegistry With(RunbookDefinition definition) => new([new RunbookImplementation(definition, "huawei-vrp", new NeverRuns())]);

    private sealed class NeverRuns : IDiagnosisRunner
    {
        public IReadOnlyList<StepDescriptor> Steps => [];

        public Task<DiagnosisReport> RunAsync(DeviceRef device, IDiagnosisObserver? observer, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a command-text test ran a diagnosis");
    }
}
