using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Vrp.Remediation;

namespace NetOpsBot.Vrp.Tests.Remediation;

/// <summary>
/// Issue 14, design change 3: a reboot watch speaks at a human pace ("still down after 2 min (expected up to 8 min)"
/// every 2 min, not every probe), and its deadline follows the device's expected boot time, on a fake clock.
/// </summary>
public sealed class RecoveryWatchProgressTests
{
    private static DeviceRef Device(TimeSpan? boot) =>
        new(DeviceName.Parse("sw-access-12"), "huawei-vrp", "127.0.0.1", IPAddress.Parse("10.12.0.12"), 22, [], null, null, null, "sw") { ExpectedBootTime = boot };

    [Fact]
    public async Task Watch_DeviceBackAfter7Min_ThreeProgressLinesEvery2Min_NotOnePerProbe()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var access = new Access(time, upAfter: TimeSpan.FromMinutes(7));
        var observer = new Lines();
        var executor = new RemediationExecutor(access, (_, _) => throw new InvalidOperationException("no commands in a watch"), time);

        var watch = executor.WatchRecoveryAsync(Device(null), new ExecutionOptions(), observer, CancellationToken.None);
        await DriveAsync(time, watch, TimeSpan.FromMinutes(20));
        var result = await watch;

        Assert.True(result.CameBack);
        var progress = observer.Summaries.Where(s => s.Contains("still", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "sw-access-12 still not answering after 2 min (expected up to 8 min)",
                "sw-access-12 still not answering after 4 min (expected up to 8 min)",
                "sw-access-12 still not answering after 6 min (expected up to 8 min)",
            ],
            progress);
        Assert.True(access.Probes > 300, $"probes: {access.Probes}");
    }

    [Fact]
    public async Task Watch_ChassisExpected20Min_DeadlineStretchedTo25Min_NotTheDefault15()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var access = new Access(time, upAfter: TimeSpan.FromMinutes(18));
        var observer = new Lines();
        var executor = new RemediationExecutor(access, (_, _) => throw new InvalidOperationException("no commands in a watch"), time);

        var watch = executor.WatchRecoveryAsync(Device(TimeSpan.FromMinutes(20)), new ExecutionOptions(), observer, CancellationToken.None);
        await DriveAsync(time, watch, TimeSpan.FromMinutes(30));

        Assert.True((await watch).CameBack);
        Assert.Contains(observer.Summaries, s => s == "sw-access-12 still not answering after 16 min (expected up to 20 min)");
    }

    /// <summary>Moves the fake clock a second at a time while the watch runs (its probes and delays wait on it).</summary>
    private static async Task DriveAsync(FakeTimeProvider time, Task watch, TimeSpan limit)
    {
        for (var elapsed = TimeSpan.Zero; !watch.IsCompleted && elapsed < limit; elapsed += TimeSpan.FromSeconds(1))
        {
            await Task.Delay(1);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await watch.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private sealed class Lines : IExecutionObserver
    {
        public List<string> Summaries { get; } = [];

        public void Progress(string summary, string? detailJson)
        {
            lock (Summaries)
            {
                Summaries.Add(summary);
            }
        }
    }

    /// <summary>Refuses TCP 22 until <c>upAfter</c> on the fake clock, then answers and logs in.</summary>
    private sealed class Access(FakeTimeProvider time, TimeSpan upAfter) : IDeviceAccess
    {
        private readonly DateTimeOffset _up = time.GetUtcNow() + upAfter;

        public int Probes { get; private set; }

        public Task<TcpProbeResult> ProbeAsync(DeviceRef device, int port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Probes++;
            return Task.FromResult(new TcpProbeResult(port, time.GetUtcNow() >= _up ? ProbeOutcome.Open : ProbeOutcome.Refused, string.Empty, TimeSpan.Zero));
        }

        public Task<IDeviceCliSession> OpenCliAsync(DeviceRef device, AccessPath path, CancellationToken cancellationToken) =>
            Task.FromResult<IDeviceCliSession>(new Session());
    }

    private sealed class Session : IDeviceCliSession
    {
        private const string TcpStatus = """
            TCPCB    Tid/Soid Local Add:port        Foreign Add:port      VPNID  State
            0d4315d0 102/1    0.0.0.0:22            0.0.0.0:0             -1     Listening
            """;

        public Task<CliResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken) =>
            Task.FromResult(new CliResult(command, TcpStatus, TcpStatus, TimeSpan.Zero, null));

        public Task<string> CollectAsyncLinesAsync(TimeSpan window, CancellationToken cancellationToken) => Task.FromResult(string.Empty);

        public string Hostname => "sw-access-12";

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
