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
        var options = new ExecutionOptions { SaveBeforeReboot = false, RecoveryDeadline = TimeSpan.FromSeconds(60), ProbeInterval = TimeSpan.FromMilliseconds(250) };
        var route = await executor.ExecuteAsync(device, RemediationTestSupport.RoutePlan("10.12.0.1"), options, new RecordingObserver(output), CancellationToken.None);
        Assert.True(route.Verified, route.VerificationEvidence);

        // The change is unsaved, so VRP's reboot asks "save?" (answered n, as requested) then
        // "reboot?" (y): the switch comes back from the saved configuration, without the route.
        var observer = new RecordingObserver(output);
        var reboot = await executor.ExecuteAsync(device, RemediationTestSupport.RebootPlan(), options, observer, CancellationToken.None);

        Assert.True(reboot.Succeeded, reboot.Summary);
        Assert.NotNull(reboot.Recovery);
        Assert.True(reboot.Recovery.CameBack, reboot.Recovery.Summary);
        Assert.DoesNotContain(reboot.Commands, c => c.Command is "save");
        Assert.Contains(observer.Summaries, s => s.StartsWith("Skipped save", StringComparison.Ordinal));
        var table = RoutingTableParser.Parse(await RemediationTestSupport.RoutingTableAsync(access, device)).Value!;
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
