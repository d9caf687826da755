using System.Net;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Platforms;
using NetOpsBot.IosXe.Platform;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.IosXe.Tests;

/// <summary>
/// The ssh-unreachable runbook's SSH debug step on an IOS-XE switch uses the engine's capture rule, as VRP does: it
/// ends once the attempt is over and the switch has gone quiet (not after a fixed window), and a line the switch logs
/// late, within the quiet time of the one before, is still counted.
/// </summary>
public sealed class SshDebugCaptureTests
{
    private static readonly DeviceRef Switch = new(
        DeviceName.Parse("cat-access-21"), IosXePlatform.PlatformId, "127.0.2.21", IPAddress.Parse("10.20.0.21"), 22, [], null, "jump-1", null, "lab-device");

    private static readonly SshUnreachableOptions Options = new() { DebugWindow = TimeSpan.FromSeconds(3), DebugQuiet = TimeSpan.FromMilliseconds(300) };

    [Fact]
    public async Task SshDebug_IosXeSwitchLogsTheAttemptLate_CaptureEndsEarlyOnSilence_AndCountsEveryLateLine()
    {
        var access = new ScriptedIosXe(
            (TimeSpan.FromMilliseconds(150), "*Dec  6 01:02:03.451: SSH0: starting SSH control process"),
            (TimeSpan.FromMilliseconds(350), "*Dec  6 01:02:03.452: SSH0: sent protocol version id SSH-2.0-Cisco-1.25"),
            (TimeSpan.FromMilliseconds(550), "*Dec  6 01:02:03.610: SSH0: protocol version id is - SSH-2.0-OpenSSH_9.2p1 Debian-2"));
        var runner = new DiagnosisRunner(access, new OneDevice(Switch), TimeProvider.System, Options, new DevicePlatforms([IosXePlatform.Instance]));

        var report = await runner.RunAsync(Switch, null, CancellationToken.None);

        var debug = report.Step(SshUnreachableSteps.SshDebug)!;
        Assert.Equal(StepStatus.Ok, debug.Status);
        Assert.Equal("3 SSH debug lines: the attempt reached the SSH server", debug.Finding);
        Assert.Contains(debug.Evidence, e => e.Contains("sent protocol version id", StringComparison.Ordinal));
        Assert.Contains(debug.Evidence, e => e.Contains("protocol version id is - SSH-2.0-OpenSSH", StringComparison.Ordinal));
        // Stopped on silence after the last line, well inside the 3 s window, and says so.
        var capture = Assert.Single(debug.Evidence, e => e.StartsWith("capture: ", StringComparison.Ordinal));
        Assert.Matches(@"^capture: \d+\.\d+ s after the attempt ended, stopped after 0\.3 s without a new line \(window 3\.0 s\)$", capture);
        Assert.True(debug.Duration < Options.DebugWindow, $"the capture waited out the window: {debug.Duration}");
        Assert.Equal(["terminal monitor", "debug ip ssh"], debug.Commands.Take(2));
        Assert.Equal(["undebug all", "terminal no monitor"], debug.Commands.TakeLast(2));
    }

    private sealed class OneDevice(DeviceRef device) : IDeviceInventory
    {
        public Task<DeviceRef?> FindAsync(DeviceName name, CancellationToken cancellationToken) =>
            Task.FromResult(name == device.Name ? device : null);
    }

    /// <summary>An IOS-XE switch whose SSH port is open and which logs the given lines this long after the probe.</summary>
    private sealed class ScriptedIosXe(params (TimeSpan AfterAttempt, string Text)[] late) : IDeviceAccess
    {
        private long? probedAt;

        private IReadOnlyList<(TimeSpan AfterAttempt, string Text)> Late { get; } = late;

        public Task<TcpProbeResult> ProbeAsync(DeviceRef device, int port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            probedAt = TimeProvider.System.GetTimestamp();
            return Task.FromResult(new TcpProbeResult(port, ProbeOutcome.Open, "scripted", TimeSpan.FromMilliseconds(1)));
        }

        public Task<IDeviceCliSession> OpenCliAsync(DeviceRef device, AccessPath path, CancellationToken cancellationToken) =>
            Task.FromResult<IDeviceCliSession>(new Session(this));

        private sealed class Session(ScriptedIosXe owner) : IDeviceCliSession
        {
            private int taken;

            public string Hostname => "cat-access-21";

            public Task<CliResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken) =>
                Task.FromResult(new CliResult(command, string.Empty, string.Empty, TimeSpan.FromMilliseconds(2), null));

            public async Task<string> CollectAsyncLinesAsync(TimeSpan window, CancellationToken cancellationToken)
            {
                if (window > TimeSpan.Zero)
                {
                    await Task.Delay(window, cancellationToken);
                }

                if (owner.probedAt is not long probed)
                {
                    return string.Empty;
                }

                var since = TimeProvider.System.GetElapsedTime(probed);
                var due = owner.Late.Where(l => l.AfterAttempt <= since).ToList();
                var lines = due.Skip(taken).Select(l => l.Text).ToList();
                taken = due.Count;
                return string.Join('\n', lines);
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
