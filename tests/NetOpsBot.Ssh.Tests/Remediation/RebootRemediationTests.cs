using NetOpsBot.Core.Access;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Vrp;
using NetOpsBot.Vrp.Remediation;
using Xunit.Abstractions;

namespace NetOpsBot.Ssh.Tests.Remediation;

public sealed class UnsavedChangeLab : RemediationLab
{
    protected override int AddressBlock => 231;

    protected override string ScenarioName => "seed-case";

    protected override TimeSpan BootTime => TimeSpan.FromSeconds(2);
}

public sealed class SlowBootLab : RemediationLab
{
    protected override int AddressBlock => 232;

    protected override string ScenarioName => "healthy";

    protected override TimeSpan BootTime => TimeSpan.FromSeconds(600);
}

public sealed class UnsavedChangeRebootTests(UnsavedChangeLab lab, ITestOutputHelper output) : IClassFixture<UnsavedChangeLab>
{
    [Fact]
    public async Task ExecuteAsync_RebootWithoutSaveOnModifiedConfig_UnsavedChangeIsLost()
    {
        await using var access = lab.Access();
        var device = lab.Device();
        var executor = new RemediationExecutor(access, RemediationTestSupport.Opener(access), TimeProvider.System);
        // The switch boots in 2 s; it then has no route back, so from the jump host it never answers again and
        // the deadline only bounds how long the watch looks before saying so.
        var options = new ExecutionOptions { SaveBeforeReboot = false, RecoveryDeadline = TimeSpan.FromSeconds(8), ProbeInterval = TimeSpan.FromMilliseconds(250) };
        var route = await executor.ExecuteAsync(device, RemediationTestSupport.RoutePlan("10.12.0.1"), options, new RecordingObserver(output), CancellationToken.None);
        Assert.True(route.Verified, route.VerificationEvidence);

        // The change is unsaved, so VRP's reboot asks "save?" (answered n, as requested) then
        // "reboot?" (y): the switch comes back from the saved configuration, without the route.
        var observer = new RecordingObserver(output);
        var reboot = await executor.ExecuteAsync(device, RemediationTestSupport.RebootPlan(), options, observer, CancellationToken.None);

        Assert.DoesNotContain(reboot.Commands, c => c.Command is "save");
        Assert.Contains(reboot.Commands, c => c.Command is "reboot");
        Assert.Contains(observer.Summaries, s => s.StartsWith("Skipped save", StringComparison.Ordinal));
        Assert.Contains(observer.Summaries, s => s == "Sent reboot; session closed by the device");
        // Without its route the switch is up but unreachable from the jump host: the bot must not call it recovered.
        Assert.False(reboot.Succeeded, reboot.Summary);
        Assert.NotNull(reboot.Recovery);
        Assert.False(reboot.Recovery.CameBack, reboot.Recovery.Summary);
        Assert.Equal("sw-access-12 did not answer on TCP 22 within 8.0 s after the reboot", reboot.Summary);

        // The console is the only way in now (the same opener the executor uses falls back to it), and there the
        // switch shows both halves of the story: it did reboot (the stuck listener on 64443 is gone, 22 is bound
        // from the saved configuration) and the unsaved default route did not survive it.
        await using var console = await RemediationTestSupport.Opener(access)(device, CancellationToken.None);
        Assert.Equal(AccessPathKind.Console, console.Path?.Kind);
        var tcp = TcpStatusParser.Parse((await console.RunAsync("display tcp status", TimeSpan.FromSeconds(10), null, CancellationToken.None)).Output).Value!;
        Assert.True(tcp.IsListening(22), string.Join(", ", tcp.ListeningPorts));
        Assert.DoesNotContain(64443, tcp.ListeningPorts);
        var table = RoutingTableParser.Parse((await console.RunAsync("display ip routing-table", TimeSpan.FromSeconds(10), null, CancellationToken.None)).Output).Value!;
        Assert.NotEmpty(table.Routes);
        Assert.DoesNotContain(table.Routes, r => r.IsDefault);
    }
}

public sealed class SlowBootRebootTests(SlowBootLab lab, ITestOutputHelper output) : IClassFixture<SlowBootLab>
{
    [Fact]
    public async Task ExecuteAsync_DeviceNotBackByDeadline_CameBackFalseWithClearSummary()
    {
        await using var access = lab.Access();
        var device = lab.Device();
        var executor = new RemediationExecutor(access, RemediationTestSupport.Opener(access), TimeProvider.System);
        var options = new ExecutionOptions { RecoveryDeadline = TimeSpan.FromSeconds(3), ProbeInterval = TimeSpan.FromMilliseconds(250) };

        var result = await executor.ExecuteAsync(device, RemediationTestSupport.RebootPlan(), options, new RecordingObserver(output), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.NotNull(result.Recovery);
        Assert.True(result.Recovery.WentDown, result.Recovery.Summary);
        Assert.False(result.Recovery.CameBack);
        Assert.False(result.Recovery.SshLoginWorks);
        Assert.Equal("sw-access-12 did not answer on TCP 22 within 3.0 s after the reboot", result.Summary);
    }
}
