using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Runbooks;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Core.Tests.Runbooks;

/// <summary>
/// Issue 16, seam 1: Core holds no closed list of root causes. A runbook brings its own catalogue (titles, headline
/// phrases, lessons, fix names) and Core reads a stored code only through the incident's runbook; it knows only the
/// shared no-fault code "healthy".
/// </summary>
public sealed class RootCauseCatalogueTests
{
    private static readonly RootCause Healthy = new(RootCause.HealthyCode, "Healthy", "The interface is up.");
    private static readonly RootCause PortShutdown = new("port-shutdown", "Port administratively down", "Someone typed shutdown.");

    private static readonly RunbookDefinition InterfaceDown = new(
        "interface-down",
        "Interface diagnosis",
        "/ifdiag",
        "diagnoses why an interface is down",
        [
            new RunbookCause(Healthy, RootCauseSeverity.NoFault) { Phrase = "interface fine" },
            new RunbookCause(PortShutdown, RootCauseSeverity.Fault)
            {
                Phrase = "port shut down",
                ConcretePhrase = facts => facts.FirstOrDefault(f => f.StartsWith("port ", StringComparison.Ordinal)) is { } f ? f + " shut down" : null,
                Lessons = ["Look at the port's configuration first."],
            },
        ],
        [new StepDescriptor("access", "Access")])
    {
        NoFaultNextChecks = ["the cable"],
        FixNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["port-shutdown.undo-shutdown"] = "port enabled" },
    };

    [Fact]
    public void ACauseOfAnotherRunbook_IsReadFromThatRunbook()
    {
        Assert.Equal("Port administratively down", RootCauseCatalogue.Title(InterfaceDown, "port-shutdown"));
        Assert.Equal("port shut down", RootCauseCatalogue.Phrase(InterfaceDown, "port-shutdown"));
        Assert.Equal("port Gi0/1 shut down", RootCauseCatalogue.Phrase(InterfaceDown, "port-shutdown", ["nothing here", "port Gi0/1"]));
        Assert.Equal(["Look at the port's configuration first."], RootCauseCatalogue.Takeaways(InterfaceDown, "port-shutdown"));
        Assert.Equal(["the cable"], RootCauseCatalogue.NoFaultNextChecks(InterfaceDown));
        Assert.Equal("port enabled", RootCauseCatalogue.FixName(InterfaceDown, "port-shutdown.undo-shutdown", "Undo shutdown", reboot: false));
    }

    [Fact]
    public void ACodeTheRunbookDoesNotKnow_ShowsAsTheCode_NeverThrows()
    {
        Assert.Equal("listener-stuck", RootCauseCatalogue.Title(InterfaceDown, "listener-stuck"));
        Assert.Equal("listener-stuck", RootCauseCatalogue.Phrase(InterfaceDown, "listener-stuck", ["unexpected port 22"]));
        Assert.Empty(RootCauseCatalogue.Takeaways(InterfaceDown, "listener-stuck"));
        Assert.Equal("port-shutdown", RootCauseCatalogue.Title(null, "port-shutdown"));
        Assert.Empty(RootCauseCatalogue.NoFaultNextChecks(null));
        Assert.Equal("reboot", RootCauseCatalogue.FixName(null, "port-shutdown.reload", "Reload", reboot: true));
        Assert.Equal("undo shutdown", RootCauseCatalogue.FixName(null, "port-shutdown.undo-shutdown", "Undo shutdown", reboot: false));
    }

    [Fact]
    public void APhraseWithoutWords_IsTheTitle()
    {
        var bare = InterfaceDown.Causes[1] with { Phrase = null, ConcretePhrase = null };
        Assert.Equal("Port administratively down", bare.PhraseFor(["port Gi0/1"]));
    }

    [Fact]
    public void SshUnreachable_ListenerStuck_NamesTheGhostPortFromTheRunsFacts()
    {
        var runbook = SshUnreachableRunbook.Definition;
        Assert.Equal("listener stuck on 22, 830", RootCauseCatalogue.Phrase(runbook, "listener-stuck", ["TCP listens on unexpected port 22, 830 only"]));
        Assert.Equal("SSH listener stuck", RootCauseCatalogue.Phrase(runbook, "listener-stuck", ["no port named"]));
        Assert.Equal("no return route", RootCauseCatalogue.Phrase(runbook, "return-route-missing", ["unexpected port 22"]));
        Assert.Equal("Management interface shut down", RootCauseCatalogue.Phrase(runbook, "mgmt-interface-down"));
    }

    [Fact]
    public void ADefinition_NeedsExactlyOneNoFaultCause_CodedHealthy()
    {
        RunbookDefinition With(params RunbookCause[] causes) => new("interface-down", "Interface diagnosis", "/ifdiag", "p", causes, [new StepDescriptor("access", "Access")]);
        var fault = new RunbookCause(PortShutdown, RootCauseSeverity.Fault);

        Assert.Throws<ArgumentException>(() => With(fault));
        Assert.Throws<ArgumentException>(() => With(new RunbookCause(new RootCause("all-good", "All good", "Fine."), RootCauseSeverity.NoFault), fault));
        Assert.Throws<ArgumentException>(() => With(new RunbookCause(Healthy, RootCauseSeverity.Fault), fault));
        Assert.Throws<ArgumentException>(() => With(new RunbookCause(Healthy, RootCauseSeverity.NoFault), new RunbookCause(new RootCause("fine-too", "Fine", "Fine."), RootCauseSeverity.NoFault)));
        Assert.Equal(2, With(new RunbookCause(Healthy, RootCauseSeverity.NoFault), fault).Causes.Count);
    }

    [Theory]
    [InlineData("port-shutdown", "Port down", "port-shutdown", "Port down")]
    [InlineData("port-shutdown", "", "port-shutdown", "port-shutdown")]
    [InlineData(null, null, "healthy", "healthy")]
    [InlineData("Not A Code", "x", "healthy", "x")]
    public void AStoredCause_IsRebuiltWithoutThrowing(string? code, string? title, string expectedCode, string expectedTitle)
    {
        var cause = RootCause.OfStoredCode(code, title);
        Assert.Equal(expectedCode, cause.Code);
        Assert.Equal(expectedTitle, cause.Title);
    }
}
