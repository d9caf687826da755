using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Runbooks;
using NetOpsBot.Core.Tests.Incidents;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Cards.Tests;

/// <summary>Issue 16, seam 1: a card names its incident's runbook (title, command, steps) from the registry, not a literal.</summary>
public sealed class RunbookKindCardTests
{
    private static readonly RunbookDefinition InterfaceDown = new(
        "interface-down",
        "Interface diagnosis",
        "/ifdiag",
        "diagnoses why an interface is down",
        [new RunbookCause(SshUnreachableCauses.Healthy, RootCauseSeverity.NoFault)],
        [new StepDescriptor("link", "Link state"), new StepDescriptor("verdict", "Verdict")]);

    [Fact]
    public void TheCardOfAnIncident_NamesItsRunbooksTitleAndCommand_AndShowsItsSteps()
    {
        var registry = new RunbookRegistry([new RunbookImplementation(InterfaceDown, "huawei-vrp", new NeverRuns())]);
        var cards = new IncidentCards(null!, [new StepDescriptor("access", "Access")], CardLinks.None, runbooks: registry);
        var incident = ReferenceCaseTimeline.Incident with { RunbookId = "interface-down" };

        var view = cards.Apply(new IncidentNotification(incident, ReferenceCaseTimeline.Typed()[0]));

        Assert.Equal(("Interface diagnosis", "/ifdiag"), (view.Kind, view.Command));
        Assert.Equal(["link", "verdict"], view.Steps.Select(s => s.Id));
        Assert.StartsWith("Interface diagnosis · sw-access-12 · ", CardLayout.Footer(view, "t", s => s), StringComparison.Ordinal);
    }

    private sealed class NeverRuns : IDiagnosisRunner
    {
        public IReadOnlyList<StepDescriptor> Steps => [];

        public Task<DiagnosisReport> RunAsync(DeviceRef device, IDiagnosisObserver? observer, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a card test ran a diagnosis");
    }
}
