using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Runbooks;
using NetOpsBot.Core.Tests.Fakes;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Core.Tests.Runbooks;

/// <summary>
/// Issue 16, seam 1: chat commands are the registered runbooks' command words, and an incident runs (and re-runs)
/// the runbook it was opened with, on its device's platform.
/// </summary>
public sealed class RunbookRegistryTests
{
    private static readonly RunbookDefinition InterfaceDown = TestRunbooks.Definition("interface-down", "Interface diagnosis", "/ifdiag", "diagnoses why an interface is down");
    private static readonly ChatChannel Netops = new("webchat", "netops", null);
    private static readonly ChatUser Alice = new("webchat", "alice", "Alice");

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-06T08:00:00Z", CultureInfo.InvariantCulture));
    private readonly InMemoryIncidentStore _store = new();

    [Fact]
    public void Parse_TheCommandWordOfEachRegisteredRunbook_DiagnosesWithThatRunbook()
    {
        var both = new RunbookRegistry([Impl(TestRunbooks.SshDiag, "huawei-vrp"), Impl(InterfaceDown, "huawei-vrp")]);

        Assert.Equal("ssh-unreachable", Assert.IsType<ChatCommand.Diagnose>(ChatCommandParser.Parse("/sshdiag sw-1", both)).RunbookId);
        Assert.Equal("interface-down", Assert.IsType<ChatCommand.Diagnose>(ChatCommandParser.Parse("/IFDIAG sw-1", both)).RunbookId);
        Assert.IsType<ChatCommand.Invalid>(ChatCommandParser.Parse("/ifdiag sw-1; reboot", both));
    }

    [Fact]
    public void Parse_AWordNoRunbookRegisters_IsRefusedNamingTheRegisteredCommand()
    {
        var only = new RunbookRegistry([Impl(InterfaceDown, "huawei-vrp")]);

        var invalid = Assert.IsType<ChatCommand.Invalid>(ChatCommandParser.Parse("/sshdiag sw-1", only));
        Assert.Contains("`/ifdiag help`", invalid.Reason, StringComparison.Ordinal);
        Assert.IsType<ChatCommand.Help>(ChatCommandParser.Parse("/ifdiag help", only));
        Assert.Contains("`/ifdiag <device>` diagnoses why an interface is down", ChatCommandParser.HelpText(only), StringComparison.Ordinal);
        Assert.DoesNotContain("sshdiag", ChatCommandParser.HelpText(only), StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_RefusesACommandWordClaimedTwice_AndTwoShapesOfOneRunbook()
    {
        var sameWord = TestRunbooks.Definition("other", "Other", "/sshdiag", "does something else");
        Assert.Throws<ArgumentException>(() => new RunbookRegistry([Impl(TestRunbooks.SshDiag, "huawei-vrp"), Impl(sameWord, "huawei-vrp")]));

        var retitled = TestRunbooks.Definition("ssh-unreachable", "Another title", "/sshdiag", "x");
        Assert.Throws<ArgumentException>(() => new RunbookRegistry([Impl(TestRunbooks.SshDiag, "huawei-vrp"), Impl(retitled, "cisco-iosxe")]));
        Assert.Throws<ArgumentException>(() => new RunbookRegistry([Impl(TestRunbooks.SshDiag, "huawei-vrp"), Impl(TestRunbooks.SshDiag, "HUAWEI-VRP")]));
    }

    [Theory]
    [InlineData("sshdiag")]
    [InlineData("/ssh diag")]
    [InlineData("/sshdiag;reboot")]
    [InlineData("/SSHDIAG")]
    public void Definition_RefusesACommandThatIsNotAPlainSlashWord(string command) =>
        Assert.Throws<ArgumentException>(() => TestRunbooks.Definition("x", "X", command, "x"));

    [Fact]
    public void For_FindsTheImplementationOfARunbookOnAPlatform_CaseInsensitive()
    {
        var vrp = Impl(TestRunbooks.SshDiag, "huawei-vrp");
        var iosxe = Impl(TestRunbooks.SshDiag, "cisco-iosxe");
        var registry = new RunbookRegistry([vrp, iosxe, Impl(InterfaceDown, "huawei-vrp")]);

        Assert.Same(iosxe, registry.For("ssh-unreachable", "Cisco-IOSXE"));
        Assert.Same(vrp, registry.For("ssh-unreachable", "huawei-vrp"));
        Assert.Null(registry.For("interface-down", "cisco-iosxe"));
        Assert.Equal(["huawei-vrp", "cisco-iosxe"], registry.PlatformsOf("ssh-unreachable"));
        Assert.Equal(RootCauseSeverity.Outage, registry.Cause("interface-down", SshUnreachableCauses.DeviceUnreachable.Code)!.Severity);
    }

    [Fact]
    public async Task AnIncident_StoresItsRunbook_AndItsReRunRunsThatRunbookAgain()
    {
        var ssh = new RecordingRunner();
        var iface = new RecordingRunner();
        var registry = new RunbookRegistry([new RunbookImplementation(TestRunbooks.SshDiag, "huawei-vrp", ssh), new RunbookImplementation(InterfaceDown, "huawei-vrp", iface)]);
        await using var service = new IncidentService(_store, new RecordingRunner(), new NoNotifier(), _time, new IncidentServiceOptions { InstanceId = "test" }, registry);
        var router = new CommandRouter(service, new ListInventory("sw-access-12"), _store, new AllowList(), new RateLimiter(_time, 100, TimeSpan.FromSeconds(1)), new RateLimiter(_time, 100, TimeSpan.FromSeconds(1)), _time);

        var reply = await router.HandleAsync(new ChatRequest(Alice, Netops, "/ifdiag sw-access-12", "r1"), CancellationToken.None);
        await Task.WhenAll(service.Running);
        var stored = await _store.GetAsync(reply.Incident!.Id, CancellationToken.None);
        Assert.Equal("interface-down", stored!.RunbookId);
        Assert.Equal((0, 1), (ssh.Runs.Count, iface.Runs.Count));

        await service.RediagnoseAsync(stored, ListInventory.Device("sw-access-12"), CancellationToken.None, RediagnosisStartedEvent.Recheck);

        Assert.Equal((0, 2), (ssh.Runs.Count, iface.Runs.Count));
    }

    [Fact]
    public async Task AnIncidentOpenedWithoutARunbook_RunsTheDefaultRunbook()
    {
        var ssh = new RecordingRunner();
        var registry = new RunbookRegistry([new RunbookImplementation(TestRunbooks.SshDiag, "huawei-vrp", ssh), new RunbookImplementation(InterfaceDown, "huawei-vrp", new RecordingRunner())]);
        await using var service = new IncidentService(_store, new RecordingRunner(), new NoNotifier(), _time, new IncidentServiceOptions { InstanceId = "test" }, registry);

        var creation = await service.StartDiagnosisAsync(ListInventory.Device("sw-access-12"), Alice, Netops, "k1", CancellationToken.None);
        await Task.WhenAll(service.Running);

        Assert.Equal("ssh-unreachable", creation.Incident.RunbookId);
        Assert.Single(ssh.Runs);
        await Assert.ThrowsAsync<ArgumentException>(() => service.StartDiagnosisAsync(ListInventory.Device("sw-access-12"), "no-such-runbook", Alice, Netops, "k2", null, CancellationToken.None));
    }

    private static RunbookImplementation Impl(RunbookDefinition definition, string platform) => new(definition, platform, new RecordingRunner());
}
