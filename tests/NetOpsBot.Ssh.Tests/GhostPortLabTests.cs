using System.Diagnostics;
using NetOpsBot.Core.Access;

namespace NetOpsBot.Ssh.Tests;

public sealed class GhostPortLabTests(GhostPortLab lab) : IClassFixture<GhostPortLab>
{
    [Fact]
    public async Task ProbeAsync_GhostPort_Port22RefusedAnd64443Open()
    {
        await using var access = lab.Access();

        var p22 = await access.ProbeAsync(lab.Device(), 22, TimeSpan.FromSeconds(2), CancellationToken.None);
        var p64443 = await access.ProbeAsync(lab.Device(), 64443, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Refused, p22.Outcome);
        Assert.True(p22.Duration < TimeSpan.FromSeconds(1), $"refused took {p22.Duration}");
        Assert.Equal(ProbeOutcome.Open, p64443.Outcome);
        Assert.Contains("SSH-2.0", p64443.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenCliAsync_GhostPort22_RefusedWithRealReason()
    {
        await using var access = lab.Access();

        var ex = await Assert.ThrowsAsync<DeviceAccessException>(() => access.OpenCliAsync(lab.Device(), AccessPath.Ssh(22), CancellationToken.None));

        Assert.Equal(DeviceAccessFailure.Refused, ex.Reason);
        Assert.Contains("refused", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("identification string", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenCliAsync_GhostPort64443_ReachesCli()
    {
        await using var access = lab.Access();
        await using var session = await access.OpenCliAsync(lab.Device(), AccessPath.Ssh(64443), CancellationToken.None);

        var status = await session.RunAsync("display ssh server status", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal("sw-access-12", session.Hostname);
        Assert.Contains("SSH", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenCliAsync_Console_ReachesCliWhileSshIsBroken()
    {
        await using var access = lab.Access();
        await using var session = await access.OpenCliAsync(lab.Device(), AccessPath.Console, CancellationToken.None);

        var version = await session.RunAsync("display version", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal("sw-access-12", session.Hostname);
        Assert.Contains("VRP", version.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CollectAsyncLinesAsync_DebugOnAndProbeTo64443_ReturnsDebugLinesNotMixedIntoOutput()
    {
        await using var access = lab.Access();
        var device = lab.Device("sw-access-12");
        await using var session = await access.OpenCliAsync(device, AccessPath.Console, CancellationToken.None);
        await session.RunAsync("terminal monitor", TimeSpan.FromSeconds(5), CancellationToken.None);
        await session.RunAsync("terminal debugging", TimeSpan.FromSeconds(5), CancellationToken.None);
        await session.RunAsync("debugging ssh server all", TimeSpan.FromSeconds(5), CancellationToken.None);
        try
        {
            Assert.Empty(await session.CollectAsyncLinesAsync(TimeSpan.Zero, CancellationToken.None));
            var refused = await access.ProbeAsync(device, 22, TimeSpan.FromSeconds(2), CancellationToken.None);
            var quiet = await session.CollectAsyncLinesAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None);

            var open = await access.ProbeAsync(device, 64443, TimeSpan.FromSeconds(2), CancellationToken.None);
            await Task.Delay(TimeSpan.FromMilliseconds(800));
            var next = await session.RunAsync("display version", TimeSpan.FromSeconds(5), CancellationToken.None);
            var lines = await session.CollectAsyncLinesAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None);

            Assert.Equal(ProbeOutcome.Refused, refused.Outcome);
            Assert.Empty(quiet);
            Assert.Equal(ProbeOutcome.Open, open.Outcome);
            Assert.Contains("SSH", lines, StringComparison.Ordinal);
            Assert.Matches(@"^[A-Z][a-z]{2} +\d+ \d{4} \d\d:\d\d:\d\d", lines);
            Assert.DoesNotContain("SSH_DEBUG", next.Output, StringComparison.Ordinal);
            Assert.Contains("VRP", next.Output, StringComparison.Ordinal);
        }
        finally
        {
            await session.RunAsync("undo debugging all", TimeSpan.FromSeconds(5), CancellationToken.None);
        }
    }
}

public sealed class DeviceDownLabTests(DeviceDownLab lab) : IClassFixture<DeviceDownLab>
{
    [Fact]
    public async Task ProbeAsync_DeviceDown_TimeoutWithinProbeTimeout()
    {
        // A short SSH timeout: the dropped-SYN channel stays pending at the jump host until then.
        await using var access = lab.Access(lab.Options() with { ConnectTimeout = TimeSpan.FromSeconds(1.5) });
        var watch = Stopwatch.StartNew();

        var probe = await access.ProbeAsync(lab.Device(), 22, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Timeout, probe.Outcome);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ProbeAsync_DeviceDown_ProbeOutlastsTheJumpConnectionTimeout_StillTimeoutNotRefused()
    {
        // SSH.NET closes the forwarded socket when it stops waiting for the pending channel open (after the jump
        // connection's timeout). That EOF once read as an RST, so a powered-off switch was reported as refusing.
        await using var access = lab.Access(lab.Options() with { ConnectTimeout = TimeSpan.FromSeconds(1) });

        var probe = await access.ProbeAsync(lab.Device(), 22, TimeSpan.FromSeconds(4), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Timeout, probe.Outcome);
        Assert.Contains("SYN dropped", probe.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenCliAsync_DeviceDown_TimeoutReason()
    {
        await using var access = lab.Access(lab.Options() with { ConnectTimeout = TimeSpan.FromSeconds(1.5) });
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<DeviceAccessException>(() => access.OpenCliAsync(lab.Device(), AccessPath.Ssh(22), CancellationToken.None));

        Assert.Equal(DeviceAccessFailure.Timeout, ex.Reason);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task ProbeAsync_LabStopped_JumpHostUnreachable()
    {
        var stopped = new DeviceDownLab();
        await stopped.InitializeAsync();
        var access = stopped.Access();
        await using (access)
        {
            var before = await access.ProbeAsync(stopped.Device("sw-access-13"), 22, TimeSpan.FromSeconds(2), CancellationToken.None);
            await stopped.DisposeAsync();

            var after = await access.ProbeAsync(stopped.Device("sw-access-13"), 22, TimeSpan.FromSeconds(2), CancellationToken.None);

            Assert.Equal(ProbeOutcome.Open, before.Outcome);
            Assert.Equal(ProbeOutcome.JumpHostUnreachable, after.Outcome);
        }
    }
}
