using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Cards.Tests;

/// <summary>
/// Issue 16, seam 1: the card reads why each fix, which comes first and which one the evidence doubts from the
/// incident's runbook catalogue, so a runbook the cards never heard of gets the same guidance as ssh-unreachable.
/// </summary>
public sealed class RunbookCatalogueCardTests
{
    private static readonly RootCause PortShutdown = new("port-shutdown", "Port administratively down", "Someone typed shutdown.");
    private static readonly RootCause SpeedMismatch = new("speed-mismatch", "Speed mismatch", "The two ends disagree.");

    private static readonly RunbookDefinition InterfaceDown = new(
        "interface-down",
        "Interface diagnosis",
        "/ifdiag",
        "diagnoses why an interface is down",
        [
            new RunbookCause(new RootCause(RootCause.HealthyCode, "Healthy", "Up."), RootCauseSeverity.NoFault),
            new RunbookCause(SpeedMismatch, RootCauseSeverity.Fault) { FixWhy = "Both ends must agree.", ConfigFixDoubt = "Expected not to help: the peer is fixed at 100M." },
            new RunbookCause(PortShutdown, RootCauseSeverity.Fault) { FixWhy = "Nothing passes until the port is up.", RebootWhy = "Never.", FixPriority = FixPriority.PathBack },
        ],
        [new StepDescriptor("access", "Access")]);

    private static RemediationPlan Plan(string id, RootCause cause, RemediationKind kind = RemediationKind.Config) =>
        new(id, cause, "Fix " + cause.Code, [CommandTemplate.Parse("undo shutdown").Render()], kind, ApprovalPolicy.For(kind));

    private static DiagnosisReport Report { get; } = CardFixtures.SeedReport with
    {
        RootCauses =
        [
            new RootCauseFinding(SpeedMismatch, "speed", Confidence.High, ["speed 100 vs 1000"]),
            new RootCauseFinding(PortShutdown, "shutdown", Confidence.High, ["shutdown"]),
        ],
        Remediations = [Plan("speed-mismatch.speed-auto", SpeedMismatch), Plan("port-shutdown.undo-shutdown", PortShutdown)],
    };

    [Fact]
    public void Offers_AreOrderedAndExplained_ByTheIncidentsRunbook()
    {
        var offers = DiagnosisCardViewBuilder.FromReport(InterfaceDown, CardFixtures.Incident, "alice", Report, "n-1", CardFixtures.Links).Offers;

        Assert.Equal(["port-shutdown.undo-shutdown", "speed-mismatch.speed-auto"], offers.Select(o => o.PlanId));
        Assert.Equal("Nothing passes until the port is up.", offers[0].Why);
        Assert.Null(offers[0].Expectation);
        Assert.Equal("Both ends must agree.", offers[1].Why);
        Assert.Equal("Expected not to help: the peer is fixed at 100M.", offers[1].Expectation);
    }

    [Fact]
    public void WithoutTheRunbook_OffersKeepTheirOrder_AndSayNoWhy()
    {
        var offers = DiagnosisCardViewBuilder.FromReport(null, CardFixtures.Incident, "alice", Report, "n-1", CardFixtures.Links).Offers;

        Assert.Equal(["speed-mismatch.speed-auto", "port-shutdown.undo-shutdown"], offers.Select(o => o.PlanId));
        Assert.All(offers, o => Assert.Null(o.Why));
        Assert.Equal("port-shutdown", offers[1].Cause);
    }

    [Fact]
    public void SshUnreachable_ListenerStuck_RebootAndConfigFix_ReadTheirOwnTexts()
    {
        var offers = DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, CardFixtures.Incident, "alice", CardFixtures.SeedReport, "n-1", CardFixtures.Links).Offers;

        Assert.Equal(["route-default", "ssh-port-22", "reboot"], offers.Select(o => o.PlanId));
        Assert.Equal("Re-applies the configured SSH port.", offers[1].Why);
        Assert.Equal("Expected not to help: the listener is stuck (re-applying the port does not re-bind it).", offers[1].Expectation);
        Assert.Equal("A reboot re-binds the SSH listener on the configured port.", offers[2].Why);
        Assert.Null(offers[2].Expectation);
    }
}
